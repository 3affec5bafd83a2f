using RenderFarm.Cluster.Model;

namespace RenderFarm.Cluster.ReadModel;

/// <summary>
/// One job's state as rows for <see cref="IReadModel.ProjectAsync"/>: the job, its videos and tasks
/// (inserted or replaced), and its history (each entry's <see cref="HistoryEntry.Id"/> is its place in
/// the job's history, 0-based; entries already stored at a place are kept). Every video, task and
/// history entry belongs to <see cref="Job"/>.
/// </summary>
public sealed record JobProjection(JobRecord Job, IReadOnlyList<VideoRecord> Videos, IReadOnlyList<TaskRecord> Tasks, IReadOnlyList<HistoryEntry> History);
