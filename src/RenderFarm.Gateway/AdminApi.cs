using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using RenderFarm.Cluster.Access;
using RenderFarm.Cluster.Hosting;
using RenderFarm.Cluster.Lifecycle;
using RenderFarm.Cluster.Model;
using RenderFarm.Cluster.Planning;
using RenderFarm.Cluster.Workers;
using RenderFarm.Core.Json;

namespace RenderFarm.Gateway;

/// <summary>
/// The operator API behind `farm cluster|sharding|queues|jobs` and the web monitor: members and nodes, shards, waiting
/// work, running tasks, job details and history (all from the read model and the local cluster state, never by
/// asking busy actors), drain/leave/enable/down-unreachable, cancel/retry, API keys. Views (GET) need the read scope; commands and keys the operate scope.
/// </summary>
public static class AdminApi
{
    public static void Map(WebApplication app, FarmNode node)
    {
        var admin = app.MapGroup("/admin"); // views need read, commands and keys operate (Access, AccessRules)

        admin.MapGet("/cluster", async (CancellationToken ct) => Results.Json(await ClusterView(node, ct)));
        admin.MapGet("/members", () =>
        {
            var state = Akka.Cluster.Cluster.Get(node.System).State;
            var unreachable = state.Unreachable.Select(m => m.Address).ToHashSet();
            return Results.Json(state.Members.OrderBy(m => m.Address.ToString()).Select(m => new
            {
                Address = m.Address.ToString(),
                Roles = m.Roles.Order().ToList(),
                Status = m.Status.ToString(),
                Reachable = !unreachable.Contains(m.Address),
                Leader = state.Leader == m.Address,
            }));
        });
        admin.MapPost("/cluster/down-unreachable", () =>
        {
            var cluster = Akka.Cluster.Cluster.Get(node.System);
            var unreachable = cluster.State.Unreachable.Select(m => m.Address).ToList();
            foreach (var address in unreachable) cluster.Down(address);
            return Results.Json(new { Downed = unreachable.Select(a => a.ToString()) });
        });
        admin.MapPost("/nodes/{id}/drain", (string id, CancellationToken ct) => Command(node, id, new DrainNode(), ct));
        admin.MapPost("/nodes/{id}/leave", (string id, CancellationToken ct) => Command(node, id, new LeaveNode(), ct));
        admin.MapPost("/nodes/{id}/enable", (string id, CancellationToken ct) => Command(node, id, new EnableNode(), ct));
        admin.MapGet("/sharding", async (CancellationToken ct) =>
        {
            var region = ClusterSharding.Get(node.System).ShardRegion("jobs");
            var stats = await region.Ask<ClusterShardingStats>(new GetClusterShardingStats(TimeSpan.FromSeconds(5)), TimeSpan.FromSeconds(10), ct);
            return Results.Json(stats.Regions.OrderBy(r => r.Key.ToString()).Select(r => new
            {
                Address = r.Key.ToString(),
                Shards = r.Value.Stats.Count,
                Entities = r.Value.Stats.Values.Sum(),
                ShardEntities = r.Value.Stats.OrderBy(s => s.Key).ToDictionary(s => s.Key, s => s.Value),
                Failed = r.Value.Failed.Count,
            }));
        });
        admin.MapGet("/queues", async (CancellationToken ct) => Results.Json(await Queues(node, ct)));
        // Every kind of job, newest first; status, kind, a creation time range (since/until, UTC) and text (the job id or a part of UserData) narrow it.
        admin.MapGet("/jobs", async (string? status, string? kind, string? since, string? until, string? text, int? max, CancellationToken ct) =>
        {
            JobStatus? statusFilter = Enum.TryParse<JobStatus>(status, true, out var s) ? s : null;
            JobKind? kindFilter = Enum.TryParse<JobKind>(kind, true, out var k) ? k : null;
            var query = new JobQuery(kindFilter, statusFilter, Time("since", since), Time("until", until), Math.Clamp(max ?? 50, 1, 100),
                Text: string.IsNullOrWhiteSpace(text) ? null : text.Trim());
            var page = await node.ReadModel.ListJobsAsync(query, ct);
            return Results.Json(page.Jobs.Select(j => new
            {
                j.JobId, Kind = j.Kind.ToString(), Status = j.Status.ToString(), j.Progress, CreateTime = ImsResponses.Time(j.CreateTime),
                CompleteTime = j.CompleteTime is null ? null : ImsResponses.Time(j.CompleteTime), j.UserData, j.Message,
            }));
        });
        // Tasks in one state across the farm (default Running: which node runs what now), oldest first.
        admin.MapGet("/tasks", async (string? state, int? max, CancellationToken ct) =>
        {
            var filter = Enum.TryParse<TaskState>(state, true, out var s) ? s : TaskState.Running;
            var tasks = await node.ReadModel.GetTasksInStateAsync(filter, Math.Clamp(max ?? 500, 1, 2000), ct);
            return Results.Json(tasks.Select(t => new
            {
                t.TaskId, t.JobId, t.VideoId, Kind = TaskKinds.Name(t.Kind), State = t.State.ToString(), t.Attempt, t.NodeId,
                StartedAt = t.StartedAt?.UtcDateTime.ToString("O"),
            }));
        });
        admin.MapGet("/jobs/{id}", async (string id, CancellationToken ct) =>
        {
            var job = await node.ReadModel.GetJobAsync(id, ct);
            if (job is null) return ApiErrors.NotFound("JobId", id);
            var videos = await node.ReadModel.GetVideosAsync(id, ct);
            var tasks = await node.ReadModel.GetTasksAsync(id, ct);
            var history = await node.ReadModel.GetHistoryAsync(id, ct);
            return Results.Json(new
            {
                job.JobId,
                Kind = job.Kind.ToString(),
                Status = job.Status.ToString(),
                job.Progress,
                job.Code,
                job.Message,
                job.UserData,
                CreateTime = ImsResponses.Time(job.CreateTime),
                CompleteTime = job.CompleteTime is null ? null : ImsResponses.Time(job.CompleteTime),
                Videos = videos.Select(v => new { v.VideoId, v.Index, Status = v.Status.ToString(), v.Progress, v.OutputPath, v.Segments, v.TotalFrames, Duration = v.DurationSeconds, v.Message }),
                Tasks = tasks.Select(t => new
                {
                    t.TaskId, t.VideoId, Kind = TaskKinds.Name(t.Kind), State = t.State.ToString(), t.Attempt, t.NodeId, t.Reused, t.Error, t.ArtifactKey,
                    StartedAt = t.StartedAt?.UtcDateTime.ToString("O"), FinishedAt = t.FinishedAt?.UtcDateTime.ToString("O"),
                    Segment = t.Kind == TaskKind.EncodeSegment ? TaskInputJson.Read<SegmentInput>(t.InputJson) : null,
                }),
                History = history.Select(h => new { At = h.At.UtcDateTime.ToString("O"), h.Event, h.Detail, h.NodeId, h.TaskId, h.VideoId }),
            });
        });
        admin.MapPost("/keys", async (HttpRequest r, CancellationToken ct) =>
        {
            var name = await ImsApi.Parameter(r, "Name", ct);
            if (string.IsNullOrWhiteSpace(name) || name.Length > 100 || name.Any(char.IsControl))
                return ApiErrors.Invalid("Name", "is required: 1 to 100 printable characters naming the client");
            var scopeText = await ImsApi.Parameter(r, "Scope", ct) ?? "submit";
            if (!Enum.TryParse<ApiScope>(scopeText, ignoreCase: true, out var scope) || !Enum.IsDefined(scope))
                return ApiErrors.Invalid("Scope", $"unknown scope '{scopeText}'; supported: read, submit, operate");
            var issued = await node.Keys.CreateAsync(name.Trim(), scope, ct);
            return Results.Json(new { issued.Record.KeyId, issued.Record.Name, Scope = scope.ToString().ToLowerInvariant(), Key = issued.Secret });
        });
        admin.MapGet("/keys", async (CancellationToken ct) => Results.Json((await node.KeyStore.ListKeysAsync(ct)).Select(k => new
        {
            k.KeyId, k.Name, Scope = k.Scope.ToString().ToLowerInvariant(), k.CreatedAt, k.RevokedAt,
        })));
        admin.MapPost("/keys/{id}/revoke", async (string id, CancellationToken ct) =>
        {
            if (!await node.KeyStore.RevokeKeyAsync(id, ct)) return ApiErrors.NotFound("KeyId", id);
            node.Keys.Forget(id);
            return Results.Json(new { KeyId = id, Revoked = true });
        });
        admin.MapPost("/jobs/{id}/cancel", (string id, CancellationToken ct) => JobCommand(node, new CancelJob(id), ct));
        admin.MapPost("/jobs/{id}/retry", (string id, CancellationToken ct) => JobCommand(node, new RetryJob(id), ct));
    }

