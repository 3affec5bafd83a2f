using System.Collections.Immutable;
using RenderFarm.Cluster.Model;

namespace RenderFarm.Cluster.Lifecycle;

/// <summary>What the lifecycle decided: events to persist, the answer to the sender, running tasks to stop.</summary>
public sealed record Decision(IReadOnlyList<IJobEvent> Events, object? Reply, IReadOnlyList<RunningTaskRef> Stop)
{
    public static Decision None(object? reply = null) => new([], reply, []);
}

/// <summary>A task running on a node, addressed so it can be told to stop.</summary>
public sealed record RunningTaskRef(string TaskId, int Attempt, string NodeAddress);

/// <summary>
/// The one place that decides every job, video and task transition: plan, dispatch (claim), start,
/// succeed, fail and retry with attempts and back-off, stale attempts, lost nodes, cancel, operator
/// retry, completion and its callback. Pure: command in, events out (<see cref="Decide"/>); event in,
/// state out (<see cref="Apply"/>). The job entity only persists the events and runs the effects that
/// the queries below name (tasks ready to offer, stages to prepare, a callback due).
/// </summary>
public sealed class JobLifecycle(LifecycleOptions options)
{
    public LifecycleOptions Options => options;

    public static bool IsEnd(JobStatus status) => status is JobStatus.Success or JobStatus.Failed or JobStatus.Cancelled;
    public static bool IsEnd(TaskState state) => state is TaskState.Succeeded or TaskState.Failed or TaskState.Cancelled;

    // ---- decide ----

    public Decision Decide(JobState state, object command, DateTimeOffset now)
    {
        var decision = command switch
        {
            SubmitJob c => Submit(state, c, now),
            ClaimTask c => Claim(state, c, now),
            ReportTaskBegan c => IsCurrentRun(state, c.TaskId, c.Attempt) && state.Tasks[c.TaskId].StartedAt is null
                ? new([new TaskBegan(c.TaskId, c.Attempt, c.NodeId, now)], null, []) : Decision.None(),
            ReportTaskSucceeded c => Succeeded(state, c, now),
            ReportTaskFailed c => Failed(state, c, now),
            StagePrepared c => Prepared(state, c, now),
            StagePreparationFailed c => PreparationFailed(state, c, now),
            CancelJob => Cancel(state, now),
            RetryJob => Retry(state, now),
            WebhookOutcome c => Webhook(state, c, now),
            Tick c => OnTick(state, c),
            _ => Decision.None(),
        };
        if (decision.Events.Count == 0) return decision;
        // Follow-on transitions: a finished stage, video or job.
        var after = decision.Events.Aggregate(state, Apply);
        var more = Advance(after, now);
        if (more.Count > 0) after = more.Aggregate(after, Apply);
        // Tasks that ran and are cancelled now (a cancelled job, a failed video) are told to stop on their nodes.
        var stop = state.Tasks.Values.Where(t => t.State == TaskState.Running && t.NodeAddress is not null && after.Tasks[t.TaskId].State == TaskState.Cancelled)
            .Select(t => new RunningTaskRef(t.TaskId, t.Attempt, t.NodeAddress!)).ToList();
        return decision with { Events = [.. decision.Events, .. more], Stop = stop };
    }

    private static Decision Submit(JobState state, SubmitJob c, DateTimeOffset now)
    {
        if (state.Exists) return Decision.None(new SubmitReply(state.JobId, Existing: true));
        if (c.Videos.Count == 0) throw new ArgumentException("a job needs at least one video", nameof(c));
        return new([new JobAccepted(c.JobId, c.Kind, c.ClientToken, c.RequestJson, c.UserData, c.NotifyAddress, c.Videos, now)],
            new SubmitReply(c.JobId, Existing: false), []);
    }

    private static Decision Claim(JobState state, ClaimTask c, DateTimeOffset now)
    {
        ClaimReply Refuse(string reason) => new(c.JobId, c.TaskId, c.Attempt, false, reason);
        if (!state.Exists || state.Ended) return Decision.None(Refuse($"job is {state.Status}"));
        if (!state.Tasks.TryGetValue(c.TaskId, out var task)) return Decision.None(Refuse("no such task"));
        if (task.Attempt != c.Attempt) return Decision.None(Refuse($"attempt {c.Attempt} is stale (now {task.Attempt})"));
        var video = state.Videos[task.VideoId];
        var grant = new ClaimReply(c.JobId, c.TaskId, c.Attempt, true, null,
            c.KnowsVideo ? null : new VideoSpec(video.VideoId, video.Index, video.RequestJson, video.OutputPath));
        if (task.State == TaskState.Running && task.NodeUid == c.NodeUid) return Decision.None(grant); // the same node asked twice
        if (task.State != TaskState.Pending) return Decision.None(Refuse($"task is {task.State}"));
        if (IsEnd(video.Status)) return Decision.None(Refuse($"video is {video.Status}"));
        if (task.NotBefore is { } notBefore && notBefore > now) return Decision.None(Refuse("backing off"));
        return new([new TaskStarted(c.TaskId, c.Attempt, c.NodeId, c.NodeUid, c.NodeAddress, now, c.Ahead)], grant, []);
    }

