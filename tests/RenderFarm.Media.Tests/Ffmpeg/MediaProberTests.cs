using System.Diagnostics;
using FFMpegCore;
using FluentAssertions;
using RenderFarm.Core.Json;
using RenderFarm.Media.Ffmpeg;
using Xunit;

namespace RenderFarm.Media.Tests.Ffmpeg;

/// <summary>Media made once for all prober tests: a 2 s 320x240 mp4 with sound, a rotated copy, a png.</summary>
public sealed class ProbeMediaFixture : IAsyncLifetime
{
    public TempDirectory Temp { get; } = new();
    public string Mp4 => Temp.Combine("clip.mp4");
    public string Rotated => Temp.Combine("rotated.mp4");
    public string Png => Temp.Combine("still.png");

    public async ValueTask InitializeAsync()
    {
        var ffmpeg = new FfmpegRunner();
        await ffmpeg.RunAsync(["-f", "lavfi", "-i", "testsrc=size=320x240:rate=25:duration=2", "-f", "lavfi", "-i", "sine=duration=2",
            "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest", Mp4]);
        await ffmpeg.RunAsync(["-i", Mp4, "-c", "copy", "-metadata:s:v", "rotate=90", Rotated]);
        await ffmpeg.RunAsync(["-f", "lavfi", "-i", "testsrc=size=320x240", "-frames:v", "1", Png]);
    }

    public ValueTask DisposeAsync()
    {
        Temp.Dispose();
        return ValueTask.CompletedTask;
    }
}

public sealed class MediaProberTests(ProbeMediaFixture media) : IClassFixture<ProbeMediaFixture>, IDisposable
{
    private const string JsonPath = "VideoTracks[0].VideoTrackClips[1].MediaURL";
    private readonly TempDirectory _cache = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public void Dispose() => _cache.Dispose();

    [Fact]
    public async Task Probes_a_video_with_sound()
    {
        var facts = await new MediaProber(_cache.Path).ProbeAsync(media.Mp4, JsonPath, _ct);

        facts.DurationSeconds.Should().BeApproximately(2.0, 0.1);
        (facts.Width, facts.Height).Should().Be((320, 240));
        facts.HasVideo.Should().BeTrue();
        facts.HasAudio.Should().BeTrue();
        facts.IsStill.Should().BeFalse();
        facts.FrameRate.Should().Be(25);
    }

    [Fact]
    public async Task Swaps_width_and_height_for_rotated_video()
    {
        var facts = await new MediaProber(_cache.Path).ProbeAsync(media.Rotated, JsonPath, _ct);

        (facts.Width, facts.Height).Should().Be((240, 320));
    }

    [Fact]
    public async Task Probes_a_png_as_a_still_without_duration()
    {
        var facts = await new MediaProber(_cache.Path).ProbeAsync(media.Png, JsonPath, _ct);

        facts.Should().Be(new Core.Planning.MediaFacts(0, 320, 240, HasVideo: true, HasAudio: false, IsStill: true));
    }

    [Fact]
    public async Task Reads_files_whose_names_look_like_protocols()
    {
        var odd = _cache.Combine("concat:a|b %41.png");
        File.Copy(media.Png, odd);

        var facts = await new MediaProber(_cache.Combine("cache")).ProbeAsync(odd, JsonPath, _ct);

        facts.IsStill.Should().BeTrue();
    }

    [Fact]
    public async Task Caches_results_in_memory_and_on_disk()
    {
        var first = new MediaProber(_cache.Path);
        var facts = await first.ProbeAsync(media.Mp4, JsonPath, _ct);
        await first.ProbeAsync(media.Mp4, JsonPath, _ct);
        first.FfprobeRuns.Should().Be(1);

        // A new instance (a restart) over the same directory answers from disk.
        var second = new MediaProber(_cache.Path);
        (await second.ProbeAsync(media.Mp4, JsonPath, _ct)).Should().Be(facts);
        second.FfprobeRuns.Should().Be(0);
    }

    [Fact]
    public async Task Probes_again_when_the_file_changes()
    {
        var copy = _cache.Combine("copy.png");
        File.Copy(media.Png, copy);
        var prober = new MediaProber(_cache.Combine("cache"));
        await prober.ProbeAsync(copy, JsonPath, _ct);

        File.SetLastWriteTimeUtc(copy, DateTime.UtcNow.AddMinutes(-5));
        await prober.ProbeAsync(copy, JsonPath, _ct);

        prober.FfprobeRuns.Should().Be(2);
    }

