using RenderFarm.Cluster.Model;

namespace RenderFarm.Cluster.Lifecycle;

/// <summary>What happened to a job; the journal holds these, and the state is their fold.</summary>
public interface IJobEvent : IFarmMessage
{
    DateTimeOffset At { get; }
}

public sealed record JobAccepted(string JobId, JobKind Kind, string? ClientToken, string RequestJson, string? UserData, string? NotifyAddress,
    IReadOnlyList<VideoSpec> Videos, DateTimeOffset At) : IJobEvent;

/// <summary>The job's first work was planned: Queuing -> Processing.</summary>
public sealed record JobProcessing(DateTimeOffset At) : IJobEvent;

/// <summary>A video's next stage was prepared into tasks (possibly none). Render stages also fix the video's length.</summary>
public sealed record StagePlanned(string VideoId, VideoStage Stage, IReadOnlyList<TaskSpec> Tasks, long? TotalFrames, double? DurationSeconds, DateTimeOffset At) : IJobEvent;

public sealed record VideoFailed(string VideoId, string Code, string Message, string? TaskId, DateTimeOffset At) : IJobEvent;

public sealed record VideoSucceeded(string VideoId, DateTimeOffset At) : IJobEvent;

/// <summary>A node claimed the attempt: it runs it now, or (<paramref name="Ahead"/>) as soon as one of its slots frees.</summary>
public sealed record TaskStarted(string TaskId, int Attempt, string NodeId, string NodeUid, string NodeAddress, DateTimeOffset At, bool Ahead = false) : IJobEvent;

/// <summary>A task claimed ahead began to run.</summary>
public sealed record TaskBegan(string TaskId, int Attempt, string NodeId, DateTimeOffset At) : IJobEvent;

public sealed record TaskSucceeded(string TaskId, int Attempt, string NodeId, bool Reused, string Detail, DateTimeOffset At) : IJobEvent;

/// <summary>A try failed. <paramref name="Retry"/>: the task waits for its next attempt (not before <paramref name="NotBefore"/>); otherwise it failed for good.</summary>
public sealed record TaskFailed(string TaskId, int Attempt, string NodeId, string Error, FailureCause Cause, bool Retry, DateTimeOffset? NotBefore, DateTimeOffset At) : IJobEvent;

/// <summary>A running task's node was lost (left, downed, restarted, or silent past the lease): it runs again as a new attempt, or fails when out of attempts.</summary>
public sealed record TaskRedispatched(string TaskId, int Attempt, string? NodeId, string Reason, bool GaveUp, DateTimeOffset At) : IJobEvent;

public sealed record JobFinished(JobStatus Status, string? Code, string? Message, DateTimeOffset At) : IJobEvent;

public sealed record JobCancelled(string Reason, DateTimeOffset At) : IJobEvent;

/// <summary>An operator put a failed or cancelled job back to work; finished tasks are kept.</summary>
public sealed record JobRetried(DateTimeOffset At) : IJobEvent;

public sealed record WebhookAttempted(bool Delivered, string? Error, DateTimeOffset? NextAt, bool GaveUp, DateTimeOffset At) : IJobEvent;