    private static Decision Succeeded(JobState state, ReportTaskSucceeded c, DateTimeOffset now)
    {
        var ack = new ReportAck(c.JobId, c.TaskId, c.Attempt);
        if (!IsCurrentRun(state, c.TaskId, c.Attempt)) return Decision.None(ack);
        return new([new TaskSucceeded(c.TaskId, c.Attempt, c.NodeId, c.Reused, c.Detail, now)], ack, []);
    }

    private Decision Failed(JobState state, ReportTaskFailed c, DateTimeOffset now)
    {
        var ack = new ReportAck(c.JobId, c.TaskId, c.Attempt);
        if (!IsCurrentRun(state, c.TaskId, c.Attempt)) return Decision.None(ack);
        var task = state.Tasks[c.TaskId];
        var jobFailures = task.JobFailures + (c.Cause == FailureCause.Job ? 1 : 0);
        var retry = task.Tries < options.MaxAttempts && jobFailures < options.MaxJobFailures;
        // A job-caused failure waits before its next try; a node fault runs elsewhere at once.
        DateTimeOffset? notBefore = retry && c.Cause == FailureCause.Job ? now + options.RetryBackoff(jobFailures) : null;
        return new([new TaskFailed(c.TaskId, c.Attempt, c.NodeId, c.Error, c.Cause, retry, notBefore, now)], ack, []);
    }

    /// <summary>A report counts only for the attempt that runs now, of a job and video still at work.</summary>
    private static bool IsCurrentRun(JobState state, string taskId, int attempt) =>
        state.Exists && !state.Ended && state.Tasks.TryGetValue(taskId, out var task)
        && task.State == TaskState.Running && task.Attempt == attempt && !IsEnd(state.Videos[task.VideoId].Status);

    private static Decision Prepared(JobState state, StagePrepared c, DateTimeOffset now)
    {
        if (!state.Exists || state.Ended || !state.Videos.TryGetValue(c.VideoId, out var video) || IsEnd(video.Status)) return Decision.None();
        if (NextStage(state, video) != c.Stage || !StageDone(state, video)) return Decision.None(); // a duplicate or late preparation
        return new([new StagePlanned(c.VideoId, c.Stage, c.Tasks, c.TotalFrames, c.DurationSeconds, now)], null, []);
    }

    private static Decision PreparationFailed(JobState state, StagePreparationFailed c, DateTimeOffset now)
    {
        if (!state.Exists || state.Ended || !state.Videos.TryGetValue(c.VideoId, out var video) || IsEnd(video.Status)) return Decision.None();
        if (NextStage(state, video) != c.Stage) return Decision.None();
        return new([new VideoFailed(c.VideoId, c.Code, c.Message, null, now)], null, []);
    }

    private static Decision Cancel(JobState state, DateTimeOffset now)
    {
        if (!state.Exists) return Decision.None(new JobCommandReply(state.JobId, false, false, state.Status, "no such job"));
        if (state.Ended) return Decision.None(new JobCommandReply(state.JobId, true, false, state.Status, $"job already {state.Status}"));
        return new([new JobCancelled("cancelled by request", now)], new JobCommandReply(state.JobId, true, true, JobStatus.Cancelled, null), []);
    }

    private static Decision Retry(JobState state, DateTimeOffset now)
    {
        if (!state.Exists) return Decision.None(new JobCommandReply(state.JobId, false, false, state.Status, "no such job"));
        if (state.Status is not (JobStatus.Failed or JobStatus.Cancelled))
            return Decision.None(new JobCommandReply(state.JobId, true, false, state.Status, $"only a Failed or Cancelled job can be retried (it is {state.Status})"));
        return new([new JobRetried(now)], new JobCommandReply(state.JobId, true, true, JobStatus.Processing, null), []);
    }

