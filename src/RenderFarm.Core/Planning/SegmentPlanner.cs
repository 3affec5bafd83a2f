namespace RenderFarm.Core.Planning;

/// <summary>A half-open frame range [StartFrame, EndFrame) of a timeline rendered on its own.</summary>
public readonly record struct RenderWindow(long StartFrame, long EndFrame)
{
    public long FrameCount => EndFrame - StartFrame;
    public override string ToString() => $"[{StartFrame}, {EndFrame})";
}

/// <summary>
/// Splits a schedule into time segments for distributed rendering (pure). Cuts fall on frame
/// boundaries, never strictly inside a transition (both clips must be in the same segment), and
/// segments aim at the target length; a cut that would land in a transition moves to its end.
/// </summary>
public static class SegmentPlanner
{
    public static IReadOnlyList<RenderWindow> Plan(Schedule schedule, double targetSeconds)
    {
        if (targetSeconds <= 0) throw new ArgumentOutOfRangeException(nameof(targetSeconds));
        var total = schedule.TotalFrames;
        var target = Math.Max(1, schedule.Output.SecondsToFrame(targetSeconds));
        var spans = schedule.TransitionSpans.ToList();
        var minimum = Math.Max(1, target / 4); // no slivers: a tail shorter than this joins the previous segment

        var windows = new List<RenderWindow>();
        long start = 0;
        while (start < total)
        {
            var cut = Math.Min(total, start + target);
            // Move the cut past every transition it would split (spans can chain).
            bool moved;
            do
            {
                moved = false;
                foreach (var (from, to) in spans)
                    if (cut > from && cut < to) { cut = to; moved = true; }
            } while (moved);
            if (total - cut < minimum) cut = total;
            windows.Add(new RenderWindow(start, cut));
            start = cut;
        }
        return windows;
    }

    /// <summary>A cut at <paramref name="frame"/> is allowed if no transition is blending there.</summary>
    public static bool IsSafeCut(Schedule schedule, long frame) =>
        schedule.TransitionSpans.All(s => frame <= s.From || frame >= s.To);
}
