using RenderFarm.Media.Analysis;

namespace RenderFarm.Media.Vision.Highlights;

/// <summary>A highlight moment of an animated cover: the frame that earned it and the stretch shown around it, inside its shot.</summary>
public sealed record HighlightMoment(FrameScore Frame, double Start, double End);

/// <summary>
/// Chooses covers from scored frames (pure). The cover is the best-scoring frame; when every frame has a fault
/// (a black or flat video) the best by ungated quality. Moments for an animated cover come from different shots
/// (each shot's best frame, best shots first) and must differ in look from those already taken, so two shots of
/// the same scene or a frame like a black one already chosen are skipped; when the video has too few such shots,
/// further moments come from the shots already used, at least <see cref="MinGapSeconds"/> from the others.
/// Scores are in time order.
/// </summary>
public static class HighlightPicker
{
    /// <summary>Look distance (0-1) a moment needs from every moment already taken.</summary>
    public const double MinLookDistance = 0.12;

    public const double MinGapSeconds = 2;

    /// <summary>Kept this far inside a shot so the stretch shown never reaches a neighbouring shot's frames.</summary>
    public const double ShotMargin = 0.1;

    public static FrameScore Cover(IReadOnlyList<FrameScore> scores)
    {
        if (scores.Count == 0) throw new ArgumentException("no frames were scored", nameof(scores));
        var usable = scores.Where(s => s.Fault == FrameFault.None).ToList();
        return usable.Count > 0 ? usable.MaxBy(s => s.Total)! : scores.MaxBy(s => s.Quality)!;
    }

    /// <summary>Up to <paramref name="count"/> moments in time order, each shown for about <paramref name="seconds"/>.</summary>
    public static IReadOnlyList<HighlightMoment> Moments(IReadOnlyList<FrameScore> scores, IReadOnlyList<FrameMeasure> frames,
        IReadOnlyList<PlannedShot> shots, int count, double seconds)
    {
        var look = frames.ToDictionary(f => f.Time, f => f.Look);
        var usable = scores.Where(s => s.Fault == FrameFault.None && s.Total > 0).ToList();
        var chosen = new List<FrameScore>();
        bool Distinct(FrameScore s) => chosen.All(c => FrameMeasurer.Distance(look[c.Time], look[s.Time]) >= MinLookDistance);

        foreach (var best in usable.GroupBy(s => s.Shot).Select(g => g.MaxBy(s => s.Total)!).OrderByDescending(s => s.Total))
        {
            if (chosen.Count == count) break;
            if (Distinct(best)) chosen.Add(best);
        }
        foreach (var s in usable.OrderByDescending(s => s.Total))
        {
            if (chosen.Count == count) break;
            if (chosen.All(c => Math.Abs(c.Time - s.Time) >= MinGapSeconds) && Distinct(s)) chosen.Add(s);
        }
        return [.. chosen.OrderBy(c => c.Time).Select(c => Around(c, scores, shots, seconds))];
    }

    /// <summary>
    /// A stretch of <paramref name="seconds"/> centred on the frame, moved or shortened to stay inside its shot and
    /// inside the run of samples around it that are fault-free and at least half as good (so a moment never shows
    /// the blurred or faded part of its shot), reaching halfway to the first sample outside that run.
    /// </summary>
    private static HighlightMoment Around(FrameScore frame, IReadOnlyList<FrameScore> scores, IReadOnlyList<PlannedShot> shots, double seconds)
    {
        var (lo, hi) = shots.Count == 0 ? (0.0, double.MaxValue) : (shots[frame.Shot].In + ShotMargin, shots[frame.Shot].Out - ShotMargin);
        var k = scores.ToList().IndexOf(frame);
        bool Good(int j) => j >= 0 && j < scores.Count && scores[j].Shot == frame.Shot && scores[j].Fault == FrameFault.None && scores[j].Quality >= 0.5 * frame.Quality;
        int first = k, last = k;
        while (Good(first - 1)) first--;
        while (Good(last + 1)) last++;
        if (first > 0) lo = Math.Max(lo, (scores[first - 1].Time + scores[first].Time) / 2);
        if (last + 1 < scores.Count) hi = Math.Min(hi, (scores[last].Time + scores[last + 1].Time) / 2);
        if (hi - lo <= seconds) return new HighlightMoment(frame, lo, Math.Max(lo, hi));
        var start = Math.Clamp(frame.Time - seconds / 2, lo, hi - seconds);
        return new HighlightMoment(frame, start, start + seconds);
    }
}
