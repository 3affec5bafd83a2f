using System.Diagnostics;
using FluentAssertions;
using RenderFarm.Media.Ffmpeg;
using RenderFarm.Media.Rendering;
using RenderFarm.TestSupport;
using Xunit;

namespace RenderFarm.Media.Tests.Rendering;

/// <summary>How TimelineRenderer runs its ffmpeg processes: progress as a user sees it, and failures in parallel segments.</summary>
public sealed class RendererTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly TestMedia _media;

    public RendererTests() => _media = new TestMedia(_dir.Path);

    public void Dispose() => _dir.Dispose();

    /// <summary>Records each report with whether the segmented render had got to its audio by then.</summary>
    private sealed class Recorder(string outputDirectory) : IProgress<double>
    {
        public List<(double Value, bool AudioStarted)> Reports { get; } = [];

        public void Report(double value)
        {
            var audioStarted = Directory.GetDirectories(outputDirectory, ".renderfarm-work-*")
                .Any(work => File.Exists(Path.Combine(work, "audio.m4a")));
            lock (Reports) Reports.Add((value, audioStarted));
        }
    }

    [Fact]
    public async Task A_segmented_render_reports_progress_in_order_through_audio_and_assembly()
    {
        var clip = _media.PatternVideo("clip.mp4", 4, toneHz: 440);
        var json = $$"""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"{{clip}}"}]}]}""";
        var recorder = new Recorder(_dir.Path);

        await LocalRender.RenderAsync(json, _dir.Path, "segmented.mp4", new RenderOptions(SegmentSeconds: 1, Parallelism: 2), recorder);

        var values = recorder.Reports.Select(r => r.Value).ToList();
        values.Should().BeInAscendingOrder("reports arrive in order, never going back");
        values.Should().OnlyContain(v => v >= 0 && v <= 1);
        values[^1].Should().Be(1);
        recorder.Reports.Should().Contain(r => r.AudioStarted && r.Value < 1,
            "the audio and the assembly report progress too; the bar does not wait at the video's share until the end");
    }

    [Fact]
    public async Task A_single_pass_render_reports_in_order_and_ends_at_one()
    {
        var clip = _media.PatternVideo("clip.mp4", 2);
        var json = $$"""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"{{clip}}"}]}]}""";
        var reports = new List<double>();

        await LocalRender.RenderAsync(json, _dir.Path, "single.mp4", progress: new SyncProgress<double>(reports.Add));

        reports.Should().NotBeEmpty().And.BeInAscendingOrder();
        reports[^1].Should().Be(1);
    }

    [Fact]
    public async Task When_one_parallel_segment_fails_the_others_are_cancelled_and_the_failure_is_rethrown()
    {
        // Window 0 shows a.mp4; window 1 shows b.png. After planning, a.mp4 becomes a FIFO nobody writes
        // to, so its ffmpeg blocks opening it forever, and b.png is deleted, so its ffmpeg fails at once.
        var a = _media.PatternVideo("a.mp4", 2);
        var b = _media.ColourImage("b.png", "red");
        var json = $$"""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"{{a}}"},{"MediaURL":"{{b}}","Type":"Image","Duration":2}]}]}""";
        var prepared = await LocalRender.PrepareAsync(json, _dir.Path);
        File.Delete(a);
        Tool.Run("mkfifo", a).Exit.Should().Be(0);
        File.Delete(b);
        var output = _dir.File("out.mp4");
        var renderer = new TimelineRenderer(new FfmpegRunner(), LocalRender.Encoder);
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60)); // ends the blocked ffmpeg if nothing else does

        var clock = Stopwatch.StartNew();
        var act = () => renderer.RenderAsync(prepared, output, new RenderOptions(SegmentSeconds: 2, Parallelism: 2), null, guard.Token);

        var error = (await act.Should().ThrowAsync<FfmpegException>("the failed segment's error is what the user sees, not a cancellation")).Which;
        error.Message.Should().Contain("b.png");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), "the blocked segment is cancelled when its sibling fails");
        guard.IsCancellationRequested.Should().BeFalse();
        Directory.GetFileSystemEntries(_dir.Path, ".renderfarm-work-*").Should().BeEmpty();
        Directory.GetFiles(_dir.Path, "*.partial*").Should().BeEmpty();
        File.Exists(output).Should().BeFalse();
    }
}
