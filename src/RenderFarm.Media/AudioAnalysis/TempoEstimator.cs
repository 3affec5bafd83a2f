namespace RenderFarm.Media.AudioAnalysis;

/// <summary>
/// The beat period along a piece: the onset envelope's autocorrelation in overlapping windows, weighted by
/// a log-normal tempo prior (listeners prefer tempos near 120 BPM, which settles the metrical level), then
/// the most likely path through the windows' candidate periods (Viterbi, a jump costs in proportion to its
/// size in octaves) so the estimate follows a real tempo change but not one noisy window.
/// </summary>
public static class TempoEstimator
{
    /// <summary>The estimated periods: one per window (centred at <see cref="WindowCentres"/>, in envelope frames) with each window's periodicity (0-1).</summary>
    public sealed record TempoPath(double[] WindowCentres, double[] Periods, double[] Strengths, double FrameRate)
    {
        /// <summary>The period (frames) at envelope frame <paramref name="frame"/>, interpolated linearly between window centres.</summary>
        public double PeriodAt(double frame)
        {
            if (frame <= WindowCentres[0]) return Periods[0];
            for (var i = 1; i < WindowCentres.Length; i++)
                if (frame <= WindowCentres[i])
                {
                    var a = (frame - WindowCentres[i - 1]) / (WindowCentres[i] - WindowCentres[i - 1]);
                    return Periods[i - 1] + a * (Periods[i] - Periods[i - 1]);
                }
            return Periods[^1];
        }

        public double[] PeriodPerFrame(int frames) => Enumerable.Range(0, frames).Select(f => PeriodAt(f)).ToArray();
        public double BpmAt(double frame) => 60 * FrameRate / PeriodAt(frame);
    }

    public static TempoPath Estimate(float[] envelope, double frameRate, BeatTrackerOptions options)
    {
        // Square roots even out loud and soft onsets: otherwise a kick-snare pattern (kick louder in the flux)
        // correlates best at two beats, every kick with the next, and the tempo comes out halved.
        envelope = [.. envelope.Select(v => (float)Math.Sqrt(v))];
        var minLag = Math.Max(2, (int)Math.Floor(60 * frameRate / options.MaxBpm));
        var maxLag = Math.Max(minLag + 1, (int)Math.Ceiling(60 * frameRate / options.MinBpm));
        var window = Math.Max(2 * maxLag + 1, (int)Math.Round(options.TempoWindowSeconds * frameRate));
        var step = Math.Max(1, (int)Math.Round(options.TempoStepSeconds * frameRate));

        // A piece shorter than one window is one window over all of it.
        var centres = new List<double>();
        if (envelope.Length <= window) centres.Add(envelope.Length / 2.0);
        else for (var c = window / 2; c <= envelope.Length - window / 2 + step - 1; c += step) centres.Add(Math.Min(c, envelope.Length - window / 2));

        var lags = maxLag - minLag + 1;
        var observations = new double[centres.Count][];
        var correlations = new double[centres.Count][];
        for (var w = 0; w < centres.Count; w++)
        {
            var from = Math.Max(0, (int)Math.Round(centres[w] - window / 2.0));
            var to = Math.Min(envelope.Length, from + window);
            var ac = Autocorrelation(envelope.AsSpan(from, to - from), maxLag * 2);
            correlations[w] = ac;
            var score = new double[lags];
            for (var i = 0; i < lags; i++)
            {
                var lag = minLag + i;
                score[i] = Math.Max(0, ac[lag]) * Prior(60 * frameRate / lag, options);
            }
            var max = score.Max();
            observations[w] = max > 0 ? score.Select(s => s / max).ToArray() : score;
        }

        var path = Viterbi(observations, minLag, options.TempoChangePenalty);
        var periods = new double[centres.Count];
        var strengths = new double[centres.Count];
        for (var w = 0; w < centres.Count; w++)
        {
            var i = path[w];
            var ac = correlations[w];
            periods[w] = minLag + i + ParabolicOffset(observations[w], i);
            strengths[w] = ac[0] > 0 ? Math.Clamp(ac[minLag + i] / ac[0], 0, 1) : 0;
        }
        return new TempoPath([.. centres], periods, strengths, frameRate);
    }

    /// <summary>Log-normal weight of a tempo around the preferred one, with a spread of <see cref="BeatTrackerOptions.TempoPriorOctaves"/>.</summary>
    internal static double Prior(double bpm, BeatTrackerOptions options)
    {
        var octaves = Math.Log2(bpm / options.PreferredBpm) / options.TempoPriorOctaves;
        return Math.Exp(-0.5 * octaves * octaves);
    }

    /// <summary>Autocorrelation of the mean-removed, Hann-tapered values for lags 0..<paramref name="maxLag"/>, each divided by its number of products.</summary>
    internal static double[] Autocorrelation(ReadOnlySpan<float> values, int maxLag)
    {
        var n = values.Length;
        var mean = 0.0;
        foreach (var v in values) mean += v;
        mean /= Math.Max(1, n);
        var x = new double[n];
        for (var i = 0; i < n; i++) x[i] = (values[i] - mean) * (0.5 - 0.5 * Math.Cos(2 * Math.PI * (i + 0.5) / n));
        var ac = new double[maxLag + 1];
        for (var lag = 0; lag <= maxLag && lag < n; lag++)
        {
            double sum = 0;
            for (var i = 0; i + lag < n; i++) sum += x[i] * x[i + lag];
            ac[lag] = sum / (n - lag);
        }
        return ac;
    }

    /// <summary>The path of state indices maximising the summed observations less <paramref name="penalty"/> per octave of each change.</summary>
    internal static int[] Viterbi(double[][] observations, int minLag, double penalty)
    {
        var windows = observations.Length;
        var states = observations[0].Length;
        var jump = new double[states, states];
        for (var a = 0; a < states; a++)
            for (var b = 0; b < states; b++)
                jump[a, b] = penalty * Math.Abs(Math.Log2((double)(minLag + a) / (minLag + b)));
        var value = (double[])observations[0].Clone();
        var back = new int[windows, states];
        for (var w = 1; w < windows; w++)
        {
            var next = new double[states];
            for (var s = 0; s < states; s++)
            {
                var best = double.NegativeInfinity;
                var arg = 0;
                for (var p = 0; p < states; p++)
                {
                    var v = value[p] - jump[p, s];
                    if (v > best) { best = v; arg = p; }
                }
                next[s] = best + observations[w][s];
                back[w, s] = arg;
            }
            value = next;
        }
        var path = new int[windows];
        path[^1] = Array.IndexOf(value, value.Max());
        for (var w = windows - 1; w > 0; w--) path[w - 1] = back[w, path[w]];
        return path;
    }

    /// <summary>Where the peak of a parabola through values i-1, i, i+1 lies relative to i (within +-0.5).</summary>
    internal static double ParabolicOffset(double[] values, int i)
    {
        if (i <= 0 || i >= values.Length - 1) return 0;
        var (a, b, c) = (values[i - 1], values[i], values[i + 1]);
        var d = a - 2 * b + c;
        return d < 0 ? Math.Clamp(0.5 * (a - c) / d, -0.5, 0.5) : 0;
    }
}
