using RenderFarm.Cluster.Model;

namespace RenderFarm.Cluster.Store;

/// <summary>
/// The farm's persistent state (PostgreSQL in a cluster, SQLite embedded). Every update is
/// optimistic: it names the version it read and fails (returns false) if another writer got there
/// first; a successful update stores Version + 1. State changes carry a history entry written in
/// the same transaction, so the job history never misses a change.
/// </summary>
// Implemented by SqlJobStore (SqlJobStore.Sqlite / SqlJobStore.Postgres). An update never changes the
// record passed in: after a true result the stored version is Version + 1, so a caller that goes on
// updating re-reads the row or uses `record with { Version = record.Version + 1 }`.
public interface IJobStore
{
    /// <summary>Creates the schema if missing (idempotent).</summary>
    Task InitializeAsync(CancellationToken ct = default);

    /// <summary>Inserts a job with its videos and first history entry. False if the ClientToken is already used.</summary>
    Task<bool> InsertJobAsync(JobRecord job, IReadOnlyList<VideoRecord> videos, HistoryEntry history, CancellationToken ct = default);

    Task<JobRecord?> GetJobAsync(string jobId, CancellationToken ct = default);
    Task<JobRecord?> FindJobByClientTokenAsync(string clientToken, CancellationToken ct = default);
    Task<JobPage> ListJobsAsync(JobQuery query, CancellationToken ct = default);

    /// <summary>Jobs not yet in an end state (Success, Failed, Cancelled).</summary>
    Task<IReadOnlyList<string>> ActiveJobIdsAsync(CancellationToken ct = default);

    Task<bool> UpdateJobAsync(JobRecord job, HistoryEntry? history = null, CancellationToken ct = default);

    Task<IReadOnlyList<VideoRecord>> GetVideosAsync(string jobId, CancellationToken ct = default);
    Task<bool> UpdateVideoAsync(VideoRecord video, HistoryEntry? history = null, CancellationToken ct = default);

    Task InsertTasksAsync(IReadOnlyList<TaskRecord> tasks, HistoryEntry? history = null, CancellationToken ct = default);
    Task<TaskRecord?> GetTaskAsync(string taskId, CancellationToken ct = default);
    Task<IReadOnlyList<TaskRecord>> GetTasksAsync(string jobId, CancellationToken ct = default);

    /// <summary>Tasks in <paramref name="state"/>, oldest first (for dispatch and lease checks).</summary>
    Task<IReadOnlyList<TaskRecord>> GetTasksInStateAsync(TaskState state, int limit = 1000, CancellationToken ct = default);

    Task<bool> UpdateTaskAsync(TaskRecord task, HistoryEntry? history = null, CancellationToken ct = default);

    /// <summary>Task counts by kind and state (queue depth, running tasks per kind).</summary>
    Task<IReadOnlyList<(TaskKind Kind, TaskState State, int Count)>> CountTasksAsync(CancellationToken ct = default);

    Task AppendHistoryAsync(HistoryEntry entry, CancellationToken ct = default);
    Task<IReadOnlyList<HistoryEntry>> GetHistoryAsync(string jobId, CancellationToken ct = default);

    /// <summary>Inserts or replaces a node's self-report, keeping an operator-set Draining/Left state.</summary>
    Task UpsertNodeAsync(NodeRecord node, CancellationToken ct = default);
    Task<IReadOnlyList<NodeRecord>> GetNodesAsync(CancellationToken ct = default);
    Task<bool> SetNodeStateAsync(string nodeId, NodeState state, CancellationToken ct = default);

    /// <summary>Sets the kinds a node no longer takes (after repeated failures) or clears them (operator).</summary>
    Task<bool> SetNodeDisabledKindsAsync(string nodeId, IReadOnlyList<string> kinds, CancellationToken ct = default);
}