    private Decision Webhook(JobState state, WebhookOutcome c, DateTimeOffset now)
    {
        if (state.Webhook.Status != WebhookStatus.Pending) return Decision.None();
        if (c.Delivered) return new([new WebhookAttempted(true, null, null, false, now)], null, []);
        var attempts = state.Webhook.Attempts + 1;
        var gaveUp = attempts > options.WebhookDelays.Count;
        DateTimeOffset? next = gaveUp ? null : now + options.WebhookDelays[attempts - 1];
        return new([new WebhookAttempted(false, c.Error, next, gaveUp, now)], null, []);
    }

    private Decision OnTick(JobState state, Tick tick)
    {
        if (!state.Exists || state.Ended) return Decision.None();
        var events = new List<IJobEvent>();
        foreach (var task in state.Tasks.Values.Where(t => t.State == TaskState.Running && !IsEnd(state.Videos[t.VideoId].Status)))
        {
            string? reason = null;
            if (task.NodeUid is null || !tick.LiveNodes.Contains(task.NodeUid))
                reason = $"node {task.NodeId} left the cluster (stopped heartbeating: downed, restarted or gone)";
            else if (!tick.LastHeard.TryGetValue(task.TaskId, out var heard) || tick.Now - heard > options.Lease)
                reason = $"node {task.NodeId} stopped heartbeating (no word for over {options.Lease.TotalSeconds:0} s)";
            if (reason is null) continue;
            var gaveUp = task.Tries >= options.MaxAttempts;
            events.Add(new TaskRedispatched(task.TaskId, gaveUp ? task.Attempt : task.Attempt + 1, task.NodeId,
                reason + (gaveUp ? $"; giving up after {task.Tries} attempts" : $"; re-dispatching as attempt {task.Attempt + 1}"), gaveUp, tick.Now));
        }
        return new(events, null, []);
    }

    /// <summary>Transitions that follow from the state alone: a stage or video done or failed, the job started or finished.</summary>
    private List<IJobEvent> Advance(JobState state, DateTimeOffset now)
    {
        var events = new List<IJobEvent>();
        for (var guard = 0; guard < 4 * (state.Videos.Count + 2); guard++)
        {
            var next = AdvanceOnce(state, now);
            if (next is null) break;
            events.Add(next);
            state = Apply(state, next);
        }
        return events;
    }

    private IJobEvent? AdvanceOnce(JobState state, DateTimeOffset now)
    {
        if (!state.Exists || state.Ended) return null;
        foreach (var video in state.Videos.Values.Where(v => !IsEnd(v.Status)))
        {
            var tasks = StageTasks(state, video).ToList();
            if (tasks.FirstOrDefault(t => t.State == TaskState.Failed) is { } failed)
                return new VideoFailed(video.VideoId, FailureCode(video.Stage), failed.Error ?? "failed", failed.TaskId, now);
            if (video.Stage is VideoStage.Assemble or VideoStage.Analyse or VideoStage.Produce && tasks.All(t => t.State == TaskState.Succeeded))
                return new VideoSucceeded(video.VideoId, now);
        }
        if (state.Status == JobStatus.Queuing && state.Videos.Values.Any(v => v.Stage != VideoStage.Queued || IsEnd(v.Status)))
            return new JobProcessing(now);
        if (state.Videos.Values.All(v => IsEnd(v.Status)))
        {
            if (state.Videos.Values.All(v => v.Status == JobStatus.Success)) return new JobFinished(JobStatus.Success, null, null, now);
            var failed = state.Videos.Values.FirstOrDefault(v => v.Status == JobStatus.Failed);
            return failed is null
                ? new JobFinished(JobStatus.Cancelled, null, null, now)
                : new JobFinished(JobStatus.Failed, failed.Code, failed.Message, now);
        }
        return null;
    }

    private static string FailureCode(VideoStage stage) => stage switch
    {
        VideoStage.Speech or VideoStage.AiWork => "AiFailed",
        VideoStage.Analyse => "AnalysisFailed",
        VideoStage.Produce => "ProductionFailed",
        _ => "RenderFailed",
    };

    // ---- queries the entity runs effects from ----

    /// <summary>Tasks a node may claim now: pending, past their back-off, of a video still at work.</summary>
    public static IEnumerable<FarmTask> ReadyTasks(JobState state, DateTimeOffset now) =>
        !state.Exists || state.Ended ? [] :
        state.Tasks.Values.Where(t => t.State == TaskState.Pending && (t.NotBefore is null || t.NotBefore <= now)
            && !IsEnd(state.Videos[t.VideoId].Status));

