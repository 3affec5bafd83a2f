using RenderFarm.Cluster.Model;

namespace RenderFarm.Cluster.Lifecycle;

// The messages of the job entity (JobEntity): the commands the lifecycle decides on, and their replies.
// Commands carry the JobId, which shards them to the job's entity.

public interface IJobCommand : IFarmMessage
{
    string JobId { get; }
}

/// <summary>Stores a validated job; the reply says whether the id was taken already (same ClientToken).</summary>
public sealed record SubmitJob(string JobId, JobKind Kind, string? ClientToken, string RequestJson, string? UserData, string? NotifyAddress,
    IReadOnlyList<VideoSpec> Videos) : IJobCommand;

public sealed record SubmitReply(string JobId, bool Existing) : IFarmMessage;

/// <summary>
/// A node asks to run one attempt of a task; it runs it only when granted. <paramref name="KnowsVideo"/>: the node
/// already holds the video's request (a granted reply then leaves it out).
/// </summary>
/// <paramref name="Ahead"/>: the node takes it ahead of a free slot and says when it begins (<see cref="ReportTaskBegan"/>).
public sealed record ClaimTask(string JobId, string TaskId, int Attempt, string NodeId, string NodeUid, string NodeAddress, bool KnowsVideo = false, bool Ahead = false) : IJobCommand;

/// <summary>The answer to a claim; a grant carries the video's request unless the node said it knows it.</summary>
public sealed record ClaimReply(string JobId, string TaskId, int Attempt, bool Granted, string? Reason, VideoSpec? Video = null) : IFarmMessage;

/// <summary>A task claimed ahead began to run on its node (a slot freed).</summary>
public sealed record ReportTaskBegan(string JobId, string TaskId, int Attempt, string NodeId) : IJobCommand;

/// <summary>A node still works on a task (sent every third of the lease; never persisted).</summary>
public sealed record TaskHeartbeat(string JobId, string TaskId, int Attempt, string NodeId) : IJobCommand;

public sealed record ReportTaskSucceeded(string JobId, string TaskId, int Attempt, string NodeId, bool Reused, string Detail) : IJobCommand;

public sealed record ReportTaskFailed(string JobId, string TaskId, int Attempt, string NodeId, string Error, FailureCause Cause) : IJobCommand;

/// <summary>The answer to a report: the node may forget it (it is kept, or it was stale).</summary>
public sealed record ReportAck(string JobId, string TaskId, int Attempt) : IFarmMessage;

public sealed record CancelJob(string JobId) : IJobCommand;

public sealed record RetryJob(string JobId) : IJobCommand;

/// <summary>The answer to cancel and retry: the job's status after it, and whether the command changed anything.</summary>
public sealed record JobCommandReply(string JobId, bool Exists, bool Changed, JobStatus Status, string? Reason) : IFarmMessage;

/// <summary>A stage's preparation (probing, planning) finished: piped back to the entity.</summary>
public sealed record StagePrepared(string JobId, string VideoId, VideoStage Stage, IReadOnlyList<TaskSpec> Tasks, long? TotalFrames, double? DurationSeconds) : IJobCommand;

public sealed record StagePreparationFailed(string JobId, string VideoId, VideoStage Stage, string Code, string Message) : IJobCommand;

/// <summary>The completion callback's result: piped back to the entity.</summary>
public sealed record WebhookOutcome(string JobId, bool Delivered, string? Error) : IJobCommand;

/// <summary>
/// The entity's timer, with what it observed: which cluster members (by unique address) are alive and
/// when each running task was last heard of. Decides lost nodes and expired leases.
/// </summary>
public sealed record Tick(DateTimeOffset Now, IReadOnlySet<string> LiveNodes, IReadOnlyDictionary<string, DateTimeOffset> LastHeard);
