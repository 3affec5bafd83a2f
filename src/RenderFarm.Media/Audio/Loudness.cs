namespace RenderFarm.Media.Audio;

/// <summary>Sampled audio: one array per channel, equal lengths.</summary>
public sealed record Pcm(float[][] Channels, int SampleRate)
{
    public int Length => Channels.Length == 0 ? 0 : Channels[0].Length;
    public double Seconds => (double)Length / SampleRate;

    public static Pcm Silence(int channels, int samples, int sampleRate) =>
        new(Enumerable.Range(0, channels).Select(_ => new float[samples]).ToArray(), sampleRate);
}

/// <summary>
/// EBU R128 / ITU-R BS.1770-4 measurement on samples (pure): integrated loudness (K-weighting, 400 ms
/// blocks with 75% overlap, absolute gate at -70 LUFS and relative gate 10 LU below) and true peak
/// (4x oversampling). The K-weighting coefficients are BS.1770's for 48 kHz, the rate every decode here uses.
/// </summary>
public static class Loudness
{
    public const int SampleRate = 48000;
    /// <summary>What silence measures (below the absolute gate).</summary>
    public const double Silent = -70;

    public static double Integrated(Pcm audio)
    {
        var blocks = BlockPowers(audio);
        var gated = blocks.Where(p => ToLufs(p) > -70).ToList();
        if (gated.Count == 0) return Silent;
        var relative = ToLufs(gated.Average()) - 10;
        var kept = gated.Where(p => ToLufs(p) > relative).ToList();
        return kept.Count == 0 ? Silent : ToLufs(kept.Average());
    }

    /// <summary>Mean K-weighted power (summed over channels) of each 400 ms block, every 100 ms.</summary>
    public static List<double> BlockPowers(Pcm audio)
    {
        if (audio.SampleRate != SampleRate) throw new ArgumentException($"loudness is measured at {SampleRate} Hz (got {audio.SampleRate})");
        var weighted = audio.Channels.Select(KWeighted).ToArray();
        int block = SampleRate * 4 / 10, step = SampleRate / 10;
        var powers = new List<double>();
        // Running sums of squares make every block O(1).
        var sums = weighted.Select(Prefix).ToArray();
        for (var start = 0; start + block <= audio.Length; start += step)
        {
            var power = 0.0;
            foreach (var s in sums) power += (s[start + block] - s[start]) / block;
            powers.Add(power);
        }
        return powers;
    }

    public static double ToLufs(double power) => power <= 0 ? double.NegativeInfinity : -0.691 + 10 * Math.Log10(power);

    private static double[] Prefix(double[] x)
    {
        var sum = new double[x.Length + 1];
        for (var i = 0; i < x.Length; i++) sum[i + 1] = sum[i] + x[i] * x[i];
        return sum;
    }

    /// <summary>The two K-weighting stages: a high shelf (head) then the RLB high-pass.</summary>
    private static double[] KWeighted(float[] x)
    {
        var y = Biquad(x.Select(v => (double)v).ToArray(), 1.53512485958697, -2.69169618940638, 1.19839281085285, -1.69065929318241, 0.73248077421585);
        return Biquad(y, 1.0, -2.0, 1.0, -1.99004745483398, 0.99007225036621);
    }

    private static double[] Biquad(double[] x, double b0, double b1, double b2, double a1, double a2)
    {
        var y = new double[x.Length];
        double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
        for (var i = 0; i < x.Length; i++)
        {
            var v = b0 * x[i] + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
            x2 = x1; x1 = x[i]; y2 = y1; y1 = v;
            y[i] = v;
        }
        return y;
    }

    /// <summary>True peak in dBTP: the largest magnitude of the signal upsampled 4x (BS.1770 Annex 2).</summary>
    public static double TruePeak(Pcm audio) => ToDb(audio.Channels.Max(c => TruePeakLinear(c)));

    public static double ToDb(double linear) => linear <= 0 ? double.NegativeInfinity : 20 * Math.Log10(linear);

    public static double FromDb(double db) => Math.Pow(10, db / 20);

    /// <summary>The largest magnitude of one channel upsampled 4x with a 48-tap windowed-sinc interpolator.</summary>
    public static double TruePeakLinear(float[] x) => TruePeakLinear(x, 0, x.Length);

    /// <summary>As <see cref="TruePeakLinear(float[])"/> over samples [start, end).</summary>
    public static double TruePeakLinear(float[] x, int start, int end)
    {
        var peak = 0.0;
        for (var n = start; n < end; n++)
        {
            peak = Math.Max(peak, Math.Abs(x[n]));
            for (var phase = 1; phase < Oversampling; phase++)
            {
                var sum = 0.0;
                var taps = Taps[phase];
                for (var k = 0; k < taps.Length; k++)
                {
                    var i = n - HalfTaps + 1 + k;
                    if (i >= 0 && i < x.Length) sum += x[i] * taps[k];
                }
                peak = Math.Max(peak, Math.Abs(sum));
            }
        }
        return peak;
    }

    private const int Oversampling = 4, HalfTaps = 12;

    // Phase p interpolates the point p/4 of the way from sample n to n+1: sinc taps at (n - i + p/4), Hann-windowed.
    private static readonly double[][] Taps = Enumerable.Range(0, Oversampling).Select(p =>
        Enumerable.Range(0, 2 * HalfTaps).Select(k =>
        {
            var t = (HalfTaps - 1 - k) + p / (double)Oversampling; // distance from tap sample to the interpolated point
            var sinc = Math.Abs(t) < 1e-12 ? 1 : Math.Sin(Math.PI * t) / (Math.PI * t);
            var window = 0.5 + 0.5 * Math.Cos(Math.PI * t / HalfTaps);
            return sinc * window;
        }).ToArray()).ToArray();
}
