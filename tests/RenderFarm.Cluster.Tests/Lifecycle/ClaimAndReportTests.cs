using FluentAssertions;
using RenderFarm.Cluster.Lifecycle;
using RenderFarm.Cluster.Model;
using Xunit;

namespace RenderFarm.Cluster.Tests.Lifecycle;

/// <summary>Dispatch (claims), reports of success and failure, retries with back-off and attempt limits.</summary>
public sealed class ClaimAndReportTests
{
    private static LifecycleDriver RenderJob(LifecycleOptions? options = null)
    {
        var job = new LifecycleDriver(options);
        job.Submit(JobKind.Single, "v1");
        job.PlanRender("v1");
        return job;
    }

    private static ClaimReply Reply(Decision decision) => decision.Reply.Should().BeOfType<ClaimReply>().Subject;

    [Fact]
    public void A_claim_of_a_pending_task_is_granted_and_starts_it_on_the_node()
    {
        var job = RenderJob();
        job.Wait(TimeSpan.FromSeconds(3));

        var decision = job.Claim("v1/seg-0", TestNode.A);

        Reply(decision).Should().Be(new ClaimReply(LifecycleDriver.JobId, "v1/seg-0", 1, true, null,
            new VideoSpec("v1", 0, "{\"Video\":\"v1\"}", "out/v1.mp4")));
        decision.Events.Should().ContainSingle().Which.Should().Be(
            new TaskStarted("v1/seg-0", 1, TestNode.A.Id, TestNode.A.Uid, TestNode.A.Address, job.Now));
        job.TaskOf("v1/seg-0").Should().Match<FarmTask>(t => t.State == TaskState.Running && t.Attempt == 1 && t.NodeId == "node-a"
            && t.NodeUid == "uid-a" && t.NodeAddress == TestNode.A.Address && t.StartedAt == job.Now);
        job.State.History[^1].Should().Be(new HistoryLine(job.Now, "Started", "encode-segment attempt 1 on node-a", "v1", "v1/seg-0", "node-a"));
        job.State.ModifiedTime.Should().Be(job.Now);
        job.Ready.Should().NotContain("v1/seg-0");
    }

    [Fact]
    public void A_grant_leaves_out_the_video_request_when_the_node_already_knows_it()
    {
        var job = RenderJob();

        var decision = job.Do(new ClaimTask(LifecycleDriver.JobId, "v1/seg-0", 1, TestNode.A.Id, TestNode.A.Uid, TestNode.A.Address, KnowsVideo: true));

        Reply(decision).Should().Be(new ClaimReply(LifecycleDriver.JobId, "v1/seg-0", 1, true, null, Video: null));
        decision.Events.Should().ContainSingle().Which.Should().BeOfType<TaskStarted>();
    }

    [Fact]
    public void A_refused_claim_carries_no_video_request()
    {
        var job = RenderJob();
        job.Claim("v1/seg-0", TestNode.A);

        Reply(job.Claim("v1/seg-0", TestNode.B)).Video.Should().BeNull();
    }

    [Fact]
    public void The_same_node_claiming_twice_is_granted_again_without_a_new_event()
    {
        var job = RenderJob();
        job.Claim("v1/seg-0", TestNode.A);
        var before = job.State;

        var again = job.Claim("v1/seg-0", TestNode.A);

        Reply(again).Should().Match<ClaimReply>(r => r.Granted && r.Reason == null && r.Video != null && r.Video.VideoId == "v1");
        again.Events.Should().BeEmpty();
        job.State.Should().BeSameAs(before);
    }

    [Fact]
    public void Another_node_cannot_claim_a_running_task()
    {
        var job = RenderJob();
        job.Claim("v1/seg-0", TestNode.A);

        var other = job.Claim("v1/seg-0", TestNode.B);

        Reply(other).Granted.Should().BeFalse();
        Reply(other).Reason.Should().Be("task is Running");
        other.Events.Should().BeEmpty();
        job.TaskOf("v1/seg-0").NodeId.Should().Be("node-a");
    }

