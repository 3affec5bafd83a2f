using System.Globalization;
using RenderFarm.Core.Library;

namespace RenderFarm.Media.Analysis;

/// <summary>
/// signalstats averages of one sampled frame (or of several), measured on full-range BT.601 YUV
/// (0-255): luma, the two chroma planes and saturation.
/// </summary>
public readonly record struct StatsSample(double Time, double Y, double U, double V, double Saturation)
{
    /// <summary>
    /// As <see cref="VisualStats"/>. RGB is linear in full-range BT.601 YUV, so the colour of the mean
    /// YUV is the mean colour (up to clipping).
    /// </summary>
    public VisualStats ToVisualStats()
    {
        var r = Y + 1.402 * (V - 128);
        var g = Y - 0.344136 * (U - 128) - 0.714136 * (V - 128);
        var b = Y + 1.772 * (U - 128);
        return new VisualStats(Math.Round(Y, 2), Math.Round(Saturation, 2),
            string.Create(CultureInfo.InvariantCulture, $"#{Byte(r):X2}{Byte(g):X2}{Byte(b):X2}"));
    }

    private static int Byte(double value) => (int)Math.Clamp(Math.Round(value), 0, 255);
}

/// <summary>Averages stats samples over shots and over the whole medium.</summary>
public static class VisualStatsCalculator
{
    /// <summary>What a medium without pictures reports.</summary>
    public static readonly VisualStats None = new(0, 0, "#000000");

    /// <summary>
    /// The mean of the samples in [start, end) (end included when <paramref name="last"/>); when none
    /// lies there (a shot shorter than the sampling interval), the sample nearest the middle; null
    /// when there are no samples at all.
    /// </summary>
    public static StatsSample? Mean(IReadOnlyList<StatsSample> samples, double start, double end, bool last)
    {
        if (samples.Count == 0) return null;
        var inside = samples.Where(s => s.Time >= start && (s.Time < end || (last && s.Time <= end))).ToList();
        if (inside.Count == 0)
        {
            var middle = (start + end) / 2;
            inside = [samples.MinBy(s => Math.Abs(s.Time - middle))];
        }
        return new StatsSample(start, inside.Average(s => s.Y), inside.Average(s => s.U), inside.Average(s => s.V), inside.Average(s => s.Saturation));
    }

    /// <summary>The duration-weighted mean of the shots' means (a plain mean when no shot has a duration, as for an image).</summary>
    public static VisualStats Whole(IReadOnlyList<(double Seconds, StatsSample? Mean)> shots)
    {
        var measured = shots.Where(s => s.Mean is not null).Select(s => (s.Seconds, Mean: s.Mean!.Value)).ToList();
        if (measured.Count == 0) return None;
        var total = measured.Sum(s => s.Seconds);
        var weights = measured.Select(s => total > 0 ? s.Seconds / total : 1.0 / measured.Count).ToList();
        double Sum(Func<StatsSample, double> value) => measured.Select((s, i) => weights[i] * value(s.Mean)).Sum();
        return new StatsSample(0, Sum(s => s.Y), Sum(s => s.U), Sum(s => s.V), Sum(s => s.Saturation)).ToVisualStats();
    }
}
