using System.ComponentModel;
using System.Diagnostics;

namespace RenderFarm.Media.Ffmpeg;

/// <summary>
/// Streams raw video frames through ffmpeg: decoding to frames read from its stdout, or encoding
/// frames written to its stdin, with bounded memory whatever the video's length. Arguments go
/// through ArgumentList (never a shell); stderr is kept as a tail for <see cref="FfmpegException"/>;
/// cancellation kills ffmpeg and reaps it before <see cref="OperationCanceledException"/> propagates.
/// </summary>
public sealed class FfmpegFramePipe(string? ffmpegPath = null)
{
    /// <summary>
    /// Runs ffmpeg with <paramref name="arguments"/> (which must write rawvideo to <c>pipe:1</c>) and
    /// hands each frame of <paramref name="frameBytes"/> bytes to <paramref name="onFrame"/> in order,
    /// with its index. ffmpeg waits while a frame is being handled. Returns the number of frames.
    /// </summary>
    /// <exception cref="FfmpegException">ffmpeg failed, or its output ended inside a frame.</exception>
    public async Task<long> DecodeAsync(IReadOnlyList<string> arguments, int frameBytes,
        Func<byte[], long, CancellationToken, Task> onFrame, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameBytes);
        long frames = 0;
        var partial = 0;
        var result = await ToolProcess.RunAsync(Executable, [.. Prefix(arguments), .. arguments], async stdout =>
        {
            while (true)
            {
                var frame = new byte[frameBytes];
                var read = await stdout.ReadAtLeastAsync(frame, frameBytes, throwOnEndOfStream: false, ct).ConfigureAwait(false);
                if (read < frameBytes)
                {
                    partial = read;
                    return;
                }
                await onFrame(frame, frames++, ct).ConfigureAwait(false);
            }
        }, ct).ConfigureAwait(false);
        if (result.ExitCode != 0) throw new FfmpegException("ffmpeg failed decoding frames", result.ExitCode, result.StderrTail);
        if (partial != 0) throw new FfmpegException($"ffmpeg's output ended inside frame {frames} ({partial} of {frameBytes} bytes)", 0, result.StderrTail);
        return frames;
    }

    /// <summary>
    /// Runs ffmpeg with <paramref name="arguments"/> (which must read its input from <c>pipe:0</c>)
    /// while <paramref name="writeFrames"/> writes to its stdin; stdin is closed when that returns and
    /// ffmpeg is awaited. If <paramref name="writeFrames"/> throws, ffmpeg is killed and the exception
    /// propagates; if ffmpeg stops reading, its error is reported.
    /// </summary>
    /// <exception cref="FfmpegException">ffmpeg exited with a non-zero code.</exception>
    public async Task EncodeAsync(IReadOnlyList<string> arguments, Func<Stream, CancellationToken, Task> writeFrames,
        CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        var start = new ProcessStartInfo(Executable)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        foreach (var argument in Prefix(arguments).Concat(arguments)) start.ArgumentList.Add(argument);

        using var process = new Process { StartInfo = start };
        try { process.Start(); }
        catch (Win32Exception e) { throw new FileNotFoundException($"{start.FileName} could not be started: {e.Message}", start.FileName, e); }

        var tail = new Queue<string>();
        var stdout = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
        var stderr = Task.Run(() => ToolProcess.KeepTailAsync(process.StandardError, tail), CancellationToken.None);
        try
        {
            try
            {
                await writeFrames(process.StandardInput.BaseStream, ct).ConfigureAwait(false);
                process.StandardInput.Close();
            }
            catch (IOException) when (!ct.IsCancellationRequested)
            {
                // ffmpeg closed its stdin: it failed, and its exit code and stderr say why.
                await process.WaitForExitAsync(ct).ConfigureAwait(false);
                await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
                throw new FfmpegException("ffmpeg stopped reading frames", process.ExitCode == 0 ? -1 : process.ExitCode, [.. tail]);
            }
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not FfmpegException)
        {
            ToolProcess.Kill(process);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            await Task.WhenAll(stdout, stderr).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            if (e is IOException && ct.IsCancellationRequested) throw new OperationCanceledException(ct);
            throw;
        }
        await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
        if (process.ExitCode != 0) throw new FfmpegException("ffmpeg failed encoding frames", process.ExitCode, [.. tail]);
    }

    private string Executable => ffmpegPath ?? FfmpegRunner.FfmpegPath;

    private static IEnumerable<string> Prefix(IReadOnlyList<string> arguments)
    {
        // -nostdin stops ffmpeg reading keys from stdin; an input named pipe:0 is still read.
        yield return "-hide_banner";
        yield return "-nostdin";
        yield return "-y";
        if (!arguments.Any(a => a is "-loglevel" or "-v"))
        {
            yield return "-loglevel";
            yield return "error";
        }
    }
}
