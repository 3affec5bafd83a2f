using System.Text.Json;
using System.Text.Json.Nodes;
using RenderFarm.Cluster.Model;
using RenderFarm.Core.Batch;
using RenderFarm.Core.Json;

namespace RenderFarm.Gateway;

/// <summary>
/// The batch answers beyond the list shape: a preview plan (GeneratePreviewOnly) and the detail of one
/// batch job (GetBatchMediaProducingJob) with its mode decision, each output's timeline, status and URL.
/// IMS names where IMS has the field; Mode, ModeReason, Timeline and Outputs are this farm's additions.
/// </summary>
public static class BatchResponses
{
    /// <summary>One planned output as `farm render` takes it: Timeline and OutputMediaConfig.</summary>
    public static object PlannedOutput(PlannedOutput o) => new
    {
        o.Index,
        MediaURL = o.MediaUrl,
        Duration = Math.Round(o.DurationSeconds, 3),
        VoiceOver = o.Speech.Select(s => new { s.Text, s.Voice, TimelineIn = Math.Round(s.TimelineIn, 3), Duration = Math.Round(s.Seconds, 3) }),
        Timeline = JsonNode.Parse(o.TimelineJson),
        OutputMediaConfig = JsonNode.Parse(o.OutputMediaConfigJson),
    };

    public static object Preview(BatchPlan plan, IEnumerable<Warning> warnings) => new
    {
        RequestId = RequestIds.New(),
        Mode = plan.Mode.Name,
        ModeReason = plan.Mode.Reason,
        Diversity = plan.Diversity.ToString(),
        Outputs = plan.Outputs.Select(PlannedOutput),
        Warnings = warnings.Select(w => w.ToString()),
    };

    public static object EditingBatchJob(JobRecord job, IReadOnlyList<VideoRecord> videos)
    {
        var mode = ModeOf(job.RequestJson);
        var request = TryParse(job.RequestJson);
        return new
        {
            job.JobId,
            JobType = mode is null ? "Timelines" : "Script",
            Mode = mode?.Name,
            ModeReason = mode?.Reason,
            InputConfig = ConfigText(request, "InputConfig"),
            EditingConfig = ConfigText(request, "EditingConfig"),
            OutputConfig = ConfigText(request, "OutputConfig"),
            Status = job.Status.ToString(),
            Progress = (int)Math.Floor(job.Progress),
            CreateTime = ImsResponses.Time(job.CreateTime),
            ModifiedTime = ImsResponses.Time(job.ModifiedTime),
            CompleteTime = job.CompleteTime is null ? null : ImsResponses.Time(job.CompleteTime),
            job.UserData,
            job.Code,
            job.Message,
            SubJobList = videos.OrderBy(v => v.Index).Select(v => new
            {
                JobId = v.VideoId,
                v.Index,
                MediaURL = v.OutputPath,
                Status = v.Status.ToString(),
                Progress = (int)Math.Floor(v.Progress),
                Duration = v.DurationSeconds,
                ErrorCode = v.Code,
                ErrorMessage = v.Message,
                Timeline = TimelineOf(v.RequestJson),
            }),
        };
    }

    /// <summary>The mode of an InputConfig request as it was decided at submission (the parse is pure and repeatable).</summary>
    private static ModeDecision? ModeOf(string requestJson)
    {
        try { return JsonDocument.Parse(requestJson).RootElement.TryGetProperty("InputConfig", out _) ? BatchRequestParser.Parse(requestJson).Mode : null; }
        catch (Exception e) when (e is RequestException or JsonException) { return null; }
    }

    private static JsonObject? TryParse(string json)
    {
        try { return JsonNode.Parse(json) as JsonObject; }
        catch (JsonException) { return null; }
    }

    /// <summary>IMS returns the configs as JSON strings.</summary>
    private static string? ConfigText(JsonObject? request, string name) => request?[name] switch
    {
        JsonValue v when v.TryGetValue<string>(out var text) => text,
        JsonNode node => node.ToJsonString(),
        _ => null,
    };

    /// <summary>The video's timeline as an object (stored either as an object or as a JSON string).</summary>
    private static JsonNode? TimelineOf(string videoRequest) => TryParse(videoRequest)?["Timeline"] switch
    {
        JsonValue v when v.TryGetValue<string>(out var text) => JsonNode.Parse(text),
        JsonNode node => node.DeepClone(),
        _ => null,
    };
}
