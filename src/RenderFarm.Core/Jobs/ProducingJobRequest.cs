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
        if (root.Has("ProjectId")) throw root.Error("ProjectId", "editing projects are not supported; give a Timeline");
        foreach (var templateField in new[] { "TemplateId", "ClipsParam" })
            if (root.Has(templateField))
                throw root.Error(templateField, "cannot be combined with Timeline: a gateway fills a template into the Timeline (give one or the other)");
        var timeline = parser.Read(root.ObjectOrJsonText("Timeline") ?? throw root.Error("Timeline", "is required"));
        var outputReader = root.ObjectOrJsonText("OutputMediaConfig");
        var output = outputReader is null ? OutputMediaConfig.Empty : OutputMediaConfig.Read(outputReader, limits);
        var userData = root.Raw("UserData") is { } u ? (u.ValueKind == JsonValueKind.String ? u.GetString() : u.GetRawText()) : null;
        if (userData is not null && System.Text.Encoding.UTF8.GetByteCount(userData) is var bytes and > 512)
            throw root.Error("UserData", $"at most 512 bytes are allowed (got {bytes})");
        var token = root.String("ClientToken");
        if (token is { Length: > 64 }) throw root.Error("ClientToken", "at most 64 characters are allowed");
        var seed = root.Integer("Seed", 0, int.MaxValue) ?? 0;
        foreach (var ignored in new[] { "EditingProduceConfig", "MediaMetadata", "ProjectMetadata", "OutputMediaTarget", "Source" })
        {
            if (root.Has(ignored)) root.Warn(ignored, "has no meaning for a self-hosted farm and was ignored");
            root.Accept(ignored);
        }
        root.ReportUnread();
        return new ProducingJobRequest(timeline, output, userData, token, seed, diagnostics.Warnings);
    }
}
