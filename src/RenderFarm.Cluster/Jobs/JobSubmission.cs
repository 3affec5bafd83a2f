using System.Text.Json;
using System.Text.Json.Nodes;
using RenderFarm.Cluster.Model;
using RenderFarm.Cluster.Lifecycle;
using RenderFarm.Cluster.Notification;
using RenderFarm.Cluster.ReadModel;
using RenderFarm.Cluster.Templates;
using RenderFarm.Core.Batch;
using RenderFarm.Core.Jobs;
using RenderFarm.Core.Json;
using RenderFarm.Core.Templates;
using RenderFarm.Core.Planning;
using RenderFarm.Core.Timelines;
using RenderFarm.Media.Outbound;

namespace RenderFarm.Cluster.Jobs;

/// <summary>The job's id, and whether it already existed (same ClientToken submitted again).</summary>
public sealed record SubmissionResult(string JobId, bool Existing, IReadOnlyList<Warning> Warnings);

/// <summary>Where accepted jobs go: their entities.</summary>
public interface IJobGateway
{
    Task<SubmitReply> SubmitAsync(SubmitJob job, CancellationToken ct);

    /// <summary>Whether a job with this id was accepted (lets a repeated ClientToken skip batch planning).</summary>
    Task<bool> ExistsAsync(string jobId, CancellationToken ct) => Task.FromResult(false);
}

/// <summary>
/// The answer to a batch request: the stored job, or (GeneratePreviewOnly) the plan alone with nothing stored.
/// <see cref="Plan"/> is set whenever the request was planned from InputConfig.
/// </summary>
public sealed record BatchSubmissionResult(SubmissionResult? Stored, BatchPlan? Plan, IReadOnlyList<Warning> Warnings);

