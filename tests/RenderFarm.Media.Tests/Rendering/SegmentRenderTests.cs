using FluentAssertions;
using RenderFarm.Core.Planning;
using RenderFarm.Media.Rendering;
using RenderFarm.TestSupport;
using Xunit;

namespace RenderFarm.Media.Tests.Rendering;

/// <summary>Segmented rendering (the base of distributed rendering) gives the single-pass result.</summary>
public sealed class SegmentRenderTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly TestMedia _media;

    public SegmentRenderTests() => _media = new TestMedia(_dir.Path);

    public void Dispose() => _dir.Dispose();

    private string Timeline()
    {
        var a = _media.PatternVideo("a.mp4", 3, 320, 240, toneHz: 440);
        var b = _media.PatternVideo("b.mp4", 3, 240, 320, toneHz: 660);
        var photo = _media.ColourImage("photo.png", "orange", 200, 300);
        var music = _media.Tone("music.m4a", 220, 2);
        return $$"""
            {"Timeline":{
              "VideoTracks":[{"VideoTrackClips":[
                  {"MediaURL":"{{a}}","Effects":[{"Type":"Transition","SubType":"wipeleft","Duration":0.6}]},
                  {"MediaURL":"{{photo}}","Type":"Image","Duration":2,"Effects":[{"Type":"Background","SubType":"Blur","Radius":0.1},{"Type":"Transition","SubType":"fade","Duration":0.5}]},
                  {"MediaURL":"{{b}}","In":0.5,"Speed":1.5,"Effects":[{"Type":"VFX","SubType":"zoominout"}]}]},
                {"VideoTrackClips":[{"MediaURL":"{{photo}}","Type":"Image","TimelineIn":1.2,"Duration":3,"X":0.05,"Y":0.05,"Width":0.3}]}],
              "AudioTracks":[{"AudioTrackClips":[{"MediaURL":"{{music}}","LoopMode":true,"Effects":[{"Type":"Volume","Gain":0.5}]}]}],
              "SubtitleTracks":[{"SubtitleTrackClips":[
                  {"Type":"Text","Content":"segment test 分段","TimelineIn":0.3,"TimelineOut":5.5,"Alignment":"BottomCenter","Y":20,"FontSize":28,"AaiMotionInEffect":"fade_in"}]}],
              "EffectTracks":[{"EffectTrackItems":[{"Type":"Filter","SubType":"warm","TimelineIn":4,"TimelineOut":5}]}]},
             "OutputMediaConfig":{"Width":320,"Height":240,"Fps":25} }
            """;
    }

    [Fact]
    public async Task Segments_concatenated_without_reencoding_equal_the_single_pass_render()
    {
        var windows = await RenderBothWaysAndCompareCutsAsync(Timeline(), segmentSeconds: 1.0);
        windows.Should().BeGreaterThan(4);
    }

    [Fact]
    public async Task Segments_of_a_source_with_another_frame_rate_show_the_same_source_frames_as_the_single_pass()
    {
        // A 30 fps source on a 25 fps timeline, entered at In=0.017 and played at Speed 1.3: output and
        // source frames never line up, and 0.5 s segments start at 0.52 s, 1.04 s, ... Each window must
        // pick the same source frame for each output frame as the single pass does.
        var source = _media.PatternVideo("thirty.mp4", 5, 320, 240, fps: 30);
        var json = $$"""
            {"Timeline":{"VideoTracks":[{"VideoTrackClips":[
                {"MediaURL":"{{source}}","In":0.017,"Speed":1.3},
                {"MediaURL":"{{source}}","In":0.5,"Out":2.5}]}]},
             "OutputMediaConfig":{"Width":320,"Height":240,"Fps":25} }
            """;
        var windows = await RenderBothWaysAndCompareCutsAsync(json, segmentSeconds: 0.5);
        windows.Should().BeGreaterThan(10);
    }

    /// <summary>
    /// Renders in one pass and in segments; the results must have the same frames and durations, and
    /// the frames on both sides of every cut must match (PSNR above 35 dB). Returns the window count.
    /// </summary>
    private async Task<int> RenderBothWaysAndCompareCutsAsync(string json, double segmentSeconds)
    {
        var single = await LocalRender.RenderAsync(json, _dir.Path, "single.mp4");
        var segmented = await LocalRender.RenderAsync(json, _dir.Path, "segmented.mp4", new RenderOptions(SegmentSeconds: segmentSeconds, Parallelism: 2));

        var one = Inspect.Probe(single);
        var many = Inspect.Probe(segmented);
        many.VideoFrames.Should().Be(one.VideoFrames);
        many.Duration.Should().BeApproximately(one.Duration, 0.05);
        many.VideoDuration.Should().BeApproximately(one.VideoDuration, 0.001);

        var prepared = await LocalRender.PrepareAsync(json, _dir.Path);
        var windows = SegmentPlanner.Plan(prepared.Schedule, segmentSeconds);
        var singleFrames = Inspect.AllFrames(single);
        var segmentedFrames = Inspect.AllFrames(segmented);
        foreach (var window in windows.Skip(1))
            foreach (var frame in new[] { window.StartFrame - 1, window.StartFrame })
                Inspect.Psnr(singleFrames[(int)frame], segmentedFrames[(int)frame]).Should()
                    .BeGreaterThan(35, $"frame {frame} at the cut before window {window} shows the single pass's frame");
        return windows.Count;
    }

    [Theory]
    // 30 -> 25 fps at Speed 1 puts every 6th source frame exactly half-way between two output frames: a
    // window whose timestamps were rounded differently from the single pass's would pick its neighbour.
    [InlineData(30, 0.0, 1.0)]
    [InlineData(30, 0.5, 1.0)]
    [InlineData(24, 0.0, 0.5)]
    public async Task Every_frame_of_a_segmented_render_is_the_single_pass_frame(int sourceFps, double sourceIn, double speed)
    {
        var source = _media.PatternVideo("source.mp4", 4, 320, 240, fps: sourceFps);
        var json = $$"""
            {"Timeline":{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"{{source}}","In":{{Num(sourceIn)}},"Out":{{Num(sourceIn + 2 * speed)}},"Speed":{{Num(speed)}}}]}]},
             "OutputMediaConfig":{"Width":320,"Height":240,"Fps":25} }
            """;
        var single = await LocalRender.RenderAsync(json, _dir.Path, "single.mp4");
        var segmented = await LocalRender.RenderAsync(json, _dir.Path, "segmented.mp4", new RenderOptions(SegmentSeconds: 0.5, Parallelism: 2));

        var singleFrames = Inspect.AllFrames(single);
        var segmentedFrames = Inspect.AllFrames(segmented);
        singleFrames.Should().HaveCount(50);
        segmentedFrames.Should().HaveCount(50);
        for (var frame = 0; frame < 50; frame++)
            Inspect.Psnr(singleFrames[frame], segmentedFrames[frame]).Should().BeGreaterThan(35, $"frame {frame} shows the same source frame");
    }

    private static string Num(double value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task No_cut_falls_inside_a_transition()
    {
        var prepared = await LocalRender.PrepareAsync(Timeline(), _dir.Path);
        var schedule = prepared.Schedule;
        schedule.TransitionSpans.Should().HaveCount(2);
        foreach (var target in new[] { 0.5, 0.8, 1.0, 2.3, 2.7 })
            foreach (var window in SegmentPlanner.Plan(schedule, target))
                SegmentPlanner.IsSafeCut(schedule, window.StartFrame).Should().BeTrue($"a {target} s plan cuts at {window.StartFrame}");
    }
}
