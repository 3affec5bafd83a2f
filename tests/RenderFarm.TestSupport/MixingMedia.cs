using System.Globalization;
using System.Text.RegularExpressions;

namespace RenderFarm.TestSupport;

/// <summary>
/// Media for the mixing tests, with a known truth: espeak sentences with silences of known length between
/// them (so where speech is, is known) and a "music" bed of low tones (55 and 82.5 Hz, below any espeak
/// voice's pitch, so its level in a mix can be read with a narrow filter whatever the voice does).
/// </summary>
public static partial class MixingMedia
{
    public const double MusicHz = 55;

    /// <summary>The sentences spoken with <paramref name="gapSeconds"/> of silence between files; the spans (seconds) where each sentence sounds.</summary>
    public static (string Path, IReadOnlyList<(double Start, double End)> Speech) Voice(string directory, IReadOnlyList<string> sentences, double gapSeconds)
    {
        var parts = new List<string>();
        var spans = new List<(double, double)>();
        var t = 0.0;
        for (var i = 0; i < sentences.Count; i++)
        {
            var part = Path.Combine(directory, $"sentence{i}.wav");
            var (exit, _, stderr) = Tool.Run("espeak-ng", "-v", "en-us", "-s", "160", "-w", part, sentences[i]);
            if (exit != 0) throw new InvalidOperationException($"espeak-ng failed: {stderr}");
            // The truth is where espeak's samples are not silence (it pads each file with some).
            var bytes = Tool.Ffmpeg("-i", part, "-ac", "1", "-ar", "22050", "-f", "f32le", "-");
            var samples = new float[bytes.Length / 4];
            Buffer.BlockCopy(bytes, 0, samples, 0, samples.Length * 4);
            var first = Array.FindIndex(samples, x => Math.Abs(x) > 1e-3);
            var last = Array.FindLastIndex(samples, x => Math.Abs(x) > 1e-3);
            var seconds = samples.Length / 22050.0;
            spans.Add((t + first / 22050.0, t + last / 22050.0));
            t += seconds + gapSeconds;
            parts.Add(part);
        }
        var args = new List<string>();
        foreach (var part in parts) args.AddRange(["-i", part]);
        args.AddRange(["-f", "lavfi", "-i", $"anullsrc=r=22050:cl=mono:d={Num(gapSeconds)}"]);
        var silence = parts.Count;
        var chain = string.Join("", parts.Select((_, i) => i + 1 < parts.Count ? $"[{i}:a][s{i}]" : $"[{i}:a]"));
        var splits = parts.Count > 1 ? $"[{silence}:a]asplit={parts.Count - 1}" + string.Concat(Enumerable.Range(0, parts.Count - 1).Select(i => $"[s{i}]")) + ";" : "";
        var path = Path.Combine(directory, "voice.wav");
        args.AddRange(["-filter_complex", $"{splits}{chain}concat=n={2 * parts.Count - 1}:v=0:a=1[out]", "-map", "[out]", path]);
        Tool.Ffmpeg([.. args]);
        return (path, spans);
    }

    /// <summary>A stereo bed of 55 + 82.5 Hz tones, <paramref name="seconds"/> long, as loud as a music track.</summary>
    public static string Music(string directory, double seconds, string name = "music.wav")
    {
        var path = Path.Combine(directory, name);
        Tool.Ffmpeg("-f", "lavfi", "-i", $"aevalsrc=0.35*sin(2*PI*55*t)+0.25*sin(2*PI*82.5*t):s=48000:d={Num(seconds)}", "-ac", "2", path);
        return path;
    }

    /// <summary>Integrated loudness (LUFS) and true peak (dBTP) as ffmpeg's ebur128 filter measures them: a check independent of ours.</summary>
    public static (double Integrated, double TruePeak) Ebur128(string path)
    {
        var (_, _, stderr) = Tool.Run("ffmpeg", "-hide_banner", "-nostats", "-i", path, "-filter_complex", "ebur128=peak=true", "-f", "null", "-");
        var summary = stderr[stderr.LastIndexOf("Summary:", StringComparison.Ordinal)..];
        return (double.Parse(IntegratedLine().Match(summary).Groups[1].Value, CultureInfo.InvariantCulture),
            double.Parse(PeakLine().Match(summary).Groups[1].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>The level (dB) of <paramref name="hz"/> in [start, end) of a file's first channel, by a Goertzel filter on 48 kHz samples.</summary>
    public static double ToneLevel(string path, double hz, double start, double end)
    {
        var bytes = Tool.Ffmpeg("-ss", Num(start), "-t", Num(end - start), "-i", path, "-ac", "1", "-ar", "48000", "-f", "f32le", "-");
        var samples = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, samples, 0, samples.Length * 4);
        var w = 2 * Math.PI * hz / 48000;
        double s1 = 0, s2 = 0;
        foreach (var x in samples)
        {
            var s = x + 2 * Math.Cos(w) * s1 - s2;
            s2 = s1;
            s1 = s;
        }
        var power = s1 * s1 + s2 * s2 - 2 * Math.Cos(w) * s1 * s2;
        return 10 * Math.Log10(power / ((double)samples.Length * samples.Length) + 1e-20);
    }

    private static string Num(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"I:\s+(-?[\d.]+) LUFS")]
    private static partial Regex IntegratedLine();

    [GeneratedRegex(@"Peak:\s+(-?[\d.]+) dBFS")]
    private static partial Regex PeakLine();
}
