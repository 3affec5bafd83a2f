namespace RenderFarm.Media.AudioAnalysis;

/// <summary>
/// Beats, tempo and downbeats of music (or of a video's sound), on PCM already decoded:
/// onset strength (<see cref="OnsetStrength"/>), a tempo path that may change (<see cref="TempoEstimator"/>),
/// dynamic-programming beat tracking with the local period (<see cref="BeatDynamicProgramming"/>), then
/// bars from where harmony changes and bass drums fall (<see cref="DownbeatFinder"/>).
/// </summary>
public sealed class BeatTracker(BeatTrackerOptions? options = null)
{
    private readonly BeatTrackerOptions _options = (options ?? new BeatTrackerOptions()).Validate();

    /// <summary>A section shorter than this is noise in the tempo path, not a tempo of its own.</summary>
    public const double MinSectionSeconds = 4;

    /// <summary>Tempo windows more than this ratio apart start a new tempo section.</summary>
    private const double SectionChange = 1.04;

    public BeatAnalysis Analyse(MonoAudio audio)
    {
        var duration = audio.DurationSeconds;
        var onset = OnsetStrength.Compute(audio);
        if (onset.Envelope.Length < 4 || onset.Envelope.All(v => v == 0))
            return new BeatAnalysis(duration, 0, 0, null, [], []);

        var path = TempoEstimator.Estimate(onset.Envelope, onset.FrameRate, _options);
        var frames = BeatDynamicProgramming.Track(onset.Envelope, path.PeriodPerFrame(onset.Envelope.Length), _options.Tightness);
        if (MetricalLevel(onset.Envelope, onset.Low, frames) is var factor and not 1.0 && path.Periods.Average() * factor is var p
            && 60 * onset.FrameRate / p >= _options.MinBpm && 60 * onset.FrameRate / p <= _options.MaxBpm)
        {
            path = path with { Periods = [.. path.Periods.Select(x => x * factor)] };
            frames = BeatDynamicProgramming.Track(onset.Envelope, path.PeriodPerFrame(onset.Envelope.Length), _options.Tightness);
        }
        var times = frames.Select(onset.Time).ToArray();
        var sections = Sections(path, times, duration);
        var dominant = sections.Count == 0 ? 0 : sections.MaxBy(s => s.End - s.Start)!.Bpm;
        var confidence = path.Strengths.Average();

        var bars = times.Length >= 8 ? DownbeatFinder.Find(times, onset, Chroma.Compute(audio, 0.05)) : null;
        var beats = times.Select((t, i) => new Beat(Math.Round(t, 3),
            bars is { } b ? ((i - b.FirstDownbeat) % b.BeatsPerBar + b.BeatsPerBar) % b.BeatsPerBar + 1 : null)).ToList();
        return new BeatAnalysis(duration, Math.Round(dominant, 2), Math.Round(confidence, 3), bars?.BeatsPerBar, beats, sections);
    }

    /// <summary>
    /// Onsets halfway between the beats at least this strong against the weaker of alternate beats mean the
    /// beats skip every other one (a kick against a snare reads about 0.8; a hat against a drum sometimes 0.6,
    /// so 0.7 keeps both apart); alternate beats this much weaker
    /// than the others mean the beats fall on off-beats too (a hat against a drum reads about 0.4).
    /// </summary>
    internal const double LevelRatio = 0.7;

    /// <summary>
    /// Guards against the octave errors of autocorrelation: a kick-snare pattern repeats every two beats, so
    /// its autocorrelation can peak at half the tempo; hats on eighths can pull it to double. Returns 0.5
    /// (halve the period) when the onsets midway between the tracked beats are about as strong as those on
    /// them in the whole envelope or in the bass (<paramref name="low"/>: a kick midway between snares is a
    /// beat, a hat never is), 2 when every other beat is clearly weaker, else 1.
    /// </summary>
    internal static double MetricalLevel(float[] envelope, float[] low, int[] beats)
    {
        if (beats.Length < 8) return 1;
        static double Peak(float[] values, int frame)
        {
            var best = 0f;
            for (var f = Math.Max(0, frame - 2); f <= Math.Min(values.Length - 1, frame + 2); f++) best = Math.Max(best, values[f]);
            return best;
        }
        static (double Weaker, double Stronger, double Midway) Levels(float[] values, int[] beats)
        {
            var even = beats.Where((_, i) => i % 2 == 0).Average(b => Peak(values, b));
            var odd = beats.Where((_, i) => i % 2 == 1).Average(b => Peak(values, b));
            var midway = beats.Zip(beats.Skip(1), (a, b) => Peak(values, (a + b) / 2)).Average();
            return (Math.Min(even, odd), Math.Max(even, odd), midway);
        }
        var all = Levels(envelope, beats);
        if (all.Stronger <= 0) return 1;
        var bass = Levels(low, beats);
        if ((all.Weaker > 0 && all.Midway >= LevelRatio * all.Weaker) || (bass.Weaker > 0 && bass.Midway >= LevelRatio * bass.Weaker)) return 0.5;
        return all.Weaker < LevelRatio * all.Stronger ? 2 : 1;
    }

    /// <summary>
    /// Splits the tempo path where it moves more than <see cref="SectionChange"/> from the section's first
    /// window, merges sections under <see cref="MinSectionSeconds"/> into the one before, and gives each the
    /// tempo of its own beats (a line fitted through beat times against beat numbers: exact to a fraction of a BPM).
    /// </summary>
    internal static IReadOnlyList<TempoSection> Sections(TempoEstimator.TempoPath path, double[] beats, double duration)
    {
        var starts = new List<int> { 0 };
        for (var w = 1; w < path.Periods.Length; w++)
        {
            var ratio = path.Periods[w] / path.Periods[starts[^1]];
            if (Math.Max(ratio, 1 / ratio) > SectionChange) starts.Add(w);
        }
        var bounds = new List<double> { 0 };
        foreach (var w in starts.Skip(1)) bounds.Add((path.WindowCentres[w - 1] + path.WindowCentres[w]) / 2 / path.FrameRate);
        bounds.Add(duration);
        for (var i = 1; i < bounds.Count - 1;)
        {
            // A short section (or a short first one) is absorbed by its neighbour.
            if (bounds[i] - bounds[i - 1] < MinSectionSeconds || (i == bounds.Count - 2 && bounds[^1] - bounds[i] < MinSectionSeconds)) bounds.RemoveAt(i);
            else i++;
        }
        var sections = new List<TempoSection>();
        for (var i = 0; i + 1 < bounds.Count; i++)
        {
            var (from, to) = (bounds[i], bounds[i + 1]);
            var inside = beats.Where(t => t >= from && t < to).ToArray();
            var bpm = inside.Length >= 4 ? 60 / FittedInterval(inside) : path.BpmAt((from + to) / 2 * path.FrameRate);
            sections.Add(new TempoSection(Math.Round(from, 3), Math.Round(to, 3), Math.Round(bpm, 2)));
        }
        return sections;
    }

    /// <summary>The slope of the least-squares line through (k, beat k): the mean beat interval, robust to jitter in single beats.</summary>
    internal static double FittedInterval(IReadOnlyList<double> beats)
    {
        var n = beats.Count;
        var meanK = (n - 1) / 2.0;
        var meanT = beats.Average();
        double num = 0, den = 0;
        for (var k = 0; k < n; k++)
        {
            num += (k - meanK) * (beats[k] - meanT);
            den += (k - meanK) * (k - meanK);
        }
        return num / den;
    }
}
