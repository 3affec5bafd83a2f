using RenderFarm.Core.Json;

namespace RenderFarm.Core.Timelines;

/// <summary>Reads EffectTrackItems (whole-frame VFX and Filter effects over a time range).</summary>
internal static class EffectTrackParser
{
    public static EffectTrackItem Read(JsonObjectReader item)
    {
        var type = item.OneOf("Type", FrameEffectCatalog.Types) ?? throw item.Error("Type", "is required");
        var subType = item.OneOf("SubType", FrameEffectCatalog.SubTypes(type)) ?? throw item.Error("SubType", $"is required; supported: {string.Join(", ", FrameEffectCatalog.SubTypes(type))}");
        var timelineIn = item.Number("TimelineIn", 0, TimelineLimits.Default.MaxDurationSeconds) ?? 0;
        var timelineOut = item.Number("TimelineOut", 0, TimelineLimits.Default.MaxDurationSeconds);
        if (item.Number("Duration", 0, TimelineLimits.Default.MaxDurationSeconds) is { } duration && timelineOut is null)
            timelineOut = timelineIn + duration;
        if (timelineOut is { } o && o <= timelineIn)
            throw item.Error("TimelineOut", $"must be greater than TimelineIn ({JsonObjectReader.Format(timelineIn)})");
        Extent? Read(string name) => item.Number(name, 0, 8192) is { } v ? new Extent(v) : null;
        var region = FrameEffectCatalog.TakesRegion(subType)
            ? new RegionBox(Read("X") ?? new(0), Read("Y") ?? new(0), Read("Width") ?? new(1), Read("Height") ?? new(1))
            : null;
        var grade = type == "Filter" ? ColorGrade.Read(item, subType) : null;
        return new EffectTrackItem(item.Path, type, subType, timelineIn, timelineOut, region, grade);
    }
}
