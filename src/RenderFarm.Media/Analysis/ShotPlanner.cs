namespace RenderFarm.Media.Analysis;

/// <summary>One decoded frame's time (seconds) and its scene score against the frame before (0-1).</summary>
public readonly record struct SceneSample(double Time, double Score);

/// <summary>A planned shot: its time range and the time of the frame used as its keyframe.</summary>
public sealed record PlannedShot(double In, double Out, double KeyframeTime);

/// <summary>
/// Turns per-frame scene scores into shots: a frame scoring above the threshold starts a shot, a shot
/// shorter than the minimum is merged into the next (the last one into the one before), and beyond
/// the maximum only the strongest cuts stay. The keyframe is the frame nearest the shot's middle.
/// </summary>
public static class ShotPlanner
{
    public static IReadOnlyList<PlannedShot> Plan(IReadOnlyList<SceneSample> frames, double duration,
        double threshold, double minShotSeconds, int maxShots)
    {
        var cuts = new List<SceneSample>();
        var shotStart = 0.0;
        foreach (var frame in frames.Skip(1))
        {
            if (frame.Score <= threshold || frame.Time <= 0) continue;
            // The shot this cut would end is too short: merge it into the next by skipping the cut.
            if (frame.Time - shotStart < minShotSeconds) continue;
            cuts.Add(frame);
            shotStart = frame.Time;
        }
        while (cuts.Count > 0 && duration - cuts[^1].Time < minShotSeconds) cuts.RemoveAt(cuts.Count - 1);
        if (cuts.Count + 1 > maxShots)
            cuts = [.. cuts.OrderByDescending(c => c.Score).ThenBy(c => c.Time).Take(maxShots - 1).OrderBy(c => c.Time)];

        var bounds = new List<double> { 0 };
        bounds.AddRange(cuts.Select(c => c.Time));
        bounds.Add(Math.Max(duration, bounds[^1]));
        var times = frames.Select(f => f.Time).Order().ToArray();
        var shots = new List<PlannedShot>(bounds.Count - 1);
        for (var i = 0; i + 1 < bounds.Count; i++)
            shots.Add(new PlannedShot(bounds[i], bounds[i + 1], KeyframeTime(times, bounds[i], bounds[i + 1])));
        return shots;
    }

    /// <summary>The time of the frame inside [start, end) nearest the middle; the middle itself when no frame lies there.</summary>
    private static double KeyframeTime(double[] times, double start, double end)
    {
        var middle = (start + end) / 2;
        var i = Array.BinarySearch(times, middle);
        if (i >= 0) return middle;
        i = ~i; // times[i - 1] < middle < times[i]
        double? best = null;
        foreach (var candidate in new[] { i - 1, i })
        {
            if (candidate < 0 || candidate >= times.Length || times[candidate] < start || times[candidate] >= end) continue;
            if (best is null || Math.Abs(times[candidate] - middle) < Math.Abs(best.Value - middle)) best = times[candidate];
        }
        return best ?? middle;
    }
}
