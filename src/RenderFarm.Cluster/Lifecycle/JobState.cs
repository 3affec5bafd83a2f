using System.Collections.Immutable;
using RenderFarm.Cluster.Model;

namespace RenderFarm.Cluster.Lifecycle;

/// <summary>
/// Where a video is in its life. Render jobs go Queued -> Speech -> AiWork -> Render -> Assemble;
/// a media library analysis goes Queued -> Analyse; an IProduction job Queued -> Produce. A stage's tasks all succeed before the next stage
/// is prepared (speech lengths set the timeline, segments must exist before they are joined).
/// </summary>
public enum VideoStage { Queued, Speech, AiWork, Render, Assemble, Analyse, Produce }

/// <summary>Who caused a task's failure: the job (its output name, media, params) or the node (disk, tools, store).</summary>
public enum FailureCause { Job, Node }

public enum WebhookStatus { None, Pending, Delivered, Abandoned }

/// <summary>A job as its entity knows it: the fold of its events (<see cref="JobLifecycle.Apply"/>).</summary>
public sealed record JobState(
    string JobId,
    JobKind Kind,
    JobStatus Status,
    string? ClientToken,
    string RequestJson,
    string? UserData,
    string? NotifyAddress,
    DateTimeOffset CreateTime,
    DateTimeOffset ModifiedTime,
    DateTimeOffset? CompleteTime,
    string? Code,
    string? Message,
    ImmutableSortedDictionary<string, VideoState> Videos,
    ImmutableSortedDictionary<string, FarmTask> Tasks,
    ImmutableList<HistoryLine> History,
    WebhookState Webhook) : IFarmMessage
{
    /// <summary>Before its first event: nothing was accepted under this id.</summary>
    public static JobState Empty(string jobId) => new(jobId, JobKind.Single, JobStatus.Init, null, "", null, null,
        DateTimeOffset.MinValue, DateTimeOffset.MinValue, null, null, null,
        ImmutableSortedDictionary<string, VideoState>.Empty.WithComparers(StringComparer.Ordinal),
        ImmutableSortedDictionary<string, FarmTask>.Empty.WithComparers(StringComparer.Ordinal),
        [], new WebhookState(WebhookStatus.None, 0, null, null));

    public bool Exists => Status != JobStatus.Init;
    public bool Ended => JobLifecycle.IsEnd(Status);

    /// <summary>0-100: the mean of the videos' progress.</summary>
    public double Progress => Status == JobStatus.Success ? 100
        : Videos.Count == 0 ? 0 : Math.Round(Videos.Values.Average(v => v.Progress), 1);
}

/// <summary>One output video (or, for an analysis job, the one medium analysed).</summary>
public sealed record VideoState(
    string VideoId,
    int Index,
    string RequestJson,
    string OutputPath,
    JobStatus Status,
    VideoStage Stage,
    long TotalFrames,
    long DoneFrames,
    int Segments,
    double? DurationSeconds,
    string? Code,
    string? Message)
{
    /// <summary>Segments carry 90% (by frames); the join carries the rest.</summary>
    public double Progress => Status == JobStatus.Success ? 100
        : TotalFrames <= 0 ? 0 : Math.Round(90.0 * DoneFrames / TotalFrames, 1);
}

/// <summary>
/// One unit of work of a video. <see cref="ArtifactKey"/> hashes every input that determines the result,
/// so a task whose artifact exists is done without running. <see cref="Attempt"/> names the try a node
/// may claim; reports for other attempts are stale and ignored.
/// </summary>
public sealed record FarmTask(
    string TaskId,
    string VideoId,
    TaskKind Kind,
    VideoStage Stage,
    string InputJson,
    string ArtifactKey,
    long Frames,
    TaskState State,
    int Attempt,
    int JobFailures,
    string? NodeId,
    string? NodeUid,
    string? NodeAddress,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    DateTimeOffset? NotBefore,
    string? Error,
    bool Reused,
    int SeriesStart = 1,
    int Priority = 0)
{
    /// <summary>Tries made since the task was planned or an operator retried it.</summary>
    public int Tries => Attempt - SeriesStart + 1;
}

/// <summary>What planning a stage produced for one task (ids are chosen by the planner). Priority: smaller is offered first among waiting tasks of its kind.</summary>
public sealed record TaskSpec(string TaskId, TaskKind Kind, string InputJson, string ArtifactKey, long Frames, int Priority = 0);

/// <summary>A video as submitted: a self-contained SubmitMediaProducingJob request and where its MP4 lands.</summary>
public sealed record VideoSpec(string VideoId, int Index, string RequestJson, string OutputPath);

/// <summary>One line of a job's history, in the order things happened.</summary>
public sealed record HistoryLine(DateTimeOffset At, string Event, string? Detail, string? VideoId, string? TaskId, string? NodeId);

/// <summary>The completion callback to UserData.NotifyAddress: persisted, so a gateway restart does not lose it.</summary>
public sealed record WebhookState(WebhookStatus Status, int Attempts, DateTimeOffset? NextAt, string? LastError);

/// <summary>Limits the lifecycle enforces; the defaults are the farm's.</summary>
public sealed record LifecycleOptions
{
    /// <summary>Failures caused by the job before the task (and its video) fails.</summary>
    public int MaxJobFailures { get; init; } = 3;
    /// <summary>Tries of any cause (job, node, lost node) before the task fails.</summary>
    public int MaxAttempts { get; init; } = 10;
    /// <summary>A running task whose node sent no heartbeat for this long is run elsewhere.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(15);
    /// <summary>Wait before retrying a job-caused failure: 1 s, 4 s, 16 s ... (x4), at most a minute.</summary>
    public TimeSpan RetryBackoff(int failures) => TimeSpan.FromSeconds(Math.Min(60, Math.Pow(4, Math.Max(0, failures - 1))));
    /// <summary>Waits between webhook tries; after the last the callback is abandoned.</summary>
    public IReadOnlyList<TimeSpan> WebhookDelays { get; init; } = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(60)];
}
