using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using RenderFarm.Cluster.Messages;
using RenderFarm.Cluster.Model;
using RenderFarm.Cluster.Store;

namespace RenderFarm.Cluster.Orchestration;

/// <summary>
/// The persistent job actor: reads a job's state from the store and takes the next steps (plan,
/// dispatch, assemble, finish). Every step is idempotent and guarded by optimistic concurrency, so
/// messages may be lost, duplicated or late, the process may die at any point, and several
/// gateways may advance the same job: the next pass picks up where the state says.
/// </summary>
public sealed class JobOrchestrator(
    IJobStore store,
    IFarmBus bus,
    VideoPreparation preparation,
    WebhookNotifier notifier,
    OrchestratorOptions options,
    TimeProvider clock,
    ILogger<JobOrchestrator> log)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new();

    public async Task AdvanceAsync(string jobId, CancellationToken ct)
    {
        var gate = _locks.GetOrAdd(jobId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try { await AdvanceLockedAsync(jobId, ct); }
        finally { gate.Release(); }
    }

    private async Task AdvanceLockedAsync(string jobId, CancellationToken ct)
    {
        var job = await store.GetJobAsync(jobId, ct);
        if (job is null || IsEnd(job.Status)) return;
        var videos = await store.GetVideosAsync(jobId, ct);
        var tasks = await store.GetTasksAsync(jobId, ct);

        foreach (var video in videos.Where(v => !IsEnd(v.Status)))
        {
            var own = tasks.Where(t => t.VideoId == video.VideoId).ToList();
            if (job.Kind == JobKind.MediaAnalysis) { await StepAnalysisAsync(video, own, ct); continue; }
            var render = own.Where(t => !JobPlanner.IsAi(t.Kind)).ToList();
            if (render.Count > 0) { await StepVideoAsync(video, render, ct); continue; }
            if (!await AiWorkDoneAsync(video, own, ct)) continue;
            await PlanAsync(video, ct);
            // Workers start on this video's segments while the next videos are planned (probing takes a while).
            foreach (var task in (await store.GetTasksAsync(jobId, ct)).Where(t => t.VideoId == video.VideoId && t.State == TaskState.Pending))
                await DispatchAsync(task, ct);
        }

        // Dispatch everything ready (new tasks, retries, re-dispatches after a lost node).
        foreach (var task in (await store.GetTasksAsync(jobId, ct)).Where(t => t.State == TaskState.Pending))
            await DispatchAsync(task, ct);

        await FinishJobIfDoneAsync(jobId, ct);
    }

    /// <summary>
    /// The AI stage before planning: speech tasks first, then transcripts and mattes (they need the
    /// speech's length to schedule the timeline). True when every AI task has succeeded (or none is needed).
    /// Tasks are inserted only by the pass that wins the video's version, so two gateways never queue them twice.
    /// </summary>
    private async Task<bool> AiWorkDoneAsync(VideoRecord video, List<TaskRecord> aiTasks, CancellationToken ct)
    {
        if (aiTasks.FirstOrDefault(t => t.State == TaskState.Failed) is { } failed)
        {
            await store.UpdateVideoAsync(video with { Status = JobStatus.Failed, Code = "AiFailed", Message = failed.Error },
                History(video, failed.TaskId, "Failed", failed.Error), ct);
            return false;
        }
        IReadOnlyList<Media.Ai.AiWorkItem> work;
        try { work = preparation.AiWork(video); }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await store.UpdateVideoAsync(video with { Status = JobStatus.Failed, Code = "InvalidParameter", Message = e.Message },
                History(video, null, "Failed", e.Message), ct);
            return false;
        }
        foreach (var stage in new[] { work.Where(w => w.Kind == Media.Ai.AiWorkKind.Speech).ToList(), work.Where(w => w.Kind != Media.Ai.AiWorkKind.Speech).ToList() })
        {
            if (stage.Count == 0) continue;
            var queued = aiTasks.Select(t => (t.Kind, TaskInputJson.Read<AiInput>(t.InputJson).ClipPath)).ToHashSet();
            var missing = stage.Where(w => !queued.Contains((JobPlanner.KindOf(w.Kind), w.ClipPath))).ToList();
            if (missing.Count > 0)
            {
                var detail = string.Join(", ", missing.Select(w => $"{TaskKinds.Name(JobPlanner.KindOf(w.Kind))} {w.ClipPath}"));
                if (await store.UpdateVideoAsync(video with { Status = JobStatus.Processing }, History(video, null, "AiWork", detail), ct))
                {
                    await store.InsertTasksAsync(JobPlanner.AiTasks(video, missing), null, ct);
                    await MarkJobProcessingAsync(video.JobId, ct);
                }
                return false;
            }
            var mine = aiTasks.Where(t => stage.Any(w => JobPlanner.KindOf(w.Kind) == t.Kind && TaskInputJson.Read<AiInput>(t.InputJson).ClipPath == w.ClipPath));
            if (mine.Any(t => t.State != TaskState.Succeeded)) return false;
        }
        return true;
    }

    /// <summary>
    /// A media library entry's job: its one analyse task is queued by the pass that wins the video's version,
    /// and the video (standing for the medium) ends as that task does.
    /// </summary>
    private async Task StepAnalysisAsync(VideoRecord video, List<TaskRecord> tasks, CancellationToken ct)
    {
        if (tasks.Count == 0)
        {
            if (await store.UpdateVideoAsync(video with { Status = JobStatus.Processing }, History(video, null, "Analysing", null), ct))
            {
                await store.InsertTasksAsync([Library.MediaAnalysisPlanner.Task(video)], null, ct);
                await MarkJobProcessingAsync(video.JobId, ct);
            }
            return;
        }
        var task = tasks[0];
        if (task.State == TaskState.Failed)
            await store.UpdateVideoAsync(video with { Status = JobStatus.Failed, Code = "AnalysisFailed", Message = task.Error },
                History(video, task.TaskId, "Failed", task.Error), ct);
        else if (task.State == TaskState.Succeeded)
            await store.UpdateVideoAsync(video with { Status = JobStatus.Success, Progress = 100 }, History(video, task.TaskId, "Success", null), ct);
    }

    private async Task PlanAsync(VideoRecord video, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        try
        {
            var prepared = await preparation.PrepareAsync(video, ct);
            var segments = JobPlanner.Segments(video, prepared, options.SegmentSeconds, options.EncoderTag, now);
            var planned = video with
            {
                Status = JobStatus.Processing,
                TotalFrames = prepared.Schedule.TotalFrames,
                Segments = segments.Count,
                DurationSeconds = prepared.Schedule.DurationSeconds,
            };
            if (!await store.UpdateVideoAsync(planned, History(video, null, "Planned", $"{segments.Count} segment(s), {prepared.Schedule.TotalFrames} frames"), ct)) return;
            await store.InsertTasksAsync([JobPlanner.Audio(video, prepared, options.EncoderTag), .. segments], null, ct);
            await MarkJobProcessingAsync(video.JobId, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning("planning {Video} failed: {Error}", video.VideoId, e.Message);
            await store.UpdateVideoAsync(video with { Status = JobStatus.Failed, Code = "InvalidMedia", Message = e.Message },
                History(video, null, "Failed", e.Message), ct);
        }
    }

    private async Task StepVideoAsync(VideoRecord video, List<TaskRecord> tasks, CancellationToken ct)
    {
        var segments = tasks.Where(t => t.Kind == TaskKind.EncodeSegment).ToList();
        var assemble = tasks.FirstOrDefault(t => t.Kind == TaskKind.Assemble);
        var audio = tasks.Where(t => t.Kind == TaskKind.EncodeAudio);
        var failed = tasks.FirstOrDefault(t => t.State == TaskState.Failed);
        if (failed is not null)
        {
            await store.UpdateVideoAsync(video with { Status = JobStatus.Failed, Code = "RenderFailed", Message = failed.Error },
                History(video, failed.TaskId, "Failed", failed.Error), ct);
            return;
        }
        if (assemble is null && segments.Concat(audio).All(s => s.State == TaskState.Succeeded))
        {
            var prepared = await preparation.PrepareAsync(video, ct);
            await store.InsertTasksAsync([JobPlanner.Assemble(video, prepared, segments, options.EncoderTag)], null, ct);
            return;
        }
        if (assemble is { State: TaskState.Succeeded })
        {
            await store.UpdateVideoAsync(video with { Status = JobStatus.Success, Progress = 100 },
                History(video, assemble.TaskId, "Success", video.OutputPath), ct);
            return;
        }
        var done = segments.Where(s => s.State == TaskState.Succeeded)
            .Sum(s => TaskInputJson.Read<SegmentInput>(s.InputJson) is var w ? w.EndFrame - w.StartFrame : 0);
        var progress = Math.Round(90.0 * done / Math.Max(1, video.TotalFrames), 1);
        if (Math.Abs(progress - video.Progress) >= 0.1)
            await store.UpdateVideoAsync(video with { Progress = progress }, null, ct);
    }

    /// <summary>
    /// Marks a Pending task Dispatched, then sends it to its queue. Marking first matters: a node may
    /// take the message at once, and its claim must see the state the orchestrator wrote. A failed
    /// send puts the task back to Pending for the next pass.
    /// </summary>
    public async Task DispatchAsync(TaskRecord task, CancellationToken ct)
    {
        var dispatched = task with { State = TaskState.Dispatched, DispatchedAt = clock.GetUtcNow() };
        if (!await store.UpdateTaskAsync(dispatched, History(task, "Dispatched", $"{TaskKinds.Name(task.Kind)} attempt {task.Attempt}"), ct)) return;
        try
        {
            await bus.SendAsync(new RunTask(task.TaskId, task.JobId, task.Kind, task.Attempt), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning("dispatch of {Task} failed, retried on the next pass: {Error}", task.TaskId, e.Message);
            await store.UpdateTaskAsync(dispatched with { State = TaskState.Pending, Version = dispatched.Version + 1 }, null, CancellationToken.None);
        }
    }

    private async Task MarkJobProcessingAsync(string jobId, CancellationToken ct)
    {
        var job = await store.GetJobAsync(jobId, ct);
        if (job is { Status: JobStatus.Queuing })
            await store.UpdateJobAsync(job with { Status = JobStatus.Processing, ModifiedTime = clock.GetUtcNow() },
                new HistoryEntry(0, jobId, null, null, clock.GetUtcNow(), "Processing", null, null), ct);
    }

    private async Task FinishJobIfDoneAsync(string jobId, CancellationToken ct)
    {
        var job = await store.GetJobAsync(jobId, ct);
        if (job is null || IsEnd(job.Status)) return;
        var videos = await store.GetVideosAsync(jobId, ct);
        var progress = Math.Round(videos.Average(v => v.Progress), 1);
        var now = clock.GetUtcNow();
        JobRecord next;
        if (videos.All(v => v.Status == JobStatus.Success))
            next = job with { Status = JobStatus.Success, Progress = 100, CompleteTime = now, ModifiedTime = now };
        else if (videos.All(v => IsEnd(v.Status)))
        {
            var failed = videos.First(v => v.Status == JobStatus.Failed);
            next = job with { Status = JobStatus.Failed, Progress = progress, Code = failed.Code, Message = failed.Message, CompleteTime = now, ModifiedTime = now };
        }
        else
        {
            if (Math.Abs(progress - job.Progress) >= 0.1)
                await store.UpdateJobAsync(job with { Progress = progress, ModifiedTime = now }, null, ct);
            return;
        }
        if (await store.UpdateJobAsync(next, new HistoryEntry(0, jobId, null, null, now, next.Status.ToString(), next.Message, null), ct))
            notifier.Notify(next, videos);
    }

    /// <summary>Cancels a job: end state now, running tasks told to stop, nothing further dispatched.</summary>
    public async Task<bool> CancelAsync(string jobId, CancellationToken ct)
    {
        var job = await store.GetJobAsync(jobId, ct);
        if (job is null) return false;
        if (IsEnd(job.Status)) return true;
        var now = clock.GetUtcNow();
        if (!await store.UpdateJobAsync(job with { Status = JobStatus.Cancelled, CompleteTime = now, ModifiedTime = now },
                new HistoryEntry(0, jobId, null, null, now, "Cancelled", "cancelled by request", null), ct))
            return await CancelAsync(jobId, ct);
        foreach (var task in (await store.GetTasksAsync(jobId, ct)).Where(t => !IsEnd(t.State)))
            await store.UpdateTaskAsync(task with { State = TaskState.Cancelled, FinishedAt = now }, History(task, "Cancelled", null), ct);
        foreach (var video in (await store.GetVideosAsync(jobId, ct)).Where(v => !IsEnd(v.Status)))
            await store.UpdateVideoAsync(video with { Status = JobStatus.Cancelled }, null, ct);
        try { await bus.PublishAsync(new CancelJob(jobId), ct); }
        catch (Exception e) when (e is not OperationCanceledException) { log.LogWarning("cancel broadcast failed: {Error}", e.Message); }
        return true;
    }

    /// <summary>Puts a failed or cancelled job back to work: its unfinished tasks run again, finished ones are kept.</summary>
    public async Task<bool> RetryAsync(string jobId, CancellationToken ct)
    {
        var job = await store.GetJobAsync(jobId, ct);
        if (job is null || job.Status is not (JobStatus.Failed or JobStatus.Cancelled)) return false;
        var now = clock.GetUtcNow();
        foreach (var task in (await store.GetTasksAsync(jobId, ct)).Where(t => t.State is TaskState.Failed or TaskState.Cancelled))
            await store.UpdateTaskAsync(task with { State = TaskState.Pending, Attempt = task.Attempt + 1, Error = null, NodeId = null, LeaseExpires = null },
                History(task, "Retry", "operator retry"), ct);
        foreach (var video in (await store.GetVideosAsync(jobId, ct)).Where(v => v.Status is JobStatus.Failed or JobStatus.Cancelled))
        {
            preparation.Forget(video.VideoId);
            await store.UpdateVideoAsync(video with { Status = JobStatus.Processing, Code = null, Message = null }, null, ct);
        }
        await store.UpdateJobAsync(job with { Status = JobStatus.Processing, Code = null, Message = null, CompleteTime = null, ModifiedTime = now },
            new HistoryEntry(0, jobId, null, null, now, "Processing", "operator retry", null), ct);
        await AdvanceAsync(jobId, ct);
        return true;
    }

    public static bool IsEnd(JobStatus status) => status is JobStatus.Success or JobStatus.Failed or JobStatus.Cancelled;
    public static bool IsEnd(TaskState state) => state is TaskState.Succeeded or TaskState.Failed or TaskState.Cancelled;

    private HistoryEntry History(VideoRecord video, string? taskId, string @event, string? detail) =>
        new(0, video.JobId, video.VideoId, taskId, clock.GetUtcNow(), @event, detail, null);

    private HistoryEntry History(TaskRecord task, string @event, string? detail) =>
        new(0, task.JobId, task.VideoId, task.TaskId, clock.GetUtcNow(), @event, detail, task.NodeId);
}

/// <summary>Planning and encoding choices shared by every video (the encoder tag enters artifact keys).</summary>
public sealed record OrchestratorOptions(double SegmentSeconds, string EncoderTag);
