using RenderFarm.Cluster.Model;
using RenderFarm.Cluster.Nodes;

namespace RenderFarm.Gateway;

/// <summary>
/// The operator API behind `farm cluster|queues|jobs`: nodes, queues, job details and history,
/// drain/leave/enable, cancel/retry. Every call needs the operator token.
/// </summary>
public static class AdminApi
{
    public static void Map(WebApplication app, FarmNode node)
    {
        var admin = app.MapGroup("/admin").AddEndpointFilter(async (context, next) =>
            Authorized(context.HttpContext.Request, node.Settings.OperatorToken) ? await next(context) : ApiErrors.Unauthorized());

        admin.MapGet("/cluster", async (CancellationToken ct) =>
        {
            var now = DateTimeOffset.UtcNow;
            var nodes = await node.Store.GetNodesAsync(ct);
            return Results.Json(nodes.OrderBy(n => n.NodeId).Select(n => new
            {
                n.NodeId,
                n.Roles,
                n.Slots,
                State = n.State.ToString(),
                n.RunningTasks,
                HeartbeatAgeSeconds = Math.Round((now - n.LastSeen).TotalSeconds, 1),
                Alive = now - n.LastSeen < TimeSpan.FromSeconds(15),
                n.DisabledKinds,
                n.Device,
            }));
        });
        admin.MapPost("/nodes/{id}/drain", (string id, CancellationToken ct) => SetState(node, id, NodeState.Draining, ct));
        admin.MapPost("/nodes/{id}/leave", (string id, CancellationToken ct) => SetState(node, id, NodeState.Left, ct));
        admin.MapPost("/nodes/{id}/enable", async (string id, CancellationToken ct) =>
        {
            if (!await node.Store.SetNodeDisabledKindsAsync(id, [], ct)) return ApiErrors.NotFound("NodeId", id);
            await node.Store.SetNodeStateAsync(id, NodeState.Active, ct);
            return Results.Json(new { NodeId = id, State = "Active", DisabledKinds = Array.Empty<string>() });
        });
        admin.MapGet("/queues", async (CancellationToken ct) => Results.Json(await Queues(node, ct)));
        admin.MapGet("/jobs", async (string? status, int? max, CancellationToken ct) =>
        {
            JobStatus? filter = Enum.TryParse<JobStatus>(status, true, out var s) ? s : null;
            var page = await node.Store.ListJobsAsync(new JobQuery(null, filter, MaxResults: Math.Clamp(max ?? 50, 1, 100)), ct);
            return Results.Json(page.Jobs.Select(j => new { j.JobId, Kind = j.Kind.ToString(), Status = j.Status.ToString(), j.Progress, CreateTime = ImsResponses.Time(j.CreateTime), j.Message }));
        });
        admin.MapGet("/jobs/{id}", async (string id, CancellationToken ct) =>
        {
            var job = await node.Store.GetJobAsync(id, ct);
            if (job is null) return ApiErrors.NotFound("JobId", id);
            var videos = await node.Store.GetVideosAsync(id, ct);
            var tasks = await node.Store.GetTasksAsync(id, ct);
            var history = await node.Store.GetHistoryAsync(id, ct);
            return Results.Json(new
            {
                job.JobId,
                Kind = job.Kind.ToString(),
                Status = job.Status.ToString(),
                job.Progress,
                job.Code,
                job.Message,
                Videos = videos.Select(v => new { v.VideoId, v.Index, Status = v.Status.ToString(), v.Progress, v.OutputPath, v.Segments, v.TotalFrames, v.Message }),
                Tasks = tasks.Select(t => new { t.TaskId, t.VideoId, Kind = TaskKinds.Name(t.Kind), State = t.State.ToString(), t.Attempt, t.NodeId, t.Reused, t.Error, t.ArtifactKey }),
                History = history.Select(h => new { At = h.At.UtcDateTime.ToString("O"), h.Event, h.Detail, h.NodeId, h.TaskId, h.VideoId }),
            });
        });
        admin.MapPost("/jobs/{id}/cancel", async (string id, CancellationToken ct) =>
            await node.Orchestrator!.CancelAsync(id, ct) ? Results.Json(new { JobId = id, Status = "Cancelled" }) : ApiErrors.NotFound("JobId", id));
        admin.MapPost("/jobs/{id}/retry", async (string id, CancellationToken ct) =>
        {
            var job = await node.Store.GetJobAsync(id, ct);
            if (job is null) return ApiErrors.NotFound("JobId", id);
            return await node.Orchestrator!.RetryAsync(id, ct)
                ? Results.Json(new { JobId = id, Status = "Processing" })
                : ApiErrors.Invalid("JobId", $"job {id} is {job.Status}; only Failed or Cancelled jobs can be retried");
        });
    }

    public static async Task<IReadOnlyList<QueueDepth>> Queues(FarmNode node, CancellationToken ct)
    {
        var counts = await node.Store.CountTasksAsync(ct);
        return TaskKinds.All.Select(kind =>
        {
            int Count(params TaskState[] states) => counts.Where(c => c.Kind == kind && states.Contains(c.State)).Sum(c => c.Count);
            return new QueueDepth(TaskKinds.Name(kind), TaskKinds.QueueName(kind), TaskKinds.IsGpu(kind) ? "gpu" : "cpu",
                Count(TaskState.Pending, TaskState.Dispatched), Count(TaskState.Running), Count(TaskState.Succeeded), Count(TaskState.Failed));
        }).ToList();
    }

    private static async Task<IResult> SetState(FarmNode node, string id, NodeState state, CancellationToken ct) =>
        await node.Store.SetNodeStateAsync(id, state, ct)
            ? Results.Json(new { NodeId = id, State = state.ToString() })
            : ApiErrors.NotFound("NodeId", id);

    private static bool Authorized(HttpRequest request, string? token)
    {
        if (string.IsNullOrEmpty(token)) return false;
        var header = request.Headers.Authorization.ToString();
        var given = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : request.Headers["X-Operator-Token"].ToString();
        return System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(given), System.Text.Encoding.UTF8.GetBytes(token));
    }
}

public sealed record QueueDepth(string Kind, string Queue, string Placement, int Waiting, int Running, int Succeeded, int Failed);