/// <summary>
/// Accepts SubmitMediaProducingJob and SubmitBatchMediaProducingJob requests: validates them
/// completely before anything is stored (a bad request queues nothing): the request's fields, its
/// render cost, every MediaURL against the media policy (<see cref="MediaAdmission"/>) and every output
/// (a name the filesystem takes, inside the output directory, not another job's: <see cref="IOutputOwners"/>).
/// Each output video becomes a self-contained SubmitMediaProducingJob request, and the job goes to its
/// entity. What is stored is the normalised request (<see cref="RequestJson"/>), not the bytes as sent.
/// Submissions are idempotent by ClientToken: the token names the job id.
/// </summary>
public sealed class JobSubmission(IJobGateway jobs, OutputLocations outputs, TimelineLimits limits, MediaAdmission media, IOutputOwners owners, OutboundPolicy outbound,
    IMediaLibraryStore? library = null,
    TimelineTemplates? templates = null)
{
    public const int MaxBatchTimelines = 100;

    public async Task<SubmissionResult> SubmitSingleAsync(string body, CancellationToken ct)
    {
        var root = RequestJson.Normalise(body);
        var filled = await FillTemplateAsync(root, ct);
        if (Field(root, "Timeline") is null)
            throw new RequestException("Timeline", "is required (SubmitMediaProducingJob takes the timeline in its Timeline field, or a TemplateId and ClipsParam)");
        NormaliseTextField(root, "Timeline");
        NormaliseTextField(root, "OutputMediaConfig");
        var timelineKey = root.First(p => string.Equals(p.Key, "Timeline", StringComparison.OrdinalIgnoreCase)).Key;
        if (await ResolveMediaIdsAsync(root[timelineKey]!, "Timeline", ct) is JsonValue resolvedText) root[timelineKey] = resolvedText;
        var normalised = root.ToJsonString();
        var request = ProducingJobRequest.Parse(normalised, limits);
        if (filled is not null) request = request with { Warnings = [.. filled.Warnings, .. request.Warnings] };
        media.Admit(request.Timeline);
        var jobId = NewJobId(request.ClientToken);
        var output = outputs.Resolve(request.Output.MediaUrl, jobId, 0, "OutputMediaConfig.MediaURL", OutputEncoding.Extensions);
        var video = Video(jobId, 0, VideoRequest(TimelineText(root, "Timeline"), ObjectField(root, "OutputMediaConfig"), request.Seed), output);
        return await Store(new Draft(jobId, JobKind.Single, request.ClientToken, normalised, request.UserData, [(video, "OutputMediaConfig.MediaURL")]), request.Warnings, ct);
    }

    /// <summary>
    /// SubmitBatchMediaProducingJob in either form. IMS: InputConfig / EditingConfig / OutputConfig,
    /// planned here (<see cref="BatchPlanning"/>, facts from <paramref name="facts"/>) into one video per
    /// output; with OutputConfig.GeneratePreviewOnly the plan is returned and nothing is stored.
    /// Timelines: a list of ready timelines (see <see cref="SubmitTimelinesAsync"/>).
    /// </summary>
    public async Task<BatchSubmissionResult> SubmitBatchAsync(string body, IBatchFactsSource? facts, CancellationToken ct)
    {
        var normalisedRoot = RequestJson.Normalise(body);
        var root = JsonObjectReader.Parse(normalisedRoot.ToJsonString(), new Diagnostics());
        if (ObjectField(normalisedRoot, "EditingConfig") is { } editing && ObjectField(editing, "TemplateConfig", "EditingConfig.TemplateConfig") is { } templateConfig)
        {
            if (root.Has("InputConfig")) throw new RequestException("EditingConfig.TemplateConfig", "cannot be combined with InputConfig: the templates' placeholders take the media");
            var fromTemplates = await SubmitTemplateBatchAsync(normalisedRoot, editing, templateConfig, ct);
            return new(fromTemplates, null, fromTemplates.Warnings);
        }
        if (!root.Has("InputConfig"))
        {
            var timelines = await SubmitTimelinesAsync(body, ct);
            return new(timelines, null, timelines.Warnings);
        }
        if (root.Has("Timelines"))
            throw root.Error("Timelines", "cannot be combined with InputConfig: give either ready timelines or the configs to plan them from");
        var source = facts ?? throw new InvalidOperationException("this node has no batch facts source to plan InputConfig requests");
        var normalised = normalisedRoot.ToJsonString();
        var (request, planner) = BatchPlanning.Parse(normalised, source.Voices);
        if (!request.Output.PreviewOnly && request.ClientToken is { } token && await jobs.ExistsAsync(JobIds.ForClientToken(token), ct))
            return new(new(JobIds.ForClientToken(token), true, request.Warnings), null, request.Warnings);
        var plan = await BatchPlanning.PlanAsync(request, planner, source, ct);
        var warnings = request.Warnings.Concat(plan.Warnings).ToList();
        // A planned timeline the renderer would refuse is refused now, while nothing is stored. Its media were
        // resolved under the same policy while the facts were gathered.
        foreach (var planned in plan.Outputs) ProducingJobRequest.Parse(planned.ProducingJobJson, limits);
        if (request.Output.PreviewOnly) return new(null, plan, warnings);

        var jobId = NewJobId(request.ClientToken);
        var videos = plan.Outputs.Select((o, i) =>
            (Video(jobId, i, o.ProducingJobJson, outputs.Resolve(o.MediaUrl, jobId, i, "OutputConfig.MediaURL", OutputEncoding.Extensions)), "OutputConfig.MediaURL")).ToList();
        var stored = await Store(new Draft(jobId, JobKind.Batch, request.ClientToken, normalised, request.UserData, videos), warnings, ct);
        return new(stored, plan, warnings);
    }

    /// <summary>
    /// A batch of ready timelines: <c>Timelines</c> (array of Timeline objects or JSON strings), optional
    /// <c>OutputConfig</c> (MediaURL pattern with {index}, Width, Height, Bitrate, Fps), UserData, ClientToken.
    /// </summary>
    /// <param name="firstIndex">What {index} in OutputConfig.MediaURL is for the first timeline (IMS-planned batches count from 1).</param>
    public async Task<SubmissionResult> SubmitTimelinesAsync(string body, CancellationToken ct, int firstIndex = 0)
    {
        var node = RequestJson.Normalise(body);
        NormaliseTextField(node, "OutputConfig");
        if (Field(node, "Timelines") is JsonArray list)
            for (var i = 0; i < list.Count; i++)
            {
                if (list[i] is JsonValue v && v.TryGetValue<string>(out var text)) list[i] = RequestJson.NormaliseText(text, $"Timelines[{i}]");
                if (await ResolveMediaIdsAsync(list[i]!, $"Timelines[{i}]", ct) is JsonValue resolvedText) list[i] = resolvedText;
            }
        var normalised = node.ToJsonString();
        var diagnostics = new Diagnostics();
        var root = JsonObjectReader.Parse(normalised, diagnostics);
        var timelines = root.Raw("Timelines") is { ValueKind: JsonValueKind.Array } array
            ? array.EnumerateArray().ToList()
            : throw root.Error("Timelines", "is required: a list of 1 to 100 timelines");
        if (timelines.Count is 0 or > MaxBatchTimelines)
            throw root.Error("Timelines", $"must hold 1 to {MaxBatchTimelines} timelines (got {timelines.Count})");
        var outputReader = root.ObjectOrJsonText("OutputConfig");
        var output = outputReader is null ? OutputMediaConfig.Empty : OutputMediaConfig.Read(outputReader, limits);
        var token = root.String("ClientToken");
        if (token is { Length: > 64 }) throw root.Error("ClientToken", "at most 64 characters are allowed");
        var userData = root.Raw("UserData") is { } u ? (u.ValueKind == JsonValueKind.String ? u.GetString() : u.GetRawText()) : null;
        var seed = root.Integer("Seed", 0, int.MaxValue) ?? 0;
        root.ReportUnread();

        var parser = new TimelineParser(limits);
        var outputNode = ObjectField(node, "OutputConfig");
        var texts = new List<string>();
        for (var i = 0; i < timelines.Count; i++)
        {
            var text = timelines[i].ValueKind == JsonValueKind.String ? timelines[i].GetString()! : timelines[i].GetRawText();
            media.Admit(parser.Read(JsonObjectReader.Parse(text, diagnostics, $"Timelines[{i}]")));
            texts.Add(text);
        }
        if (texts.Count > 1 && output.MediaUrl is { } pattern && !pattern.Contains("{index}", StringComparison.OrdinalIgnoreCase))
            throw new RequestException("OutputConfig.MediaURL", $"must contain {{index}} so the {texts.Count} videos get their own files");
        var jobId = NewJobId(token);
        var videos = texts.Select((text, i) =>
            (Video(jobId, i, VideoRequest(text, outputNode, seed + i), outputs.Resolve(output.MediaUrl, jobId, i + firstIndex, "OutputConfig.MediaURL", OutputEncoding.Extensions)), "OutputConfig.MediaURL")).ToList();
        return await Store(new Draft(jobId, JobKind.Batch, token, normalised, userData, videos), diagnostics.Warnings, ct);
    }

    /// <summary>
    /// TemplateId + ClipsParam (IMS's other way to give the timeline): the stored template filled by the ClipsParam
    /// becomes the request's Timeline, and the two fields leave the request (what is stored is what renders).
    /// </summary>
    private async Task<FilledTemplate?> FillTemplateAsync(JsonObject root, CancellationToken ct)
    {
        var idKey = Key(root, "TemplateId");
        var clipsKey = Key(root, "ClipsParam");
        if (idKey is null)
            return clipsKey is null ? null : throw new RequestException(clipsKey, "needs a TemplateId (the template whose placeholders it fills)");
        if (Key(root, "Timeline") is { } timeline) throw new RequestException(timeline, "cannot be combined with TemplateId: give either a Timeline or a TemplateId and ClipsParam");
        var id = root[idKey] is JsonValue v && v.TryGetValue<string>(out var text) && text.Length > 0 ? text : throw new RequestException(idKey, "must be a template id (text)");
        if (templates is null) throw new RequestException(idKey, "this node keeps no templates (a gateway does)");
        var filled = await templates.FillAsync(id, clipsKey is null ? null : root[clipsKey], ct, idKey, clipsKey ?? "ClipsParam");
        root.Remove(idKey);
        if (clipsKey is not null) root.Remove(clipsKey);
        root["Timeline"] = filled.TimelineJson;
        return filled;
    }

    private static readonly string[] TemplateBatchFields = ["EditingConfig", "OutputConfig", "UserData", "ClientToken", "Seed"];

    private static string? Key(JsonObject root, string name) =>
        root.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Key;

    /// <summary>
    /// A batch of outputs made from templates (EditingConfig.TemplateConfig, planned by <see cref="TemplateBatchPlan"/>):
    /// each output's template filled by its ClipsParam, then submitted as a batch of ready timelines with the
    /// request's OutputConfig (MediaURL with {index}, counted from 1 as for planned batches; Count when one ClipsParam serves all), UserData, ClientToken and Seed.
    /// </summary>
    private async Task<SubmissionResult> SubmitTemplateBatchAsync(JsonObject root, JsonObject editing, JsonObject templateConfig, CancellationToken ct)
    {
        const string path = "EditingConfig.TemplateConfig";
        if (templates is null) throw new RequestException(path, "this node keeps no templates (a gateway does)");
        if (editing.FirstOrDefault(p => !p.Key.Equals("TemplateConfig", StringComparison.OrdinalIgnoreCase)).Key is { } other)
            throw new RequestException($"EditingConfig.{other}", "cannot be combined with TemplateConfig: the templates decide the editing");
        var output = ObjectField(root, "OutputConfig") ?? new JsonObject();
        int? count = null;
        if (Key(output, "Count") is { } countKey)
        {
            count = output[countKey] is JsonValue c && c.TryGetValue<int>(out var n) && n is >= 1 and <= TemplateBatchPlan.MaxOutputs
                ? n : throw new RequestException($"OutputConfig.{countKey}", $"must be a whole number from 1 to {TemplateBatchPlan.MaxOutputs}");
            output.Remove(countKey);
        }
        var seed = Field(root, "Seed") is JsonValue s && s.TryGetValue<int>(out var given) ? given : 0;
        var timelines = new JsonArray();
        var warnings = root.Select(p => p.Key).Where(k => !TemplateBatchFields.Contains(k, StringComparer.OrdinalIgnoreCase))
            .Select(k => new Warning(k, "is not read with EditingConfig.TemplateConfig; ignored")).ToList();
        foreach (var planned in TemplateBatchPlan.Plan(templateConfig, count, seed, path))
        {
            var filled = await templates.FillAsync(planned.TemplateId, planned.ClipsParam, ct, planned.TemplatePath, planned.ClipsPath);
            timelines.Add(filled.TimelineJson);
            warnings.AddRange(filled.Warnings);
        }
        var body = new JsonObject { ["Timelines"] = timelines, ["OutputConfig"] = output };
        foreach (var name in new[] { "UserData", "ClientToken", "Seed" })
            if (Key(root, name) is { } key) body[name] = root[key]!.DeepClone();
        var result = await SubmitTimelinesAsync(body.ToJsonString(), ct, firstIndex: 1);
        return result with { Warnings = [.. warnings, .. result.Warnings] };
    }

    internal sealed record Draft(string JobId, JobKind Kind, string? Token, string Body, string? UserData, IReadOnlyList<(VideoSpec Video, string OutputField)> Videos);

    /// <summary>Stores a checked job: its webhook address, its outputs claimed, then its entity (IProduction jobs come through here too).</summary>
    internal async Task<SubmissionResult> Store(Draft draft, IReadOnlyList<Warning> warnings, CancellationToken ct)
    {
        var notify = WebhookNotifier.NotifyAddress(draft.UserData, outbound)?.ToString(); // refused here: nothing is stored
        // Two videos of one job on one file would overwrite each other as surely as two jobs would.
        var clash = draft.Videos.GroupBy(v => v.Video.OutputPath, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
            throw new RequestException(clash.First().OutputField, $"videos {string.Join(" and ", clash.Select(v => v.Video.Index))} would both be written to '{outputs.Describe(clash.Key)}'");
        var taken = await owners.ClaimAsync(draft.JobId, draft.Videos.Select(v => v.Video.OutputPath).ToList(), ct);
        if (taken is { } owned)
        {
            var field = draft.Videos.First(v => v.Video.OutputPath == owned.Path).OutputField;
            throw new RequestException(field, $"'{outputs.Describe(owned.Path)}' is the output of job {owned.JobId}; choose another name (a job never overwrites another job's video)");
        }
        var reply = await jobs.SubmitAsync(new SubmitJob(draft.JobId, draft.Kind, draft.Token, draft.Body, draft.UserData, notify, draft.Videos.Select(v => v.Video).ToList()), ct);
        return new(reply.JobId, reply.Existing, warnings);
    }

    private static string NewJobId(string? clientToken) => clientToken is null ? JobIds.New() : JobIds.ForClientToken(clientToken);

    private static VideoSpec Video(string jobId, int index, string request, string outputPath) => new($"{jobId}-{index:D3}", index, request, outputPath);

    /// <summary>A self-contained SubmitMediaProducingJob request for one video.</summary>
    private static string VideoRequest(string timelineText, JsonObject? output, int seed)
    {
        var request = new JsonObject { ["Timeline"] = timelineText, ["Seed"] = seed };
        if (output is not null) request["OutputMediaConfig"] = output.ToJsonString();
        return request.ToJsonString();
    }

    /// <summary>
    /// A timeline (an object, or IMS's JSON text) with its media library ids replaced by their MediaURLs
    /// (<see cref="LibraryReferences.ResolveTimelineAsync"/>): an object is changed in place (null comes back), JSON text comes
    /// back as new text (a new node to put in its place); anything else is left to the parser (null).
    /// </summary>
    private async Task<JsonValue?> ResolveMediaIdsAsync(JsonNode timeline, string path, CancellationToken ct)
    {
        var asText = timeline is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;
        JsonObject? node;
        try { node = asText is null ? timeline as JsonObject : RequestJson.Normalise(asText, path); }
        catch (RequestException) { return null; } // malformed text: the parser reports it with its own message
        if (node is null) return null; // not a timeline at all: the parser names it
        await LibraryReferences.ResolveTimelineAsync(node, path, library, ct);
        return asText is null ? null : JsonValue.Create(node.ToJsonString());
    }

    /// <summary>IMS sends Timeline and OutputMediaConfig as JSON text: that text is normalised like the body around it.</summary>
    private static void NormaliseTextField(JsonObject root, string name)
    {
        var entry = root.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase));
        if (entry.Value is JsonValue v && v.TryGetValue<string>(out var text))
            root[entry.Key] = RequestJson.NormaliseText(text, entry.Key);
    }

    private static string TimelineText(JsonObject root, string name) =>
        Field(root, name) is JsonValue v && v.TryGetValue<string>(out var text) ? text : Field(root, name)!.ToJsonString();

    /// <summary>An object field, given as an object or (IMS) as its JSON text.</summary>
    private static JsonObject? ObjectField(JsonObject root, string name, string? path = null) => Field(root, name) switch
    {
        JsonValue v when v.TryGetValue<string>(out var text) => RequestJson.Normalise(text, path ?? name),
        JsonObject o => (JsonObject)o.DeepClone(),
        _ => null,
    };

    /// <summary>A field by case-insensitive name (IMS field names are case-insensitive).</summary>
    private static JsonNode? Field(JsonObject root, string name) =>
        root.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}

/// <summary>Which job owns each output file, so no job overwrites another's video.</summary>
public interface IOutputOwners
{
    /// <summary>
    /// Records <paramref name="jobId"/> as the owner of <paramref name="paths"/>, all or none. Returns the first
    /// path another job owns (and that job), or null when every path is now this job's. A path whose owner failed
    /// or was cancelled (so wrote nothing) may be taken over.
    /// </summary>
    Task<(string Path, string JobId)?> ClaimAsync(string jobId, IReadOnlyList<string> paths, CancellationToken ct);
}
