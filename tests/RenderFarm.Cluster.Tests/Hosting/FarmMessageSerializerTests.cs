using System.Runtime.Serialization;
using Akka.Actor;
using FluentAssertions;
using FluentAssertions.Equivalency;
using RenderFarm.Cluster.Dispatch;
using RenderFarm.Cluster.Hosting;
using RenderFarm.Cluster.Lifecycle;
using RenderFarm.Cluster.Model;
using RenderFarm.Cluster.Tests.Lifecycle;
using RenderFarm.Cluster.Workers;
using Xunit;
using Rules = RenderFarm.Cluster.Lifecycle.JobLifecycle;

namespace RenderFarm.Cluster.Tests.Hosting;

/// <summary>
/// Every message that enters the journal or crosses nodes reads back as what was written: events (a
/// journal replayed after an upgrade), commands and replies (between nodes), and the job state snapshot.
/// The message types are found by reflection, so a new one without a sample here fails.
/// </summary>
public sealed class FarmMessageSerializerTests
{
    private static readonly DateTimeOffset At = new(2025, 3, 1, 12, 0, 0, 250, TimeSpan.FromHours(8));
    private static readonly VideoSpec Video = new("job-1-000", 0, """{"Timeline":"{}","Seed":3}""", "/farm/out/job-1/0.mp4");
    private static readonly TaskSpec Segment = new("job-1-000-seg0000", TaskKind.EncodeSegment, """{"StartFrame":0,"EndFrame":250}""", "ab12cd", 250);
    private static readonly TaskAssignment Assignment = new("job-1", "job-1-000-seg0000", "job-1-000", TaskKind.EncodeSegment, 2, """{"StartFrame":0,"EndFrame":250}""", "ab12cd");