    /// <summary>Videos whose current stage is done and whose next stage must be prepared (probing, planning: long work).</summary>
    public static IEnumerable<(string VideoId, VideoStage Stage)> StagesToPrepare(JobState state) =>
        !state.Exists || state.Ended ? [] :
        state.Videos.Values.Where(v => !IsEnd(v.Status) && StageDone(state, v) && NextStage(state, v) is not null)
            .Select(v => (v.VideoId, NextStage(state, v)!.Value));

    /// <summary>True when the completion callback should be tried now.</summary>
    public static bool WebhookDue(JobState state, DateTimeOffset now) =>
        state.Webhook.Status == WebhookStatus.Pending && (state.Webhook.NextAt is null || state.Webhook.NextAt <= now);

    /// <summary>Nothing left to do or to tell: the entity may stop.</summary>
    public static bool IsSettled(JobState state) => state.Ended && state.Webhook.Status != WebhookStatus.Pending;

    public static VideoStage? NextStage(JobState state, VideoState video) => (state.Kind, video.Stage) switch
    {
        (JobKind.MediaAnalysis, VideoStage.Queued) => VideoStage.Analyse,
        (JobKind.MediaAnalysis, _) => null,
        (JobKind.IProduction, VideoStage.Queued) => VideoStage.Produce,
        (JobKind.IProduction, _) => null,
        (_, VideoStage.Queued) => VideoStage.Speech,
        (_, VideoStage.Speech) => VideoStage.AiWork,
        (_, VideoStage.AiWork) => VideoStage.Render,
        (_, VideoStage.Render) => VideoStage.Assemble,
        _ => null,
    };

    private static bool StageDone(JobState state, VideoState video) => StageTasks(state, video).All(t => t.State == TaskState.Succeeded);

    private static IEnumerable<FarmTask> StageTasks(JobState state, VideoState video) =>
        state.Tasks.Values.Where(t => t.VideoId == video.VideoId && t.Stage == video.Stage);

    // ---- apply ----

    public static JobState Apply(JobState state, IJobEvent @event)
    {
        var next = @event switch
        {
            JobAccepted e => Accepted(state, e),
            JobProcessing e => Log(state with { Status = JobStatus.Processing }, e.At, "Processing", null),
            StagePlanned e => Planned(state, e),
            VideoFailed e => Log(CancelTasks(UpdateVideo(state, e.VideoId, v => v with { Status = JobStatus.Failed, Code = e.Code, Message = e.Message }),
                    t => t.VideoId == e.VideoId, e.At), e.At, "Failed", e.Message, e.VideoId, e.TaskId),
            VideoSucceeded e => Log(UpdateVideo(state, e.VideoId, v => v with { Status = JobStatus.Success, DoneFrames = v.TotalFrames }),
                e.At, "Success", state.Videos[e.VideoId].OutputPath, e.VideoId),
            TaskStarted e => TaskLog(UpdateTask(state, e.TaskId, t => t with
                {
                    State = TaskState.Running, NodeId = e.NodeId, NodeUid = e.NodeUid, NodeAddress = e.NodeAddress, StartedAt = e.Ahead ? null : e.At,
                    FinishedAt = null, NotBefore = null,
                }), e.TaskId, e.At, e.Ahead ? "Claimed" : "Started",
                $"{TaskKinds.Name(state.Tasks[e.TaskId].Kind)} attempt {e.Attempt} on {e.NodeId}" + (e.Ahead ? " (taken ahead: it begins when a slot frees)" : ""), e.NodeId),
            TaskBegan e => TaskLog(UpdateTask(state, e.TaskId, t => t with { StartedAt = e.At }), e.TaskId, e.At, "Started",
                $"{TaskKinds.Name(state.Tasks[e.TaskId].Kind)} attempt {e.Attempt} on {e.NodeId}", e.NodeId),
            TaskSucceeded e => TaskSucceededApply(state, e),
            TaskFailed e => TaskFailedApply(state, e),
            TaskRedispatched e => TaskLog(UpdateTask(state, e.TaskId, t => e.GaveUp
                    ? t with { State = TaskState.Failed, Error = e.Reason, FinishedAt = e.At }
                    : t with { State = TaskState.Pending, Attempt = e.Attempt, NodeUid = null, NodeAddress = null, StartedAt = null, NotBefore = null }),
                e.TaskId, e.At, e.GaveUp ? "Failed" : "Redispatched", e.Reason, e.NodeId),
            JobFinished e => Finished(state, e),
            JobCancelled e => Cancelled(state, e),
            JobRetried e => Retried(state, e),
            WebhookAttempted e => Log(state with
                {
                    Webhook = e.Delivered ? state.Webhook with { Status = WebhookStatus.Delivered, Attempts = state.Webhook.Attempts + 1, NextAt = null }
                        : state.Webhook with { Status = e.GaveUp ? WebhookStatus.Abandoned : WebhookStatus.Pending, Attempts = state.Webhook.Attempts + 1, NextAt = e.NextAt, LastError = e.Error },
                }, e.At, e.Delivered ? "Notified" : "NotifyFailed", e.Delivered ? state.NotifyAddress : e.Error + (e.GaveUp ? "; giving up" : "")),
            _ => throw new ArgumentException($"unknown event {@event.GetType().Name}", nameof(@event)),
        };
        return next with { ModifiedTime = @event.At > next.ModifiedTime ? @event.At : next.ModifiedTime };
    }

