using FluentAssertions;
using RenderFarm.Core.Timelines;
using RenderFarm.TestSupport;
using Xunit;

namespace RenderFarm.Media.Tests.Rendering;

/// <summary>Every IMS transition SubType renders (as itself or its closest xfade look).</summary>
public sealed class TransitionRenderTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Every_ims_transition_renders_between_two_clips()
    {
        var media = new TestMedia(_dir.Path);
        var white = media.ColourImage("white.png", "white", 64, 64);
        var black = media.ColourImage("black.png", "black", 64, 64);
        var names = TransitionCatalog.ImsNames;
        var clips = names.Select((name, i) =>
            $$"""{"MediaURL":"{{(i % 2 == 0 ? white : black)}}","Type":"Image","Duration":0.5,"Effects":[{"Type":"Transition","SubType":"{{name}}","Duration":0.2}]}""")
            .Append($$"""{"MediaURL":"{{(names.Count % 2 == 0 ? white : black)}}","Type":"Image","Duration":0.5}""");
        var json = $$"""
            {"Timeline":{"VideoTracks":[{"VideoTrackClips":[{{string.Join(",", clips)}}]}]},
             "OutputMediaConfig":{"Width":128,"Height":128,"Fps":20} }
            """;

        var output = await LocalRender.RenderAsync(json, _dir.Path);

        // n+1 clips of 10 frames overlapping by 4 frames at each of the n transitions: clip i starts at 6i.
        Inspect.Probe(output).VideoFrames.Should().Be((names.Count + 1) * 10 - names.Count * 4);
        var frames = Inspect.AllFrames(output);
        for (var i = 0; i < names.Count; i++)
        {
            // Transition i spans frames 6i+6 .. 6i+9. The outgoing clip is white for even i, black for odd i;
            // during the span the incoming clip starts to show (a blend, a wipe edge, a switch by distance).
            var outgoing = i % 2 == 0 ? 255.0 : 0.0;
            var levels = Enumerable.Range(6 * i + 6, 4).Select(f => Inspect.Mean(frames[f], 0, 0, 128, 128).R).ToList();
            levels.Should().Contain(level => Math.Abs(level - outgoing) > 10, $"{names[i]} brings in the next clip during the transition");
            Inspect.Mean(frames[6 * i + 5], 0, 0, 128, 128).R.Should().BeApproximately(outgoing, 12, $"before {names[i]} the clip shows alone");
            var after = Inspect.Mean(frames[6 * i + 10], 0, 0, 128, 128).R;
            after.Should().BeApproximately(i % 2 == 0 ? 0 : 255, 12, $"after {names[i]} the next clip shows alone");
        }
    }
}
