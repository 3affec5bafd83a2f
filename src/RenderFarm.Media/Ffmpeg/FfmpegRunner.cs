namespace RenderFarm.Media.Ffmpeg;

/// <summary>
/// Runs ffmpeg with an argument list, reporting progress, keeping the stderr tail for errors and
/// killing the process tree on cancellation.
/// </summary>
public sealed class FfmpegRunner(string? ffmpegPath = null)
{
    /// <summary>RENDERFARM_FFMPEG, else ffmpeg on PATH.</summary>
    public static string FfmpegPath => ToolLocator.Find("ffmpeg", "RENDERFARM_FFMPEG");

    /// <summary>RENDERFARM_FFPROBE, else ffprobe on PATH.</summary>
    public static string FfprobePath => ToolLocator.Find("ffprobe", "RENDERFARM_FFPROBE");

    /// <summary>
    /// Runs ffmpeg with <paramref name="arguments"/> after "-hide_banner -nostdin -y -progress pipe:1
    /// -nostats" (and "-loglevel error" unless the caller sets -loglevel/-v). stdout carries the
    /// progress stream, so outputs must not go to "-" or pipe:1 (use <see cref="CaptureStdoutAsync"/>).
    /// </summary>
    /// <exception cref="FfmpegException">ffmpeg exited with a non-zero code.</exception>
    /// <exception cref="OperationCanceledException">After ffmpeg has been killed and reaped.</exception>
    public async Task RunAsync(IReadOnlyList<string> arguments, IProgress<FfmpegProgress>? progress = null,
        CancellationToken ct = default)
    {
        var parser = new ProgressParser(progress);
        var result = await ToolProcess.RunAsync(ffmpegPath ?? FfmpegPath,
            [.. Prefix(arguments, "-y", "-progress", "pipe:1", "-nostats"), .. arguments],
            parser.ReadAsync, ct).ConfigureAwait(false);
        if (result.ExitCode != 0) throw new FfmpegException("ffmpeg failed", result.ExitCode, result.StderrTail);
    }

    /// <summary>
    /// Runs ffmpeg and returns everything it wrote to stdout, for commands like
    /// <c>-f rawvideo -pix_fmt rgb24 -</c>. The whole output is held in memory: keep it small.
    /// </summary>
    public async Task<byte[]> CaptureStdoutAsync(IReadOnlyList<string> arguments, CancellationToken ct = default)
    {
        using var buffer = new MemoryStream();
        var result = await ToolProcess.RunAsync(ffmpegPath ?? FfmpegPath, [.. Prefix(arguments), .. arguments],
            stdout => stdout.CopyToAsync(buffer), ct).ConfigureAwait(false);
        if (result.ExitCode != 0) throw new FfmpegException("ffmpeg failed", result.ExitCode, result.StderrTail);
        return buffer.ToArray();
    }

    private static IEnumerable<string> Prefix(IReadOnlyList<string> arguments, params string[] extra)
    {
        // -nostdin: ffmpeg otherwise reads the terminal for keys ('q') and can stop on SIGTTIN.
        yield return "-hide_banner";
        yield return "-nostdin";
        foreach (var e in extra) yield return e;
        if (!arguments.Any(a => a is "-loglevel" or "-v"))
        {
            yield return "-loglevel";
            yield return "error";
        }
    }
}