    private static JobState Accepted(JobState state, JobAccepted e)
    {
        var videos = e.Videos.ToImmutableSortedDictionary(v => v.VideoId,
            v => new VideoState(v.VideoId, v.Index, v.RequestJson, v.OutputPath, JobStatus.Queuing, VideoStage.Queued, 0, 0, 0, null, null, null), StringComparer.Ordinal);
        var accepted = state with
        {
            JobId = e.JobId, Kind = e.Kind, Status = JobStatus.Queuing, ClientToken = e.ClientToken, RequestJson = e.RequestJson,
            UserData = e.UserData, NotifyAddress = e.NotifyAddress, CreateTime = e.At, Videos = videos,
        };
        return Log(accepted, e.At, "Queuing", $"accepted with {e.Videos.Count} video(s)");
    }

    private static JobState Planned(JobState state, StagePlanned e)
    {
        var tasks = state.Tasks.SetItems(e.Tasks.Select(s => KeyValuePair.Create(s.TaskId, new FarmTask(s.TaskId, e.VideoId, s.Kind, e.Stage, s.InputJson, s.ArtifactKey,
            s.Frames, TaskState.Pending, 1, 0, null, null, null, null, null, null, null, false, Priority: s.Priority))));
        var next = UpdateVideo(state with { Tasks = tasks }, e.VideoId, v => v with
        {
            Stage = e.Stage,
            Status = JobStatus.Processing,
            TotalFrames = e.TotalFrames ?? v.TotalFrames,
            DurationSeconds = e.DurationSeconds ?? v.DurationSeconds,
            Segments = e.Stage == VideoStage.Render ? e.Tasks.Count(t => TaskKinds.IsSegment(t.Kind)) : v.Segments,
        });
        if (e.Tasks.Count == 0) return next;
        var (name, detail) = e.Stage switch
        {
            VideoStage.Render => ("Planned", $"{e.Tasks.Count(t => TaskKinds.IsSegment(t.Kind))} segment(s), {e.TotalFrames} frames"),
            VideoStage.Assemble => ("Assembling", null),
            VideoStage.Analyse => ("Analysing", null),
            VideoStage.Produce => ("Producing", null),
            _ => ("AiWork", string.Join(", ", e.Tasks.Select(t => TaskKinds.Name(t.Kind) + " " + AiClip(t)))),
        };
        return Log(next, e.At, name, detail, e.VideoId);
    }

    private static string AiClip(TaskSpec spec)
    {
        try { return System.Text.Json.JsonDocument.Parse(spec.InputJson).RootElement.GetProperty("ClipPath").GetString() ?? ""; }
        catch (Exception e) when (e is System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException) { return spec.TaskId; }
    }

    private static JobState TaskSucceededApply(JobState state, TaskSucceeded e)
    {
        var task = state.Tasks[e.TaskId];
        var next = UpdateTask(state, e.TaskId, t => t with { State = TaskState.Succeeded, Reused = e.Reused, FinishedAt = e.At, Error = null });
        if (task.Frames > 0) next = UpdateVideo(next, task.VideoId, v => v with { DoneFrames = Math.Min(v.TotalFrames, v.DoneFrames + task.Frames) });
        return TaskLog(next, e.TaskId, e.At, "Succeeded", e.Detail, e.NodeId);
    }