    [Fact]
    public void A_claim_for_a_stale_attempt_or_an_unknown_task_is_refused()
    {
        var job = RenderJob();

        Reply(job.Claim("v1/seg-0", attempt: 2)).Should().Match<ClaimReply>(r => !r.Granted && r.Reason == "attempt 2 is stale (now 1)");
        Reply(job.Claim("v1/nothing", attempt: 1)).Should().Match<ClaimReply>(r => !r.Granted && r.Reason == "no such task");

        // After a retry, the old attempt's claim (a late queue message) is stale too.
        job.Claim("v1/seg-0");
        job.Fail("v1/seg-0", FailureCause.Node, "disk full");
        var late = job.Claim("v1/seg-0", TestNode.B, attempt: 1);
        Reply(late).Granted.Should().BeFalse();
        Reply(late).Reason.Should().Contain("stale");
        late.Events.Should().BeEmpty();
        job.TaskOf("v1/seg-0").State.Should().Be(TaskState.Pending);
    }

    [Fact]
    public void A_task_backing_off_cannot_be_claimed_before_its_wait_is_over()
    {
        var job = RenderJob();
        job.Claim("v1/seg-0");
        job.Fail("v1/seg-0", FailureCause.Job, "bad overlay");
        job.TaskOf("v1/seg-0").NotBefore.Should().Be(job.Now + TimeSpan.FromSeconds(1));

        job.Ready.Should().NotContain("v1/seg-0");
        var early = job.Claim("v1/seg-0", attempt: 2);
        Reply(early).Should().Match<ClaimReply>(r => !r.Granted && r.Reason == "backing off");
        early.Events.Should().BeEmpty();

        job.Wait(TimeSpan.FromMilliseconds(999));
        Reply(job.Claim("v1/seg-0", attempt: 2)).Granted.Should().BeFalse();

        job.Wait(TimeSpan.FromMilliseconds(1));
        job.Ready.Should().Contain("v1/seg-0");
        var onTime = job.Claim("v1/seg-0", TestNode.B, attempt: 2);
        Reply(onTime).Granted.Should().BeTrue();
        job.TaskOf("v1/seg-0").Should().Match<FarmTask>(t => t.State == TaskState.Running && t.Attempt == 2 && t.NodeId == "node-b" && t.NotBefore == null);
    }

    [Fact]
    public void Claims_on_an_unknown_or_ended_job_are_refused()
    {
        var unknown = new LifecycleDriver();
        var none = unknown.Do(new ClaimTask(LifecycleDriver.JobId, "t", 1, "node-a", "uid-a", "addr"));
        Reply(none).Should().Match<ClaimReply>(r => !r.Granted && r.Reason == "job is Init");

        var job = RenderJob();
        job.Do(new CancelJob(LifecycleDriver.JobId));
        var cancelled = job.Claim("v1/seg-0", attempt: 1);
        Reply(cancelled).Should().Match<ClaimReply>(r => !r.Granted && r.Reason == "job is Cancelled");
        cancelled.Events.Should().BeEmpty();
    }

    [Fact]
    public void Claims_on_a_task_of_an_ended_video_are_refused_while_the_job_goes_on()
    {
        var job = new LifecycleDriver();
        job.Submit(JobKind.Batch, "v1", "v2");
        job.PlanRender("v1");
        job.PlanRender("v2");

        job.FailForGood("v1/seg-0");
        job.Video("v1").Status.Should().Be(JobStatus.Failed);
        job.State.Status.Should().Be(JobStatus.Processing);

        var claim = job.Claim("v1/seg-1");
        Reply(claim).Should().Match<ClaimReply>(r => !r.Granted && r.Reason == "task is Cancelled"); // a failed video cancels its unfinished tasks
        claim.Events.Should().BeEmpty();
        job.Ready.Should().BeEquivalentTo("v2/seg-0", "v2/seg-1", "v2/audio");
    }

