using Microsoft.Extensions.Logging;
using RenderFarm.Cluster.Messages;
using RenderFarm.Cluster.Model;
using RenderFarm.Cluster.Store;

namespace RenderFarm.Cluster.Orchestration;

/// <summary>
/// The supervisor. Every pass: a Running task whose node stopped renewing its lease goes back to
/// Pending (re-dispatched elsewhere); a Dispatched task nobody claimed for a while is sent again
/// (its message may have died with a broker or an embedded process); every active job is advanced.
/// </summary>
public sealed class Reconciler(IJobStore store, IFarmBus bus, JobOrchestrator orchestrator, ReconcilerOptions options, TimeProvider clock, ILogger<Reconciler> log)
{
    private bool _resentAfterStart;

    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try { await PassAsync(ct); }
            catch (Exception e) when (e is not OperationCanceledException) { log.LogWarning("reconcile pass failed: {Error}", e.Message); }
            try { await Task.Delay(options.Interval, clock, ct); }
            catch (OperationCanceledException) { return; }
        }
    }

    public async Task PassAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        foreach (var task in await store.GetTasksInStateAsync(TaskState.Running, ct: ct))
        {
            if (task.LeaseExpires is not { } expires || expires >= now) continue;
            var lost = task.Attempt >= options.MaxAttempts;
            var next = lost
                ? task with { State = TaskState.Failed, Error = $"node {task.NodeId} stopped heartbeating {task.Attempt} times", FinishedAt = now }
                : task with { State = TaskState.Pending, Attempt = task.Attempt + 1, NodeId = null, LeaseExpires = null };
            var detail = $"node {task.NodeId} stopped heartbeating (lease expired {expires:HH:mm:ss.fff}); " + (lost ? "giving up" : $"re-dispatching as attempt {next.Attempt}");
            if (await store.UpdateTaskAsync(next, new HistoryEntry(0, task.JobId, task.VideoId, task.TaskId, now, lost ? "Failed" : "Redispatched", detail, task.NodeId), ct))
                log.LogWarning("{Task}: {Detail}", task.TaskId, detail);
        }

        foreach (var task in await store.GetTasksInStateAsync(TaskState.Dispatched, ct: ct))
        {
            var stale = task.DispatchedAt is not { } at || now - at > options.RedispatchAfter;
            if (!_resentAfterStart || stale) await ResendAsync(task, now, ct);
        }
        _resentAfterStart = true;

        foreach (var jobId in await store.ActiveJobIdsAsync(ct))
            await orchestrator.AdvanceAsync(jobId, ct);
    }

    /// <summary>Sends a Dispatched task's message again. Duplicates are harmless: a node claims a task only once per attempt.</summary>
    private async Task ResendAsync(TaskRecord task, DateTimeOffset now, CancellationToken ct)
    {
        try { await bus.SendAsync(new RunTask(task.TaskId, task.JobId, task.Kind, task.Attempt), ct); }
        catch (Exception e) when (e is not OperationCanceledException) { log.LogWarning("resend of {Task} failed: {Error}", task.TaskId, e.Message); return; }
        await store.UpdateTaskAsync(task with { DispatchedAt = now }, null, ct);
    }
}

public sealed record ReconcilerOptions(TimeSpan Interval, TimeSpan RedispatchAfter, int MaxAttempts);