    /// <summary>One message of every type, every field set (nulls where a field is optional and set elsewhere).</summary>
    private static IEnumerable<IFarmMessage> Samples() =>
    [
        // events
        new JobAccepted("job-1", JobKind.Batch, "token-1", """{"Timelines":[]}""", """{"NotifyAddress":"http://x/hook"}""", "http://x/hook", [Video, Video with { VideoId = "job-1-001", Index = 1 }], At),
        new JobProcessing(At),
        new StagePlanned("job-1-000", VideoStage.Render, [Segment, Segment with { TaskId = "job-1-000-audio", Kind = TaskKind.EncodeAudio, Frames = 0 }], 250, 10.0, At),
        new StagePlanned("job-1-000", VideoStage.AiWork, [], null, null, At),
        new VideoFailed("job-1-000", "InvalidMedia", "clip.mp4: no such file", "job-1-000-seg0000", At),
        new VideoSucceeded("job-1-000", At),
        new TaskStarted("job-1-000-seg0000", 2, "node-a", "akka.tcp://farm@10.0.0.1:4053#123", "akka.tcp://farm@10.0.0.1:4053", At),
        new TaskStarted("job-1-000-seg0001", 1, "node-a", "akka.tcp://farm@10.0.0.1:4053#123", "akka.tcp://farm@10.0.0.1:4053", At, Ahead: true),
        new TaskBegan("job-1-000-seg0001", 1, "node-a", At),
        new TaskSucceeded("job-1-000-seg0000", 2, "node-a", true, "reused", At),
        new TaskFailed("job-1-000-seg0000", 2, "node-a", "moov atom not found", FailureCause.Job, true, At.AddSeconds(4), At),
        new TaskRedispatched("job-1-000-seg0000", 3, "node-a", "node node-a left the cluster", false, At),
        new TaskRedispatched("job-1-000-seg0000", 3, null, "lease expired", true, At),
        new JobFinished(JobStatus.Failed, "RenderFailed", "segment failed", At),
        new JobCancelled("cancelled by request", At),
        new JobRetried(At),
        new WebhookAttempted(false, "HTTP 503", At.AddSeconds(4), false, At),
        // commands and replies
        new SubmitJob("job-1", JobKind.Single, "token-1", """{"Timeline":{}}""", "user data", "http://x/hook", [Video]),
        new SubmitReply("job-1", true),
        new ClaimTask("job-1", "job-1-000-seg0000", 2, "node-a", "uid-a", "akka.tcp://farm@10.0.0.1:4053", KnowsVideo: true),
        new ClaimReply("job-1", "job-1-000-seg0000", 2, true, null, Video),
        new ClaimReply("job-1", "job-1-000-seg0000", 1, false, "attempt 1 is stale (now 2)"),
        new TaskHeartbeat("job-1", "job-1-000-seg0000", 2, "node-a"),
        new ReportTaskBegan("job-1", "job-1-000-seg0001", 1, "node-a"),
        new ReportTaskSucceeded("job-1", "job-1-000-seg0000", 2, "node-a", false, "done in 812 ms (ffmpeg 790 ms)"),
        new ReportTaskFailed("job-1", "job-1-000-seg0000", 2, "node-a", "No space left on device", FailureCause.Node),
        new ReportAck("job-1", "job-1-000-seg0000", 2),
        new CancelJob("job-1"),
        new RetryJob("job-1"),
        new JobCommandReply("job-1", true, false, JobStatus.Success, "job already Success"),
        new StagePrepared("job-1", "job-1-000", VideoStage.Render, [Segment], 250, 10.0),
        new StagePreparationFailed("job-1", "job-1-000", VideoStage.Render, "InvalidMedia", "clip.mp4 has no video stream"),
        new WebhookOutcome("job-1", false, "connection refused"),
        // work queue and workers
        Assignment,
        new OfferTask(Assignment),
        new WithdrawJob("job-1"),
        new WorkerReady("node-a", new Dictionary<TaskKind, int> { [TaskKind.EncodeSegment] = 4, [TaskKind.Matte] = 0 }),
        new AssignTask(Assignment),
        new AssignTask(Assignment, Ahead: true),
        new WorkerReady("node-b", new Dictionary<TaskKind, int> { [TaskKind.EncodeSegment] = 0 }, [TaskKind.EncodeSegment]),
        new DeclineTask(Assignment),
        new StopTask("job-1", "job-1-000-seg0000", 2),
        new DrainNode(),
        new EnableNode(),
        new LeaveNode(),
        new NodeCommandReply("node-a", "Draining"),
        // the snapshot
        FinishedBatch(),
        RetriedBatch(),
        JobState.Empty("job-never"),
    ];

    /// <summary>"NN TypeName": the sample's place in <see cref="Samples"/> and its type, as the test case's name.</summary>
    public static TheoryData<string> SampleNames() => new(Samples().Select((s, i) => $"{i:D2} {s.GetType().Name}"));

    private static IFarmMessage Sample(string name) => Samples().ElementAt(int.Parse(name[..2]));

    /// <summary>A batch job of two videos: one failed for good after retries, one rendered and assembled; its callback failed once.</summary>
    private static JobState FinishedBatch()
    {
        var job = new LifecycleDriver();
        job.SubmitNotifying(JobKind.Batch, LifecycleDriver.Notify, "v1", "v2");
        job.PlanRender("v1");
        job.PlanRender("v2");
        job.Run("v1/seg-0");
        job.FailForGood("v1/seg-1", "moov atom not found");
        foreach (var task in new[] { "v2/seg-0", "v2/seg-1", "v2/audio" }) job.Run(task);
        job.Prepare("v2", VideoStage.Assemble, Specs.Assemble("v2/join"));
        job.Run("v2/join", TestNode.B);
        job.Do(new WebhookOutcome(LifecycleDriver.JobId, false, "HTTP 503"));
        job.State.Status.Should().Be(JobStatus.Failed);
        job.State.Webhook.Should().Be(new WebhookState(WebhookStatus.Pending, 1, job.Now + job.Options.WebhookDelays[0], "HTTP 503"));
        return job.State;
    }