    [Fact]
    public async Task Refuses_a_text_file_at_the_json_path()
    {
        var text = _cache.File("notes.txt", "just some text\n"u8.ToArray());
        var disguised = _cache.File("notes.mp4", "just some text\n"u8.ToArray());
        var prober = new MediaProber(_cache.Combine("cache"));

        var act = () => prober.ProbeAsync(text, JsonPath, _ct);
        var error = (await act.Should().ThrowAsync<RequestException>()).Which;
        error.Path.Should().Be(JsonPath);
        error.Reason.Should().Be("is not a readable audio, video or image file: Invalid data found when processing input");

        var disguisedAct = () => prober.ProbeAsync(disguised, JsonPath, _ct);
        (await disguisedAct.Should().ThrowAsync<RequestException>()).Which.Reason
            .Should().Be("is not a readable audio, video or image file: [mov,mp4,m4a,3gp,3g2,mj2] moov atom not found");
        // Failures are not cached: a fixed file is probed again.
        Directory.Exists(_cache.Combine("cache")).Should().BeFalse();
    }

    [Fact]
    public async Task Refuses_a_missing_file()
    {
        var act = () => new MediaProber(_cache.Path).ProbeAsync(_cache.Combine("gone.mp4"), JsonPath, _ct);

        (await act.Should().ThrowAsync<RequestException>()).Which.Reason.Should().EndWith("was not found");
    }

    [Theory]
    [InlineData("""{"format":{"format_name":"hls","duration":"10"},"streams":[{"codec_type":"video","width":1,"height":1}]}""", "hls files refer to other files")]
    [InlineData("""{"format":{"format_name":"srt"},"streams":[{"codec_type":"subtitle"}]}""", "no audio or video stream")]
    [InlineData("""{"format":{"format_name":"h264"},"streams":[{"codec_type":"video","codec_name":"h264","width":2,"height":2}]}""", "duration is unknown")]
    public void Interpreter_refuses_what_cannot_be_rendered(string json, string reason)
    {
        var act = () => ProbeInterpreter.Interpret(FFProbe.FromJson(json));
        act.Should().Throw<InvalidDataException>().WithMessage($"*{reason}*");
    }

    [Theory]
    [InlineData("""{"format":{"format_name":"gif","duration":"0.1"},"streams":[{"codec_type":"video","codec_name":"gif","width":64,"height":48,"nb_frames":"1","duration":"0.1"}]}""", true, 0)]
    [InlineData("""{"format":{"format_name":"gif","duration":"1.0"},"streams":[{"codec_type":"video","codec_name":"gif","width":64,"height":48,"nb_frames":"25","duration":"1.0"}]}""", false, 1.0)]
    [InlineData("""{"format":{"format_name":"image2","duration":"0.04"},"streams":[{"codec_type":"video","codec_name":"mjpeg","width":64,"height":48,"duration":"0.04"}]}""", true, 0)]
    [InlineData("""{"format":{"format_name":"avi","duration":"3"},"streams":[{"codec_type":"video","codec_name":"mjpeg","width":64,"height":48,"nb_frames":"75"}]}""", false, 3)]
    [InlineData("""{"format":{"format_name":"mp3","duration":"4.5"},"streams":[{"codec_type":"audio"},{"codec_type":"video","codec_name":"mjpeg","disposition":{"attached_pic":1}}]}""", false, 4.5)]
    public void Interpreter_tells_stills_from_clips(string json, bool still, double duration)
    {
        var facts = ProbeInterpreter.Interpret(FFProbe.FromJson(json));

        facts.IsStill.Should().Be(still);
        facts.DurationSeconds.Should().Be(duration);
    }

    [Theory]
    [InlineData("\"avg_frame_rate\":\"30000/1001\",\"r_frame_rate\":\"30/1\"", 29.97)]
    [InlineData("\"avg_frame_rate\":\"0/0\",\"r_frame_rate\":\"24/1\"", 24)]
    [InlineData("\"avg_frame_rate\":\"0/0\",\"r_frame_rate\":\"0/0\"", 0)]
    public void Interpreter_reads_the_average_frame_rate_else_the_stream_rate(string rates, double fps)
    {
        var facts = ProbeInterpreter.Interpret(FFProbe.FromJson(
            $$"""{"format":{"format_name":"webm","duration":"2"},"streams":[{"codec_type":"video","codec_name":"vp9","width":64,"height":48,{{rates}}}]}"""));

        facts.FrameRate.Should().BeApproximately(fps, 0.01);
    }

    [Theory]
    [InlineData("png", "rgba", true)]
    [InlineData("png", "pal8", true)]
    [InlineData("png", "ya8", true)]
    [InlineData("png", "rgb24", false)]
    [InlineData("mjpeg", "yuvj420p", false)]
    [InlineData("gif", "bgra", true)]
    public void Interpreter_tells_pictures_with_alpha(string codec, string pixelFormat, bool alpha)
    {
        var facts = ProbeInterpreter.Interpret(FFProbe.FromJson(
            $$"""{"format":{"format_name":"image2"},"streams":[{"codec_type":"video","codec_name":"{{codec}}","width":64,"height":48,"pix_fmt":"{{pixelFormat}}"}]}"""));

        facts.HasAlpha.Should().Be(alpha, "a transparent logo must stay see-through");
    }

