using RenderFarm.Cluster.Model;

namespace RenderFarm.Cluster.ReadModel;

/// <summary>
/// The farm's read model (PostgreSQL in a cluster, SQLite embedded): rows written by the projection
/// from the job entities' state, read by the gateway's queries. The entities are the source of
/// truth; a row here is a copy of what an entity last projected, so writing the same state twice is
/// harmless and a re-projection after a crash repairs what a lost batch left out.
/// </summary>
// Implemented by ReadModelStore (ReadModelStore.Sqlite / ReadModelStore.Postgres).
public interface IReadModel
{
    /// <summary>Creates the schema if missing (idempotent, safe when several processes do it at once).</summary>
    Task InitializeAsync(CancellationToken ct = default);

    /// <summary>
    /// Writes a batch of job states in one transaction: each job row, its given videos and tasks are
    /// inserted or replaced; its history entries are inserted where the job has none at that place
    /// (<see cref="HistoryEntry.Id"/>) yet. A job appearing several times in the batch: the later wins.
    /// </summary>
    Task ProjectAsync(IReadOnlyList<JobProjection> batch, CancellationToken ct = default);

    Task<JobRecord?> GetJobAsync(string jobId, CancellationToken ct = default);

    /// <summary>Jobs newest first, filtered, keyset-paged by an opaque NextToken (a bad token throws ArgumentException, ParamName "token").</summary>
    Task<JobPage> ListJobsAsync(JobQuery query, CancellationToken ct = default);

    /// <summary>A job's videos by Index.</summary>
    Task<IReadOnlyList<VideoRecord>> GetVideosAsync(string jobId, CancellationToken ct = default);

    /// <summary>A job's tasks in the order they were first projected.</summary>
    Task<IReadOnlyList<TaskRecord>> GetTasksAsync(string jobId, CancellationToken ct = default);

    /// <summary>Tasks in <paramref name="state"/>, oldest (first projected) first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<TaskRecord>> GetTasksInStateAsync(TaskState state, int limit = 1000, CancellationToken ct = default);

    /// <summary>Succeeded tasks that finished at or after <paramref name="since"/>, in the order they finished (task durations for /metrics).</summary>
    Task<IReadOnlyList<TaskRecord>> GetTasksFinishedSinceAsync(DateTimeOffset since, int limit = 1000, CancellationToken ct = default);

    /// <summary>Task counts by kind and state (queue depth, running tasks per kind).</summary>
    Task<IReadOnlyList<(TaskKind Kind, TaskState State, int Count)>> CountTasksAsync(CancellationToken ct = default);

    /// <summary>Job counts by kind and status (jobs finished per kind, for throughput).</summary>
    Task<IReadOnlyList<(JobKind Kind, JobStatus Status, int Count)>> CountJobsAsync(CancellationToken ct = default);

    /// <summary>A job's history in order (Id = its place in the history, 0-based).</summary>
    Task<IReadOnlyList<HistoryEntry>> GetHistoryAsync(string jobId, CancellationToken ct = default);

    /// <summary>Inserts or replaces a node's row with its latest self-report.</summary>
    Task UpsertNodeAsync(NodeRecord node, CancellationToken ct = default);

    /// <summary>All nodes by id.</summary>
    Task<IReadOnlyList<NodeRecord>> GetNodesAsync(CancellationToken ct = default);
}

/// <summary>
/// Progress from inside a job's one long task (a media-AI function), written to the job's read-model rows while
/// it runs: only raised, only while the job is Processing, at most 99 (the projection writes 100 on success,
/// and its own writes win over these).
/// </summary>
public interface IJobProgress
{
    Task RaiseProgressAsync(string jobId, double progress, CancellationToken ct = default);
}
