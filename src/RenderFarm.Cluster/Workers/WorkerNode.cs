using System.Diagnostics;
using Akka.Actor;
using Microsoft.Extensions.Logging;
using RenderFarm.Cluster.Dispatch;
using RenderFarm.Cluster.Hosting;
using RenderFarm.Cluster.Lifecycle;
using RenderFarm.Cluster.Model;

namespace RenderFarm.Cluster.Workers;

/// <summary>A job entity tells the node running a task to stop it (the job was cancelled).</summary>
public sealed record StopTask(string JobId, string TaskId, int Attempt) : IFarmMessage;

/// <summary>Operator: take no new work, finish what runs.</summary>
public sealed record DrainNode : IFarmMessage;

/// <summary>Operator: take work again, and bring back kinds taken out after faults.</summary>
public sealed record EnableNode : IFarmMessage;

/// <summary>Operator: drain, then leave the cluster (the process exits).</summary>
public sealed record LeaveNode : IFarmMessage;

public sealed record NodeCommandReply(string NodeId, string State) : IFarmMessage;

/// <summary>Runs one attempt of a task on this node (the <see cref="TaskExecutor"/>).</summary>
public interface ITaskRunner
{
    Task<TaskOutcome> RunAsync(TaskAssignment task, VideoSpec video, CancellationToken ct);
}

