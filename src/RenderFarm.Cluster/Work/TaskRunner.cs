using Microsoft.Extensions.Logging;
using RenderFarm.Cluster.Messages;
using RenderFarm.Cluster.Model;
using RenderFarm.Cluster.Orchestration;
using RenderFarm.Cluster.Store;

namespace RenderFarm.Cluster.Work;

/// <summary>
/// Runs one RunTask message on this node: claims the task in the store (one node per attempt),
/// renews its lease while the work runs (a node that dies stops renewing and the task is
/// re-dispatched elsewhere), records the outcome, and tells the orchestrator.
/// </summary>
public sealed class TaskRunner(
    IJobStore store,
    IFarmBus bus,
    TaskExecutor executor,
    RunningTasks running,
    KindFailures failures,
    TaskRunnerOptions options,
    TimeProvider clock,
    ILogger<TaskRunner> log)
{
    /// <summary>Raised when this node has failed a kind too often in a row and should stop taking it.</summary>
    public event Action<TaskKind>? KindDisabled;

    public async Task RunAsync(RunTask message, CancellationToken shutdown)
    {
        // A node-wide cap across kinds: wait for a free place before claiming, so the task stays
        // claimable by other nodes meanwhile.
        if (options.NodeGate is { } gate) await gate.WaitAsync(shutdown);
        try { await RunClaimedAsync(message, shutdown); }
        finally { options.NodeGate?.Release(); }
    }

    private async Task RunClaimedAsync(RunTask message, CancellationToken shutdown)
    {
        // Messages already prefetched when the kind got disabled, or the node began to drain, go back
        // to the queue for other nodes; the endpoint is being disconnected meanwhile.
        if (failures.IsDisabled(message.Kind) || options.TakingWork?.Invoke() == false)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), CancellationToken.None); // no hot loop while still connected
            await bus.SendAsync(message, CancellationToken.None);
            return;
        }
        var task = await ClaimAsync(message, shutdown);
        if (task is null) return;
        using var stop = running.Register(task.TaskId, task.JobId, shutdown);
        var lease = new LeaseKeeper(store, task, options, clock, stop);
        var heartbeat = lease.RunAsync();
        TaskOutcome? outcome = null;
        Exception? error = null;
        var started = clock.GetUtcNow();
        try
        {
            outcome = await executor.ExecuteAsync(task, stop.Token);
        }
        catch (Exception e)
        {
            error = e;
        }
        finally
        {
            lease.Stop();
            await heartbeat;
            running.Unregister(task.TaskId);
        }
        var current = lease.Current;
        if (outcome is not null) await SucceedAsync(current, outcome, clock.GetUtcNow() - started, shutdown);
        else if (error is OperationCanceledException && !shutdown.IsCancellationRequested) await StoppedAsync(current, lease.Lost, shutdown);
        else if (error is OperationCanceledException) log.LogInformation("{Task} interrupted by shutdown; its lease will expire and it runs elsewhere", task.TaskId);
        else await FailAsync(current, error!, shutdown);
    }

    /// <summary>Takes the task for this node if it is still waiting for this attempt. A lost race re-reads and tries again.</summary>
    private async Task<TaskRecord?> ClaimAsync(RunTask message, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var task = await store.GetTaskAsync(message.TaskId, ct);
            if (task is null || task.Attempt != message.Attempt || JobOrchestrator.IsEnd(task.State)) return null;
            var now = clock.GetUtcNow();
            if (task.State == TaskState.Running && task.LeaseExpires > now) return null; // another node holds it
            var claimed = task with { State = TaskState.Running, NodeId = options.NodeId, StartedAt = now, LeaseExpires = now + options.Lease };
            var history = new HistoryEntry(0, task.JobId, task.VideoId, task.TaskId, now, "Started", $"{TaskKinds.Name(task.Kind)} attempt {task.Attempt} on {options.NodeId}", options.NodeId);
            if (await store.UpdateTaskAsync(claimed, history, ct)) return claimed with { Version = claimed.Version + 1 };
        }
        return null;
    }

    private async Task SucceedAsync(TaskRecord task, TaskOutcome outcome, TimeSpan elapsed, CancellationToken ct)
    {
        failures.Succeeded(task.Kind);
        var detail = outcome.Reused
            ? $"artifact {task.ArtifactKey[..12]} already existed: reused, nothing rendered"
            : $"done in {elapsed.TotalMilliseconds:0} ms (ffmpeg {outcome.FfmpegTime.TotalMilliseconds:0} ms)";
        await FinishAsync(task with { State = TaskState.Succeeded, Reused = outcome.Reused, FinishedAt = clock.GetUtcNow(), LeaseExpires = null }, "Succeeded", detail, ct);
    }

    private async Task FailAsync(TaskRecord task, Exception error, CancellationToken ct)
    {
        var message = error.Message.ReplaceLineEndings(" ");
        log.LogWarning("{Task} failed on {Node}: {Error}", task.TaskId, options.NodeId, message);
        if (failures.Failed(task.Kind)) KindDisabled?.Invoke(task.Kind);
        var retry = task.Attempt < options.MaxAttempts;
        var next = retry
            ? task with { State = TaskState.Pending, Attempt = task.Attempt + 1, NodeId = null, LeaseExpires = null, Error = message }
            : task with { State = TaskState.Failed, Error = message, FinishedAt = clock.GetUtcNow(), LeaseExpires = null };
        await FinishAsync(next, retry ? "Retry" : "Failed", $"failed on {options.NodeId}: {message}", ct);
    }

    /// <summary>The work was stopped: by a cancel (the store already says Cancelled) or because the lease was lost.</summary>
    private Task StoppedAsync(TaskRecord task, bool leaseLost, CancellationToken ct)
    {
        log.LogInformation("{Task} stopped on {Node} ({Reason})", task.TaskId, options.NodeId, leaseLost ? "lease lost" : "cancelled");
        return Task.CompletedTask;
    }

    private async Task FinishAsync(TaskRecord next, string @event, string detail, CancellationToken ct)
    {
        var history = new HistoryEntry(0, next.JobId, next.VideoId, next.TaskId, clock.GetUtcNow(), @event, detail, options.NodeId);
        if (!await store.UpdateTaskAsync(next, history, ct))
        {
            log.LogInformation("{Task} changed while running (cancelled or re-dispatched); outcome {Event} dropped", next.TaskId, @event);
            return;
        }
        try { await bus.PublishAsync(new TaskFinished(next.TaskId, next.JobId, options.NodeId, next.Attempt, next.State), ct); }
        catch (Exception e) when (e is not OperationCanceledException) { log.LogWarning("TaskFinished not published ({Error}); the reconciler will pick it up", e.Message); }
    }
}

