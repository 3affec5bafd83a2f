using RenderFarm.Media.Analysis;

namespace RenderFarm.Media.Vision.Highlights;

/// <summary>A shot's summary score (0-1), its parts (each 0-1) and the mean look of its samples.</summary>
public sealed record ShotScore(int Shot, double In, double Out, double Total, double Motion, double Faces, double Audio, double Novelty, double Quality, float[] Look);

/// <summary>One piece of the summary: source in and out (seconds) inside shot <see cref="Shot"/>, and that shot's score.</summary>
public sealed record SummarySegment(int Shot, double In, double Out, ShotScore Score)
{
    public double Length => Out - In;
}

/// <summary>
/// Scores shots and picks the summary's segments (pure).
/// <list type="bullet">
/// <item>Parts: motion (how fast the look changes between samples, relative to the busiest shot), faces (share of
/// samples with a counted face), audio (mean loudness, -60 dBFS = 0 to 0 dBFS = 1: speech and sound), novelty (how
/// far the shot's mean look is from the whole video's, relative to the most distinct shot) and quality (the mean
/// cover score of its samples without faults; a black, flat or blurred shot is near 0).</item>
/// <item>Total = sqrt(Quality) * (0.25 Motion + 0.2 Faces + 0.2 Audio + 0.35 Novelty).</item>
/// <item>Selection: greedy by total, each candidate's total scaled down while its look is within 0.25 of a shot
/// already chosen (so the summary is not three takes of one scene); one segment per shot, of
/// clamp(duration / 3, 1, 4) s, centred on the shot's best frame and kept <see cref="HighlightPicker.ShotMargin"/> inside
/// the shot; the last segment is shortened to end on the duration, and when the shots run out the segments grow
/// within their shots. Segments are returned in source order.</item>
/// </list>
/// </summary>
public static class SummaryPlanner
{
    public const double MinSegmentSeconds = 0.8, MaxSegmentSeconds = 4, RedundantLook = 0.25;

    public static IReadOnlyList<ShotScore> ScoreShots(IReadOnlyList<PlannedShot> shots, IReadOnlyList<FrameMeasure> frames,
        IReadOnlyList<FrameScore> scores, IReadOnlyList<double>? shotLoudnessDb)
    {
        var n = shots.Count;
        var motion = new double[n];
        var faces = new double[n];
        var quality = new double[n];
        var looks = new float[n][];
        for (var s = 0; s < n; s++)
        {
            var idx = Enumerable.Range(0, frames.Count).Where(i => scores[i].Shot == s).ToList();
            looks[s] = MeanLook(idx.Select(i => frames[i].Look));
            if (idx.Count == 0) continue;
            double change = 0, time = 0;
            for (var k = 1; k < idx.Count; k++)
            {
                change += FrameMeasurer.Distance(frames[idx[k - 1]].Look, frames[idx[k]].Look);
                time += frames[idx[k]].Time - frames[idx[k - 1]].Time;
            }
            motion[s] = time > 0 ? change / time : 0;
            faces[s] = idx.Count(i => scores[i].Faces > 0) / (double)idx.Count;
            quality[s] = idx.Average(i => scores[i].Total);
        }
        var whole = MeanLook(frames.Select(f => f.Look));
        var novelty = looks.Select(l => FrameMeasurer.Distance(l, whole)).ToArray();
        var maxMotion = motion.DefaultIfEmpty(0).Max();
        var maxNovelty = novelty.DefaultIfEmpty(0).Max();
        var maxQuality = quality.DefaultIfEmpty(0).Max();
        return [.. Enumerable.Range(0, n).Select(s =>
        {
            var m = maxMotion > 0 ? motion[s] / maxMotion : 0;
            var v = maxNovelty > 0 ? novelty[s] / maxNovelty : 0;
            var a = shotLoudnessDb is null ? 0 : Math.Clamp((shotLoudnessDb[s] + 60) / 60, 0, 1);
            var q = maxQuality > 0 ? quality[s] / maxQuality : 0;
            var total = Math.Sqrt(q) * (0.25 * m + 0.2 * faces[s] + 0.2 * a + 0.35 * v);
            return new ShotScore(s, shots[s].In, shots[s].Out, total, m, faces[s], a, v, q, looks[s]);
        })];
    }

    /// <summary>The segments of a summary of <paramref name="duration"/> seconds (less when the shots cannot fill it).</summary>
    public static IReadOnlyList<SummarySegment> Plan(IReadOnlyList<ShotScore> shots, IReadOnlyList<FrameScore> scores, double duration)
    {
        var length = Math.Clamp(duration / 3, 1, MaxSegmentSeconds);
        var candidates = shots.Where(s => Usable(s) >= MinSegmentSeconds && s.Quality > 0).ToList();
        var chosen = new List<(ShotScore Shot, double Length)>();
        var total = 0.0;
        while (total < duration - 1e-6 && candidates.Count > 0)
        {
            var next = candidates.MaxBy(c => c.Total * Penalty(c))!;
            candidates.Remove(next);
            var take = Math.Min(Math.Min(length, Usable(next)), duration - total);
            if (take < MinSegmentSeconds && chosen.Count > 0)
            {
                // Too short to show on its own: the time goes to the segments already chosen.
                break;
            }
            chosen.Add((next, take));
            total += take;
        }
        // Out of shots (or a short remainder): grow segments within their shots, best first.
        for (var i = 0; total < duration - 1e-6 && i < chosen.Count; i++)
        {
            var grow = Math.Min(Usable(chosen[i].Shot) - chosen[i].Length, duration - total);
            if (grow <= 0) continue;
            chosen[i] = (chosen[i].Shot, chosen[i].Length + grow);
            total += grow;
        }
        return [.. chosen.Select(c => Place(c.Shot, c.Length, scores)).OrderBy(s => s.In)];

        double Penalty(ShotScore c) => chosen.Count == 0 ? 1
            : Math.Min(1, chosen.Min(x => FrameMeasurer.Distance(x.Shot.Look, c.Look)) / RedundantLook);
    }

    private static double Usable(ShotScore s) => s.Out - s.In - 2 * HighlightPicker.ShotMargin;

    private static SummarySegment Place(ShotScore shot, double length, IReadOnlyList<FrameScore> scores)
    {
        double lo = shot.In + HighlightPicker.ShotMargin, hi = shot.Out - HighlightPicker.ShotMargin;
        var best = scores.Where(s => s.Shot == shot.Shot && s.Time >= lo && s.Time <= hi).MaxBy(s => s.Total)?.Time ?? (lo + hi) / 2;
        var start = Math.Clamp(best - length / 2, lo, Math.Max(lo, hi - length));
        return new SummarySegment(shot.Shot, start, start + length, shot);
    }

    private static float[] MeanLook(IEnumerable<float[]> looks)
    {
        var mean = new float[FrameMeasurer.LookLength];
        var count = 0;
        foreach (var look in looks)
        {
            for (var i = 0; i < mean.Length; i++) mean[i] += look[i];
            count++;
        }
        if (count > 0) for (var i = 0; i < mean.Length; i++) mean[i] /= count;
        return mean;
    }
}
