using Akka.Actor;
using Akka.Cluster.Sharding;
using Microsoft.Extensions.Logging;
using Akka.Persistence;
using RenderFarm.Cluster.Dispatch;
using RenderFarm.Cluster.Hosting;
using RenderFarm.Cluster.Model;
using RenderFarm.Cluster.ReadModel;

namespace RenderFarm.Cluster.Lifecycle;

/// <summary>Prepares a video's next stage (probing media, planning segments): long work, piped back to the entity.</summary>
public interface IStagePlanner
{
    /// <summary>A <see cref="StagePrepared"/>, or a <see cref="StagePreparationFailed"/> naming why.</summary>
    Task<IJobCommand> PrepareAsync(JobState job, string videoId, VideoStage stage, CancellationToken ct);
}

/// <summary>Calls a finished job's NotifyAddress once; the lifecycle decides retries.</summary>
public interface IJobNotifier
{
    Task<WebhookOutcome> NotifyAsync(JobState job, CancellationToken ct);
}

/// <summary>What every job entity of a node shares.</summary>
public sealed record JobEntityContext(
    JobLifecycle Lifecycle,
    IStagePlanner Planner,
    IJobNotifier Notifier,
    IActorRef WorkQueue,
    IActorRef ReadModel,
    TimeProvider Clock,
    ILogger Log)
{
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>A waiting task is offered again after this long (the queue may have moved and forgotten it).</summary>
    public TimeSpan ReofferAfter { get; init; } = TimeSpan.FromSeconds(10);
    public int SnapshotEvery { get; init; } = 250;
    /// <summary>A settled job's entity stops after this long without a command.</summary>
    public TimeSpan IdleBeforeStop { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// A job: a persistent entity sharded by job id (remember-entities), a thin shell over
/// <see cref="JobLifecycle"/>. It persists what the lifecycle decides, keeps the read model in step,
/// offers ready tasks to the work queue, prepares stages and sends the callback as detached work piped
/// back as commands, and checks running tasks' nodes on a timer. Nothing here waits, so status,
/// claims and cancel are always answered. Settled jobs stop (and leave the remembered set).
/// </summary>
public sealed class JobEntity : ReceivePersistentActor, IWithTimers
{
    private sealed record TickNow;
    private sealed record StopIfSettled;
    /// <summary>A preparation cancelled because the job ended: not a failure of the video.</summary>
    private sealed record PreparationAbandoned(string VideoId, VideoStage Stage);

    private readonly JobEntityContext _context;
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly CancellationTokenSource _stopping = new();
    /// <summary>Cancels the stage preparations under way (downloads, probes) when the job ends; renewed after.</summary>
    private CancellationTokenSource _preparations = new();
    private readonly Dictionary<string, DateTimeOffset> _lastHeard = [];
    private readonly Dictionary<string, (int Attempt, DateTimeOffset At)> _offered = [];
    private readonly HashSet<(string VideoId, VideoStage Stage)> _preparing = [];
    private JobState _state;
    private int _projectedHistory;
    private int _sinceSnapshot;
    private bool _notifying;
    private bool _withdrawn;

    public ITimerScheduler Timers { get; set; } = null!;
    public override string PersistenceId { get; }

    public static Props Props(string jobId, JobEntityContext context) => Akka.Actor.Props.Create(() => new JobEntity(jobId, context));

    public JobEntity(string jobId, JobEntityContext context)
    {
        _context = context;
        _state = JobState.Empty(jobId);
        PersistenceId = "job-" + jobId;

        Recover<SnapshotOffer>(offer => { if (offer.Snapshot is JobState snapshot) _state = snapshot; });
        Recover<IJobEvent>(e => _state = JobLifecycle.Apply(_state, e));
        Recover<RecoveryCompleted>(_ => OnRecovered());

        Command<TaskHeartbeat>(h =>
        {
            if (!_state.Exists) Stop(); // a heartbeat for a job this farm never accepted
            else if (_state.Tasks.TryGetValue(h.TaskId, out var t) && t.State == TaskState.Running && t.Attempt == h.Attempt)
                _lastHeard[h.TaskId] = Now;
        });
        Command<StopIfSettled>(_ => { if (JobLifecycle.IsSettled(_state)) Stop(); });
        Command<PreparationAbandoned>(a =>
        {
            _preparing.Remove((a.VideoId, a.Stage));
            RunEffects(); // a job retried meanwhile prepares the stage again
        });
        Command<TickNow>(_ => Decide(new Tick(Now, ClusterIdentity.LiveMembers(_cluster), _lastHeard), ActorRefs.Nobody));
        Command<IJobCommand>(c => Decide(c, Sender));
        Command<SaveSnapshotSuccess>(s => DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(f => _context.Log.LogWarning("snapshot of {Job} failed: {Error}", PersistenceId, f.Cause.Message));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(_ => { });
    }

    private DateTimeOffset Now => _context.Clock.GetUtcNow();

    private void OnRecovered()
    {
        if (!_state.Exists) return;
        // Running tasks get one lease from now to be heard of again (their node may still be at work).
        foreach (var task in _state.Tasks.Values.Where(t => t.State == TaskState.Running)) _lastHeard[task.TaskId] = Now;
        _projectedHistory = 0; // project everything once more: a projection may have died with the last incarnation
        AfterChange(videoIds: null, taskIds: null);
    }

    private void Decide(object command, IActorRef sender)
    {
        switch (command)
        {
            case StagePrepared p: _preparing.Remove((p.VideoId, p.Stage)); break;
            case StagePreparationFailed f: _preparing.Remove((f.VideoId, f.Stage)); break;
            case WebhookOutcome: _notifying = false; break;
        }
        Decision decision;
        try { decision = _context.Lifecycle.Decide(_state, command, Now); }
        catch (ArgumentException e)
        {
            sender.Tell(new Status.Failure(e));
            if (!_state.Exists) Stop();
            return;
        }
        if (decision.Events.Count == 0)
        {
            if (decision.Reply is not null) sender.Tell(decision.Reply);
            if (command is not Tick) AfterChange([], []);
            else AfterTick();
            return;
        }
        var last = decision.Events[^1];
        var (videoIds, taskIds) = Touched(decision.Events);
        PersistAll(decision.Events, e =>
        {
            _state = JobLifecycle.Apply(_state, e);
            if (e is TaskStarted started) _lastHeard[started.TaskId] = Now;
            _sinceSnapshot++;
            if (!ReferenceEquals(e, last)) return;
            // A new job is answered once its rows are in the read model, so the submitter can Get it at once.
            var replyAfterProjection = decision.Reply is SubmitReply;
            if (decision.Reply is not null && !replyAfterProjection) sender.Tell(decision.Reply);
            foreach (var stop in decision.Stop)
                Context.ActorSelection(ClusterIdentity.WorkerPath(Address.Parse(stop.NodeAddress))).Tell(new Workers.StopTask(_state.JobId, stop.TaskId, stop.Attempt));
            if (_sinceSnapshot >= _context.SnapshotEvery)
            {
                SaveSnapshot(_state);
                _sinceSnapshot = 0;
            }
            AfterChange(videoIds, taskIds, replyAfterProjection ? (sender, decision.Reply) : null);
        });
    }

    /// <summary>Which rows the events change (null: all of them).</summary>
    private (HashSet<string>? Videos, HashSet<string>? Tasks) Touched(IReadOnlyList<IJobEvent> events)
    {
        HashSet<string> videos = [], tasks = [];
        foreach (var e in events)
        {
            switch (e)
            {
                case JobAccepted or JobCancelled or JobRetried: return (null, null);
                case StagePlanned p: videos.Add(p.VideoId); tasks.UnionWith(p.Tasks.Select(t => t.TaskId)); break;
                case VideoFailed f:
                    videos.Add(f.VideoId);
                    tasks.UnionWith(_state.Tasks.Values.Where(t => t.VideoId == f.VideoId).Select(t => t.TaskId)); // its unfinished tasks end Cancelled
                    break;
                case VideoSucceeded s: videos.Add(s.VideoId); break;
                case TaskStarted or TaskBegan or TaskSucceeded or TaskFailed or TaskRedispatched:
                    var id = e switch { TaskStarted x => x.TaskId, TaskBegan x => x.TaskId, TaskSucceeded x => x.TaskId, TaskFailed x => x.TaskId, TaskRedispatched x => x.TaskId, _ => "" };
                    tasks.Add(id);
                    if (_state.Tasks.TryGetValue(id, out var task)) videos.Add(task.VideoId);
                    break;
            }
        }
        return (videos, tasks);
    }

    /// <summary>After every command: read model, offers, stage preparation, callback, and stop when settled.</summary>
    private void AfterChange(IReadOnlyCollection<string>? videoIds, IReadOnlyCollection<string>? taskIds, (IActorRef To, object? Reply)? answer = null)
    {
        if (!_state.Exists)
        {
            Stop(); // a stray message for a job that was never accepted
            return;
        }
        if (videoIds is null || taskIds is null || videoIds.Count > 0 || taskIds.Count > 0 || _projectedHistory < _state.History.Count)
        {
            _context.ReadModel.Tell(new ProjectJob(ProjectionRows.Of(_state, videoIds, taskIds, _projectedHistory), answer?.To, answer?.Reply));
            _projectedHistory = _state.History.Count;
        }
        else if (answer is { } a) a.To.Tell(a.Reply);
        RunEffects();
    }

    private void AfterTick() => RunEffects();

    private void RunEffects()
    {
        var now = Now;
        if (!_state.Ended)
        {
            if (!Timers.IsTimerActive("tick")) Timers.StartPeriodicTimer("tick", new TickNow(), _context.TickInterval);
            foreach (var task in JobLifecycle.ReadyTasks(_state, now))
            {
                if (_offered.TryGetValue(task.TaskId, out var offered) && offered.Attempt == task.Attempt && now - offered.At < _context.ReofferAfter) continue;
                _offered[task.TaskId] = (task.Attempt, now);
                _context.WorkQueue.Tell(new OfferTask(new TaskAssignment(_state.JobId, task.TaskId, task.VideoId, task.Kind, task.Attempt, task.InputJson, task.ArtifactKey, task.Priority)));
            }
            foreach (var (videoId, stage) in JobLifecycle.StagesToPrepare(_state))
            {
                if (!_preparing.Add((videoId, stage))) continue;
                var job = _state;
                var planner = _context.Planner;
                var token = _preparations.Token;
                Task.Run(() => planner.PrepareAsync(job, videoId, stage, token), token).PipeTo(Self,
                    failure: e => token.IsCancellationRequested
                        ? new PreparationAbandoned(videoId, stage)
                        : new StagePreparationFailed(job.JobId, videoId, stage, "InvalidMedia", e.GetBaseException().Message));
            }
            return;
        }
        if (_preparing.Count > 0)
        {
            // Cancelled or failed: what is still being prepared is not needed, and a download must not run on to its timeout.
            _preparations.Cancel(); // not disposed: detached preparations may still read its token
            _preparations = new CancellationTokenSource();
        }
        if (!_withdrawn)
        {
            _withdrawn = true;
            _offered.Clear();
            _context.WorkQueue.Tell(new WithdrawJob(_state.JobId));
        }
        if (JobLifecycle.WebhookDue(_state, now) && !_notifying)
        {
            _notifying = true;
            var job = _state;
            var notifier = _context.Notifier;
            Task.Run(() => notifier.NotifyAsync(job, _stopping.Token)).PipeTo(Self,
                failure: e => new WebhookOutcome(job.JobId, false, e.GetBaseException().Message));
        }
        if (_state.Webhook.Status == WebhookStatus.Pending)
        {
            if (!Timers.IsTimerActive("tick")) Timers.StartPeriodicTimer("tick", new TickNow(), _context.TickInterval);
            return;
        }
        // Stop a little later: a command for the settled job (retry, a late report) arriving meanwhile is answered by this incarnation.
        Timers.Cancel("tick");
        if (JobLifecycle.IsSettled(_state) && !Timers.IsTimerActive("stop")) Timers.StartSingleTimer("stop", new StopIfSettled(), _context.IdleBeforeStop);
    }

    private void Stop()
    {
        Timers.CancelAll();
        // Passivate through the shard (which forgets a remembered entity); outside sharding (tests) stop directly.
        if (IsSharded) Context.Parent.Tell(new Passivate(PoisonPill.Instance));
        else Context.Stop(Self);
    }

    private bool IsSharded => Context.Parent.Path.ToString().Contains("/system/sharding/", StringComparison.Ordinal);

    protected override void PostStop()
    {
        _stopping.Cancel(); // not disposed: a detached callback may still read its token
        _preparations.Cancel();
        base.PostStop();
    }
}

/// <summary>Routes job commands to their entity by job id.</summary>
public sealed class JobMessageExtractor() : HashCodeMessageExtractor(100)
{
    public override string? EntityId(object message) => message switch
    {
        IJobCommand c => c.JobId,
        _ => null,
    };
}