/// <param name="TakingWork">False while the node drains or stops: a message that still arrives goes back to the queue.</param>
public sealed record TaskRunnerOptions(string NodeId, TimeSpan Lease, int MaxAttempts, SemaphoreSlim? NodeGate = null, Func<bool>? TakingWork = null);

/// <summary>
/// Renews a running task's lease every third of its length. If a renewal finds the task changed
/// by someone else (cancelled, or re-dispatched after this node looked dead) the work is stopped.
/// </summary>
internal sealed class LeaseKeeper(IJobStore store, TaskRecord task, TaskRunnerOptions options, TimeProvider clock, CancellationTokenSource work)
{
    private readonly CancellationTokenSource _stop = new();

    public TaskRecord Current { get; private set; } = task;
    public bool Lost { get; private set; }

    public void Stop() => _stop.Cancel();

    public async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try { await Task.Delay(options.Lease / 3, clock, _stop.Token); }
            catch (OperationCanceledException) { return; }
            var renewed = Current with { LeaseExpires = clock.GetUtcNow() + options.Lease };
            bool ok;
            try { ok = await store.UpdateTaskAsync(renewed, null, _stop.Token); }
            catch (OperationCanceledException) { return; }
            catch (Exception) { continue; } // store briefly unreachable: keep working, try again
            if (ok)
            {
                Current = renewed with { Version = renewed.Version + 1 };
                continue;
            }
            Lost = true;
            try { work.Cancel(); } catch (ObjectDisposedException) { }
            return;
        }
    }
}
