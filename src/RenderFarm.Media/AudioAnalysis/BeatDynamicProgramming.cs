namespace RenderFarm.Media.AudioAnalysis;

/// <summary>
/// Ellis (2007) dynamic-programming beat tracking with a period that may vary along the piece: the best
/// beat sequence maximises the onset strength at its beats less a penalty, <c>tightness * ln(gap / period)^2</c>,
/// for every gap that strays from the local period. Pure: frames in, beat frames out.
/// </summary>
public static class BeatDynamicProgramming
{
    /// <summary>Beat frames in rising order. <paramref name="period"/> holds the expected beat period (in frames) at each frame.</summary>
    public static int[] Track(float[] onset, double[] period, double tightness)
    {
        var n = onset.Length;
        if (n == 0) return [];
        var local = Smooth(onset, period.Average() / 32);
        var score = new double[n];
        var back = new int[n];
        for (var t = 0; t < n; t++)
        {
            var p = period[t];
            var from = Math.Max(0, t - (int)Math.Round(2 * p));
            var to = t - (int)Math.Round(p / 2);
            var best = 0.0;
            var arg = -1; // no predecessor worth more than starting afresh: this is a first beat
            for (var tau = from; tau <= to; tau++)
            {
                var gap = Math.Log((t - tau) / p);
                var v = score[tau] - tightness * gap * gap;
                if (v > best) { best = v; arg = tau; }
            }
            score[t] = local[t] + best;
            back[t] = arg;
        }

        // The last beat: the best-scoring frame within the final period.
        var lastFrom = Math.Max(0, n - (int)Math.Round(period[^1]));
        var last = lastFrom;
        for (var t = lastFrom; t < n; t++) if (score[t] > score[last]) last = t;
        var beats = new List<int>();
        for (var t = last; t >= 0; t = back[t]) beats.Add(t);
        beats.Reverse();
        return Trim(beats, local);
    }

    /// <summary>Drops leading and trailing beats on next to no onset (silence or a fade before and after the music).</summary>
    internal static int[] Trim(List<int> beats, float[] local)
    {
        if (beats.Count == 0) return [];
        var strength = beats.Select(b => (double)local[b]).ToArray();
        var threshold = 0.5 * Math.Sqrt(strength.Select(s => s * s).Average());
        var first = 0;
        while (first < beats.Count && strength[first] < threshold) first++;
        var end = beats.Count;
        while (end > first && strength[end - 1] < threshold) end--;
        return beats.GetRange(first, end - first).ToArray();
    }

    /// <summary>Gaussian smoothing with standard deviation <paramref name="sigma"/> frames, so a beat a frame off an onset still scores it.</summary>
    internal static float[] Smooth(float[] values, double sigma)
    {
        if (sigma < 0.5) return values;
        var radius = (int)Math.Ceiling(3 * sigma);
        var kernel = Enumerable.Range(-radius, 2 * radius + 1).Select(i => Math.Exp(-0.5 * i * i / (sigma * sigma))).ToArray();
        var result = new float[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            double sum = 0;
            for (var k = -radius; k <= radius; k++)
            {
                var j = i + k;
                if (j >= 0 && j < values.Length) sum += values[j] * kernel[k + radius];
            }
            result[i] = (float)sum;
        }
        return result;
    }
}
