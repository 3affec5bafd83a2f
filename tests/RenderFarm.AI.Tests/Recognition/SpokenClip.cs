using RenderFarm.TestSupport;

namespace RenderFarm.AI.Tests.Recognition;

/// <summary>
/// A WAV built from espeak-ng sentences and exact silences, knowing where each sentence's sound starts
/// and ends (its first and last sample above 0.002 of full scale): the edges recognised sentences are
/// compared with. The voice is espeak-ng's Klatt variant, which pocketsphinx hears best of the espeak
/// voices measured (see src/RenderFarm.AI/README.md).
/// </summary>
internal sealed class SpokenClip
{
    public const string Voice = "en-us+klatt2";
    private const int Rate = 22050;
    private const double EdgeThreshold = 0.002 * 32768;

    private readonly string _directory;
    private readonly List<short> _samples = [];

    public SpokenClip(string directory) => _directory = directory;

    public List<(string Text, double Start, double End)> Sentences { get; } = [];

    public double Duration => (double)_samples.Count / Rate;

    public SpokenClip Silence(double seconds)
    {
        _samples.AddRange(new short[(int)Math.Round(seconds * Rate)]);
        return this;
    }

    public SpokenClip Say(string text)
    {
        var path = Path.Combine(_directory, $"say{Sentences.Count}.wav");
        var (exit, _, stderr) = Tool.Run("espeak-ng", "-v", Voice, "-s", "160", "-w", path, text);
        if (exit != 0) throw new InvalidOperationException($"espeak-ng failed: {stderr}; install it with: apt-get install -y espeak-ng");
        var wav = WavFile.Read(path);
        wav.SampleRate.Should().Be(Rate);
        var first = Array.FindIndex(wav.Samples, s => Math.Abs((int)s) > EdgeThreshold);
        var last = Array.FindLastIndex(wav.Samples, s => Math.Abs((int)s) > EdgeThreshold);
        var start = Duration;
        _samples.AddRange(wav.Samples[first..(last + 1)]);
        Sentences.Add((text, start, Duration));
        return this;
    }

    public WavFile ToWav() => new(Rate, [.. _samples]);

    public string Write(string name)
    {
        var path = Path.Combine(_directory, name);
        ToWav().Write(path);
        return path;
    }

    /// <summary>Fraction of the reference words found, in order, in the hypothesis (longest common subsequence).</summary>
    public static double WordsRight(string reference, string hypothesis)
    {
        var r = Words(reference);
        var h = Words(hypothesis);
        var lcs = new int[r.Length + 1, h.Length + 1];
        for (var i = 1; i <= r.Length; i++)
            for (var j = 1; j <= h.Length; j++)
                lcs[i, j] = r[i - 1] == h[j - 1] ? lcs[i - 1, j - 1] + 1 : Math.Max(lcs[i - 1, j], lcs[i, j - 1]);
        return (double)lcs[r.Length, h.Length] / r.Length;
    }

    private static string[] Words(string text) =>
        new string([.. text.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) || c == '\'' ? c : ' ')])
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
