using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace RenderFarm.AI;

/// <summary>
/// Runs the <c>espeak-ng</c> command line, one process per utterance:
/// <c>espeak-ng -m -b 1 --stdin -v VOICE -s WPM -p PITCH -a AMPLITUDE -w OUT.wav</c> with the SSML on
/// standard input. Arguments go through <see cref="ProcessStartInfo.ArgumentList"/> (no shell); the text
/// never appears on the command line. Output: 22050 Hz 16-bit mono WAV (espeak-ng's native format).
/// </summary>
public sealed class EspeakTtsEngine : ITtsEngine
{
    private readonly string _executable;
    private readonly TimeSpan _timeout;
    private readonly Lock _versionLock = new();
    private Task<string>? _version;
    private int _processStarts;

    /// <param name="executable">Program to run; a bare name is looked up on PATH.</param>
    /// <param name="timeout">Longest one utterance may take (default 60 s); the process is killed after it.</param>
    public EspeakTtsEngine(string executable = "espeak-ng", TimeSpan? timeout = null)
    {
        _executable = executable;
        _timeout = timeout ?? TimeSpan.FromSeconds(60);
    }

    /// <summary>How many espeak-ng processes this engine has started (version probe included).</summary>
    public int ProcessStarts => Volatile.Read(ref _processStarts);

    /// <summary>"espeak-ng VERSION", read once per engine instance with <c>espeak-ng --version</c> (a failed read is retried next time).</summary>
    public Task<string> GetVersionAsync(CancellationToken cancellationToken = default)
    {
        lock (_versionLock)
        {
            if (_version is null || _version.IsFaulted || _version.IsCanceled) _version = ReadVersionAsync();
            return _version.WaitAsync(cancellationToken);
        }
    }

    private async Task<string> ReadVersionAsync()
    {
        var (_, stdout) = await RunAsync(["--version"], stdin: null, CancellationToken.None).ConfigureAwait(false);
        // "eSpeak NG text-to-speech: 1.51  Data at: /usr/lib/..." -> "espeak-ng 1.51" (the data path is machine-specific).
        var line = stdout.Split('\n')[0];
        var marker = line.IndexOf("text-to-speech:", StringComparison.Ordinal);
        var version = marker < 0 ? line.Trim() : line[(marker + "text-to-speech:".Length)..].Trim().Split(' ')[0];
        return $"espeak-ng {version}";
    }

    public async Task SynthesizeAsync(EngineUtterance utterance, string wavPath, CancellationToken cancellationToken = default)
    {
        if (utterance.Voice.Length == 0 || !utterance.Voice.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '+' or '_'))
            throw new ArgumentException($"'{utterance.Voice}' is not an espeak-ng voice id", nameof(utterance));
        File.Delete(wavPath);
        string[] args =
        [
            "-m", "-b", "1", "--stdin",
            "-v", utterance.Voice,
            "-s", Math.Clamp(utterance.WordsPerMinute, 80, 450).ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-p", Math.Clamp(utterance.Pitch, 0, 99).ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-a", Math.Clamp(utterance.Amplitude, 0, 200).ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-w", wavPath,
        ];
        await RunAsync(args, utterance.Ssml, cancellationToken).ConfigureAwait(false);
        if (!File.Exists(wavPath) || new FileInfo(wavPath).Length <= 44)
            throw new TtsEngineException($"espeak-ng wrote no audio for voice '{utterance.Voice}'");
    }

    private async Task<(int Exit, string Stdout)> RunAsync(string[] args, string? stdin, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(_executable)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new TtsEngineException($"{_executable} did not start");
        }
        catch (Win32Exception e)
        {
            throw new TtsEngineException($"{_executable} could not be started ({e.Message}); install it with: apt-get install -y espeak-ng", e);
        }
        Interlocked.Increment(ref _processStarts);
        using (process)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_timeout);
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                if (stdin is not null) await process.StandardInput.WriteAsync(stdin.AsMemory(), timeout.Token).ConfigureAwait(false);
                process.StandardInput.Close();
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
                await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                if (cancellationToken.IsCancellationRequested) throw;
                throw new TtsEngineException($"{_executable} took longer than {_timeout.TotalSeconds:0} s and was stopped");
            }
            var error = (await stderr.ConfigureAwait(false)).Trim();
            // espeak-ng exits 0 for some errors (e.g. an unknown voice) and only prints them.
            if (process.ExitCode != 0 || error.StartsWith("Error", StringComparison.OrdinalIgnoreCase))
                throw new TtsEngineException($"{_executable} failed (exit {process.ExitCode}): {error}");
            return (process.ExitCode, await stdout.ConfigureAwait(false));
        }
    }
}
