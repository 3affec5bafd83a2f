namespace RenderFarm.Media.AudioAnalysis;

/// <summary>
/// 12-bin pitch-class profiles (C, C#, ... B) from an STFT: each bin's magnitude between
/// <see cref="MinHz"/> and <see cref="MaxHz"/> is added to the pitch class nearest its frequency, so chords
/// and keys show regardless of octave or instrument. <see cref="Vectors"/>[i] (unit length, or zero in
/// silence) and <see cref="LoudnessDb"/>[i] belong to time i / <see cref="FrameRate"/>.
/// </summary>
public sealed record Chroma(float[][] Vectors, float[] LoudnessDb, double FrameRate)
{
    /// <summary>From A2: below it kick drums and rumble swamp the pitch classes (Goto starts at C3).</summary>
    public const double MinHz = 110;
    /// <summary>Half-width of the local mean subtracted from each bin, so drum noise (flat across bins) cancels and tones stay.</summary>
    public const double WhiteningHz = 40;
    public const double MaxHz = 4000;
    /// <summary>About 186 ms windows: long enough to tell neighbouring semitones apart down to about 110 Hz.</summary>
    public const double WindowSeconds = 0.186;
    public const double DefaultHopSeconds = 0.1;
    /// <summary>The floor of <see cref="LoudnessDb"/>: silence.</summary>
    public const float SilenceDb = -100;

    public int Frames => Vectors.Length;

    public static Chroma Compute(MonoAudio audio, double hopSeconds = DefaultHopSeconds)
    {
        var fft = Spectrogram.FftSizeFor(audio.SampleRate, WindowSeconds);
        var hop = Math.Max(1, (int)Math.Round(audio.SampleRate * hopSeconds));
        return FromSpectrogram(Spectrogram.Compute(audio.Samples, audio.SampleRate, fft, hop));
    }

    public static Chroma FromSpectrogram(Spectrogram spectrogram)
    {
        var classOf = new int[spectrogram.Bins];
        for (var k = 0; k < spectrogram.Bins; k++)
        {
            var hz = k * spectrogram.BinHz;
            classOf[k] = hz < MinHz || hz > MaxHz ? -1 : PitchClass(hz);
        }
        var vectors = new float[spectrogram.Frames][];
        var loudness = new float[spectrogram.Frames];
        // dB against a fixed reference scaled with the FFT size: only differences between frames are used.
        var norm = spectrogram.FftSize * spectrogram.FftSize / 16.0;
        var reach = Math.Max(2, (int)Math.Round(WhiteningHz / spectrogram.BinHz));
        var prefix = new double[spectrogram.Bins + 1];
        for (var f = 0; f < spectrogram.Frames; f++)
        {
            var mags = spectrogram.Magnitudes[f];
            var v = new double[12];
            double energy = 0;
            for (var k = 0; k < mags.Length; k++)
            {
                energy += mags[k] * (double)mags[k];
                prefix[k + 1] = prefix[k] + mags[k];
            }
            for (var k = 0; k < mags.Length; k++)
            {
                if (classOf[k] < 0) continue;
                var (lo, hi) = (Math.Max(0, k - reach), Math.Min(mags.Length, k + reach + 1));
                v[classOf[k]] += Math.Max(0, mags[k] - (prefix[hi] - prefix[lo]) / (hi - lo));
            }
            vectors[f] = Normalise(v);
            loudness[f] = (float)Math.Max(SilenceDb, 10 * Math.Log10(Math.Max(1e-30, 2 * energy / norm)));
        }
        return new Chroma(vectors, loudness, spectrogram.FrameRate);
    }

    /// <summary>The pitch class (0 = C) of a frequency, A4 = 440 Hz.</summary>
    public static int PitchClass(double hz) => (((int)Math.Round(12 * Math.Log2(hz / 440)) + 9) % 12 + 12) % 12;

    /// <summary>The mean profile over frames [<paramref name="from"/>, <paramref name="to"/>), unit length.</summary>
    public float[] Mean(int from, int to)
    {
        from = Math.Clamp(from, 0, Frames);
        to = Math.Clamp(to, from, Frames);
        var v = new double[12];
        for (var f = from; f < to; f++)
            for (var c = 0; c < 12; c++) v[c] += Vectors[f][c];
        return Normalise(v);
    }

    /// <summary>Cosine similarity of two unit (or zero) profiles: 1 the same pitch classes, 0 none shared or silence.</summary>
    public static double Similarity(float[] a, float[] b)
    {
        double dot = 0;
        for (var c = 0; c < 12; c++) dot += a[c] * b[c];
        return dot;
    }

    internal static float[] Normalise(double[] v)
    {
        var length = Math.Sqrt(v.Sum(x => x * x));
        return v.Select(x => length > 1e-12 ? (float)(x / length) : 0f).ToArray();
    }
}