    [Fact]
    public void Reports_for_a_stale_attempt_or_a_task_not_running_are_acknowledged_and_change_nothing()
    {
        var job = RenderJob();
        var pending = job.State;

        // Not claimed yet.
        var early = job.Do(new ReportTaskSucceeded(LifecycleDriver.JobId, "v1/seg-0", 1, "node-a", false, "done"));
        early.Reply.Should().Be(new ReportAck(LifecycleDriver.JobId, "v1/seg-0", 1));
        early.Events.Should().BeEmpty();
        job.Do(new ReportTaskFailed(LifecycleDriver.JobId, "v1/seg-0", 1, "node-a", "x", FailureCause.Job)).Events.Should().BeEmpty();
        job.Do(new ReportTaskSucceeded(LifecycleDriver.JobId, "v1/nothing", 1, "node-a", false, "done")).Reply.Should().BeOfType<ReportAck>();
        job.State.Should().BeSameAs(pending);

        // Running attempt 2 after a node fault: attempt 1's reports are stale.
        job.Claim("v1/seg-0", TestNode.A);
        job.Fail("v1/seg-0", FailureCause.Node, "disk full");
        job.Claim("v1/seg-0", TestNode.B);
        var running = job.State;
        var stale = job.Succeed("v1/seg-0", attempt: 1, node: "node-a");
        stale.Reply.Should().Be(new ReportAck(LifecycleDriver.JobId, "v1/seg-0", 1));
        stale.Events.Should().BeEmpty();
        job.Fail("v1/seg-0", FailureCause.Job, "late", attempt: 1, node: "node-a").Events.Should().BeEmpty();
        job.State.Should().BeSameAs(running);

        // Succeeded: a second report neither counts the frames twice nor changes the task.
        job.Succeed("v1/seg-0").Events.Should().ContainSingle();
        var succeeded = job.State;
        job.Succeed("v1/seg-0", attempt: 2, node: "node-b").Events.Should().BeEmpty();
        job.Fail("v1/seg-0", FailureCause.Job, "after the fact", attempt: 2, node: "node-b").Events.Should().BeEmpty();
        job.State.Should().BeSameAs(succeeded);
        job.Video("v1").DoneFrames.Should().Be(60);
    }

    [Fact]
    public void A_success_report_records_the_node_reuse_and_detail()
    {
        var job = RenderJob();
        job.Claim("v1/seg-0", TestNode.B);
        job.Wait(TimeSpan.FromSeconds(7));

        var decision = job.Do(new ReportTaskSucceeded(LifecycleDriver.JobId, "v1/seg-0", 1, "node-b", true, "artifact found"));

        decision.Reply.Should().Be(new ReportAck(LifecycleDriver.JobId, "v1/seg-0", 1));
        decision.Events.Should().ContainSingle().Which.Should().Be(new TaskSucceeded("v1/seg-0", 1, "node-b", true, "artifact found", job.Now));
        job.TaskOf("v1/seg-0").Should().Match<FarmTask>(t => t.State == TaskState.Succeeded && t.Reused && t.FinishedAt == job.Now && t.Error == null);
        job.State.History[^1].Should().Be(new HistoryLine(job.Now, "Succeeded", "artifact found", "v1", "v1/seg-0", "node-b"));
    }

    [Fact]
    public void A_heartbeat_is_never_persisted()
    {
        var job = RenderJob();
        job.Claim("v1/seg-0");
        var before = job.State;

        var decision = job.Do(new TaskHeartbeat(LifecycleDriver.JobId, "v1/seg-0", 1, "node-a"));

        decision.Events.Should().BeEmpty();
        decision.Reply.Should().BeNull();
        job.State.Should().BeSameAs(before);
    }