public sealed record WorkerOptions(string NodeId, IReadOnlyList<string> Roles, IReadOnlyDictionary<TaskKind, int> Slots, int? MaxTasks, string Device)
{
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>A kind taken out after a node fault comes back after this, doubled per repeat, at most <see cref="MaxFaultBackoff"/>.</summary>
    public TimeSpan FaultBackoff { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan MaxFaultBackoff { get; init; } = TimeSpan.FromMinutes(10);
    public TimeSpan ClaimTimeout { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>What the node reports of itself: readiness, `farm cluster show`, the read model's node row.</summary>
public sealed record WorkerStatus(NodeState State, int Running, IReadOnlyDictionary<TaskKind, string> TakenOut);

/// <summary>
/// The worker of one node (/user/worker): pulls work of the kinds its roles take, up to its slots per
/// kind, from the <see cref="WorkQueue"/>; claims each task from its job before running it; runs it as a
/// detached task piped back; reports the outcome until the job acknowledges it; sends heartbeats for
/// running tasks. A node fault takes the kind out for a back-off (then it is tried again); drain and
/// leave stop the pulling.
/// </summary>
public sealed class WorkerNode : ReceiveActor, IWithTimers
{
    private sealed record Heartbeat;
    private sealed record Claimed(TaskAssignment Task, ClaimReply Reply, bool Ahead);
    private sealed record ClaimFailed(TaskAssignment Task, string Reason, bool Ahead);
    private sealed record Finished(TaskAssignment Task, TaskOutcome? Outcome, Exception? Error, TimeSpan Elapsed);
    private sealed record Acked(string Key);
    private sealed record NotAcked(string Key);
    private sealed record Running(TaskAssignment Task, CancellationTokenSource Stop, bool Cancelled);
    private sealed record Fault(int Count, DateTimeOffset Until, string Reason);
    private sealed record PendingReport(IJobCommand Report, DateTimeOffset FirstSent, DateTimeOffset LastSent);

    private readonly WorkerOptions _options;
    private readonly ITaskRunner _runner;
    private readonly IActorRef _jobs;
    private readonly IActorRef _queue;
    private readonly Action<WorkerStatus> _publish;
    private readonly ILogger _log;
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly Dictionary<string, Running> _running = [];
    private readonly Dictionary<string, TaskAssignment> _claiming = [];
    private readonly Dictionary<string, VideoSpec> _videos = [];
    private readonly Dictionary<TaskKind, Fault> _faults = [];
    private readonly Dictionary<string, PendingReport> _reports = [];
    private (TaskAssignment Task, VideoSpec Video)? _ahead; // claimed, started when a slot frees
    private TaskAssignment? _claimingAhead;
    private NodeState _state = NodeState.Active;
    private bool _left;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(WorkerOptions options, ITaskRunner runner, IActorRef jobs, IActorRef queue, Action<WorkerStatus> publish, ILogger log) =>
        Akka.Actor.Props.Create(() => new WorkerNode(options, runner, jobs, queue, publish, log));

    public WorkerNode(WorkerOptions options, ITaskRunner runner, IActorRef jobs, IActorRef queue, Action<WorkerStatus> publish, ILogger log)
    {
        _log = log;
        _options = options;
        _runner = runner;
        _jobs = jobs;
        _queue = queue;
        _publish = publish;

        Receive<AssignTask>(a => Assign(a.Task, a.Ahead));
        Receive<Claimed>(OnClaimed);
        Receive<ClaimFailed>(f =>
        {
            if (f.Ahead) _claimingAhead = null;
            else _claiming.Remove(f.Task.TaskId);
            _log.LogDebug("{Task} attempt {Attempt} not claimed: {Reason}", f.Task.TaskId, f.Task.Attempt, f.Reason);
            Ready();
        });
        Receive<Finished>(OnFinished);
        Receive<Acked>(a => _reports.Remove(a.Key));
        Receive<NotAcked>(_ => { }); // sent again on a later heartbeat
        Receive<StopTask>(s =>
        {
            if (_ahead is { } ahead && ahead.Task.TaskId == s.TaskId && ahead.Task.Attempt == s.Attempt)
            {
                _ahead = null;
                _log.LogInformation("dropping {Task}, taken ahead: its job was cancelled", s.TaskId);
                Ready();
                return;
            }
            if (!_running.TryGetValue(s.TaskId, out var run) || run.Task.Attempt != s.Attempt) return;
            _running[s.TaskId] = run with { Cancelled = true };
            run.Stop.Cancel();
            _log.LogInformation("stopping {Task}: its job was cancelled", s.TaskId);
        });
        Receive<Heartbeat>(_ => OnHeartbeat());
        Receive<DrainNode>(_ => { SetState(NodeState.Draining); Sender.Tell(new NodeCommandReply(_options.NodeId, "Draining")); });
        Receive<LeaveNode>(_ => { SetState(NodeState.Left); Sender.Tell(new NodeCommandReply(_options.NodeId, "Left")); OnHeartbeat(); });
        Receive<EnableNode>(_ =>
        {
            if (_state == NodeState.Left) { Sender.Tell(new NodeCommandReply(_options.NodeId, "Left")); return; }
            _faults.Clear();
            SetState(NodeState.Active);
            Sender.Tell(new NodeCommandReply(_options.NodeId, "Active"));
            Ready();
        });
    }

    protected override void PreStart()
    {
        Timers.StartPeriodicTimer("heartbeat", new Heartbeat(), TimeSpan.Zero, _options.HeartbeatInterval);
        base.PreStart();
    }

    protected override void PostStop()
    {
        foreach (var run in _running.Values) run.Stop.Cancel();
        base.PostStop();
    }

    private DateTimeOffset Now => DateTimeOffset.UtcNow;

    private void SetState(NodeState state)
    {
        if (_state == state) return;
        _log.LogInformation("node {Node}: {State}; {Running} task(s) running", _options.NodeId, state, _running.Count);
        _state = state;
        Publish();
    }

    /// <summary>Free slots per kind this node takes: none while draining or while a kind is out after a fault.</summary>
    private Dictionary<TaskKind, int> Free()
    {
        var now = Now;
        var busy = _running.Count + _claiming.Count;
        var nodeFree = _options.MaxTasks is { } max ? Math.Max(0, max - busy) : int.MaxValue;
        return _options.Slots.ToDictionary(s => s.Key, s =>
        {
            if (_state != NodeState.Active || nodeFree == 0) return 0;
            if (_faults.TryGetValue(s.Key, out var fault) && fault.Until > now) return 0;
            var used = _running.Values.Count(r => r.Task.Kind == s.Key) + _claiming.Values.Count(c => c.Kind == s.Key);
            return Math.Min(nodeFree, Math.Max(0, s.Value - used));
        });
    }

    /// <summary>
    /// Kinds this node would take one task ahead of: none while one is held or being claimed, none while
    /// draining; only kinds whose slots are all busy (a free slot takes a task outright).
    /// </summary>
    private List<TaskKind> Ahead()
    {
        if (_state != NodeState.Active || _ahead is not null || _claimingAhead is not null) return [];
        var now = Now;
        return Free().Where(f => f.Value == 0 && !(_faults.TryGetValue(f.Key, out var fault) && fault.Until > now)).Select(f => f.Key).ToList();
    }

    /// <summary>Whether a task of this kind could start now (slots and the node-wide cap; drain and faults do not stop a task already claimed).</summary>
    private bool HasSlot(TaskKind kind)
    {
        var busy = _running.Count + _claiming.Count;
        if (_options.MaxTasks is { } max && busy >= max) return false;
        return _running.Values.Count(r => r.Task.Kind == kind) + _claiming.Values.Count(c => c.Kind == kind) < _options.Slots.GetValueOrDefault(kind);
    }

    private void Ready() => _queue.Tell(new WorkerReady(_options.NodeId, Free(), Ahead()));

    private void Assign(TaskAssignment task, bool ahead)
    {
        var known = _running.ContainsKey(task.TaskId) || _claiming.ContainsKey(task.TaskId) || _ahead?.Task.TaskId == task.TaskId;
        var place = ahead ? Ahead().Contains(task.Kind) : Free().GetValueOrDefault(task.Kind) > 0;
        if (known || !place)
        {
            Sender.Tell(new DeclineTask(task));
            return;
        }
        if (ahead) _claimingAhead = task;
        else _claiming[task.TaskId] = task;
        var self = _cluster.SelfUniqueAddress;
        var claim = new ClaimTask(task.JobId, task.TaskId, task.Attempt, _options.NodeId, ClusterIdentity.Of(self), self.Address.ToString(),
            KnowsVideo: _videos.ContainsKey(task.VideoId), Ahead: ahead);
        _jobs.Ask<ClaimReply>(claim, _options.ClaimTimeout).PipeTo(Self,
            success: reply => reply.Granted ? new Claimed(task, reply, ahead) : new ClaimFailed(task, reply.Reason ?? "refused", ahead),
            failure: e => new ClaimFailed(task, e.GetBaseException().Message, ahead));
    }

    private void OnClaimed(Claimed claimed)
    {
        var task = claimed.Task;
        if (claimed.Ahead) _claimingAhead = null;
        else _claiming.Remove(task.TaskId);
        if (claimed.Reply.Video is { } spec) Remember(spec);
        if (!_videos.TryGetValue(task.VideoId, out var video))
        {
            // Granted without the request (it was forgotten meanwhile): the lease sends the task elsewhere.
            _log.LogWarning("{Task}: granted, but the video's request is not known here", task.TaskId);
            Ready();
            return;
        }
        if (claimed.Ahead && !HasSlot(task.Kind))
        {
            _ahead = (task, video);
            return;
        }
        Start(task, video, claimed.Ahead);
    }

    private void Start(TaskAssignment task, VideoSpec video, bool claimedAhead)
    {
        if (claimedAhead) _jobs.Tell(new ReportTaskBegan(task.JobId, task.TaskId, task.Attempt, _options.NodeId));
        var stop = new CancellationTokenSource();
        _running[task.TaskId] = new Running(task, stop, false);
        var runner = _runner;
        Task.Run(async () =>
        {
            var clock = Stopwatch.StartNew();
            try { return new Finished(task, await runner.RunAsync(task, video, stop.Token), null, clock.Elapsed); }
            catch (Exception e) { return new Finished(task, null, e, clock.Elapsed); }
        }).PipeTo(Self);
        Publish();
    }

    private void Remember(VideoSpec video)
    {
        if (_videos.Count >= 1000) _videos.Clear(); // requests come again with the next claim
        _videos[video.VideoId] = video;
    }

    private void OnFinished(Finished done)
    {
        var task = done.Task;
        if (!_running.Remove(task.TaskId, out var run)) return;
        run.Stop.Dispose();
        if (done.Outcome is { } outcome)
        {
            _faults.Remove(task.Kind);
            var detail = outcome.Reused
                ? $"artifact {task.ArtifactKey[..Math.Min(12, task.ArtifactKey.Length)]} already existed: reused, nothing rendered"
                : $"done in {done.Elapsed.TotalMilliseconds:0} ms (ffmpeg {outcome.FfmpegTime.TotalMilliseconds:0} ms)";
            Report(new ReportTaskSucceeded(task.JobId, task.TaskId, task.Attempt, _options.NodeId, outcome.Reused, detail));
        }
        else if (run.Cancelled)
            _log.LogInformation("{Task} stopped (job cancelled)", task.TaskId);
        else
        {
            var error = done.Error!;
            var message = error.Message.ReplaceLineEndings(" ");
            var cause = FailureClassifier.Classify(error);
            if (cause == FailureCause.Node) TakeOut(task.Kind, message);
            else _log.LogWarning("{Task} failed on {Node}: {Error}", task.TaskId, _options.NodeId, message);
            Report(new ReportTaskFailed(task.JobId, task.TaskId, task.Attempt, _options.NodeId, message, cause));
        }
        // The task taken ahead starts now: its claim is done, so the slot does not wait for a round trip.
        if (_ahead is { } next && HasSlot(next.Task.Kind))
        {
            _ahead = null;
            Start(next.Task, next.Video, claimedAhead: true);
        }
        Publish();
        Ready();
    }

    private void TakeOut(TaskKind kind, string reason)
    {
        var count = _faults.TryGetValue(kind, out var previous) ? previous.Count + 1 : 1;
        var wait = TimeSpan.FromTicks(Math.Min(_options.MaxFaultBackoff.Ticks, _options.FaultBackoff.Ticks << Math.Min(count - 1, 20)));
        _faults[kind] = new Fault(count, Now + wait, reason);
        _log.LogWarning("{Node} takes no {Kind} tasks for {Seconds:0} s after a fault of this node: {Reason}", _options.NodeId, TaskKinds.Name(kind), wait.TotalSeconds, reason);
    }

    private void Report(IJobCommand report)
    {
        var key = report switch { ReportTaskSucceeded s => $"{s.TaskId}#{s.Attempt}", ReportTaskFailed f => $"{f.TaskId}#{f.Attempt}", _ => Guid.NewGuid().ToString() };
        _reports[key] = new PendingReport(report, Now, Now);
        Send(key, report);
    }

    private void Send(string key, IJobCommand report) =>
        _jobs.Ask<ReportAck>(report, TimeSpan.FromSeconds(5)).PipeTo(Self, success: _ => new Acked(key), failure: _ => new NotAcked(key));

    private void OnHeartbeat()
    {
        var now = Now;
        foreach (var task in _running.Values.Select(r => r.Task).Concat(_ahead is { } held ? [held.Task] : []))
            _jobs.Tell(new TaskHeartbeat(task.JobId, task.TaskId, task.Attempt, _options.NodeId));
        // Reports not yet acknowledged (the job's gateway moved or restarted): again, for up to ten minutes.
        foreach (var (key, pending) in _reports.ToList())
        {
            if (now - pending.FirstSent > TimeSpan.FromMinutes(10)) { _reports.Remove(key); continue; }
            if (now - pending.LastSent < TimeSpan.FromSeconds(5)) continue;
            _reports[key] = pending with { LastSent = now };
            Send(key, pending.Report);
        }
        Ready();
        Publish();
        if (_ahead is { } waiting && HasSlot(waiting.Task.Kind))
        {
            _ahead = null;
            Start(waiting.Task, waiting.Video, claimedAhead: true);
        }
        if (_state == NodeState.Left && _running.Count == 0 && _claiming.Count == 0 && _ahead is null && _claimingAhead is null && _reports.Count == 0 && !_left)
        {
            _left = true;
            _log.LogInformation("node {Node} leaves the cluster", _options.NodeId);
            _cluster.Leave(_cluster.SelfAddress);
        }
    }

    private void Publish()
    {
        var now = Now;
        _publish(new WorkerStatus(_state, _running.Count,
            _faults.Where(f => f.Value.Until > now).ToDictionary(f => f.Key, f => $"{f.Value.Reason} (tried again in {(f.Value.Until - now).TotalSeconds:0} s)")));
    }
}
