using RenderFarm.Cluster.Model;

namespace RenderFarm.Cluster.Messages;

// Messages are notifications: the job store is the truth. A lost message delays work until the
// orchestrator's reconciliation pass, it never loses work.

/// <summary>Sent to the queue of the task's kind: some node with a free slot runs it.</summary>
public sealed record RunTask(string TaskId, string JobId, TaskKind Kind, int Attempt);

/// <summary>Published by a node when a task ended (the store already holds the outcome).</summary>
public sealed record TaskFinished(string TaskId, string JobId, string NodeId, int Attempt, TaskState State);

/// <summary>Published by the gateway when a job is accepted.</summary>
public sealed record JobSubmitted(string JobId);

/// <summary>Published to every node: stop the job's running tasks now.</summary>
public sealed record CancelJob(string JobId);