    /// <summary>The same job retried by an operator (new attempt series) and its retried task running.</summary>
    private static JobState RetriedBatch()
    {
        var job = new LifecycleDriver();
        job.SubmitNotifying(JobKind.Batch, null, "v1");
        job.PlanRender("v1");
        job.FailForGood("v1/seg-0");
        job.Do(new RetryJob(LifecycleDriver.JobId));
        job.Claim("v1/seg-0", TestNode.B);
        job.TaskOf("v1/seg-0").SeriesStart.Should().BeGreaterThan(1);
        return job.State;
    }

    private static readonly Type[] MessageTypes = typeof(IFarmMessage).Assembly.GetTypes()
        .Where(t => typeof(IFarmMessage).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false }).ToArray();

    [Fact]
    public void Every_message_type_has_a_sample()
    {
        MessageTypes.Should().Contain(typeof(JobAccepted)).And.Contain(typeof(SubmitJob)).And.Contain(typeof(JobState));
        MessageTypes.Where(t => typeof(IJobEvent).IsAssignableFrom(t)).Should().HaveCountGreaterThanOrEqualTo(13);
        var sampled = Samples().Select(s => s.GetType()).ToHashSet();
        MessageTypes.Where(t => !sampled.Contains(t)).Select(t => t.FullName).Should().BeEmpty(
            "every event, command and message must survive the journal and the wire: add a sample of each new type here");
    }

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void A_message_survives_a_round_trip_as_its_own_type(string name)
    {
        var message = Sample(name);
        using var system = ActorSystem.Create("t");
        var serializer = new FarmMessageSerializer((ExtendedActorSystem)system);

        var manifest = serializer.Manifest(message);
        var bytes = serializer.ToBinary(message);
        var read = serializer.FromBinary(bytes, manifest);

        manifest.Should().Be(message.GetType().FullName);
        read.Should().BeOfType(message.GetType());
        serializer.Manifest(read).Should().Be(manifest);
        if (message.GetType().GetProperties().Length > 0)
            read.Should().BeEquivalentTo(message, o => o.ComparingRecordsByMembers().RespectingRuntimeTypes().WithStrictOrdering());
        else read.Should().Be(message, "a message without fields is equal to any other of its type");
        serializer.ToBinary(read).Should().Equal(bytes, "writing it again gives the same bytes");
    }

    [Fact]
    public void A_snapshot_reads_back_as_a_state_the_lifecycle_continues_from()
    {
        using var system = ActorSystem.Create("t");
        var serializer = new FarmMessageSerializer((ExtendedActorSystem)system);
        var state = RetriedBatch();

        var read = (JobState)serializer.FromBinary(serializer.ToBinary(state), serializer.Manifest(state));

        read.Tasks.Keys.Should().Equal(state.Tasks.Keys);
        var lifecycle = new Rules(new LifecycleOptions());
        var now = LifecycleDriver.Start.AddHours(1);
        var report = new ReportTaskSucceeded(LifecycleDriver.JobId, "v1/seg-0", state.Tasks["v1/seg-0"].Attempt, TestNode.B.Id, false, "done");
        var fromRead = lifecycle.Decide(read, report, now);
        var fromState = lifecycle.Decide(state, report, now);
        fromRead.Events.Should().BeEquivalentTo(fromState.Events, o => o.ComparingRecordsByMembers().RespectingRuntimeTypes().WithStrictOrdering());
        fromRead.Events.Aggregate(read, Rules.Apply).Should().BeEquivalentTo(fromState.Events.Aggregate(state, Rules.Apply),
            o => o.ComparingRecordsByMembers().WithStrictOrdering());
    }

    [Fact]
    public void An_unknown_manifest_is_refused()
    {
        using var system = ActorSystem.Create("t");
        var serializer = new FarmMessageSerializer((ExtendedActorSystem)system);

        var read = () => serializer.FromBinary("{}"u8.ToArray(), "RenderFarm.Cluster.Lifecycle.NoSuchEvent");

        read.Should().Throw<SerializationException>().WithMessage("*NoSuchEvent*");
    }
}
