using Akka.Actor;
using Microsoft.Extensions.Logging;
using RenderFarm.Cluster.Model;

namespace RenderFarm.Cluster.Dispatch;

/// <summary>One attempt of a task, as offered to workers: what a node needs to claim and run it.</summary>
public sealed record TaskAssignment(string JobId, string TaskId, string VideoId, TaskKind Kind, int Attempt, string InputJson, string ArtifactKey, int Priority = 0) : IFarmMessage;

/// <summary>A job entity offers a task that waits for a node (again after a while: the queue keeps no state of its own).</summary>
public sealed record OfferTask(TaskAssignment Task) : IFarmMessage;

/// <summary>A job ended: its waiting tasks are dropped.</summary>
public sealed record WithdrawJob(string JobId) : IFarmMessage;

/// <summary>
/// A worker's free slots per kind, and the kinds it would take one task ahead of (sent whenever a slot frees,
/// and every heartbeat). The sender is the worker.
/// </summary>
public sealed record WorkerReady(string NodeId, IReadOnlyDictionary<TaskKind, int> Free, IReadOnlyList<TaskKind>? Ahead = null) : IFarmMessage;

/// <summary>The queue gives a task to a worker, which claims it from the job before running it (<paramref name="Ahead"/>: as soon as a slot frees).</summary>
public sealed record AssignTask(TaskAssignment Task, bool Ahead = false) : IFarmMessage;

/// <summary>A worker could not take an assigned task (no slot any more, draining, kind taken out): it waits again, first in line.</summary>
public sealed record DeclineTask(TaskAssignment Task) : IFarmMessage;

/// <summary>How long tasks waited in the work queue before a node was given them, per kind: the gateway's /metrics observes it.</summary>
public sealed class QueueWaits
{
    public event Action<TaskKind, TimeSpan>? Waited;

    internal void Report(TaskKind kind, TimeSpan waited) => Waited?.Invoke(kind, waited);
}

/// <summary>
/// Work pulling for the whole farm: a cluster singleton on a gateway node. Job entities offer tasks,
/// workers report free slots, and the queue pairs them (<see cref="WorkQueueState"/>). Its state is soft:
/// after a move to another gateway, entities offer their waiting tasks again and workers report again.
/// </summary>
public sealed class WorkQueue : ReceiveActor
{
    private readonly WorkQueueState _state = new();
    private readonly Dictionary<string, IActorRef> _workers = [];
    private readonly ILogger _log;
    private readonly QueueWaits? _waits;
    private readonly TimeProvider _clock;

    public static Props Props(ILogger log, QueueWaits? waits = null, TimeProvider? clock = null) =>
        Akka.Actor.Props.Create(() => new WorkQueue(log, waits, clock ?? TimeProvider.System));

    public WorkQueue(ILogger log, QueueWaits? waits, TimeProvider clock)
    {
        _log = log;
        _waits = waits;
        _clock = clock;
        Receive<OfferTask>(o => { _state.Offer(o.Task, at: _clock.GetUtcNow()); Dispatch(); });
        Receive<WithdrawJob>(w => _state.Withdraw(w.JobId));
        Receive<DeclineTask>(d => { _state.Offer(d.Task, front: true); Dispatch(); });
        Receive<WorkerReady>(r =>
        {
            var key = Sender.Path.ToString();
            if (_workers.TryAdd(key, Sender))
            {
                Context.Watch(Sender);
                _log.LogInformation("worker {Node} joined the work queue", r.NodeId);
            }
            _state.SetFree(key, r.Free, r.Ahead);
            Dispatch();
        });
        Receive<Terminated>(t =>
        {
            var key = t.ActorRef.Path.ToString();
            _workers.Remove(key);
            _state.RemoveWorker(key);
            _log.LogInformation("worker {Worker} left the work queue", key);
        });
    }

    private void Dispatch()
    {
        var now = _clock.GetUtcNow();
        foreach (var (worker, task, ahead) in _state.Match())
        {
            if (_state.Waited(task.TaskId, now) is { } waited) _waits?.Report(task.Kind, waited);
            _workers[worker].Tell(new AssignTask(task, ahead));
        }
    }
}
