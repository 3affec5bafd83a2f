using RenderFarm.Cluster.Lifecycle;
using RenderFarm.Cluster.Model;

namespace RenderFarm.Cluster.ReadModel;

/// <summary>The read model's rows of a job state (pure): what the gateway's queries answer from.</summary>
public static class ProjectionRows
{
    public static JobRecord Job(JobState s) => new(s.JobId, s.Kind, s.ClientToken, s.RequestJson, s.Status, s.Progress, s.UserData,
        s.Code, s.Message, s.CreateTime, s.ModifiedTime, s.CompleteTime);

    public static VideoRecord Video(JobState s, VideoState v) => new(v.VideoId, s.JobId, v.Index, v.RequestJson, v.OutputPath, v.Status,
        v.Progress, v.TotalFrames, v.Segments, v.DurationSeconds, v.Code, v.Message);

    public static TaskRecord Task(JobState s, FarmTask t) => new(t.TaskId, s.JobId, t.VideoId, t.Kind, t.InputJson, t.ArtifactKey, t.State,
        t.Attempt, t.NodeId, t.StartedAt, t.FinishedAt, t.Error, t.Reused);

    public static HistoryEntry History(JobState s, int index) => s.History[index] is var h
        ? new(index, s.JobId, h.VideoId, h.TaskId, h.At, h.Event, h.Detail, h.NodeId) : throw new IndexOutOfRangeException();

    /// <summary>
    /// The rows that changed: the job, the named videos and tasks (all when null) and history from
    /// <paramref name="historyFrom"/> on.
    /// </summary>
    public static JobProjection Of(JobState s, IReadOnlyCollection<string>? videoIds, IReadOnlyCollection<string>? taskIds, int historyFrom) => new(
        Job(s),
        (videoIds is null ? s.Videos.Values : videoIds.Where(s.Videos.ContainsKey).Select(id => s.Videos[id])).Select(v => Video(s, v)).ToList(),
        (taskIds is null ? s.Tasks.Values : taskIds.Where(s.Tasks.ContainsKey).Select(id => s.Tasks[id])).Select(t => Task(s, t)).ToList(),
        Enumerable.Range(historyFrom, Math.Max(0, s.History.Count - historyFrom)).Select(i => History(s, i)).ToList());
}
