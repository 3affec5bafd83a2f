using FluentAssertions;
using RenderFarm.Core.Templates;
using RenderFarm.Core.Timelines;
using RenderFarm.TestSupport;
using Xunit;

namespace RenderFarm.Media.Tests.Rendering;

/// <summary>A template filled by a ClipsParam renders what the same timeline written by hand renders.</summary>
public sealed class TemplateRenderTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_template_with_two_clips_and_a_title_filled_by_ClipsParam_renders_like_the_hand_written_timeline()
    {
        // Tiny media: a moving pattern and a plain colour, 2 s at 192x128, 10 fps.
        var media = new TestMedia(_dir.Path);
        var opening = Json(media.PatternVideo("opening.mp4", 2, 192, 128, fps: 10));
        var closing = Json(media.ColourVideo("closing.mp4", "teal", 2, 192, 128, fps: 10));
        const string output = "\"OutputMediaConfig\":{\"Width\":192,\"Height\":128,\"Fps\":10}";
        const string config = """
            {"VideoTracks":[{"VideoTrackClips":[{"MediaId":"$Opening","Out":1},{"MediaURL":"$Closing","In":0.5,"Out":1.5}]}],
             "SubtitleTracks":[{"SubtitleTrackClips":[{"Type":"Text","Content":"$Title","TimelineIn":0.2,"TimelineOut":1.8,"FontSize":30,"FontColor":"#ffff00"}]}]}
            """;
        var clipsParam = $$"""{"Opening":"{{opening}}","Closing":"{{closing}}","Title":"Big sale"}""";
        var byHand = $$"""
            {"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"{{opening}}","Out":1},{"MediaURL":"{{closing}}","In":0.5,"Out":1.5}]}],
             "SubtitleTracks":[{"SubtitleTrackClips":[{"Type":"Text","Content":"Big sale","TimelineIn":0.2,"TimelineOut":1.8,"FontSize":30,"FontColor":"#ffff00"}]}]}
            """;

        var filled = TemplateFiller.Fill(TimelineTemplate.Parse(config, TimelineLimits.Default), clipsParam, TimelineLimits.Default);
        var fromTemplate = await LocalRender.RenderAsync($$"""{"Timeline":{{filled.TimelineJson}},{{output}}}""", _dir.Path, "template.mp4");
        var handWritten = await LocalRender.RenderAsync($$"""{"Timeline":{{byHand}},{{output}}}""", _dir.Path, "hand.mp4");

        var templateFrames = Inspect.AllFrames(fromTemplate);
        var handFrames = Inspect.AllFrames(handWritten);
        templateFrames.Should().HaveCount(handFrames.Count).And.HaveCount(20);
        for (var i = 0; i < handFrames.Count; i++)
            Inspect.Psnr(templateFrames[i], handFrames[i]).Should().BeGreaterThan(40, $"frame {i} shows the same picture");
        Inspect.Psnr(templateFrames[5], templateFrames[15]).Should().BeLessThan(20, "the two placeholders put two different clips on screen");
    }

    private static string Json(string text) => text.Replace("\\", "\\\\").Replace("\"", "\\\"");
}