    [Fact]
    public void Interpreter_ignores_cover_art()
    {
        var facts = ProbeInterpreter.Interpret(FFProbe.FromJson("""{"format":{"format_name":"mp3","duration":"4.5"},"streams":[{"codec_type":"audio"},{"codec_type":"video","codec_name":"mjpeg","width":500,"height":500,"disposition":{"attached_pic":1}}]}"""));

        facts.Should().Be(new Core.Planning.MediaFacts(4.5, 0, 0, HasVideo: false, HasAudio: true, IsStill: false));
    }

    [Theory]
    [InlineData("0:00:02.023197", "2.023197")]
    [InlineData("0:01:02.023197", "62.023197")]
    [InlineData("1:02:03.500000", "3723.5")]
    [InlineData("0:-1:-1.500000", "-61.5")]
    public void Interpreter_reads_sexagesimal_times_to_the_microsecond(string sexagesimal, string seconds) =>
        ProbeInterpreter.Seconds(sexagesimal).Should().Be(double.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void Interpreter_keeps_the_microseconds_of_durations()
    {
        // FFMpegCore's typed durations stop at milliseconds; `farm probe` and planning keep ffprobe's microseconds.
        var analysis = FFProbe.FromJson("""{"format":{"format_name":"wav","duration":"0:01:02.023197"},"streams":[{"codec_type":"audio","duration":"0:01:02.023197"}]}""");

        ProbeInterpreter.Interpret(analysis).DurationSeconds.Should().Be(62.023197);
    }

    [Fact]
    public async Task Probes_a_file_whose_name_would_break_a_quoted_argument()
    {
        // FFMpegCore quotes the path into one argument string; this name would otherwise end the quote and add "-o".
        var hostile = _cache.Combine("clip\" -o \"written.json.png");
        File.Copy(media.Png, hostile);

        var facts = await new MediaProber(_cache.Combine("cache")).ProbeAsync(hostile, JsonPath, _ct);

        facts.Should().Be(new Core.Planning.MediaFacts(0, 320, 240, HasVideo: true, HasAudio: false, IsStill: true));
        File.Exists("written.json.png").Should().BeFalse("ffprobe got no -o");
        Directory.EnumerateFileSystemEntries(_cache.Combine("cache", "links")).Should().BeEmpty("the link is removed after the probe");
    }

    [Fact]
    public async Task Runs_the_configured_ffprobe_and_stops_it_at_the_timeout_or_on_cancel()
    {
        // A configured tool under another name: it answers -version (FFMpegCore checks once), then hangs like a hostile file would.
        // Its pid file appears whole (renamed into place), so a reader never sees it empty.
        var pidFile = _cache.Combine("pid");
        var hanging = _cache.File("hanging-ffprobe", System.Text.Encoding.UTF8.GetBytes(
            $"#!/bin/sh\nif [ \"$1\" = -version ]; then exec ffprobe -version; fi\necho $$ > '{pidFile}.tmp'\nmv '{pidFile}.tmp' '{pidFile}'\nexec sleep 30\n"));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(hanging, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var clock = Stopwatch.StartNew();

        var timedOut = () => new MediaProber(_cache.Combine("cache"), hanging, TimeSpan.FromSeconds(1)).ProbeAsync(media.Png, JsonPath, _ct);
        (await timedOut.Should().ThrowAsync<RequestException>()).Which.Reason
            .Should().Be("is not a readable audio, video or image file: ffprobe did not finish within 1 s");
        if (File.Exists(pidFile)) ShouldHaveExited(int.Parse(File.ReadAllText(pidFile)));

        File.Delete(pidFile);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(_ct);
        var probe = new MediaProber(_cache.Combine("cache"), hanging).ProbeAsync(media.Mp4, JsonPath, cancel.Token);
        while (!File.Exists(pidFile) && !probe.IsCompleted) await Task.Delay(20, _ct); // the tool is running
        await cancel.CancelAsync();
        var cancelled = () => probe;
        await cancelled.Should().ThrowAsync<OperationCanceledException>();
        ShouldHaveExited(int.Parse(File.ReadAllText(pidFile)));
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(20), "neither run waited for the hanging tool");
    }

    private static void ShouldHaveExited(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.WaitForExit(TimeSpan.FromSeconds(5)).Should().BeTrue($"the hanging ffprobe ({pid}) is killed");
        }
        catch (ArgumentException) { } // already gone and reaped
    }
}
