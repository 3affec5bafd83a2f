namespace RenderFarm.Core.Planning;

/// <summary>
/// OutputMediaConfig.MaxDuration (pure): a schedule longer than the limit ends at it. Clips that start
/// after the cut are dropped and a clip running over it ends there; a transition the cut falls into is
/// not drawn (the incoming clip shows from its start, as at a plain cut). Audio keeps its placement: the
/// mix is trimmed to the new length. Texts and effects past the end are never shown.
/// </summary>
public static class ScheduleCut
{
    public static Schedule At(Schedule schedule, long frames)
    {
        if (frames >= schedule.TotalFrames) return schedule;
        var layers = schedule.Layers
            .Where(l => l.StartFrame < frames)
            .Select(l => l.EndFrame <= frames ? l : l with { EndFrame = frames, TransitionOut = null })
            .ToList();
        return schedule with { TotalFrames = frames, Layers = layers };
    }
}
