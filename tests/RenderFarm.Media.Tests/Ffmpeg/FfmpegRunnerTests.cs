using System.Diagnostics;
using FluentAssertions;
using RenderFarm.Media.Ffmpeg;
using Xunit;

namespace RenderFarm.Media.Tests.Ffmpeg;

public sealed class FfmpegRunnerTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly FfmpegRunner _ffmpeg = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public void Dispose() => _temp.Dispose();

    /// <summary>Collects reports on the reporting thread, in order (Progress&lt;T&gt; would post them).</summary>
    private sealed class Recorder : IProgress<FfmpegProgress>
    {
        public List<FfmpegProgress> Reports { get; } = [];
        public TaskCompletionSource First { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public void Report(FfmpegProgress value)
        {
            lock (Reports) Reports.Add(value);
            First.TrySetResult();
        }
    }

    [Fact]
    public async Task Encodes_and_reports_increasing_progress()
    {
        var output = _temp.Combine("out.mp4");
        var progress = new Recorder();

        // -readrate paces the input (4x realtime) so several progress blocks arrive.
        await _ffmpeg.RunAsync(["-readrate", "4", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25:duration=2",
            "-stats_period", "0.05", "-c:v", "libx264", "-preset", "ultrafast", output], progress, _ct);

        File.Exists(output).Should().BeTrue();
        progress.Reports.Should().HaveCountGreaterThan(2);
        progress.Reports.Select(r => r.Frame).Should().BeInAscendingOrder();
        progress.Reports.First().Frame.Should().BeLessThan(50);
        progress.Reports.Last().Frame.Should().Be(50);
        progress.Reports.Last().OutTime.Should().BeCloseTo(TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task A_missing_input_throws_with_the_stderr_line()
    {
        var act = () => _ffmpeg.RunAsync(["-i", "file:/nonexistent/in.mp4", "-f", "null", "-"], null, _ct);

        var error = (await act.Should().ThrowAsync<FfmpegException>()).Which;
        error.Message.Should().Be("ffmpeg failed (exit code 1): file:/nonexistent/in.mp4: No such file or directory");
        error.ExitCode.Should().Be(1);
        error.StderrTail.Should().Contain("No such file or directory");
    }

    [Fact]
    public async Task A_bad_option_or_filter_names_the_cause_not_the_generic_trailer()
    {
        var option = () => _ffmpeg.RunAsync(["-no-such-option"], null, _ct);
        (await option.Should().ThrowAsync<FfmpegException>()).Which.Message.Should().EndWith("Unrecognized option 'no-such-option'.");

        var filter = () => _ffmpeg.RunAsync(["-f", "lavfi", "-i", "testsrc=duration=1", "-vf", "nosuchfilter", "-f", "null", "-"], null, _ct);
        (await filter.Should().ThrowAsync<FfmpegException>()).Which.Message.Should().EndWith("[AVFilterGraph] No such filter: 'nosuchfilter'");
    }

    [Fact]
    public async Task A_filter_configuration_error_names_the_cause_not_the_failed_output_pad()
    {
        // xfade refuses inputs at different rates; ffmpeg follows the reason with
        // "[Parsed_xfade_2 @ 0x...] Failed to configure output pad on Parsed_xfade_2" and more generic lines.
        var act = () => _ffmpeg.RunAsync(["-filter_complex", "color=c=red:s=64x64:r=25:d=1[a];color=c=blue:s=64x64:r=30:d=1[b];[a][b]xfade=duration=0.5:offset=0.2",
            "-f", "null", "-"], null, _ct);

        var error = (await act.Should().ThrowAsync<FfmpegException>()).Which;
        error.Message.Should().Contain("[Parsed_xfade_2] First input link main timebase (1/25) do not match");
        error.StderrTail.Should().Contain("Failed to configure output pad");
    }

    [Fact]
    public void The_meaningful_line_skips_generic_follow_ups_with_or_without_a_filter_prefix()
    {
        string[] tail =
        [
            "[Parsed_xfade_22 @ 0x55d0c0e8a0c0] First input link main frame rate (25/1) do not match the corresponding second input link xfade frame rate (30/1)",
            "[Parsed_xfade_22 @ 0x55d0c0e8a0c0] Failed to configure output pad on Parsed_xfade_22",
            "Error reinitializing filters!",
            "Failed to inject frame into filter network: Invalid argument",
            "Error while processing the decoded data for stream #1:0",
            "Conversion failed!",
        ];

        FfmpegException.MeaningfulLine(tail).Should().Be(
            "[Parsed_xfade_22] First input link main frame rate (25/1) do not match the corresponding second input link xfade frame rate (30/1)");
    }

    [Fact]
    public async Task Cancelling_kills_ffmpeg_promptly_and_leaves_no_process()
    {
        var marker = Guid.NewGuid().ToString("N");
        var progress = new Recorder();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(_ct);
        var run = _ffmpeg.RunAsync(["-re", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25:duration=60",
            "-stats_period", "0.1", "-metadata", $"comment={marker}", "-f", "null", "-"], progress, cancel.Token);
        await progress.First.Task.WaitAsync(TimeSpan.FromSeconds(10), _ct);
        var pids = ProcessesWith(marker);
        pids.Should().ContainSingle("ffmpeg is running");

        var clock = Stopwatch.StartNew();
        await cancel.CancelAsync();
        var act = () => run;
        await act.Should().ThrowAsync<OperationCanceledException>();

        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2));
        Directory.Exists($"/proc/{pids[0]}").Should().BeFalse("the killed ffmpeg has been reaped");
        ProcessesWith(marker).Should().BeEmpty();
    }

    [Fact]
    public async Task Captures_raw_frames_from_stdout()
    {
        var bytes = await _ffmpeg.CaptureStdoutAsync(["-f", "lavfi", "-i", "color=c=red:size=4x2", "-frames:v", "1",
            "-f", "rawvideo", "-pix_fmt", "rgb24", "-"], _ct);

        bytes.Should().HaveCount(4 * 2 * 3);
        // Red survives the trip through YUV only approximately.
        bytes.Chunk(3).Should().AllSatisfy(pixel => (pixel[0] > 240 && pixel[1] < 10 && pixel[2] < 10).Should().BeTrue());
    }

    [Fact]
    public void Finds_the_tools_and_explains_a_missing_one()
    {
        File.Exists(FfmpegRunner.FfmpegPath).Should().BeTrue();
        File.Exists(FfmpegRunner.FfprobePath).Should().BeTrue();
        var act = () => ToolLocator.Find("rf-no-such-tool", "RENDERFARM_TEST_NO_SUCH_TOOL");
        act.Should().Throw<FileNotFoundException>().WithMessage("rf-no-such-tool was not found; run scripts/setup.sh*");
    }

    [Fact]
    public void Parses_progress_blocks()
    {
        var recorder = new Recorder();
        var parser = new ProgressParser(recorder);
        foreach (var line in new[]
        {
            "frame=0", "out_time_us=N/A", "speed=N/A", "progress=continue",
            "frame=12", "out_time_ms=480000", "speed=1.5x", "progress=continue",
            "frame=25", "out_time_us=1000000", "speed=  2x", "progress=end",
        })
            parser.Feed(line);

        recorder.Reports.Should().Equal(
            new FfmpegProgress(0, TimeSpan.Zero, null),
            new FfmpegProgress(12, TimeSpan.FromMilliseconds(480), 1.5),
            new FfmpegProgress(25, TimeSpan.FromSeconds(1), 2));
    }

    /// <summary>PIDs of live processes whose command line contains <paramref name="marker"/>.</summary>
    private static List<int> ProcessesWith(string marker) =>
        Directory.GetDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && ReadCmdline(pid).Contains(marker, StringComparison.Ordinal))
            .ToList();

    private static string ReadCmdline(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/cmdline"); }
        catch (IOException) { return ""; }
        catch (UnauthorizedAccessException) { return ""; }
    }
}
