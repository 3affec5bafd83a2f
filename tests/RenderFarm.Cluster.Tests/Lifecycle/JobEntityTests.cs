using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Cluster;
using Akka.TestKit;
using FluentAssertions;
using RenderFarm.Cluster.Dispatch;
using RenderFarm.Cluster.Hosting;
using RenderFarm.Cluster.Library;
using RenderFarm.Cluster.Lifecycle;
using RenderFarm.Cluster.Model;
using RenderFarm.Cluster.ReadModel;
using RenderFarm.Cluster.Workers;
using RenderFarm.TestSupport;
using Xunit;
using Rules = RenderFarm.Cluster.Lifecycle.JobLifecycle;

namespace RenderFarm.Cluster.Tests.Lifecycle;

/// <summary>
/// The job entity as an actor (outside sharding, on a cluster of one with the in-memory journal): it
/// persists what the lifecycle decides and answers, projects into the read model, prepares stages and
/// offers their tasks to the work queue, watches running tasks' heartbeats, stops cancelled tasks on
/// their node, calls back, recovers from its journal, and stops once nothing is left to do.
/// </summary>
public sealed class JobEntityTests : Akka.TestKit.Xunit.TestKit
{
    private const string Config = """
        akka.loglevel = WARNING
        akka.actor.provider = cluster
        akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
        akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        akka.actor.serializers.renderfarm-json = "RenderFarm.Cluster.Hosting.FarmMessageSerializer, RenderFarm.Cluster"
        akka.actor.serialization-bindings { "RenderFarm.Cluster.IFarmMessage, RenderFarm.Cluster" = renderfarm-json }
        """;

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly TestProbe _queue;
    private readonly TempDir _dir = new();
    private readonly ReadModelStore _store;
    private readonly RecordingReadModel _readModel;
    private readonly Planner _planner = new();
    private readonly Notifier _notifier = new();
    private readonly Akka.Cluster.Cluster _cluster;

