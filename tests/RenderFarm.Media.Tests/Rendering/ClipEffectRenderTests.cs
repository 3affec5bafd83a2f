using FluentAssertions;
using RenderFarm.TestSupport;
using Xunit;

namespace RenderFarm.Media.Tests.Rendering;

/// <summary>VFX and Filter effects in a clip's Effects change that clip's frames only, and not the layers above it.</summary>
public sealed class ClipEffectRenderTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_vfx_on_the_second_clip_changes_only_its_span_and_a_clip_filter_starts_at_its_relative_time()
    {
        var media = new TestMedia(_dir.Path);
        var red = media.ColourVideo("red.mp4", "red", 1, 192, 128, 10);
        var grey = media.ColourVideo("grey.mp4", "gray", 1, 192, 128, 10);
        var blue = media.ColourImage("blue.png", "blue", 48, 32);
        var json = $$"""
            {"Timeline":{"VideoTracks":[
               {"VideoTrackClips":[{"MediaURL":"{{red}}"},
                                   {"MediaURL":"{{red}}","Effects":[{"Type":"VFX","SubType":"color_to_grey"}]},
                                   {"MediaURL":"{{grey}}","Effects":[{"Type":"Filter","SubType":"warm","TimelineIn":0.5}]}]},
               {"VideoTrackClips":[{"MediaURL":"{{blue}}","Type":"Image","Duration":3,"X":0,"Y":0,"Width":0.25,"Height":0.25}]}]},
             "OutputMediaConfig":{"Width":192,"Height":128,"Fps":10} }
            """;
        var output = await LocalRender.RenderAsync(json, _dir.Path);
        var frames = Inspect.AllFrames(output);

        static double Saturation((double R, double G, double B) c) => Math.Max(c.R, Math.Max(c.G, c.B)) - Math.Min(c.R, Math.Min(c.G, c.B));
        (double R, double G, double B) Centre(int frame) => Inspect.Mean(frames[frame], 64, 48, 64, 32);
        (double R, double G, double B) Box(int frame) => Inspect.Mean(frames[frame], 8, 8, 24, 16);

        Saturation(Centre(5)).Should().BeGreaterThan(150, "the first clip is untouched");
        Saturation(Centre(9)).Should().BeGreaterThan(150, "its last frame too");
        Saturation(Centre(17)).Should().BeLessThan(15, "the second clip turns grey");
        Box(17).B.Should().BeGreaterThan(180, "the layer above the second clip stays blue");
        Box(17).R.Should().BeLessThan(60);
        Saturation(Centre(22)).Should().BeLessThan(5, "the third (grey) clip is plain before its filter's TimelineIn, 0.5 s into the clip");
        Saturation(Centre(27)).Should().BeGreaterThan(10, "and tinted by the filter after it");
    }
}
