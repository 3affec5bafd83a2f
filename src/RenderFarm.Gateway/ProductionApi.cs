using System.Text.Json;
using System.Text.Json.Nodes;
using RenderFarm.Cluster.Hosting;
using RenderFarm.Cluster.Model;
using RenderFarm.Cluster.Production;
using RenderFarm.Core.Json;

namespace RenderFarm.Gateway;

/// <summary>
/// IMS's media-AI actions: SubmitIProductionJob, QueryIProductionJob and ListIProductionJobs (filters and
/// paging as the other List actions). A job's completion calls UserData.NotifyAddress like every job's.
/// </summary>
public static class ProductionApi
{
    public static void Map(WebApplication app, FarmNode node)
    {
        foreach (var action in new[] { "SubmitIProductionJob", "QueryIProductionJob", "ListIProductionJobs" })
            app.MapMethods("/" + action, ["GET", "POST"], (HttpRequest r, CancellationToken ct) => Dispatch(node, r, action, ct)!);
    }

    /// <summary>The handler of a media-AI action, or null when <paramref name="action"/> is not one.</summary>
    public static Task<IResult>? Dispatch(FarmNode node, HttpRequest request, string action, CancellationToken ct) => action switch
    {
        "SubmitIProductionJob" => Guard(() => Submit(node, request, ct)),
        "QueryIProductionJob" => Guard(() => Query(node, request, ct)),
        "ListIProductionJobs" => Guard(() => List(node, request, ct)),
        _ => null,
    };

    private static async Task<IResult> Guard(Func<Task<IResult>> handler)
    {
        try { return await handler(); }
        catch (RequestException e) { return ApiErrors.Invalid(e); }
    }

    private static async Task<IResult> Submit(FarmNode node, HttpRequest request, CancellationToken ct)
    {
        var submission = node.Production ?? throw new RequestException("Action", "this node is no gateway: SubmitIProductionJob goes to a gateway node");
        var body = await new StreamReader(request.Body).ReadToEndAsync(ct);
        // IMS clients also send the fields as query parameters (RPC style): those make the body when it is empty.
        if (string.IsNullOrWhiteSpace(body) && request.Query.Count > 0)
            body = new JsonObject(request.Query.Where(q => q.Key != "Action").Select(q => KeyValuePair.Create(q.Key, (JsonNode?)JsonValue.Create(q.Value.ToString())))).ToJsonString();
        var result = await submission.SubmitAsync(body, ct);
        return Results.Json(new { RequestId = RequestIds.New(), result.JobId, Warnings = result.Warnings.Select(w => w.ToString()) });
    }

    private static async Task<IResult> Query(FarmNode node, HttpRequest request, CancellationToken ct)
    {
        var jobId = await ImsApi.Parameter(request, "JobId", ct);
        if (string.IsNullOrEmpty(jobId)) return ApiErrors.Invalid("JobId", "is required");
        var job = await node.ReadModel.GetJobAsync(jobId, ct);
        if (job is null || job.Kind != JobKind.IProduction) return ApiErrors.NotFound("JobId", jobId);
        return Results.Json(new JsonObject { ["RequestId"] = RequestIds.New(), ["Job"] = await DescribeAsync(node, job, ct) });
    }

    private static async Task<IResult> List(FarmNode node, HttpRequest request, CancellationToken ct)
    {
        var (page, max, error) = await ImsApi.ListJobsAsync(node, request, JobKind.IProduction, ct);
        if (error is not null) return error;
        var jobs = new JsonArray();
        foreach (var job in page.Jobs) jobs.Add(await DescribeAsync(node, job, ct));
        return Results.Json(new JsonObject { ["RequestId"] = RequestIds.New(), ["Jobs"] = jobs, ["NextToken"] = page.NextToken, ["MaxResults"] = max });
    }

    /// <summary>IMS sends Input, Output and ScheduleConfig as objects or as JSON text (normalised at submission): objects here.</summary>
    private static JsonNode? ObjectOf(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var text) ? RequestJson.Normalise(text) : node;

    /// <summary>
    /// A job as QueryIProductionJob answers it: the request's FunctionName, Name, Input, Output (Media: the file
    /// written), JobParams, ScheduleConfig and UserData; its State and progress; and, once it succeeded, Result.
    /// </summary>
    private static async Task<JsonObject> DescribeAsync(FarmNode node, JobRecord job, CancellationToken ct)
    {
        var request = JsonNode.Parse(job.RequestJson)!.AsObject();
        JsonNode? Field(string name) => request.FirstOrDefault(p => p.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value?.DeepClone();
        var video = (await node.ReadModel.GetVideosAsync(job.JobId, ct)).FirstOrDefault();
        JsonNode? result = null;
        if (job.Status == JobStatus.Success)
        {
            var task = (await node.ReadModel.GetTasksAsync(job.JobId, ct)).FirstOrDefault(t => t.Kind == TaskKind.Produce);
            if (task is not null) result = ProductionTaskRunner.ReadResult(node.Artifacts, task.ArtifactKey);
        }
        var input = ObjectOf(Field("Input"));
        var output = ObjectOf(Field("Output")) as JsonObject ?? new JsonObject { ["Type"] = "Local" };
        if (video is not null) output["Media"] = video.OutputPath;
        var schedule = Field("ScheduleConfig");
        return new JsonObject
        {
            ["JobId"] = job.JobId,
            ["Name"] = Field("Name"),
            ["FunctionName"] = Field("FunctionName"),
            ["Input"] = input,
            ["Output"] = output,
            ["JobParams"] = Field("JobParams") is JsonObject o ? o.ToJsonString() : Field("JobParams"),
            ["ScheduleConfig"] = ObjectOf(schedule),
            ["State"] = job.Status.ToString(),
            ["Progress"] = (int)Math.Floor(job.Progress),
            ["Code"] = job.Code,
            ["Message"] = job.Message,
            ["Result"] = result,
            ["UserData"] = job.UserData,
            ["CreateTime"] = ImsResponses.Time(job.CreateTime),
            ["FinishTime"] = job.CompleteTime is null ? null : ImsResponses.Time(job.CompleteTime),
        };
    }
}
