namespace RenderFarm.Media.AudioAnalysis;

/// <summary>
/// The bar grid over tracked beats: for 3 and 4 beats a bar and each phase, how much the harmony changes
/// (chroma before and after the beat) and how strong the bass onsets are on the beats of that phase.
/// Chords change and bass drums land mostly on downbeats, so the best phase stands out when the metre is
/// clear; when no phase stands out by <see cref="MinClarity"/>, there are no downbeats.
/// </summary>
public static class DownbeatFinder
{
    public sealed record Bars(int BeatsPerBar, int FirstDownbeat, double Clarity);

    /// <summary>How far the best phase's score must stand above the mean of the others (as a share of the best).</summary>
    public const double MinClarity = 0.3;

    /// <summary>Weight of the bass onsets against harmonic change.</summary>
    private const double BassWeight = 0.5;

    public static Bars? Find(double[] beats, OnsetStrength onset, Chroma chroma)
    {
        var n = beats.Length;
        var change = new double[n];
        var bass = new double[n];
        for (var i = 0; i < n; i++)
        {
            var at = (int)Math.Round(beats[i] * chroma.FrameRate);
            var before = i > 0 ? (int)Math.Round(beats[i - 1] * chroma.FrameRate) : at - 1;
            var after = i + 1 < n ? (int)Math.Round(beats[i + 1] * chroma.FrameRate) : at + 1;
            change[i] = 1 - Chroma.Similarity(chroma.Mean(before, at), chroma.Mean(at, after));
            var frame = (int)Math.Round(beats[i] * onset.FrameRate);
            for (var f = Math.Max(0, frame - 2); f <= Math.Min(onset.Low.Length - 1, frame + 2); f++) bass[i] = Math.Max(bass[i], onset.Low[f]);
        }
        Bars? best = null;
        foreach (var beatsPerBar in new[] { 4, 3 })
        {
            if (n < 3 * beatsPerBar) continue;
            var h = PhaseMeans(change, beatsPerBar);
            var b = PhaseMeans(bass, beatsPerBar);
            var score = Enumerable.Range(0, beatsPerBar).Select(p => Relative(h, p) + BassWeight * Relative(b, p)).ToArray();
            var phase = Array.IndexOf(score, score.Max());
            var others = score.Where((_, p) => p != phase).Average();
            var clarity = score[phase] > 0 ? (score[phase] - others) / score[phase] : 0;
            if (clarity >= MinClarity && (best is null || clarity > best.Clarity)) best = new Bars(beatsPerBar, phase, clarity);
        }
        return best;
    }

    private static double[] PhaseMeans(double[] values, int period) =>
        [.. Enumerable.Range(0, period).Select(p => values.Where((_, i) => i % period == p && i > 0).DefaultIfEmpty(0).Average())];

    /// <summary>A phase's value over the mean of all phases (1 = average), 0 when all are 0.</summary>
    private static double Relative(double[] values, int phase)
    {
        var mean = values.Average();
        return mean > 1e-12 ? values[phase] / mean : 0;
    }
}
