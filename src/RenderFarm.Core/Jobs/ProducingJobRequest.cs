using System.Text.Json;
using RenderFarm.Core.Json;
using RenderFarm.Core.Timelines;

namespace RenderFarm.Core.Jobs;

/// <summary>
/// A SubmitMediaProducingJob request (Timeline + OutputMediaConfig + UserData + ClientToken), or a
/// bare Timeline. IMS passes Timeline and OutputMediaConfig as JSON strings; objects are accepted too.
/// </summary>
public sealed record ProducingJobRequest(
    Timeline Timeline,
    OutputMediaConfig Output,
    string? UserData,
    string? ClientToken,
    int Seed,
    IReadOnlyList<Warning> Warnings)
{
    public static ProducingJobRequest Parse(string json, TimelineLimits? limits = null)
    {
        limits ??= TimelineLimits.Default;
        var diagnostics = new Diagnostics();
        var root = JsonObjectReader.Parse(json, diagnostics);
        var parser = new TimelineParser(limits);
        if (!root.Has("Timeline"))
        {
            var bare = parser.Read(root);
            root.ReportUnread();
            return new ProducingJobRequest(bare, OutputMediaConfig.Empty, null, null, 0, diagnostics.Warnings);
        }
        foreach (var unsupported in new[] { "ProjectId", "TemplateId", "ClipsParam" })
            if (root.Has(unsupported))
                throw root.Error(unsupported, "editing projects and templates are not supported; give a Timeline");
        var timelineReader = Embedded(root, "Timeline") ?? throw root.Error("Timeline", "is required");
        var timeline = parser.Read(timelineReader);
        var outputReader = Embedded(root, "OutputMediaConfig");
        var output = outputReader is null ? OutputMediaConfig.Empty : OutputMediaConfig.Read(outputReader, limits);
        var userData = root.Raw("UserData") is { } u ? (u.ValueKind == JsonValueKind.String ? u.GetString() : u.GetRawText()) : null;
        if (userData is { Length: > 512 }) throw root.Error("UserData", $"at most 512 bytes are allowed (got {userData.Length})");
        var token = root.String("ClientToken");
        if (token is { Length: > 64 }) throw root.Error("ClientToken", "at most 64 characters are allowed");
        var seed = root.Integer("Seed", 0, int.MaxValue) ?? 0;
        foreach (var ignored in new[] { "OutputMediaTarget", "ProjectMetadata", "EditingProduceConfig", "MediaMetadata", "Source" })
            root.Accept(ignored);
        root.ReportUnread();
        timelineReader.ReportUnread();
        outputReader?.ReportUnread();
        return new ProducingJobRequest(timeline, output, userData, token, seed, diagnostics.Warnings);
    }

    /// <summary>
    /// An object field that IMS may also send as a JSON string holding the object. The reader is
    /// detached from <paramref name="root"/>: the caller reports its unread fields.
    /// </summary>
    private static JsonObjectReader? Embedded(JsonObjectReader root, string name)
    {
        var raw = root.Raw(name);
        if (raw is not { } element) return null;
        if (element.ValueKind == JsonValueKind.String)
            return JsonObjectReader.Parse(element.GetString()!, root.Diagnostics, root.FieldPath(name));
        return JsonObjectReader.FromElement(element, root.Diagnostics, root.FieldPath(name));
    }
}
