using System.Diagnostics;
using FluentAssertions;
using RenderFarm.TestSupport;
using Xunit;

namespace RenderFarm.Cli.Tests;

/// <summary>`farm render | validate | probe` as a user runs them: exit codes, one-line errors, no half-written output.</summary>
public sealed class RenderCommandTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly TestMedia _media;

    public RenderCommandTests() => _media = new TestMedia(_dir.Path);

    public void Dispose() => _dir.Dispose();

    private string WriteTimeline(string json, string name = "timeline.json")
    {
        var path = _dir.File(name);
        File.WriteAllText(path, json);
        return path;
    }

    private void ShouldFailWithOneLine(FarmProcess.Result result, string output, params string[] expected)
    {
        result.ExitCode.Should().Be(2, result.Stderr);
        result.Errors.Should().ContainSingle().Which.Should().ContainAll(expected);
        File.Exists(output).Should().BeFalse("nothing is written when the request is refused");
        Directory.GetFiles(_dir.Path, "*.partial*").Should().BeEmpty();
    }

    [Fact]
    public void Render_speaks_a_voice_over_and_writes_its_captions_as_srt_beside_the_mp4()
    {
        _media.ColourImage("black.png", "black", 320, 240);
        var timeline = WriteTimeline("""
            {"VideoTracks":[{"VideoTrackClips":[{"Type":"Image","MediaURL":"black.png","Duration":3}]}],
             "AudioTracks":[{"AudioTrackClips":[{"Type":"AI_TTS","Voice":"andy","Content":"Hello there. Goodbye now.","TimelineIn":0.5,
               "Effects":[{"Type":"AI_ASR"}]}]}]}
            """);
        var output = _dir.File("voice.mp4");

        var result = FarmProcess.Run(_dir.Path, "render", timeline, "-o", output, "--srt", "-q");

        result.ExitCode.Should().Be(0, result.Stderr);
        result.Stdout.Trim().Split('\n').Should().Equal(output, _dir.File("voice.srt"));
        Inspect.MeanVolume(output, 0.6, 1).Should().BeGreaterThan(-35, "the voice-over is heard");
        var srt = File.ReadAllText(_dir.File("voice.srt"));
        srt.Should().StartWith("1\n00:00:00,500 --> ").And.Contain("Hello there.").And.Contain("\n2\n").And.Contain("Goodbye now.");
    }

    [Fact]
    public void Render_writes_the_mp4_prints_its_path_and_reports_progress()
    {
        _media.ColourVideo("clip.mp4", "red", 1, toneHz: 440);
        var timeline = WriteTimeline("""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"clip.mp4"}]}]}""");
        var output = _dir.File("out/result.mp4");

        var result = FarmProcess.Run(_dir.Path, "render", timeline, "-o", output);

        result.ExitCode.Should().Be(0, result.Stderr);
        result.Stdout.Trim().Should().Be(output);
        Inspect.Probe(output).VideoFrames.Should().Be(25);
        var percentages = ProgressLines(result, "timeline.json");
        percentages.Should().ContainSingle(p => p == 100, "the render ends at 100%, reported once");
        percentages[^1].Should().Be(100);
        percentages.Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        Directory.GetDirectories(_dir.File("out")).Should().BeEmpty("the work directory is removed");
    }

    [Fact]
    public void A_segmented_render_reports_progress_in_order_up_to_100_percent_once()
    {
        _media.PatternVideo("clip.mp4", 3, toneHz: 440);
        var timeline = WriteTimeline("""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"clip.mp4"}]}]}""");
        var output = _dir.File("segmented.mp4");

        var result = FarmProcess.Run(_dir.Path, "render", timeline, "-o", output, "--segment-seconds", "0.5", "--parallel", "2");

        result.ExitCode.Should().Be(0, result.Stderr);
        Inspect.Probe(output).VideoFrames.Should().Be(75);
        var percentages = ProgressLines(result, "timeline.json");
        percentages.Should().ContainSingle(p => p == 100);
        percentages[^1].Should().Be(100);
        percentages.Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
    }

    /// <summary>The percentages of the "rendering NAME: N%" lines, in the order printed.</summary>
    private static List<int> ProgressLines(FarmProcess.Result result, string name) =>
        result.StderrLines.Where(l => l.StartsWith($"rendering {name}: ") && l.EndsWith('%'))
            .Select(l => int.Parse(l[$"rendering {name}: ".Length..^1]))
            .ToList();

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("-0.5")]
    public void A_segment_length_of_zero_or_less_is_refused_with_one_line(string seconds)
    {
        _media.ColourVideo("clip.mp4", "red", 1);
        var timeline = WriteTimeline("""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"clip.mp4"}]}]}""");
        var output = _dir.File("out.mp4");

        var result = FarmProcess.Run(_dir.Path, "render", timeline, "-o", output, $"--segment-seconds={seconds}");

        result.ExitCode.Should().Be(2, result.Stderr);
        result.StderrLines.Should().Equal("error: --segment-seconds: must be greater than 0");
        File.Exists(output).Should().BeFalse();
    }

    [Fact]
    public void Validate_of_a_missing_file_is_an_invalid_request_like_render()
    {
        var missing = _dir.File("nope.json");

        var validate = FarmProcess.Run(_dir.Path, "validate", missing);
        var render = FarmProcess.Run(_dir.Path, "render", missing, "-o", _dir.File("out.mp4"));

        validate.ExitCode.Should().Be(2, validate.Stderr);
        validate.StderrLines.Should().Equal($"error: timeline file '{missing}' does not exist");
        render.ExitCode.Should().Be(2, render.Stderr);
        render.StderrLines.Should().Equal($"error: timeline file '{missing}' does not exist");
    }

    [Fact]
    public async Task SIGTERM_cancels_the_render_kills_ffmpeg_and_leaves_nothing_behind()
    {
        _media.PatternVideo("long.mp4", 60, 640, 360);
        var timeline = WriteTimeline("""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"long.mp4"}]}]}""");
        var outputDirectory = Directory.CreateDirectory(_dir.File("out")).FullName;
        var output = Path.Combine(outputDirectory, "x.mp4");

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _dir.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "farm.dll"), "render", timeline, "-o", output, "--preset", "slow" })
            start.ArgumentList.Add(a);
        start.Environment["RENDERFARM_CACHE_DIR"] = _dir.File(".cache");
        using var farm = Process.Start(start)!;
        var stdout = farm.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = farm.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        try
        {
            // Wait until the render's ffmpeg runs and writes the partial output.
            var clock = Stopwatch.StartNew();
            IReadOnlyList<int> ffmpeg = [];
            while (clock.Elapsed < TimeSpan.FromSeconds(60) && !farm.HasExited)
            {
                ffmpeg = LinuxProcesses.Children(farm.Id).Where(c => c.Name == "ffmpeg").Select(c => c.Pid).ToList();
                if (ffmpeg.Count > 0 && Directory.GetFiles(outputDirectory, "*.partial*").Length > 0) break;
                await Task.Delay(100, TestContext.Current.CancellationToken);
            }
            ffmpeg.Should().NotBeEmpty("ffmpeg renders the 60 s clip");

            using (var kill = new Process { StartInfo = new ProcessStartInfo("kill") { ArgumentList = { "-TERM", farm.Id.ToString() }, UseShellExecute = false } })
            {
                kill.Start();
                await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
            }
            (await farm.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken)
                .ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default)).Should().BeTrue("farm exits soon after SIGTERM");

            var result = new FarmProcess.Result(farm.ExitCode, await stdout, await stderr);
            result.ExitCode.Should().Be(130, result.Stderr);
            result.Errors.Should().Equal("error: cancelled");
            result.Stdout.Should().BeEmpty("no output path is printed for a cancelled render");
            ffmpeg.Where(LinuxProcesses.IsRunning).Should().BeEmpty("ffmpeg is killed with the render, not left orphaned");
            Directory.GetFiles(_dir.Path, "*.partial*", SearchOption.AllDirectories).Should().BeEmpty("the partial output is removed");
            Directory.GetDirectories(_dir.Path, ".renderfarm-work-*", SearchOption.AllDirectories).Should().BeEmpty("the work directory is removed");
            File.Exists(output).Should().BeFalse();
        }
        finally
        {
            if (!farm.HasExited) farm.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public void Malformed_json_fails_with_its_position()
    {
        var timeline = WriteTimeline("{\"VideoTracks\": [ { \"VideoTrackClips\": [ } ] }");
        var output = _dir.File("out.mp4");
        ShouldFailWithOneLine(FarmProcess.Run(_dir.Path, "render", timeline, "-o", output), output, "malformed JSON at line 1");
    }

    [Fact]
    public void A_missing_media_file_names_its_clip()
    {
        var timeline = WriteTimeline("""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"nope.mp4"}]}]}""");
        var output = _dir.File("out.mp4");
        ShouldFailWithOneLine(FarmProcess.Run(_dir.Path, "render", timeline, "-o", output), output, "VideoTracks[0].VideoTrackClips[0].MediaURL");
    }

    [Fact]
    public void A_refused_url_names_its_clip_and_the_reason()
    {
        var timeline = WriteTimeline("""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"ftp://example.invalid/a.mp4"}]}]}""");
        var output = _dir.File("out.mp4");
        ShouldFailWithOneLine(FarmProcess.Run(_dir.Path, "render", timeline, "-o", output), output, "VideoTracks[0].VideoTrackClips[0].MediaURL", "ftp");
    }

    [Fact]
    public void A_file_outside_the_allowed_roots_is_refused()
    {
        var timeline = WriteTimeline("""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"/etc/hostname"}]}]}""");
        var output = _dir.File("out.mp4");
        ShouldFailWithOneLine(FarmProcess.Run(_dir.Path, "render", timeline, "-o", output), output, "VideoTracks[0].VideoTrackClips[0].MediaURL");
    }

    [Fact]
    public void An_out_of_range_value_names_the_field_and_the_range()
    {
        _media.ColourVideo("clip.mp4", "red", 1);
        var timeline = WriteTimeline("""
            {"Timeline":{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"clip.mp4"}]}]},"OutputMediaConfig":{"Width":5000,"Height":720}}
            """);
        var output = _dir.File("out.mp4");
        ShouldFailWithOneLine(FarmProcess.Run(_dir.Path, "render", timeline, "-o", output), output, "OutputMediaConfig.Width", "4096");
    }

    [Fact]
    public void Out_beyond_the_media_end_is_refused_after_probing()
    {
        _media.ColourVideo("clip.mp4", "red", 1);
        var timeline = WriteTimeline("""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"clip.mp4","Out":4}]}]}""");
        var output = _dir.File("out.mp4");
        ShouldFailWithOneLine(FarmProcess.Run(_dir.Path, "render", timeline, "-o", output), output, "VideoTracks[0].VideoTrackClips[0].Out", "beyond the end");
    }

    [Fact]
    public void A_failed_render_leaves_an_existing_output_untouched()
    {
        var output = _dir.File("keep.mp4");
        File.WriteAllText(output, "previous result");
        var timeline = WriteTimeline("""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"missing.mp4"}]}]}""");

        var result = FarmProcess.Run(_dir.Path, "render", timeline, "-o", output);

        result.ExitCode.Should().Be(2);
        File.ReadAllText(output).Should().Be("previous result");
    }

    [Fact]
    public void Validate_reports_warnings_for_unsupported_fields()
    {
        _media.ColourVideo("x.mp4", "red", 1); // validate checks the media as render does: it must exist
        var timeline = WriteTimeline("""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"x.mp4","Sparkle":1,"DyncFrames":3,"Effects":[{"Type":"AI_ASR"}]}]}]}""");

        var result = FarmProcess.Run(_dir.Path, "validate", timeline);

        result.ExitCode.Should().Be(0, result.Stderr);
        result.Stdout.Should().Contain("valid: 1 clips, 2 warnings");
        result.Stderr.Should().Contain("warning: VideoTracks[0].VideoTrackClips[0].Sparkle: field is not supported");
        result.Stderr.Should().Contain("warning: VideoTracks[0].VideoTrackClips[0].DyncFrames: applies to Image clips (animated images)");
        result.Stderr.Should().NotContain("AI_ASR", "captions are supported");
    }

    [Fact]
    public void Probe_prints_the_media_facts()
    {
        _media.ColourVideo("clip.mp4", "red", 2, 640, 360, toneHz: 440);

        var result = FarmProcess.Run(_dir.Path, "probe", "clip.mp4");

        result.ExitCode.Should().Be(0, result.Stderr);
        result.Stdout.Should().Contain("\"Width\": 640").And.Contain("\"HasAudio\": true");
    }
}
