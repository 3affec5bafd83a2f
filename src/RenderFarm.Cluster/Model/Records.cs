namespace RenderFarm.Cluster.Model;

/// <summary>A MediaProducingJob (one video), a BatchMediaProducingJob (several), the analysis of one media library entry (one analyse task), or an IProductionJob (one media-AI function, one iproduction task).</summary>
public enum JobKind { Single, Batch, MediaAnalysis, IProduction }

/// <summary>Job and video states with the IMS spellings (Init, Queuing, Processing, Success, Failed) plus Cancelled.</summary>
public enum JobStatus { Init, Queuing, Processing, Success, Failed, Cancelled }

/// <summary>The kinds of work a node can take; each has its own queue. See <see cref="TaskKinds"/>.</summary>
public enum TaskKind { EncodeSegment, Assemble, Tts, Asr, Ocr, Embed, Matte, Analyse, EncodeAudio, EncodeSegmentNvenc, Produce }

/// <summary>A task's life: Pending (waiting for a node; offered to the work queue), Running (claimed by a node), then an end state.</summary>
public enum TaskState { Pending, Running, Succeeded, Failed, Cancelled }

public enum NodeState { Active, Draining, Left }

// The read model: rows kept from the job entities' state (ReadModel/ReadModelStore), what queries answer from.

/// <summary>One submitted job. <see cref="RequestJson"/> is the request as accepted (IMS field names).</summary>
public sealed record JobRecord(
    string JobId,
    JobKind Kind,
    string? ClientToken,
    string RequestJson,
    JobStatus Status,
    double Progress,
    string? UserData,
    string? Code,
    string? Message,
    DateTimeOffset CreateTime,
    DateTimeOffset ModifiedTime,
    DateTimeOffset? CompleteTime);

/// <summary>
/// One output video of a job. <see cref="RequestJson"/> is a SubmitMediaProducingJob request for
/// this video alone (Timeline + OutputMediaConfig + Seed); <see cref="OutputPath"/> is where the MP4 lands.
/// </summary>
public sealed record VideoRecord(
    string VideoId,
    string JobId,
    int Index,
    string RequestJson,
    string OutputPath,
    JobStatus Status,
    double Progress,
    long TotalFrames,
    int Segments,
    double? DurationSeconds,
    string? Code,
    string? Message);

/// <summary>
/// One unit of work. <see cref="ArtifactKey"/> is the hash of every input that determines the
/// result: a task whose artifact exists is done without running.
/// </summary>
public sealed record TaskRecord(
    string TaskId,
    string JobId,
    string VideoId,
    TaskKind Kind,
    string InputJson,
    string ArtifactKey,
    TaskState State,
    int Attempt,
    string? NodeId,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Error,
    bool Reused);

/// <summary>
/// A worker node as it last reported itself (every heartbeat). Slots: task kind name -> parallel tasks.
/// DisabledKinds: kinds taken out after a fault of the node, each "kind: reason".
/// Address: its Akka address (operator commands are sent there).
/// </summary>
public sealed record NodeRecord(
    string NodeId,
    IReadOnlyList<string> Roles,
    IReadOnlyDictionary<string, int> Slots,
    NodeState State,
    DateTimeOffset StartedAt,
    DateTimeOffset LastSeen,
    IReadOnlyList<string> DisabledKinds,
    int RunningTasks,
    string Device,
    string Address);

/// <summary>One line of a job's history: a state change of the job, a video or a task, with its time. Id: its place in the job's history (0, 1, ...).</summary>
public sealed record HistoryEntry(
    long Id,
    string JobId,
    string? VideoId,
    string? TaskId,
    DateTimeOffset At,
    string Event,
    string? Detail,
    string? NodeId);

/// <summary>
/// Filters and paging for job lists (IMS ListMediaProducingJobs / ListBatchMediaProducingJobs). Text: the job id,
/// or a part of its UserData (where clients name their jobs), case-insensitive.
/// </summary>
public sealed record JobQuery(
    JobKind? Kind = null,
    JobStatus? Status = null,
    DateTimeOffset? StartTime = null,
    DateTimeOffset? EndTime = null,
    int MaxResults = 10,
    string? NextToken = null,
    string? Text = null);

public sealed record JobPage(IReadOnlyList<JobRecord> Jobs, string? NextToken);
