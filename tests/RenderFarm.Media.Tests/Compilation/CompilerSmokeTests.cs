using FluentAssertions;
using RenderFarm.Core.Planning;
using RenderFarm.Core.Timelines;
using RenderFarm.Media.Compilation;
using RenderFarm.TestSupport;
using Xunit;

namespace RenderFarm.Media.Tests.Compilation;

public sealed class CompilerSmokeTests
{
    [Fact]
    public void Smoke()
    {
        using var dir = new TempDir();
        var media = new TestMedia(dir.Path);
        var red = media.ColourVideo("red.mp4", "red", 2, toneHz: 440);
        var blue = media.ColourVideo("blue.mp4", "blue", 2);
        var green = media.ColourImage("green.png", "green");
        var json = $$"""
        {"VideoTracks":[{"VideoTrackClips":[
          {"MediaURL":"{{red}}","Effects":[{"Type":"Transition","SubType":"fade","Duration":0.4}]},
          {"MediaURL":"{{blue}}"}]},
          {"VideoTrackClips":[{"Type":"Image","MediaURL":"{{green}}","Duration":1,"TimelineIn":0.5,"X":0.5,"Y":0,"Width":0.5}]}],
         "SubtitleTracks":[{"SubtitleTrackClips":[{"Type":"Text","Content":"Hi","TimelineIn":0,"TimelineOut":1}]}]}
        """;
        var parsed = new TimelineParser(TimelineLimits.Default).Parse(json);
        var facts = new Dictionary<string, MediaFacts>
        {
            [red] = new(2, 320, 240, true, true, false),
            [blue] = new(2, 320, 240, true, false, false),
            [green] = new(0, 320, 240, true, false, true),
        };
        var output = new OutputFormat(320, 240, 25);
        var schedule = TimelineScheduler.Build(parsed.Timeline, facts, output);
        schedule.TotalFrames.Should().Be(90);
        var paths = facts.Keys.ToDictionary(k => k, k => k);
        var compiler = new TimelineCompiler(schedule, paths, EncoderSettings.Default);
        var cmd = compiler.SinglePass(dir.File("out.mp4"), dir.File("graph.txt"), null);
        File.WriteAllText(cmd.FilterGraphPath!, cmd.FilterGraph);
        Console.WriteLine(cmd.FilterGraph);
        Tool.Ffmpeg([.. cmd.Arguments]);
        var f = Inspect.Probe(dir.File("out.mp4"));
        f.VideoFrames.Should().Be(90);
        File.Copy(dir.File("out.mp4"), "/tmp/smoke.mp4", true);
        File.Copy(dir.File("graph.txt"), "/tmp/smoke-graph.txt", true);
    }
}
