using System.Globalization;
using RenderFarm.Cluster.Jobs;
using RenderFarm.Cluster.Model;
using RenderFarm.Cluster.Hosting;
using RenderFarm.Core.Json;

namespace RenderFarm.Gateway;

/// <summary>
/// The IMS actions, at <c>/{Action}</c> (and RPC style <c>/?Action=...</c>): SubmitMediaProducingJob,
/// GetMediaProducingJob, ListMediaProducingJobs and the Batch variants. Parameters come from the
/// query string or the JSON body, with IMS names.
/// </summary>
public static class ImsApi
{
    public static void Map(WebApplication app, FarmNode node)
    {
        // Batch planning probes media and speaks voice-overs with the same policy and caches as the node's renders.
        var facts = new Lazy<BatchFactsGatherer>(() => BatchFactsGatherer.ForNode(node.Settings, node.MediaSources, node.Library));
        Task<IResult> Submit(FarmNode node, HttpRequest r, bool batch, CancellationToken ct) =>
            batch ? SubmitBatch(node, facts.Value, r, ct) : SubmitSingle(node, r, ct);
        app.MapPost("/SubmitMediaProducingJob", (HttpRequest r, CancellationToken ct) => Submit(node, r, batch: false, ct));
        app.MapPost("/SubmitBatchMediaProducingJob", (HttpRequest r, CancellationToken ct) => Submit(node, r, batch: true, ct));
        app.MapMethods("/GetMediaProducingJob", ["GET", "POST"], (HttpRequest r, CancellationToken ct) => Get(node, r, batch: false, ct));
        app.MapMethods("/GetBatchMediaProducingJob", ["GET", "POST"], (HttpRequest r, CancellationToken ct) => Get(node, r, batch: true, ct));
        app.MapMethods("/ListMediaProducingJobs", ["GET", "POST"], (HttpRequest r, CancellationToken ct) => List(node, r, JobKind.Single, ct));
        app.MapMethods("/ListBatchMediaProducingJobs", ["GET", "POST"], (HttpRequest r, CancellationToken ct) => List(node, r, JobKind.Batch, ct));
        app.MapMethods("/", ["GET", "POST"], (HttpRequest r, CancellationToken ct) => r.Query["Action"].ToString() switch
        {
            "SubmitMediaProducingJob" => Submit(node, r, false, ct),
            "SubmitBatchMediaProducingJob" => Submit(node, r, true, ct),
            "GetMediaProducingJob" => Get(node, r, false, ct),
            "GetBatchMediaProducingJob" => Get(node, r, true, ct),
            "ListMediaProducingJobs" => List(node, r, JobKind.Single, ct),
            "ListBatchMediaProducingJobs" => List(node, r, JobKind.Batch, ct),
            var other => LibraryApi.Dispatch(node, r, other, ct) ?? TemplateApi.Dispatch(node, r, other, ct) ?? ProductionApi.Dispatch(node, r, other, ct)
                ?? Task.FromResult(ApiErrors.Invalid("Action", $"unknown action '{other}'")),
        });
    }

    private static async Task<IResult> SubmitSingle(FarmNode node, HttpRequest request, CancellationToken ct)
    {
        var body = await new StreamReader(request.Body).ReadToEndAsync(ct);
        try
        {
            var result = await node.Submission!.SubmitSingleAsync(body, ct);
            return Results.Json(new { RequestId = RequestIds.New(), result.JobId, Warnings = result.Warnings.Select(w => w.ToString()) });
        }
        catch (RequestException e)
        {
            return ApiErrors.Invalid(e);
        }
    }

    /// <summary>
    /// A batch: stored and announced, answered with JobId and (for InputConfig requests) the mode
    /// decision; with GeneratePreviewOnly, answered with the planned outputs and nothing stored.
    /// </summary>
    private static async Task<IResult> SubmitBatch(FarmNode node, BatchFactsGatherer facts, HttpRequest request, CancellationToken ct)
    {
        var body = await new StreamReader(request.Body).ReadToEndAsync(ct);
        try
        {
            var result = await node.Submission!.SubmitBatchAsync(body, facts, ct);
            if (result.Stored is not { } stored) return Results.Json(BatchResponses.Preview(result.Plan!, result.Warnings));
            return Results.Json(new
            {
                RequestId = RequestIds.New(),
                stored.JobId,
                Mode = result.Plan?.Mode.Name,
                ModeReason = result.Plan?.Mode.Reason,
                Diversity = result.Plan?.Diversity.ToString(),
                Warnings = result.Warnings.Select(w => w.ToString()),
            });
        }
        catch (RequestException e)
        {
            return ApiErrors.Invalid(e);
        }
    }

