using System.Collections.Concurrent;
using RenderFarm.Cluster.Dispatch;
using RenderFarm.Cluster.Lifecycle;
using RenderFarm.Cluster.Model;
using RenderFarm.Cluster.Workers;
using Rules = RenderFarm.Cluster.Lifecycle.JobLifecycle;

namespace RenderFarm.Cluster.Tests;

/// <summary>
/// A farm of one node without actors: what the job entity, the work queue and the worker do for a job,
/// done in turn. Stages are prepared by the node's <see cref="IStagePlanner"/>; each ready task is claimed
/// from its job, run by the node's <see cref="ITaskRunner"/> and reported, a failure with the cause
/// <see cref="FailureClassifier"/> gives it (as WorkerNode does). A back-off is waited out by moving the
/// jobs' clock. Cancelling a job stops its running tasks, as the entity's StopTask does.
/// </summary>
internal sealed class InProcessFarm(InProcessJobs jobs, IStagePlanner planner, ITaskRunner runner, string nodeId = "worker")
{
    private readonly ConcurrentDictionary<(string JobId, string TaskId, int Attempt), CancellationTokenSource> _running = new();

    public InProcessJobs Jobs => jobs;
    public string NodeId => nodeId;
    public string NodeUid => $"akka.tcp://farm@127.0.0.1:4053#{nodeId}";
    public string NodeAddress => "akka.tcp://farm@127.0.0.1:4053";

    /// <summary>Runs the job until it ends, or until nothing can move it on (then its state is returned as it is).</summary>
    public async Task<JobState> RunAsync(string jobId, CancellationToken ct)
    {
        while (true)
        {
            var state = jobs.State(jobId);
            if (!state.Exists || state.Ended) return state;
            var moved = false;
            foreach (var (videoId, stage) in Rules.StagesToPrepare(state).ToList())
            {
                await jobs.DoAsync(await planner.PrepareAsync(jobs.State(jobId), videoId, stage, ct), ct);
                moved = true;
            }
            if (moved) continue;
            var ready = Rules.ReadyTasks(state, jobs.Now).ToList();
            foreach (var task in ready)
            {
                if (jobs.State(jobId).Ended) break;
                await RunTaskAsync(jobId, task, ct);
            }
            if (ready.Count > 0) continue;
            // Waiting out a back-off: the next try is due when the earliest pending task may run.
            var next = state.Tasks.Values.Where(t => t.State == TaskState.Pending && t.NotBefore > jobs.Now).Min(t => t.NotBefore);
            if (next is null) return state;
            jobs.Advance(next.Value - jobs.Now);
        }
    }

    /// <summary>Cancels a job as `farm job cancel` does; tasks the decision names are stopped on this node.</summary>
    public async Task<JobCommandReply> CancelAsync(string jobId, CancellationToken ct)
    {
        var decision = await jobs.DoAsync(new CancelJob(jobId), ct);
        foreach (var stop in decision.Stop)
            if (_running.TryGetValue((jobId, stop.TaskId, stop.Attempt), out var cts)) await cts.CancelAsync();
        return (JobCommandReply)decision.Reply!;
    }

    private async Task RunTaskAsync(string jobId, FarmTask task, CancellationToken ct)
    {
        var claim = await jobs.DoAsync(new ClaimTask(jobId, task.TaskId, task.Attempt, nodeId, NodeUid, NodeAddress), ct);
        var reply = (ClaimReply)claim.Reply!;
        if (!reply.Granted) return;
        var assignment = new TaskAssignment(jobId, task.TaskId, task.VideoId, task.Kind, task.Attempt, task.InputJson, task.ArtifactKey);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var key = (jobId, task.TaskId, task.Attempt);
        _running[key] = stop;
        IJobCommand report;
        try
        {
            var outcome = await Task.Run(() => runner.RunAsync(assignment, reply.Video!, stop.Token), CancellationToken.None);
            report = new ReportTaskSucceeded(jobId, task.TaskId, task.Attempt, nodeId, outcome.Reused, outcome.Reused ? "reused" : "done");
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return; // stopped because the job was cancelled: nothing to report
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            report = new ReportTaskFailed(jobId, task.TaskId, task.Attempt, nodeId, e.Message.ReplaceLineEndings(" "), FailureClassifier.Classify(e));
        }
        finally
        {
            _running.TryRemove(key, out _);
        }
        await jobs.DoAsync(report, ct);
    }
}
