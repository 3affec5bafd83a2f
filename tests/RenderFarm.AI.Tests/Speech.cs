using System.Diagnostics;

namespace RenderFarm.AI.Tests;

/// <summary>A synthesizer over the real espeak-ng with its own throw-away cache directory.</summary>
public sealed class Speech : IDisposable
{
    public Speech(SynthesisOptions? options = null)
    {
        RequireEspeak();
        Directory = Path.Combine(Path.GetTempPath(), "renderfarm-ai-tests", Guid.NewGuid().ToString("N"));
        Engine = new EspeakTtsEngine();
        Synthesizer = new SpeechSynthesizer(Engine, Directory, options);
    }

    public string Directory { get; }
    public EspeakTtsEngine Engine { get; }
    public SpeechSynthesizer Synthesizer { get; }

    public Task<SpeechResult> Say(string content, string voice = "andy", int rate = 0, int pitch = 0) =>
        Synthesizer.SynthesizeAsync(new TtsRequest(content, voice, rate, pitch), TestContext.Current.CancellationToken);

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }

    private static bool? _installed;

    /// <summary>Fails (not skips) with the install command when espeak-ng is missing: these tests are the point of the library.</summary>
    private static void RequireEspeak()
    {
        _installed ??= Probe();
        if (_installed != true)
            throw new InvalidOperationException("espeak-ng is not installed; the AI tests need it: apt-get install -y espeak-ng (see src/RenderFarm.AI/README.md)");

        static bool Probe()
        {
            try
            {
                using var p = Process.Start(new ProcessStartInfo("espeak-ng") { ArgumentList = { "--version" }, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
                if (p is null) return false;
                p.StandardOutput.ReadToEnd();
                p.WaitForExit();
                return p.ExitCode == 0;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return false;
            }
        }
    }
}

internal static class Audio
{
    /// <summary>Lengths (seconds) of the runs of 10 ms windows whose RMS is below <paramref name="threshold"/> (fraction of full scale).</summary>
    public static List<(double Start, double Length)> SilentRuns(WavFile wav, double threshold = 0.01)
    {
        var window = wav.SampleRate / 100;
        var runs = new List<(double, double)>();
        int? runStart = null;
        for (var w = 0; w * window < wav.Samples.Length; w++)
        {
            var silent = wav.Rms(w * window, window) < threshold;
            if (silent) runStart ??= w;
            if ((!silent || (w + 1) * window >= wav.Samples.Length) && runStart is { } s)
            {
                var end = silent ? w + 1 : w;
                runs.Add((s * 0.01, (end - s) * 0.01));
                runStart = null;
            }
        }
        return runs;
    }

    public static double LongestSilence(WavFile wav) => SilentRuns(wav).Select(r => r.Length).DefaultIfEmpty(0).Max();
}