    private static async Task<IResult> Get(FarmNode node, HttpRequest request, bool batch, CancellationToken ct)
    {
        var jobId = await Parameter(request, "JobId", ct);
        if (string.IsNullOrEmpty(jobId)) return ApiErrors.Invalid("JobId", "is required");
        var job = await node.ReadModel.GetJobAsync(jobId, ct);
        if (job is null || job.Kind != (batch ? JobKind.Batch : JobKind.Single)) return ApiErrors.NotFound("JobId", jobId);
        var videos = await node.ReadModel.GetVideosAsync(jobId, ct);
        return batch
            ? Results.Json(new { RequestId = RequestIds.New(), EditingBatchJob = BatchResponses.EditingBatchJob(job, videos) })
            : Results.Json(new { RequestId = RequestIds.New(), MediaProducingJob = ImsResponses.MediaProducingJob(job, videos.FirstOrDefault()) });
    }

    private static async Task<IResult> List(FarmNode node, HttpRequest request, JobKind kind, CancellationToken ct)
    {
        var (page, max, error) = await ListJobsAsync(node, request, kind, ct);
        if (error is not null) return error;
        var items = new List<object>();
        foreach (var job in page.Jobs)
        {
            var videos = await node.ReadModel.GetVideosAsync(job.JobId, ct);
            items.Add(kind == JobKind.Batch ? ImsResponses.EditingBatchJob(job, videos) : ImsResponses.MediaProducingJob(job, videos.FirstOrDefault()));
        }
        return kind == JobKind.Batch
            ? Results.Json(new { RequestId = RequestIds.New(), EditingBatchJobList = items, page.NextToken, MaxResults = max })
            : Results.Json(new { RequestId = RequestIds.New(), MediaProducingJobList = items, page.NextToken, MaxResults = max });
    }

    /// <summary>
    /// One page of jobs of <paramref name="kind"/> with the list filters every List action takes: Status,
    /// StartTime, EndTime, MaxResults (1-100, default 10) and NextToken. A bad filter is the error result.
    /// </summary>
    internal static async Task<(JobPage Page, int Max, IResult? Error)> ListJobsAsync(FarmNode node, HttpRequest request, JobKind kind, CancellationToken ct)
    {
        var none = new JobPage([], null);
        JobStatus? status = null;
        if (await Parameter(request, "Status", ct) is { Length: > 0 } s)
        {
            if (!Enum.TryParse<JobStatus>(s, ignoreCase: true, out var parsed))
                return (none, 0, ApiErrors.Invalid("Status", $"unknown status '{s}'; supported: {string.Join(", ", Enum.GetNames<JobStatus>())}"));
            status = parsed;
        }
        var maxText = await Parameter(request, "MaxResults", ct);
        var max = 10;
        if (maxText is { Length: > 0 } && (!int.TryParse(maxText, out max) || max is < 1 or > 100))
            return (none, 0, ApiErrors.Invalid("MaxResults", $"must be between 1 and 100 (got '{maxText}')"));
        DateTimeOffset? start = null, end = null;
        foreach (var (name, set) in new (string, Action<DateTimeOffset>)[] { ("StartTime", v => start = v), ("EndTime", v => end = v) })
        {
            var text = await Parameter(request, name, ct);
            if (string.IsNullOrEmpty(text)) continue;
            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
                return (none, 0, ApiErrors.Invalid(name, $"'{text}' is not a UTC time like 2026-11-21T10:00:00Z"));
            set(value);
        }
        try { return (await node.ReadModel.ListJobsAsync(new JobQuery(kind, status, start, end, max, await Parameter(request, "NextToken", ct)), ct), max, null); }
        catch (ArgumentException e) when (e.ParamName == "token") { return (none, 0, ApiErrors.Invalid("NextToken", "is not a token this API returned")); }
    }

    /// <summary>
    /// A parameter from the query string, else from a JSON body (IMS clients send either). A body that is not JSON,
    /// or not an object, holds no parameters; a value that is no text (a lone surrogate escape) is the caller's error.
    /// </summary>
    /// <exception cref="RequestException">The parameter's value in the body cannot be read as text.</exception>
    internal static async Task<string?> Parameter(HttpRequest request, string name, CancellationToken ct)
    {
        foreach (var (key, value) in request.Query)
            if (key.Equals(name, StringComparison.OrdinalIgnoreCase)) return value.ToString();
        if (!HttpMethods.IsPost(request.Method) || request.ContentLength is 0 or null) return null;
        request.EnableBuffering();
        request.Body.Position = 0;
        try
        {
            var doc = await System.Text.Json.JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
            request.Body.Position = 0;
            if (doc.RootElement.ValueKind != System.Text.Json.JsonValueKind.Object) return null;
            foreach (var p in doc.RootElement.EnumerateObject())
                if (p.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
                    return p.Value.ValueKind == System.Text.Json.JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText();
        }
        catch (System.Text.Json.JsonException) { }
        // GetString refuses "\uD800" and other escapes that make no UTF-16 text.
        catch (InvalidOperationException) { throw new RequestException(name, "is not valid text (it holds an unpaired surrogate escape)"); }
        return null;
    }
}
