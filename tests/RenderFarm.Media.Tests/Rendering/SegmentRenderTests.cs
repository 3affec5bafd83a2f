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
                  {"MediaURL":"{{b}}","In":0.5,"Speed":1.5}]},
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
        var json = Timeline();
        var single = await LocalRender.RenderAsync(json, _dir.Path, "single.mp4");
        var segmented = await LocalRender.RenderAsync(json, _dir.Path, "segmented.mp4", new RenderOptions(SegmentSeconds: 1.0, Parallelism: 2));

        var one = Inspect.Probe(single);
        var many = Inspect.Probe(segmented);
        many.VideoFrames.Should().Be(one.VideoFrames);
        many.Duration.Should().BeApproximately(one.Duration, 0.05);
        many.VideoDuration.Should().BeApproximately(one.VideoDuration, 0.001);

        var prepared = await LocalRender.PrepareAsync(json, _dir.Path);
        var windows = SegmentPlanner.Plan(prepared.Schedule, 1.0);
        windows.Count.Should().BeGreaterThan(4);
        foreach (var window in windows.Skip(1))
        {
            foreach (var frame in new[] { window.StartFrame - 1, window.StartFrame })
            {
                var psnr = Inspect.Psnr(Inspect.FrameAt(single, frame), Inspect.FrameAt(segmented, frame));
                psnr.Should().BeGreaterThan(35, $"frame {frame} at the cut before window {window} matches the single pass");
            }
        }
    }

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