    private static JobState TaskFailedApply(JobState state, TaskFailed e)
    {
        var next = UpdateTask(state, e.TaskId, t => e.Retry
            ? t with
            {
                State = TaskState.Pending, Attempt = t.Attempt + 1, JobFailures = t.JobFailures + (e.Cause == FailureCause.Job ? 1 : 0),
                NodeUid = null, NodeAddress = null, StartedAt = null, NotBefore = e.NotBefore, Error = e.Error,
            }
            : t with { State = TaskState.Failed, Error = e.Error, FinishedAt = e.At, JobFailures = t.JobFailures + (e.Cause == FailureCause.Job ? 1 : 0) });
        var cause = e.Cause == FailureCause.Node ? " (a fault of the node: the task runs elsewhere)" : "";
        return TaskLog(next, e.TaskId, e.At, e.Retry ? "Retry" : "Failed", $"failed on {e.NodeId}: {e.Error}{cause}", e.NodeId);
    }

    private static JobState Finished(JobState state, JobFinished e)
    {
        var next = state with
        {
            Status = e.Status, Code = e.Code, Message = e.Message, CompleteTime = e.At,
            Webhook = state.NotifyAddress is null ? state.Webhook : new WebhookState(WebhookStatus.Pending, 0, null, null),
        };
        return Log(next, e.At, e.Status.ToString(), e.Message);
    }

    /// <summary>Unfinished tasks that match end Cancelled (their video or job ended; nothing will use their result).</summary>
    private static JobState CancelTasks(JobState state, Func<FarmTask, bool> which, DateTimeOffset at) => state with
    {
        Tasks = state.Tasks.SetItems(state.Tasks.Values.Where(t => !IsEnd(t.State) && which(t))
            .Select(t => KeyValuePair.Create(t.TaskId, t with { State = TaskState.Cancelled, FinishedAt = at }))),
    };

    private static JobState Cancelled(JobState state, JobCancelled e)
    {
        var tasks = CancelTasks(state, _ => true, e.At).Tasks;
        var videos = state.Videos.SetItems(state.Videos.Values.Where(v => !IsEnd(v.Status))
            .Select(v => KeyValuePair.Create(v.VideoId, v with { Status = JobStatus.Cancelled })));
        return Log(state with { Status = JobStatus.Cancelled, CompleteTime = e.At, Tasks = tasks, Videos = videos }, e.At, "Cancelled", e.Reason);
    }

    private static JobState Retried(JobState state, JobRetried e)
    {
        var next = state;
        foreach (var task in state.Tasks.Values.Where(t => t.State is TaskState.Failed or TaskState.Cancelled))
        {
            next = UpdateTask(next, task.TaskId, t => t with
            {
                State = TaskState.Pending, Attempt = t.Attempt + 1, SeriesStart = t.Attempt + 1, JobFailures = 0, Error = null, NodeUid = null, NodeAddress = null,
                StartedAt = null, FinishedAt = null, NotBefore = null,
            });
            next = TaskLog(next, task.TaskId, e.At, "Retry", "operator retry", null);
        }
        var videos = next.Videos.SetItems(next.Videos.Values.Where(v => v.Status is JobStatus.Failed or JobStatus.Cancelled)
            .Select(v => KeyValuePair.Create(v.VideoId, v with { Status = v.Stage == VideoStage.Queued ? JobStatus.Queuing : JobStatus.Processing, Code = null, Message = null })));
        next = next with
        {
            Status = JobStatus.Processing, Code = null, Message = null, CompleteTime = null, Videos = videos,
            Webhook = new WebhookState(WebhookStatus.None, 0, null, null),
        };
        return Log(next, e.At, "Processing", "operator retry");
    }

    private static JobState UpdateVideo(JobState state, string videoId, Func<VideoState, VideoState> change) =>
        state with { Videos = state.Videos.SetItem(videoId, change(state.Videos[videoId])) };

    private static JobState UpdateTask(JobState state, string taskId, Func<FarmTask, FarmTask> change) =>
        state with { Tasks = state.Tasks.SetItem(taskId, change(state.Tasks[taskId])) };

    private static JobState Log(JobState state, DateTimeOffset at, string @event, string? detail, string? videoId = null, string? taskId = null, string? nodeId = null) =>
        state with { History = state.History.Add(new HistoryLine(at, @event, detail, videoId, taskId, nodeId)) };

    private static JobState TaskLog(JobState state, string taskId, DateTimeOffset at, string @event, string? detail, string? nodeId) =>
        Log(state, at, @event, detail, state.Tasks[taskId].VideoId, taskId, nodeId);
}
