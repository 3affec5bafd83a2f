using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace RenderFarm.AI.Recognition;

/// <summary>
/// One <c>pocketsphinx_continuous -infile X.wav -time yes</c> run: arguments through
/// <see cref="ProcessStartInfo.ArgumentList"/> (no shell), killed (whole tree) on timeout or
/// cancellation. Its log goes to a file, read back only to explain a failure.
/// </summary>
internal static class PocketsphinxProcess
{
    public const string InstallHint = "install it with: apt-get install -y pocketsphinx pocketsphinx-en-us";

    public static async Task<string> RunAsync(string executable, PocketsphinxOptions options, string wavPath, string logPath,
        TimeSpan timeout, CancellationToken ct)
    {
        var start = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in (string[])
        [
            "-infile", wavPath, "-time", "yes",
            "-hmm", options.AcousticModel, "-lm", options.LanguageModel, "-dict", options.Dictionary,
            "-logfn", logPath,
        ]) start.ArgumentList.Add(argument);

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new RecognitionException($"{executable} did not start");
        }
        catch (Win32Exception e)
        {
            throw new RecognitionException($"{executable} could not be started ({e.Message}); {InstallHint}", e);
        }
        using (process)
        {
            process.StandardInput.Close();
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(timeout);
            var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
            try
            {
                await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                try { process.Kill(entireProcessTree: true); }
                catch (InvalidOperationException) { } // already exited
                catch (Win32Exception) { }            // exiting while we looked
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                if (ct.IsCancellationRequested) throw;
                throw new RecognitionException($"{executable} took longer than {timeout.TotalSeconds:0} s and was stopped");
            }
            var output = await stdout.ConfigureAwait(false);
            var errors = await stderr.ConfigureAwait(false);
            if (process.ExitCode != 0)
                throw new RecognitionException($"{executable} failed (exit {process.ExitCode}): {Explain(logPath, errors)}");
            return output;
        }
    }

    /// <summary>The last ERROR/FATAL lines of the log (or of stderr when the log was never opened).</summary>
    private static string Explain(string logPath, string stderr)
    {
        var text = File.Exists(logPath) ? File.ReadAllText(logPath) + "\n" + stderr : stderr;
        var lines = text.Split('\n').Select(l => l.Trim())
            .Where(l => l.StartsWith("ERROR", StringComparison.Ordinal) || l.StartsWith("FATAL", StringComparison.Ordinal))
            .TakeLast(2).ToList();
        return lines.Count > 0 ? string.Join(" / ", lines) : "no error output";
    }
}
