using FluentAssertions;
using RenderFarm.Core.Json;
using RenderFarm.Core.Planning;
using RenderFarm.Core.Timelines;

namespace RenderFarm.Core.Tests;

/// <summary>Small helpers shared by the test files: parse IMS JSON, build schedules, make media facts.</summary>
internal static class TestTimelines
{
    public static readonly TimelineParser Parser = new(TimelineLimits.Default);

    /// <summary>Portrait 1080x1920 at 25 fps.</summary>
    public static readonly OutputFormat Portrait = new(1080, 1920, 25);

    /// <summary>Small 320x240 at 25 fps.</summary>
    public static readonly OutputFormat Small = new(320, 240, 25);

    public static ParsedTimeline Parse(string json) => Parser.Parse(json);

    public static RequestException ParseError(string json)
    {
        var act = () => Parser.Parse(json);
        var error = act.Should().Throw<RequestException>().Which;
        ShouldBeOneLine(error);
        return error;
    }

    /// <summary>A user sees one line "JSON.Path: reason".</summary>
    public static void ShouldBeOneLine(RequestException error)
    {
        error.Message.Should().NotContainAny("\n", "\r");
        if (error.Path.Length > 0)
            error.Message.Should().Be($"{error.Path}: {error.Reason}");
    }

    public static MediaFacts Video(double seconds, int width = 320, int height = 240, bool audio = true) =>
        new(seconds, width, height, HasVideo: true, HasAudio: audio, IsStill: false);

    public static MediaFacts Still(int width = 320, int height = 240) =>
        new(0, width, height, HasVideo: true, HasAudio: false, IsStill: true);

    public static MediaFacts Sound(double seconds) =>
        new(seconds, 0, 0, HasVideo: false, HasAudio: true, IsStill: false);

    public static Schedule Schedule(string json, IReadOnlyDictionary<string, MediaFacts> media, OutputFormat? output = null, int seed = 0, Diagnostics? diagnostics = null) =>
        TimelineScheduler.Build(Parse(json).Timeline, media, output ?? Small, seed, diagnostics: diagnostics);

    public static RequestException ScheduleError(string json, IReadOnlyDictionary<string, MediaFacts> media, OutputFormat? output = null)
    {
        var timeline = Parse(json).Timeline;
        var act = () => TimelineScheduler.Build(timeline, media, output ?? Small);
        var error = act.Should().Throw<RequestException>().Which;
        ShouldBeOneLine(error);
        return error;
    }
}
