using RenderFarm.Core.Json;

namespace RenderFarm.Core.Timelines;

/// <summary>
/// Reads EffectTrackItems (whole-frame VFX and Filter effects over a time range) and VFX/Filter
/// effects in a clip's Effects, whose TimelineIn/TimelineOut/Duration count from the clip's start.
/// </summary>
internal static class EffectTrackParser
{
    public static EffectTrackItem Read(JsonObjectReader item)
    {
        var type = item.OneOf("Type", FrameEffectCatalog.Types) ?? throw item.Error("Type", "is required");
        var choices = ReadChoices(item, type);
        var subType = choices[0];
        var timelineIn = item.Number("TimelineIn", 0, TimelineLimits.Default.MaxDurationSeconds) ?? 0;
        var timelineOut = item.Number("TimelineOut", 0, TimelineLimits.Default.MaxDurationSeconds);
        if (item.Number("Duration", 0, TimelineLimits.Default.MaxDurationSeconds) is { } duration && timelineOut is null)
            timelineOut = timelineIn + duration;
        if (timelineOut is { } o && o <= timelineIn)
            throw item.Error("TimelineOut", $"must be greater than TimelineIn ({JsonObjectReader.Format(timelineIn)})");
        Extent? Read(string name) => item.Number(name, 0, 8192) is { } v ? new Extent(v) : null;
        var region = choices.Any(FrameEffectCatalog.TakesRegion)
            ? new RegionBox(Read("X") ?? new(0), Read("Y") ?? new(0), Read("Width") ?? new(1), Read("Height") ?? new(1))
            : null;
        var grade = type == "Filter" ? ColorGrade.Read(item, subType) : null;
        return new EffectTrackItem(item.Path, type, subType, timelineIn, timelineOut, region, grade) { Choices = choices };
    }

    /// <summary>
    /// SubType as IMS writes it: one name, a comma list, or "random" (any name of the type); one
    /// of the choices is picked per render by seed, as for transitions.
    /// </summary>
    private static IReadOnlyList<string> ReadChoices(JsonObjectReader item, string type)
    {
        var known = FrameEffectCatalog.SubTypes(type);
        string Supported() => $"supported: random, {string.Join(", ", known)}";
        var text = item.String("SubType") ?? throw item.Error("SubType", $"is required; {Supported()}");
        var names = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0) throw item.Error("SubType", $"is empty; {Supported()}");
        var choices = new List<string>();
        foreach (var name in names)
        {
            if (name.Equals("random", StringComparison.OrdinalIgnoreCase)) { choices.AddRange(known); continue; }
            choices.Add(known.FirstOrDefault(k => k.Equals(name, StringComparison.OrdinalIgnoreCase))
                ?? throw item.Error("SubType", $"unknown {type} '{JsonObjectReader.Excerpt(name)}'; {Supported()}"));
        }
        return choices.Distinct().ToList();
    }
}
