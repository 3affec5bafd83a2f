using System.Text.Json;
using FluentAssertions;
using RenderFarm.Cluster.Lifecycle;
using RenderFarm.Cluster.Model;
using Xunit;
using Rules = RenderFarm.Cluster.Lifecycle.JobLifecycle;

namespace RenderFarm.Cluster.Tests.Lifecycle;

/// <summary>
/// Recovery (the state is the fold of the journal, at every point) and coverage (every event and command
/// type of the lifecycle is decided and folded).
/// </summary>
public sealed class ReplayAndCoverageTests
{
    private const string Id = LifecycleDriver.JobId;

    /// <summary>A batch that goes through every kind of transition: retry, lost node, success, failure, callback, operator retry, cancel.</summary>
    private static LifecycleDriver EventfulJob()
    {
        var job = new LifecycleDriver();
        job.SubmitNotifying(JobKind.Batch, LifecycleDriver.Notify, "v1", "v2");
        job.Prepare("v1", VideoStage.Speech);
        job.Prepare("v1", VideoStage.AiWork, Specs.Ai("v1/tts", TaskKind.Tts, "a.txt"));
        job.Claim("v1/tts", TestNode.A);
        job.Fail("v1/tts", FailureCause.Job, "timeout");
        job.Wait(TimeSpan.FromSeconds(1));
        job.Claim("v1/tts", TestNode.B);
        job.Wait(TimeSpan.FromSeconds(3));
        job.Tick([TestNode.A.Uid]);
        job.Claim("v1/tts", TestNode.A);
        job.Do(new TaskHeartbeat(Id, "v1/tts", 3, TestNode.A.Id));
        job.TickAllWell();
        job.Succeed("v1/tts");
        job.PrepareRender("v1", 50, Specs.Segment("v1/seg-0", 30), Specs.Segment("v1/seg-1", 20));
        job.Run("v1/seg-0");
        job.Do(new ClaimTask(Id, "v1/seg-1", 1, TestNode.B.Id, TestNode.B.Uid, TestNode.B.Address, Ahead: true));
        job.Do(new ReportTaskBegan(Id, "v1/seg-1", 1, TestNode.B.Id));
        job.Succeed("v1/seg-1");
        job.Prepare("v1", VideoStage.Assemble, Specs.Assemble("v1/mp4"));
        job.Run("v1/mp4");
        job.Wait(TimeSpan.FromSeconds(2));
        job.FailPreparation("v2", VideoStage.Speech, "InvalidParameter", "no such voice");
        job.Do(new WebhookOutcome(Id, Delivered: false, "HTTP 503"));
        job.Wait(TimeSpan.FromMinutes(1));
        job.Do(new RetryJob(Id));
        job.Prepare("v2", VideoStage.Speech, Specs.Ai("v2/tts", TaskKind.Tts, "b.txt"));
        job.Claim("v2/tts", TestNode.B);
        job.Do(new CancelJob(Id));
        job.Submit(JobKind.Single, "v9");
        return job;
    }

    private static JobState Replay(IEnumerable<IJobEvent> events) => events.Aggregate(JobState.Empty(Id), Rules.Apply);

