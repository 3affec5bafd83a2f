namespace RenderFarm.Media.AudioAnalysis;

/// <summary>
/// What <see cref="BeatTracker"/> found, ready to serialise as the AudioBeatDetection result: the beats,
/// the dominant tempo with a confidence (0-1: the onset envelope's normalised autocorrelation along the tempo
/// path, at the beat or at the drum pattern's period; white noise scores about 0.1, steady drums above 0.9),
/// the tempo sections (one unless the tempo changes) and the bar length where the metre is clear.
/// Times are seconds from the start of the audio.
/// </summary>
public sealed record BeatAnalysis(double DurationSeconds, double Bpm, double Confidence, int? BeatsPerBar,
    IReadOnlyList<Beat> Beats, IReadOnlyList<TempoSection> Tempos)
{
    /// <summary>The times of the first beats of bars; empty when the metre is not clear.</summary>
    public IReadOnlyList<double> Downbeats => [.. Beats.Where(b => b.Downbeat).Select(b => b.Time)];
}

/// <summary>A beat; <see cref="Position"/> is its place in the bar (1 = downbeat), null when the metre is not clear.</summary>
public sealed record Beat(double Time, int? Position)
{
    public bool Downbeat => Position == 1;
}

/// <summary>A stretch of steady tempo, [Start, End) seconds.</summary>
public sealed record TempoSection(double Start, double End, double Bpm);