    public JobEntityTests() : base(Config, TestContext.Current.TestOutputHelper)
    {
        _queue = CreateTestProbe("queue");
        _store = ReadModelStore.Sqlite(_dir.File("farm.db"));
        _store.InitializeAsync(Ct).GetAwaiter().GetResult();
        _readModel = new RecordingReadModel(_store);
        _cluster = Akka.Cluster.Cluster.Get(Sys);
        _cluster.Join(_cluster.SelfAddress);
        AwaitCondition(() => _cluster.State.Members.Any(m => m.Status == MemberStatus.Up), Wait, cancellationToken: Ct);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing) return;
        _store.Dispose();
        _dir.Dispose();
    }

    private string NodeUid => ClusterIdentity.Of(_cluster.SelfUniqueAddress);
    private string NodeAddress => _cluster.SelfAddress.ToString();

    private IActorRef Entity(string jobId, LifecycleOptions? options = null)
    {
        var context = new JobEntityContext(new Rules(options ?? new LifecycleOptions()), _planner, _notifier, _queue.Ref, Writer(), TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance)
        {
            TickInterval = TimeSpan.FromMilliseconds(100),
            ReofferAfter = TimeSpan.FromHours(1),
        };
        var entity = Sys.ActorOf(JobEntity.Props(jobId, context));
        Watch(entity);
        return entity;
    }

    /// <summary>The node's read model writer, over a SQLite read model that keeps every batch written.</summary>
    private IActorRef Writer() => Sys.ActorOf(ReadModelWriter.Props(_readModel, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance));

    /// <summary>The read model, remembering every projection written to it.</summary>
    private sealed class RecordingReadModel(ReadModelStore store) : IReadModel
    {
        public ConcurrentQueue<JobProjection> Written { get; } = new();

        public async Task ProjectAsync(IReadOnlyList<JobProjection> batch, CancellationToken ct = default)
        {
            await store.ProjectAsync(batch, ct);
            foreach (var p in batch) Written.Enqueue(p);
        }

        public Task InitializeAsync(CancellationToken ct = default) => store.InitializeAsync(ct);
        public Task<JobRecord?> GetJobAsync(string jobId, CancellationToken ct = default) => store.GetJobAsync(jobId, ct);
        public Task<JobPage> ListJobsAsync(JobQuery query, CancellationToken ct = default) => store.ListJobsAsync(query, ct);
        public Task<IReadOnlyList<VideoRecord>> GetVideosAsync(string jobId, CancellationToken ct = default) => store.GetVideosAsync(jobId, ct);
        public Task<IReadOnlyList<TaskRecord>> GetTasksAsync(string jobId, CancellationToken ct = default) => store.GetTasksAsync(jobId, ct);
        public Task<IReadOnlyList<TaskRecord>> GetTasksInStateAsync(TaskState state, int limit = 1000, CancellationToken ct = default) => store.GetTasksInStateAsync(state, limit, ct);
        public Task<IReadOnlyList<(TaskKind Kind, TaskState State, int Count)>> CountTasksAsync(CancellationToken ct = default) => store.CountTasksAsync(ct);
        public Task<IReadOnlyList<TaskRecord>> GetTasksFinishedSinceAsync(DateTimeOffset since, int limit = 1000, CancellationToken ct = default) => store.GetTasksFinishedSinceAsync(since, limit, ct);
        public Task<IReadOnlyList<(JobKind Kind, JobStatus Status, int Count)>> CountJobsAsync(CancellationToken ct = default) => store.CountJobsAsync(ct);
        public Task<IReadOnlyList<HistoryEntry>> GetHistoryAsync(string jobId, CancellationToken ct = default) => store.GetHistoryAsync(jobId, ct);
        public Task UpsertNodeAsync(NodeRecord node, CancellationToken ct = default) => store.UpsertNodeAsync(node, ct);
        public Task<IReadOnlyList<NodeRecord>> GetNodesAsync(CancellationToken ct = default) => store.GetNodesAsync(ct);
    }

    /// <summary>Stands in for a node's /user/worker: forwards what it gets to a probe.</summary>
    private sealed class Forwarding : ReceiveActor
    {
        public Forwarding(IActorRef to) => ReceiveAny(m => to.Forward(m));
    }

    private static SubmitJob Analysis(string mediaId, string? notify = null) =>
        MediaAnalysisPlanner.Job(mediaId, $"/media/{mediaId}.mp4", "{}") with { NotifyAddress = notify };

    private async Task<T> AskAsync<T>(IActorRef entity, IJobCommand command) => await entity.Ask<T>(command, Wait, Ct);

    private TaskAssignment Offered(int attempt = 1)
    {
        var offer = _queue.FishForMessage<OfferTask>(o => o.Task.Attempt == attempt, Wait, cancellationToken: Ct);
        return offer.Task;
    }

    private async Task<ClaimReply> ClaimAsync(IActorRef entity, TaskAssignment task, string nodeId = "node-a", string? uid = null) =>
        await AskAsync<ClaimReply>(entity, new ClaimTask(task.JobId, task.TaskId, task.Attempt, nodeId, uid ?? NodeUid, NodeAddress));

    /// <summary>The job's rows as the read model holds them now.</summary>
    private (JobRecord Job, Dictionary<string, TaskRecord> Tasks, IReadOnlyList<HistoryEntry> History) ReadModelOf(string jobId)
    {
        var job = _store.GetJobAsync(jobId, Ct).GetAwaiter().GetResult() ?? throw new InvalidOperationException($"{jobId} is not in the read model");
        var tasks = _store.GetTasksAsync(jobId, Ct).GetAwaiter().GetResult().ToDictionary(t => t.TaskId);
        return (job, tasks, _store.GetHistoryAsync(jobId, Ct).GetAwaiter().GetResult());
    }

    private void AwaitReadModel(string jobId, Func<JobRecord, bool> condition) =>
        AwaitCondition(() => _store.GetJobAsync(jobId, Ct).GetAwaiter().GetResult() is { } job && condition(job), Wait, cancellationToken: Ct);

    [Fact]
    public async Task A_job_is_accepted_prepared_offered_run_and_settled()
    {
        var submit = Analysis("m1");
        var entity = Entity(submit.JobId);

        var reply = await AskAsync<SubmitReply>(entity, submit);
        var queued = ReadModelOf(submit.JobId).Job; // answered once its row is written: a submitter reads its own job
        var task = Offered();
        var granted = await ClaimAsync(entity, task);
        var refused = await ClaimAsync(entity, task, "node-b", "another-uid");
        var ack = await AskAsync<ReportAck>(entity, new ReportTaskSucceeded(submit.JobId, task.TaskId, 1, "node-a", false, "analysed"));

        reply.Should().Be(new SubmitReply(submit.JobId, false));
        queued.Kind.Should().Be(JobKind.MediaAnalysis);
        (task.JobId, task.Kind, task.TaskId).Should().Be((submit.JobId, TaskKind.Analyse, MediaAnalysisPlanner.Task(submit.Videos[0]).TaskId));
        _planner.Calls.Should().Equal($"{submit.Videos[0].VideoId}:Analyse");
        granted.Granted.Should().BeTrue();
        granted.Video.Should().Be(submit.Videos[0], "a node that does not know the video gets its request with the grant");
        (refused.Granted, refused.Reason).Should().Be((false, "task is Running"));
        ack.Should().Be(new ReportAck(submit.JobId, task.TaskId, 1));
        _queue.FishForMessage<WithdrawJob>(w => w.JobId == submit.JobId, Wait, cancellationToken: Ct);
        ExpectTerminated(entity, Wait, "a settled job's entity stops", Ct);
        AwaitReadModel(submit.JobId, j => j.Status == JobStatus.Success);
        var (job, tasks, history) = ReadModelOf(submit.JobId);
        (job.Kind, job.Status, job.Progress).Should().Be((JobKind.MediaAnalysis, JobStatus.Success, 100));
        (tasks[task.TaskId].State, tasks[task.TaskId].NodeId).Should().Be((TaskState.Succeeded, "node-a"));
        history.Select(h => h.Id).Should().Equal(Enumerable.Range(0, history.Count).Select(i => (long)i), "every history line is projected once, in order");
        history.Select(h => h.Event).Should().ContainInOrder("Queuing", "Analysing", "Started", "Succeeded", "Success");
    }

    [Fact]
    public async Task A_running_task_is_kept_while_its_node_heartbeats_and_offered_again_when_it_stops()
    {
        var submit = Analysis("m2");
        var entity = Entity(submit.JobId, new LifecycleOptions { Lease = TimeSpan.FromSeconds(2) });
        await AskAsync<SubmitReply>(entity, submit);
        var task = Offered();
        (await ClaimAsync(entity, task)).Granted.Should().BeTrue();

        for (var i = 0; i < 12; i++)
        {
            entity.Tell(new TaskHeartbeat(submit.JobId, task.TaskId, 1, "node-a"));
            await Task.Delay(250, Ct);
        }
        _queue.HasMessages.Should().BeFalse("a task whose node heartbeats is not offered again");

        var again = Offered(attempt: 2); // no heartbeat for over the lease

        (again.TaskId, again.Attempt).Should().Be((task.TaskId, 2));
        var late = await AskAsync<ReportAck>(entity, new ReportTaskSucceeded(submit.JobId, task.TaskId, 1, "node-a", false, "late"));
        late.Attempt.Should().Be(1, "a stale report is acknowledged so the node forgets it");
        AwaitCondition(() => ReadModelOf(submit.JobId).History.Any(h => h.Event == "Redispatched"), Wait, cancellationToken: Ct);
        var (job, tasks, history) = ReadModelOf(submit.JobId);
        job.Status.Should().Be(JobStatus.Processing, "the stale report changed nothing");
        (tasks[task.TaskId].State, tasks[task.TaskId].Attempt).Should().Be((TaskState.Pending, 2));
        history.Single(h => h.Event == "Redispatched").Detail.Should().Contain("stopped heartbeating");
    }

    [Fact]
    public async Task A_restarted_entity_recovers_its_job_from_the_journal_and_carries_on()
    {
        var submit = Analysis("m3");
        var first = Entity(submit.JobId);
        await AskAsync<SubmitReply>(first, submit);
        var task = Offered();
        (await ClaimAsync(first, task)).Granted.Should().BeTrue();
        Sys.Stop(first);
        ExpectTerminated(first, Wait, cancellationToken: Ct);

        var second = Entity(submit.JobId);
        var resubmitted = await AskAsync<SubmitReply>(second, submit);
        var claimedAgain = await ClaimAsync(second, task); // the same node asks again after the gateway moved
        var ack = await AskAsync<ReportAck>(second, new ReportTaskSucceeded(submit.JobId, task.TaskId, 1, "node-a", false, "analysed"));

        resubmitted.Existing.Should().BeTrue("the journal holds the job");
        claimedAgain.Granted.Should().BeTrue("the task still runs on the node that claimed it");
        ack.TaskId.Should().Be(task.TaskId);
        ExpectTerminated(second, Wait, cancellationToken: Ct);
        // A recovered entity projects its whole history again (a projection may have died with the last incarnation).
        AwaitCondition(() => _readModel.Written.Count(p => p.Job.JobId == submit.JobId && p.History.Any(h => h.Id == 0)) >= 2, Wait, cancellationToken: Ct);
        AwaitReadModel(submit.JobId, j => j.Status == JobStatus.Success);
        _planner.Calls.Should().HaveCount(1, "the analyse stage was prepared once; recovery does not prepare it again");
    }

    [Fact]
    public async Task Cancelling_a_job_stops_its_running_task_on_the_node()
    {
        var worker = CreateTestProbe("worker-probe");
        Sys.ActorOf(Props.Create(() => new Forwarding(worker.Ref)), "worker");
        var submit = Analysis("m4");
        var entity = Entity(submit.JobId);
        await AskAsync<SubmitReply>(entity, submit);
        var task = Offered();
        (await ClaimAsync(entity, task)).Granted.Should().BeTrue();

        var cancelled = await AskAsync<JobCommandReply>(entity, new CancelJob(submit.JobId));

        cancelled.Should().Be(new JobCommandReply(submit.JobId, true, true, JobStatus.Cancelled, null));
        worker.ExpectMsg<StopTask>(Wait, cancellationToken: Ct).Should().Be(new StopTask(submit.JobId, task.TaskId, 1));
        _queue.FishForMessage<WithdrawJob>(w => w.JobId == submit.JobId, Wait, cancellationToken: Ct);
        ExpectTerminated(entity, Wait, cancellationToken: Ct);
        AwaitReadModel(submit.JobId, j => j.Status == JobStatus.Cancelled);
        ReadModelOf(submit.JobId).Tasks[task.TaskId].State.Should().Be(TaskState.Cancelled);
    }

    [Fact]
    public async Task A_finished_job_calls_back_and_tries_again_after_a_failed_call()
    {
        _notifier.Outcomes.Enqueue(false);
        var submit = Analysis("m5", "http://client.example/done");
        var entity = Entity(submit.JobId, new LifecycleOptions { WebhookDelays = [TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(200)] });
        await AskAsync<SubmitReply>(entity, submit);
        var task = Offered();
        (await ClaimAsync(entity, task)).Granted.Should().BeTrue();
        await AskAsync<ReportAck>(entity, new ReportTaskSucceeded(submit.JobId, task.TaskId, 1, "node-a", false, "analysed"));

        ExpectTerminated(entity, Wait, "the entity stops once the callback is delivered", Ct);

        _notifier.Calls.Should().Equal(submit.JobId, submit.JobId);
        AwaitCondition(() => ReadModelOf(submit.JobId).History.Any(h => h.Event == "Notified"), Wait, cancellationToken: Ct);
        ReadModelOf(submit.JobId).History.Select(h => h.Event).Should().ContainInOrder("Success", "NotifyFailed", "Notified");
    }

    [Fact]
    public async Task A_stage_that_cannot_be_prepared_fails_the_job_with_the_planners_code()
    {
        _planner.Failure = "InvalidMedia";
        var submit = Analysis("m6");
        var entity = Entity(submit.JobId);

        await AskAsync<SubmitReply>(entity, submit);

        ExpectTerminated(entity, Wait, cancellationToken: Ct);
        AwaitReadModel(submit.JobId, j => j.Status == JobStatus.Failed);
        var (job, tasks, _) = ReadModelOf(submit.JobId);
        (job.Code, job.Message).Should().Be(("InvalidMedia", "the medium has no video stream"));
        tasks.Should().BeEmpty();
        _queue.FishForMessage<WithdrawJob>(_ => true, Wait, cancellationToken: Ct);
    }

    [Fact]
    public async Task Cancelling_a_job_cancels_its_stage_preparation_at_once()
    {
        _planner.Hang = true;
        var submit = Analysis("m-hang");
        var entity = Entity(submit.JobId);
        await AskAsync<SubmitReply>(entity, submit);
        AwaitCondition(() => !_planner.Tokens.IsEmpty, Wait, cancellationToken: Ct);
        var preparation = _planner.Tokens.Single();

        await AskAsync<JobCommandReply>(entity, new CancelJob(submit.JobId));

        AwaitCondition(() => preparation.IsCancellationRequested, TimeSpan.FromSeconds(2), cancellationToken: Ct);
        AwaitReadModel(submit.JobId, j => j.Status == JobStatus.Cancelled);
        ReadModelOf(submit.JobId).History.Should().NotContain(h => h.Event == "Failed", "an abandoned preparation is not a failure");
    }

    /// <summary>Prepares an analysis job's one stage as the node's StagePlanner does, fails it when told to, or hangs (a download that stalls) until cancelled.</summary>
    private sealed class Planner : IStagePlanner
    {
        private readonly ConcurrentQueue<string> _calls = new();
        public IReadOnlyList<string> Calls => [.. _calls];
        public string? Failure { get; set; }
        public bool Hang { get; set; }
        public ConcurrentQueue<CancellationToken> Tokens { get; } = new();

        public async Task<IJobCommand> PrepareAsync(JobState job, string videoId, VideoStage stage, CancellationToken ct)
        {
            _calls.Enqueue($"{videoId}:{stage}");
            Tokens.Enqueue(ct);
            if (Hang) await Task.Delay(Timeout.Infinite, ct);
            var v = job.Videos[videoId];
            IJobCommand prepared = Failure is { } code
                ? new StagePreparationFailed(job.JobId, videoId, stage, code, "the medium has no video stream")
                : new StagePrepared(job.JobId, videoId, stage, [MediaAnalysisPlanner.Task(new VideoSpec(v.VideoId, v.Index, v.RequestJson, v.OutputPath))], null, null);
            return prepared;
        }
    }

    /// <summary>The completion callback: answers with the queued outcomes (delivered when none is left).</summary>
    private sealed class Notifier : IJobNotifier
    {
        private readonly ConcurrentQueue<string> _calls = new();
        public ConcurrentQueue<bool> Outcomes { get; } = new();
        public IReadOnlyList<string> Calls => [.. _calls];

        public Task<WebhookOutcome> NotifyAsync(JobState job, CancellationToken ct)
        {
            _calls.Enqueue(job.JobId);
            var delivered = !Outcomes.TryDequeue(out var outcome) || outcome;
            return Task.FromResult(new WebhookOutcome(job.JobId, delivered, delivered ? null : "HTTP 503"));
        }
    }
}
