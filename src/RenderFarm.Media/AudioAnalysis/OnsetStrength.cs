namespace RenderFarm.Media.AudioAnalysis;

/// <summary>
/// Onset strength envelopes: spectral flux (the summed rise of each log-mel band from one frame to the
/// next) with the local mean removed, so steady sound scores 0 and note or drum attacks stand out.
/// <see cref="Low"/> is the same over the bands below <see cref="LowBandHz"/> (kick drums, bass notes),
/// which downbeat finding uses. Value i belongs to time i / <see cref="FrameRate"/>.
/// </summary>
public sealed record OnsetStrength(float[] Envelope, float[] Low, double FrameRate)
{
    /// <summary>About 100 envelope values a second: 10 ms resolution, well inside a +-70 ms beat tolerance.</summary>
    public const double TargetFrameRate = 100;
    public const int MelBands = 40;
    public const double LowBandHz = 200;
    private const double MelMinHz = 30;
    private const double MelMaxHz = 8000;

    public double Time(int frame) => frame / FrameRate;

    public static OnsetStrength Compute(MonoAudio audio)
    {
        var hop = Math.Max(1, (int)Math.Round(audio.SampleRate / TargetFrameRate));
        var spectrogram = Spectrogram.Compute(audio.Samples, audio.SampleRate, Spectrogram.FftSizeFor(audio.SampleRate, 0.046), hop);
        return FromSpectrogram(spectrogram);
    }

    public static OnsetStrength FromSpectrogram(Spectrogram spectrogram)
    {
        var filters = MelFilters(spectrogram, MelBands, MelMinHz, Math.Min(MelMaxHz, spectrogram.SampleRate / 2.0));
        var frames = spectrogram.Frames;
        var mel = new double[frames][];
        var peak = 1e-12;
        for (var f = 0; f < frames; f++)
        {
            var m = mel[f] = new double[filters.Length];
            var mags = spectrogram.Magnitudes[f];
            for (var b = 0; b < filters.Length; b++)
            {
                double sum = 0;
                foreach (var (bin, weight) in filters[b]) sum += mags[bin] * weight;
                m[b] = sum;
                peak = Math.Max(peak, sum);
            }
        }
        // log(1 + gamma x) on the loudness relative to the loudest band: a compressed scale on which a
        // quiet hat and a loud kick both register, while silence stays near 0.
        const double gamma = 1000;
        foreach (var m in mel)
            for (var b = 0; b < m.Length; b++) m[b] = Math.Log(1 + gamma * m[b] / peak);

        // Bands are in rising order: the low ones are those whose strongest bin lies under LowBandHz.
        var lowBands = Math.Clamp(filters.Count(f => f.MaxBy(w => w.Weight).Bin * spectrogram.BinHz <= LowBandHz), 1, filters.Length);
        var flux = new float[frames];
        var low = new float[frames];
        for (var f = 1; f < frames; f++)
        {
            double all = 0, bass = 0;
            for (var b = 0; b < filters.Length; b++)
            {
                var rise = Math.Max(0, mel[f][b] - mel[f - 1][b]);
                all += rise;
                if (b < lowBands) bass += rise;
            }
            flux[f] = (float)all;
            low[f] = (float)bass;
        }
        var frameRate = spectrogram.FrameRate;
        return new OnsetStrength(Detrend(flux, frameRate), Detrend(low, frameRate), frameRate);
    }

    /// <summary>The envelope minus its mean over the surrounding second, floored at 0 and scaled to unit standard deviation.</summary>
    internal static float[] Detrend(float[] values, double frameRate)
    {
        var half = Math.Max(1, (int)Math.Round(frameRate / 2));
        var prefix = new double[values.Length + 1];
        for (var i = 0; i < values.Length; i++) prefix[i + 1] = prefix[i] + values[i];
        var result = new float[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var from = Math.Max(0, i - half);
            var to = Math.Min(values.Length, i + half + 1);
            var mean = (prefix[to] - prefix[from]) / (to - from);
            result[i] = (float)Math.Max(0, values[i] - mean);
        }
        var std = Math.Sqrt(result.Select(v => (double)v * v).DefaultIfEmpty(0).Average());
        if (std > 1e-9)
            for (var i = 0; i < result.Length; i++) result[i] = (float)(result[i] / std);
        return result;
    }

    /// <summary>Triangular filters equally spaced on the mel scale: for each band, the (bin, weight) pairs it sums.</summary>
    internal static (int Bin, double Weight)[][] MelFilters(Spectrogram spectrogram, int bands, double minHz, double maxHz)
    {
        static double Mel(double hz) => 2595 * Math.Log10(1 + hz / 700);
        static double Hz(double mel) => 700 * (Math.Pow(10, mel / 2595) - 1);
        var edges = new double[bands + 2];
        for (var i = 0; i < edges.Length; i++) edges[i] = Hz(Mel(minHz) + (Mel(maxHz) - Mel(minHz)) * i / (bands + 1));
        var filters = new (int, double)[bands][];
        for (var b = 0; b < bands; b++)
        {
            var (lo, mid, hi) = (edges[b], edges[b + 1], edges[b + 2]);
            var list = new List<(int, double)>();
            for (var k = 0; k < spectrogram.Bins; k++)
            {
                var hz = k * spectrogram.BinHz;
                var w = hz <= lo || hz >= hi ? 0 : hz <= mid ? (hz - lo) / (mid - lo) : (hi - hz) / (hi - mid);
                if (w > 0) list.Add((k, w));
            }
            // A band narrower than one bin (low bands of a short FFT) takes the nearest bin.
            if (list.Count == 0) list.Add((Math.Min(spectrogram.Bins - 1, (int)Math.Round(mid / spectrogram.BinHz)), 1));
            filters[b] = [.. list];
        }
        return filters;
    }
}
