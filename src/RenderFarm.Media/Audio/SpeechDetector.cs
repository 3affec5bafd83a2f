namespace RenderFarm.Media.Audio;

/// <summary>A stretch of time in seconds.</summary>
public readonly record struct Span(double Start, double End)
{
    public double Length => End - Start;
}

/// <summary>
/// Finds speech in a voice track (pure): the track is band-limited to the speech band (150 Hz - 4 kHz,
/// which leaves out hum, rumble and hiss), cut into 20 ms frames, and a frame is speech when its level is
/// within <see cref="RangeDb"/> of the track's loud frames (95th percentile) and above an absolute floor.
/// Words of one sentence are joined across pauses shorter than <see cref="JoinGap"/>; blips shorter than
/// <see cref="MinSpeech"/> are dropped. On espeak speech with known sentence gaps it finds every sentence to
/// within a frame or two (tests/RenderFarm.Media.Tests/Audio).
/// </summary>
public sealed record SpeechDetector
{
    public double FrameSeconds { get; init; } = 0.02;
    public double RangeDb { get; init; } = 35;
    public double FloorDb { get; init; } = -55;
    public double JoinGap { get; init; } = 0.35;
    public double MinSpeech { get; init; } = 0.12;

    public IReadOnlyList<Span> Detect(Pcm voice)
    {
        var mono = Mono(voice);
        var band = BandPass(mono, voice.SampleRate);
        var frame = Math.Max(1, (int)Math.Round(FrameSeconds * voice.SampleRate));
        var levels = new double[band.Length / frame];
        for (var f = 0; f < levels.Length; f++)
        {
            var sum = 0.0;
            for (var i = f * frame; i < (f + 1) * frame; i++) sum += band[i] * band[i];
            levels[f] = 10 * Math.Log10(sum / frame + 1e-20);
        }
        if (levels.Length == 0) return [];
        var loud = levels.Order().ElementAt((int)(0.95 * (levels.Length - 1)));
        var threshold = Math.Max(FloorDb, loud - RangeDb);
        var spans = new List<Span>();
        int? start = null;
        for (var f = 0; f <= levels.Length; f++)
        {
            var speech = f < levels.Length && levels[f] > threshold;
            if (speech && start is null) start = f;
            if (!speech && start is { } s)
            {
                spans.Add(new Span(s * FrameSeconds, f * FrameSeconds));
                start = null;
            }
        }
        var joined = new List<Span>();
        foreach (var span in spans)
        {
            if (joined.Count > 0 && span.Start - joined[^1].End < JoinGap) joined[^1] = joined[^1] with { End = span.End };
            else joined.Add(span);
        }
        return joined.Where(s => s.Length >= MinSpeech).ToList();
    }

    internal static float[] Mono(Pcm audio)
    {
        var mono = new float[audio.Length];
        foreach (var channel in audio.Channels)
            for (var i = 0; i < mono.Length; i++) mono[i] += channel[i] / audio.Channels.Length;
        return mono;
    }

    /// <summary>Second-order high-pass at 150 Hz then low-pass at 4 kHz (RBJ biquads).</summary>
    private static double[] BandPass(float[] x, int rate)
    {
        var y = x.Select(v => (double)v).ToArray();
        Filter(y, rate, 150, highPass: true);
        Filter(y, rate, Math.Min(4000, rate * 0.45), highPass: false);
        return y;
    }

    private static void Filter(double[] x, int rate, double cutoff, bool highPass)
    {
        var w = 2 * Math.PI * cutoff / rate;
        var alpha = Math.Sin(w) / (2 * Math.Sqrt(0.5));
        var cos = Math.Cos(w);
        double b0 = highPass ? (1 + cos) / 2 : (1 - cos) / 2, b1 = highPass ? -(1 + cos) : 1 - cos, b2 = b0;
        double a0 = 1 + alpha, a1 = -2 * cos, a2 = 1 - alpha;
        double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
        for (var i = 0; i < x.Length; i++)
        {
            var v = (b0 * x[i] + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2) / a0;
            x2 = x1; x1 = x[i]; y2 = y1; y1 = v;
            x[i] = v;
        }
    }
}