    private static IEnumerable<Type> LifecycleTypes<T>() => typeof(IJobEvent).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(T).IsAssignableFrom(t) && t.Namespace == typeof(IJobEvent).Namespace);

    [Fact]
    public void Every_event_type_is_decided_and_folded_by_a_job()
    {
        var job = EventfulJob();

        job.Journal.Select(e => e.GetType()).Distinct().Should().BeEquivalentTo(LifecycleTypes<IJobEvent>());
        LifecycleTypes<IJobEvent>().Should().BeEquivalentTo(new[]
        {
            typeof(JobAccepted), typeof(JobProcessing), typeof(StagePlanned), typeof(VideoFailed), typeof(VideoSucceeded), typeof(TaskStarted),
            typeof(TaskBegan), typeof(TaskSucceeded), typeof(TaskFailed), typeof(TaskRedispatched), typeof(JobFinished), typeof(JobCancelled), typeof(JobRetried),
            typeof(WebhookAttempted),
        });
    }

    [Fact]
    public void Every_command_type_is_decided()
    {
        var job = EventfulJob();

        job.Steps.Select(s => s.Command.GetType()).Distinct().Should().BeEquivalentTo(LifecycleTypes<IJobCommand>().Append(typeof(Tick)));
    }

    [Fact]
    public void The_eventful_job_ends_as_its_last_commands_say()
    {
        var job = EventfulJob();

        job.State.Status.Should().Be(JobStatus.Cancelled);
        job.Video("v1").Status.Should().Be(JobStatus.Success, "the retry does not touch a finished video");
        job.Video("v2").Status.Should().Be(JobStatus.Cancelled);
        job.TaskOf("v1/tts").Should().Match<FarmTask>(t => t.State == TaskState.Succeeded && t.Attempt == 3 && t.JobFailures == 1);
        job.State.Webhook.Status.Should().Be(WebhookStatus.None, "the operator retry cleared the callback and the cancel sent none");
        job.Steps[^1].Decision.Reply.Should().Be(new SubmitReply(Id, Existing: true));
        job.Steps[^2].Decision.Stop.Should().Equal(new RunningTaskRef("v2/tts", 1, TestNode.B.Address));
    }

    [Fact]
    public void Replaying_the_journal_from_empty_gives_the_state_built_step_by_step()
    {
        var job = EventfulJob();

        var recovered = Replay(job.Journal);

        recovered.Should().BeEquivalentTo(job.State, o => o.WithStrictOrdering());
        recovered.History.Should().Equal(job.State.History);
        recovered.Tasks.Values.Should().Equal(job.State.Tasks.Values);
        recovered.Videos.Values.Should().Equal(job.State.Videos.Values);
        recovered.Webhook.Should().Be(job.State.Webhook);
    }

    [Fact]
    public void A_job_recovered_at_any_point_decides_the_next_command_as_the_live_one_did()
    {
        var job = EventfulJob();
        var live = JobState.Empty(Id);

        foreach (var step in job.Steps)
        {
            var recovered = Replay(job.Journal.Take(step.JournalBefore));
            recovered.Should().BeEquivalentTo(live, o => o.WithStrictOrdering(), "before {0}", step.Command);
            Rules.ReadyTasks(recovered, step.Now).Should().Equal(Rules.ReadyTasks(live, step.Now));
            Rules.StagesToPrepare(recovered).Should().Equal(Rules.StagesToPrepare(live));
            Rules.WebhookDue(recovered, step.Now).Should().Be(Rules.WebhookDue(live, step.Now));
            Rules.IsSettled(recovered).Should().Be(Rules.IsSettled(live));

            var decision = job.Lifecycle.Decide(recovered, step.Command, step.Now);

            decision.Events.Should().Equal(step.Decision.Events, "for {0}", step.Command);
            decision.Reply.Should().Be(step.Decision.Reply);
            decision.Stop.Should().Equal(step.Decision.Stop);
            live = step.Decision.Events.Aggregate(live, Rules.Apply);
        }
        live.Should().BeEquivalentTo(job.State, o => o.WithStrictOrdering());
    }

    [Fact]
    public void A_snapshot_and_the_events_after_it_survive_json_and_recover_the_same_state()
    {
        var job = EventfulJob();
        var json = new JsonSerializerOptions(JsonSerializerDefaults.General);
        T RoundTrip<T>(T value, Type type) => (T)JsonSerializer.Deserialize(JsonSerializer.Serialize(value, type, json), type, json)!;

        for (var split = 0; split <= job.Journal.Count; split += 7)
        {
            var snapshot = RoundTrip(Replay(job.Journal.Take(split)), typeof(JobState));
            var rest = job.Journal.Skip(split).Select(e => RoundTrip(e, e.GetType()));

            var recovered = rest.Aggregate(snapshot, Rules.Apply);

            recovered.Should().BeEquivalentTo(job.State, o => o.WithStrictOrdering(), "recovered from a snapshot after {0} events", split);
        }
    }

    [Fact]
    public void Deciding_and_applying_never_changes_the_state_it_was_given()
    {
        var job = new LifecycleDriver();
        job.Submit(JobKind.Single, "v1");
        job.PlanRender("v1");
        job.Claim("v1/seg-0");
        var before = job.State;
        var snapshot = Replay(job.Journal);

        job.Fail("v1/seg-0", FailureCause.Job);
        job.Do(new CancelJob(Id));

        before.Should().BeEquivalentTo(snapshot, o => o.WithStrictOrdering());
        before.TaskOf("v1/seg-0").State.Should().Be(TaskState.Running);
    }

    [Fact]
    public void Apply_folds_hand_written_events_without_deciding()
    {
        var t0 = LifecycleDriver.Start;
        var s = Replay([
            new JobAccepted(Id, JobKind.Single, "tok", "{}", "{\"NotifyAddress\":\"http://x/\"}", "http://x/", [new VideoSpec("v1", 0, "{}", "out/v1.mp4")], t0),
            new StagePlanned("v1", VideoStage.Render, [Specs.Segment("s0", 10), Specs.Segment("s1", 10), Specs.Audio("au")], 20, 0.8, t0.AddSeconds(1)),
            new JobProcessing(t0.AddSeconds(1)),
            new TaskStarted("s0", 1, "n1", "u1", "addr1", t0.AddSeconds(2)),
            new TaskFailed("s0", 1, "n1", "boom", FailureCause.Job, true, t0.AddSeconds(4), t0.AddSeconds(3)),
            new TaskStarted("s0", 2, "n2", "u2", "addr2", t0.AddSeconds(4)),
            new TaskRedispatched("s0", 3, "n2", "node n2 left", false, t0.AddSeconds(5)),
            new TaskStarted("s0", 3, "n1", "u1", "addr1", t0.AddSeconds(6)),
            new TaskSucceeded("s0", 3, "n1", false, "ok", t0.AddSeconds(7)),
            new TaskStarted("s1", 1, "n1", "u1", "addr1", t0.AddSeconds(7)),
            new TaskFailed("s1", 1, "n1", "broken", FailureCause.Node, false, null, t0.AddSeconds(8)),
            new VideoFailed("v1", "RenderFailed", "broken", "s1", t0.AddSeconds(8)),
            new JobFinished(JobStatus.Failed, "RenderFailed", "broken", t0.AddSeconds(8)),
        ]);

        s.Status.Should().Be(JobStatus.Failed);
        s.Webhook.Should().Be(new WebhookState(WebhookStatus.Pending, 0, null, null));
        s.TaskOf("s0").Should().Match<FarmTask>(t => t.State == TaskState.Succeeded && t.Attempt == 3 && t.JobFailures == 1 && t.NodeId == "n1");
        s.TaskOf("s1").Should().Match<FarmTask>(t => t.State == TaskState.Failed && t.Attempt == 1 && t.Error == "broken");
        s.TaskOf("au").State.Should().Be(TaskState.Cancelled); // the failed video cancelled it
        s.Videos["v1"].Should().Match<VideoState>(v => v.Status == JobStatus.Failed && v.DoneFrames == 10 && v.Segments == 2 && v.Progress == 45);
        s.History.Select(h => h.Event).Should().Equal("Queuing", "Planned", "Processing", "Started", "Retry", "Started", "Redispatched", "Started",
            "Succeeded", "Started", "Failed", "Failed", "Failed");

        s = Rules.Apply(s, new WebhookAttempted(false, "HTTP 500", t0.AddSeconds(10), false, t0.AddSeconds(9)));
        s.Webhook.Should().Be(new WebhookState(WebhookStatus.Pending, 1, t0.AddSeconds(10), "HTTP 500"));
        s = Rules.Apply(s, new WebhookAttempted(true, null, null, false, t0.AddSeconds(10)));
        s.Webhook.Status.Should().Be(WebhookStatus.Delivered);

        s = Rules.Apply(s, new JobRetried(t0.AddSeconds(20)));
        s.Status.Should().Be(JobStatus.Processing);
        s.TaskOf("s1").Should().Match<FarmTask>(t => t.State == TaskState.Pending && t.Attempt == 2);
        s.Webhook.Status.Should().Be(WebhookStatus.None);

        s = Rules.Apply(s, new TaskStarted("s1", 2, "n1", "u1", "addr1", t0.AddSeconds(21)));
        s = Rules.Apply(s, new JobCancelled("operator", t0.AddSeconds(22)));
        s.Status.Should().Be(JobStatus.Cancelled);
        s.TaskOf("s1").State.Should().Be(TaskState.Cancelled);
        s.TaskOf("au").State.Should().Be(TaskState.Cancelled);
        s.TaskOf("s0").State.Should().Be(TaskState.Succeeded);

        // Modified time follows the latest event and never goes back.
        s.ModifiedTime.Should().Be(t0.AddSeconds(22));
        s = Rules.Apply(s, new VideoSucceeded("v1", t0));
        s.ModifiedTime.Should().Be(t0.AddSeconds(22));
        s.Videos["v1"].Should().Match<VideoState>(v => v.Status == JobStatus.Success && v.DoneFrames == 20 && v.Progress == 100);
    }

    [Fact]
    public void Apply_rejects_an_event_it_does_not_know_and_Decide_ignores_a_command_it_does_not_know()
    {
        var apply = () => Rules.Apply(JobState.Empty(Id), new UnknownEvent(LifecycleDriver.Start));
        apply.Should().Throw<ArgumentException>();

        var job = new LifecycleDriver();
        job.Submit(JobKind.Single, "v1");
        var decision = job.Do("not a command");
        decision.Events.Should().BeEmpty();
        decision.Reply.Should().BeNull();
        decision.Stop.Should().BeEmpty();
    }

    private sealed record UnknownEvent(DateTimeOffset At) : IJobEvent;
}

internal static class JobStateLookups
{
    public static FarmTask TaskOf(this JobState state, string id) => state.Tasks[id];
}
