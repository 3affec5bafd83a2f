namespace RenderFarm.Media.AudioAnalysis;

/// <summary>
/// Short-time magnitude spectra of mono PCM: Hann-windowed frames of <see cref="FftSize"/> samples every
/// <see cref="Hop"/> samples, frame i centred on sample i * Hop (the signal is zero-padded at both ends),
/// so frame times need no offset.
/// </summary>
public sealed class Spectrogram
{
    private Spectrogram(float[][] magnitudes, int sampleRate, int fftSize, int hop)
    {
        Magnitudes = magnitudes;
        SampleRate = sampleRate;
        FftSize = fftSize;
        Hop = hop;
    }

    /// <summary>[frame][bin], bins 0..FftSize/2.</summary>
    public float[][] Magnitudes { get; }
    public int SampleRate { get; }
    public int FftSize { get; }
    public int Hop { get; }
    public int Frames => Magnitudes.Length;
    public int Bins => FftSize / 2 + 1;
    public double FrameRate => (double)SampleRate / Hop;
    public double BinHz => (double)SampleRate / FftSize;

    public static Spectrogram Compute(ReadOnlySpan<float> samples, int sampleRate, int fftSize, int hop)
    {
        if (!int.IsPow2(fftSize)) throw new ArgumentOutOfRangeException(nameof(fftSize), "the FFT size must be a power of two");
        ArgumentOutOfRangeException.ThrowIfLessThan(hop, 1);
        var frames = samples.Length / hop + 1;
        var window = new double[fftSize];
        for (var i = 0; i < fftSize; i++) window[i] = 0.5 - 0.5 * Math.Cos(2 * Math.PI * i / fftSize);
        var re = new double[fftSize];
        var im = new double[fftSize];
        var result = new float[frames][];
        var half = fftSize / 2;
        for (var f = 0; f < frames; f++)
        {
            var start = f * hop - half;
            for (var i = 0; i < fftSize; i++)
            {
                var s = start + i;
                re[i] = s >= 0 && s < samples.Length ? samples[s] * window[i] : 0;
                im[i] = 0;
            }
            Fft.Transform(re, im);
            var mags = new float[half + 1];
            for (var k = 0; k <= half; k++) mags[k] = (float)Math.Sqrt(re[k] * re[k] + im[k] * im[k]);
            result[f] = mags;
        }
        return new Spectrogram(result, sampleRate, fftSize, hop);
    }

    /// <summary>The power of two nearest <paramref name="seconds"/> at <paramref name="sampleRate"/> (at least 64).</summary>
    public static int FftSizeFor(int sampleRate, double seconds) =>
        Math.Max(64, 1 << (int)Math.Round(Math.Log2(Math.Max(1, sampleRate * seconds))));
}

/// <summary>In-place iterative radix-2 complex FFT.</summary>
internal static class Fft
{
    public static void Transform(double[] re, double[] im)
    {
        var n = re.Length;
        for (int i = 1, j = 0; i < n; i++)
        {
            var bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) j ^= bit;
            j ^= bit;
            if (i < j)
            {
                (re[i], re[j]) = (re[j], re[i]);
                (im[i], im[j]) = (im[j], im[i]);
            }
        }
        for (var len = 2; len <= n; len <<= 1)
        {
            var angle = -2 * Math.PI / len;
            var wr = Math.Cos(angle);
            var wi = Math.Sin(angle);
            for (var i = 0; i < n; i += len)
            {
                double cr = 1, ci = 0;
                for (var k = 0; k < len / 2; k++)
                {
                    var a = i + k;
                    var b = a + len / 2;
                    var tr = re[b] * cr - im[b] * ci;
                    var ti = re[b] * ci + im[b] * cr;
                    re[b] = re[a] - tr;
                    im[b] = im[a] - ti;
                    re[a] += tr;
                    im[a] += ti;
                    var next = cr * wr - ci * wi;
                    ci = cr * wi + ci * wr;
                    cr = next;
                }
            }
        }
    }
}
