using System.ComponentModel;
using System.Diagnostics;

namespace RenderFarm.Media.Ffmpeg;

/// <summary>How a tool run ended: its exit code and the last lines it wrote to stderr.</summary>
internal sealed record ToolResult(int ExitCode, IReadOnlyList<string> StderrTail);

/// <summary>
/// Runs ffmpeg/ffprobe: arguments go through ArgumentList (never a shell), stdout is handed to the
/// caller, stderr is kept as a tail. On cancellation the whole process tree is killed and reaped
/// before <see cref="OperationCanceledException"/> propagates, so no tool outlives its request.
/// </summary>
internal static class ToolProcess
{
    public const int TailLines = 40;
    private const int MaxLineLength = 2000;

    public static async Task<ToolResult> RunAsync(string executable, IEnumerable<string> arguments,
        Func<Stream, Task> readStdout, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var start = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);

        using var process = new Process { StartInfo = start };
        try { process.Start(); }
        catch (Win32Exception e) { throw new FileNotFoundException($"{executable} could not be started: {e.Message}", executable, e); }
        process.StandardInput.Close(); // nothing to read: a tool that asks for input gets EOF instead of hanging

        var tail = new Queue<string>();
        var stdout = Task.Run(async () =>
        {
            // If the reader fails, nobody drains the pipe and the tool would block on it forever.
            try { await readStdout(process.StandardOutput.BaseStream).ConfigureAwait(false); }
            catch { Kill(process); throw; }
        }, CancellationToken.None);
        var stderr = Task.Run(() => KeepTailAsync(process.StandardError, tail), CancellationToken.None);

        try
        {
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            await Task.WhenAll(stdout, stderr).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            throw;
        }
        await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
        return new ToolResult(process.ExitCode, tail.ToArray());
    }

    /// <summary>Kills a process and its children; one that already exited is fine.</summary>
    internal static void Kill(Process process)
    {
        try { process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { } // already exited
        catch (Win32Exception) { }            // exiting while we looked
    }

    /// <summary>Reads a stream to its end keeping the last <see cref="TailLines"/> lines (each cut to a sane length) for error messages.</summary>
    internal static async Task KeepTailAsync(StreamReader reader, Queue<string> tail)
    {
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (tail.Count == TailLines) tail.Dequeue();
            tail.Enqueue(line.Length > MaxLineLength ? line[..MaxLineLength] : line);
        }
    }
}