    /// <summary>A UTC time query parameter, or null when absent.</summary>
    /// <exception cref="RequestException">It is not a time.</exception>
    private static DateTimeOffset? Time(string name, string? text) =>
        string.IsNullOrEmpty(text) ? null
        : DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var value) ? value
        : throw new RequestException(name, $"'{text}' is not a UTC time like 2026-11-21T10:00:00Z");

    /// <summary>Nodes as they report themselves, joined with their cluster membership (status, reachability).</summary>
    public static async Task<IReadOnlyList<object>> ClusterView(FarmNode node, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        var state = Akka.Cluster.Cluster.Get(node.System).State;
        var members = state.Members.ToDictionary(m => m.Address.ToString());
        var unreachable = state.Unreachable.Select(m => m.Address.ToString()).ToHashSet();
        var nodes = await node.ReadModel.GetNodesAsync(ct);
        var rows = new List<object>();
        foreach (var n in nodes.OrderBy(n => n.NodeId))
        {
            var member = members.GetValueOrDefault(n.Address);
            if (member is null && now - n.LastSeen > TimeSpan.FromMinutes(10)) continue; // long gone
            rows.Add(new
            {
                n.NodeId,
                n.Address,
                n.Roles,
                n.Slots,
                State = n.State.ToString(),
                Member = member?.Status.ToString() ?? "Removed",
                Reachable = member is not null && !unreachable.Contains(n.Address),
                n.RunningTasks,
                HeartbeatAgeSeconds = Math.Round((now - n.LastSeen).TotalSeconds, 1),
                Alive = member is not null && !unreachable.Contains(n.Address) && now - n.LastSeen < TimeSpan.FromSeconds(15),
                n.DisabledKinds,
                n.Device,
            });
        }
        return rows;
    }

    private static async Task<IResult> Command(FarmNode node, string id, RenderFarm.Cluster.IFarmMessage command, CancellationToken ct) =>
        await node.CommandNodeAsync(id, command, ct) is { } reply
            ? Results.Json(new { reply.NodeId, reply.State })
            : ApiErrors.NotFound("NodeId", id);

    private static async Task<IResult> JobCommand(FarmNode node, IJobCommand command, CancellationToken ct)
    {
        var reply = await node.CommandJobAsync(command, ct);
        if (!reply.Exists) return ApiErrors.NotFound("JobId", command.JobId);
        if (!reply.Changed && command is RetryJob) return ApiErrors.Invalid("JobId", reply.Reason ?? "not changed");
        return Results.Json(new { reply.JobId, Status = reply.Status.ToString() });
    }

    /// <summary>Waiting, running and finished tasks per kind, from the read model.</summary>
    public static async Task<IReadOnlyList<QueueDepth>> Queues(FarmNode node, CancellationToken ct)
    {
        var counts = await node.ReadModel.CountTasksAsync(ct);
        return TaskKinds.All.Select(kind =>
        {
            int Count(params TaskState[] states) => counts.Where(c => c.Kind == kind && states.Contains(c.State)).Sum(c => c.Count);
            return new QueueDepth(TaskKinds.Name(kind), TaskKinds.IsGpu(kind) ? "gpu" : "cpu",
                Count(TaskState.Pending), Count(TaskState.Running), Count(TaskState.Succeeded), Count(TaskState.Failed));
        }).ToList();
    }
}

public sealed record QueueDepth(string Kind, string Placement, int Waiting, int Running, int Succeeded, int Failed);
