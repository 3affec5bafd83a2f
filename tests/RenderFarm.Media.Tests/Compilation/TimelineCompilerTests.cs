using FluentAssertions;
using RenderFarm.Core.Planning;
using RenderFarm.Core.Timelines;
using RenderFarm.Media.Compilation;
using Xunit;

namespace RenderFarm.Media.Tests.Compilation;

/// <summary>The compiler's own guards (pure: no ffmpeg runs).</summary>
public sealed class TimelineCompilerTests
{
    /// <summary>Two 4 s clips joined by a 1 s fade at 25 fps: the fade blends frames [75, 100) of 175.</summary>
    private static TimelineCompiler Compiler(out Schedule schedule)
    {
        var timeline = new TimelineParser(TimelineLimits.Default).Parse("""
            {"VideoTracks":[{"VideoTrackClips":[
              {"MediaURL":"a.mp4","Effects":[{"Type":"Transition","SubType":"fade","Duration":1}]},
              {"MediaURL":"b.mp4"}]}]}
            """).Timeline;
        var video = new MediaFacts(4, 320, 240, HasVideo: true, HasAudio: false, IsStill: false);
        schedule = TimelineScheduler.Build(timeline, new Dictionary<string, MediaFacts> { ["a.mp4"] = video, ["b.mp4"] = video }, new OutputFormat(320, 240, 25));
        var paths = new Dictionary<string, string> { ["a.mp4"] = "/media/a.mp4", ["b.mp4"] = "/media/b.mp4" };
        return new TimelineCompiler(schedule, paths, EncoderSettings.Default);
    }

    [Theory]
    [InlineData(0, 80, 80)]
    [InlineData(80, 175, 80)]
    [InlineData(99, 175, 99)]
    [InlineData(76, 99, 76)]
    public void A_segment_window_that_splits_a_transition_is_refused_naming_the_frame(long start, long end, long frame)
    {
        var compiler = Compiler(out var schedule);
        schedule.TransitionSpans.Should().Equal((75L, 100L));

        var act = () => compiler.VideoSegment(new RenderWindow(start, end), "/out/s.mp4", "/out/g.txt", null);

        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == "window")
            .WithMessage($"window [{start}, {end}) cuts at frame {frame}, inside the transition over frames [75, 100)*");
    }

    [Theory]
    [InlineData(0, 75)]
    [InlineData(75, 175)]
    [InlineData(0, 100)]
    [InlineData(100, 175)]
    [InlineData(0, 175)]
    public void A_window_cut_outside_transitions_compiles(long start, long end)
    {
        var compiler = Compiler(out _);

        var command = compiler.VideoSegment(new RenderWindow(start, end), "/out/s.mp4", "/out/g.txt", null);

        command.ExpectedFrames.Should().Be(end - start);
        command.Arguments.Should().ContainInOrder("-frames:v", (end - start).ToString());
    }

    [Fact]
    public void Nvenc_settings_encode_with_h264_nvenc_at_constant_quality_and_the_default_stays_libx264()
    {
        var x264 = Compiler(out var schedule).VideoSegment(new RenderWindow(0, 75), "/out/s.mp4", "/out/g.txt", null);
        var nvenc = new TimelineCompiler(schedule, new Dictionary<string, string> { ["a.mp4"] = "/media/a.mp4", ["b.mp4"] = "/media/b.mp4" },
            EncoderSettings.Default with { Nvenc = true }).VideoSegment(new RenderWindow(0, 75), "/out/s.mp4", "/out/g.txt", null);

        x264.Arguments.Should().ContainInOrder("-c:v", "libx264", "-preset", "veryfast").And.ContainInOrder("-crf", "20");
        nvenc.Arguments.Should().ContainInOrder("-c:v", "h264_nvenc", "-preset", "p4").And.ContainInOrder("-rc", "vbr", "-cq", "20", "-b:v", "0")
            .And.NotContain(["libx264", "-crf"]);
        // Same picture format, profile, rate and GOP either way: only the encoder differs between a video's planned encoders.
        nvenc.Arguments.SkipWhile(a => a != "-pix_fmt").Take(4).Should().Equal(x264.Arguments.SkipWhile(a => a != "-pix_fmt").Take(4));
        (EncoderSettings.Default.Tag, (EncoderSettings.Default with { Nvenc = true }).Tag).Should().Be(("x264:veryfast:crf20:aac192", "nvenc:p4:cq20:aac192"));
    }
}