    [Fact]
    public void A_job_failure_is_retried_after_a_back_off_and_fails_the_video_after_three()
    {
        var job = RenderJob();
        job.Run("v1/seg-1");
        job.Run("v1/audio");

        // First failure: attempt 2, not before 1 s.
        job.Claim("v1/seg-0", TestNode.A);
        var first = job.Fail("v1/seg-0", FailureCause.Job, "overlay missing");
        first.Reply.Should().Be(new ReportAck(LifecycleDriver.JobId, "v1/seg-0", 1));
        first.Events.Should().ContainSingle().Which.Should().Be(
            new TaskFailed("v1/seg-0", 1, "node-a", "overlay missing", FailureCause.Job, Retry: true, job.Now + TimeSpan.FromSeconds(1), job.Now));
        job.TaskOf("v1/seg-0").Should().Match<FarmTask>(t => t.State == TaskState.Pending && t.Attempt == 2 && t.JobFailures == 1
            && t.NotBefore == job.Now + TimeSpan.FromSeconds(1) && t.Error == "overlay missing" && t.NodeUid == null && t.NodeAddress == null && t.StartedAt == null);
        job.State.History[^1].Should().Match<HistoryLine>(h => h.Event == "Retry" && h.Detail == "failed on node-a: overlay missing" && h.TaskId == "v1/seg-0");
        job.Video("v1").Status.Should().Be(JobStatus.Processing);

        // Second failure: attempt 3, not before 4 s.
        job.Wait(TimeSpan.FromSeconds(1));
        job.Claim("v1/seg-0", TestNode.B);
        job.Fail("v1/seg-0", FailureCause.Job, "overlay missing");
        job.TaskOf("v1/seg-0").Should().Match<FarmTask>(t => t.State == TaskState.Pending && t.Attempt == 3 && t.JobFailures == 2
            && t.NotBefore == job.Now + TimeSpan.FromSeconds(4));
        job.State.Status.Should().Be(JobStatus.Processing);

        // Third failure: the task, its video and the job fail.
        job.Wait(TimeSpan.FromSeconds(4));
        job.Claim("v1/seg-0", TestNode.A);
        var third = job.Fail("v1/seg-0", FailureCause.Job, "overlay missing");

        third.Events.Select(e => e.GetType()).Should().Equal(typeof(TaskFailed), typeof(VideoFailed), typeof(JobFinished));
        third.Events[0].Should().Match<TaskFailed>(e => !e.Retry && e.NotBefore == null);
        third.Events[1].Should().Be(new VideoFailed("v1", "RenderFailed", "overlay missing", "v1/seg-0", job.Now));
        job.TaskOf("v1/seg-0").Should().Match<FarmTask>(t => t.State == TaskState.Failed && t.Attempt == 3 && t.JobFailures == 3
            && t.FinishedAt == job.Now && t.Error == "overlay missing");
        job.Video("v1").Should().Match<VideoState>(v => v.Status == JobStatus.Failed && v.Code == "RenderFailed" && v.Message == "overlay missing");
        job.State.Should().Match<JobState>(s => s.Status == JobStatus.Failed && s.Code == "RenderFailed" && s.Message == "overlay missing" && s.CompleteTime == job.Now);
        job.State.Progress.Should().Be(36, "the segments done still count: 40 of 100 frames");
        job.History.TakeLast(3).Should().Equal("Failed", "Failed", "Failed");
        job.History.Count(h => h == "Retry").Should().Be(2);
        job.Ready.Should().BeEmpty();
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 4)]
    [InlineData(3, 16)]
    [InlineData(4, 60)]
    [InlineData(9, 60)]
    public void The_back_off_grows_four_fold_up_to_a_minute(int failures, int seconds)
    {
        new LifecycleOptions().RetryBackoff(failures).Should().Be(TimeSpan.FromSeconds(seconds));
    }

    [Fact]
    public void With_more_job_failures_allowed_the_third_retry_waits_sixteen_seconds()
    {
        var job = RenderJob(new LifecycleOptions { MaxJobFailures = 5 });
        var waits = new List<TimeSpan?>();
        for (var i = 0; i < 4; i++)
        {
            if (job.TaskOf("v1/seg-0").NotBefore is { } notBefore) job.Wait(notBefore - job.Now);
            job.Claim("v1/seg-0");
            job.Fail("v1/seg-0", FailureCause.Job);
            waits.Add(job.TaskOf("v1/seg-0").NotBefore - job.Now);
        }

        waits.Should().Equal(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(16), TimeSpan.FromSeconds(60));
        job.TaskOf("v1/seg-0").Should().Match<FarmTask>(t => t.State == TaskState.Pending && t.Attempt == 5 && t.JobFailures == 4);
    }

    [Theory]
    [InlineData(VideoStage.Speech, "AiFailed")]
    [InlineData(VideoStage.AiWork, "AiFailed")]
    [InlineData(VideoStage.Render, "RenderFailed")]
    [InlineData(VideoStage.Assemble, "RenderFailed")]
    public void A_task_failing_for_good_fails_its_video_with_the_code_of_its_stage(VideoStage stage, string code)
    {
        var job = new LifecycleDriver();
        job.Submit(JobKind.Single, "v1");
        var task = stage switch
        {
            VideoStage.Speech => "v1/tts",
            VideoStage.AiWork => "v1/matte",
            VideoStage.Render => "v1/seg-0",
            _ => "v1/mp4",
        };
        job.Prepare("v1", VideoStage.Speech, stage == VideoStage.Speech ? [Specs.Ai("v1/tts", TaskKind.Tts, "a.txt")] : []);
        if (stage != VideoStage.Speech)
            job.Prepare("v1", VideoStage.AiWork, stage == VideoStage.AiWork ? [Specs.Ai("v1/matte", TaskKind.Matte, "a.mp4")] : []);
        if (stage is VideoStage.Render or VideoStage.Assemble)
            job.PrepareRender("v1", 10, Specs.Segment("v1/seg-0", 10));
        if (stage == VideoStage.Assemble)
        {
            job.Run("v1/seg-0");
            job.Prepare("v1", VideoStage.Assemble, Specs.Assemble("v1/mp4"));
        }
        job.Video("v1").Stage.Should().Be(stage);

        job.FailForGood(task, "it broke");

        job.Video("v1").Should().Match<VideoState>(v => v.Status == JobStatus.Failed && v.Code == code && v.Message == "it broke");
        job.State.Status.Should().Be(JobStatus.Failed);
        job.State.Code.Should().Be(code);
        job.Journal.OfType<VideoFailed>().Single().TaskId.Should().Be(task);
    }

    [Fact]
    public void A_node_failure_is_retried_at_once_and_does_not_count_as_a_job_failure()
    {
        var job = RenderJob();
        job.Claim("v1/seg-0", TestNode.A);

        var decision = job.Fail("v1/seg-0", FailureCause.Node, "disk full");

        decision.Events.Should().ContainSingle().Which.Should().Be(
            new TaskFailed("v1/seg-0", 1, "node-a", "disk full", FailureCause.Node, Retry: true, NotBefore: null, job.Now));
        job.TaskOf("v1/seg-0").Should().Match<FarmTask>(t => t.State == TaskState.Pending && t.Attempt == 2 && t.JobFailures == 0 && t.NotBefore == null);
        job.State.History[^1].Should().Match<HistoryLine>(h => h.Event == "Retry"
            && h.Detail == "failed on node-a: disk full (a fault of the node: the task runs elsewhere)");
        job.Ready.Should().Contain("v1/seg-0");

        // Node faults on and off, and two job failures: still not three job failures, so it runs again.
        for (var i = 0; i < 4; i++)
        {
            job.Claim("v1/seg-0", TestNode.B);
            job.Fail("v1/seg-0", FailureCause.Node, "ffmpeg missing");
        }
        for (var i = 0; i < 2; i++)
        {
            job.Wait(TimeSpan.FromMinutes(1));
            job.Claim("v1/seg-0", TestNode.B);
            job.Fail("v1/seg-0", FailureCause.Job, "bad input");
        }
        job.TaskOf("v1/seg-0").Should().Match<FarmTask>(t => t.State == TaskState.Pending && t.Attempt == 8 && t.JobFailures == 2);
        job.State.Status.Should().Be(JobStatus.Processing);
    }

    [Fact]
    public void Node_failures_fail_the_task_once_it_has_used_all_its_attempts()
    {
        var job = RenderJob();
        for (var attempt = 1; attempt < 10; attempt++)
        {
            job.Claim("v1/seg-0", attempt % 2 == 0 ? TestNode.A : TestNode.B).Reply.Should().Match<ClaimReply>(r => r.Granted);
            job.Fail("v1/seg-0", FailureCause.Node, "disk full").Events.Should().ContainSingle().Which.Should().Match<TaskFailed>(e => e.Retry);
        }
        job.TaskOf("v1/seg-0").Attempt.Should().Be(10);

        job.Claim("v1/seg-0");
        var last = job.Fail("v1/seg-0", FailureCause.Node, "disk full");

        last.Events[0].Should().Match<TaskFailed>(e => !e.Retry && e.Attempt == 10);
        job.TaskOf("v1/seg-0").State.Should().Be(TaskState.Failed);
        job.TaskOf("v1/seg-0").JobFailures.Should().Be(0);
        job.Video("v1").Code.Should().Be("RenderFailed");
        job.State.Status.Should().Be(JobStatus.Failed);
    }

    [Fact]
    public void Attempts_cap_job_failures_too_when_fewer_attempts_are_allowed()
    {
        var job = RenderJob(new LifecycleOptions { MaxAttempts = 2 });
        job.Claim("v1/seg-0");
        job.Fail("v1/seg-0", FailureCause.Job);
        job.Wait(TimeSpan.FromSeconds(1));
        job.Claim("v1/seg-0");

        job.Fail("v1/seg-0", FailureCause.Job).Events[0].Should().Match<TaskFailed>(e => !e.Retry);

        job.TaskOf("v1/seg-0").Should().Match<FarmTask>(t => t.State == TaskState.Failed && t.JobFailures == 2);
        job.State.Status.Should().Be(JobStatus.Failed);
    }

    [Fact]
    public void A_task_claimed_ahead_is_logged_as_claimed_and_started_when_its_node_begins_it()
    {
        var job = new LifecycleDriver();
        job.Submit(JobKind.Single, "v1");
        job.PlanRender("v1");

        var claim = job.Do(new ClaimTask(LifecycleDriver.JobId, "v1/seg-0", 1, TestNode.A.Id, TestNode.A.Uid, TestNode.A.Address, Ahead: true));
        ((ClaimReply)claim.Reply!).Granted.Should().BeTrue();
        job.TaskOf("v1/seg-0").Should().Match<FarmTask>(t => t.State == TaskState.Running && t.StartedAt == null);
        job.State.History[^1].Event.Should().Be("Claimed");

        job.Wait(TimeSpan.FromSeconds(3));
        job.Do(new ReportTaskBegan(LifecycleDriver.JobId, "v1/seg-0", 1, TestNode.A.Id)).Events.Should().ContainSingle().Which.Should().BeOfType<TaskBegan>();
        job.TaskOf("v1/seg-0").StartedAt.Should().Be(job.Now);
        job.State.History[^1].Should().Match<HistoryLine>(h => h.Event == "Started" && h.NodeId == TestNode.A.Id);
        job.Do(new ReportTaskBegan(LifecycleDriver.JobId, "v1/seg-0", 1, TestNode.A.Id)).Events.Should().BeEmpty("it began once");
        job.Do(new ReportTaskBegan(LifecycleDriver.JobId, "v1/seg-1", 1, TestNode.A.Id)).Events.Should().BeEmpty("a task that is not running does not begin");
    }
}
