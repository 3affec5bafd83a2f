using FluentAssertions;
using RenderFarm.Cluster.Lifecycle;
using RenderFarm.Cluster.Model;
using Xunit;
using Rules = RenderFarm.Cluster.Lifecycle.JobLifecycle;

namespace RenderFarm.Cluster.Tests.Lifecycle;

/// <summary>Cancel by request, and the operator's retry of a failed or cancelled job.</summary>
public sealed class CancelAndRetryTests
{
    private const string Id = LifecycleDriver.JobId;

    private static LifecycleDriver RenderJob()
    {
        var job = new LifecycleDriver();
        job.Submit(JobKind.Single, "v1");
        job.PlanRender("v1");
        return job;
    }

    [Fact]
    public void Cancelling_a_processing_job_cancels_its_unfinished_work_and_stops_its_running_tasks()
    {
        var job = RenderJob();
        job.Run("v1/seg-0");
        job.Claim("v1/seg-1", TestNode.A);
        job.Claim("v1/audio", TestNode.B);
        job.Wait(TimeSpan.FromSeconds(5));

        var decision = job.Do(new CancelJob(Id));

        decision.Events.Should().ContainSingle().Which.Should().Be(new JobCancelled("cancelled by request", job.Now));
        decision.Reply.Should().Be(new JobCommandReply(Id, Exists: true, Changed: true, JobStatus.Cancelled, null));
        decision.Stop.Should().BeEquivalentTo(new[]
        {
            new RunningTaskRef("v1/seg-1", 1, TestNode.A.Address),
            new RunningTaskRef("v1/audio", 1, TestNode.B.Address),
        });
        job.State.Status.Should().Be(JobStatus.Cancelled);
        job.State.Ended.Should().BeTrue();
        job.State.CompleteTime.Should().Be(job.Now);
        job.TaskOf("v1/seg-0").State.Should().Be(TaskState.Succeeded, "finished work is kept");
        job.TaskOf("v1/seg-1").Should().Match<FarmTask>(t => t.State == TaskState.Cancelled && t.FinishedAt == job.Now);
        job.TaskOf("v1/audio").State.Should().Be(TaskState.Cancelled);
        job.Video("v1").Status.Should().Be(JobStatus.Cancelled);
        job.State.History[^1].Should().Match<HistoryLine>(h => h.Event == "Cancelled" && h.Detail == "cancelled by request" && h.VideoId == null);
        job.Journal.OfType<JobFinished>().Should().BeEmpty("a cancel ends the job by itself");
        job.Ready.Should().BeEmpty();
        job.ToPrepare.Should().BeEmpty();
        Rules.IsSettled(job.State).Should().BeTrue();
    }

    [Fact]
    public void Cancelling_a_queuing_job_cancels_its_videos_and_stops_nothing()
    {
        var job = new LifecycleDriver();
        job.Submit(JobKind.Batch, "v1", "v2");

        var decision = job.Do(new CancelJob(Id));

        decision.Stop.Should().BeEmpty();
        job.State.Status.Should().Be(JobStatus.Cancelled);
        job.State.Videos.Values.Should().OnlyContain(v => v.Status == JobStatus.Cancelled);
        job.ToPrepare.Should().BeEmpty();
    }

    [Fact]
    public void Cancelling_an_ended_or_unknown_job_changes_nothing()
    {
        var unknown = new LifecycleDriver();
        var none = unknown.Do(new CancelJob(Id));
        none.Reply.Should().Be(new JobCommandReply(Id, Exists: false, Changed: false, JobStatus.Init, "no such job"));
        none.Events.Should().BeEmpty();

        var cancelled = RenderJob();
        cancelled.Do(new CancelJob(Id));
        var before = cancelled.State;
        var again = cancelled.Do(new CancelJob(Id));
        again.Reply.Should().Be(new JobCommandReply(Id, Exists: true, Changed: false, JobStatus.Cancelled, "job already Cancelled"));
        again.Events.Should().BeEmpty();
        again.Stop.Should().BeEmpty();
        cancelled.State.Should().BeSameAs(before);

        var succeeded = new LifecycleDriver();
        succeeded.Submit(JobKind.MediaAnalysis, "m1");
        succeeded.Prepare("m1", VideoStage.Analyse, Specs.Analyse("m1/analyse"));
        succeeded.Run("m1/analyse");
        succeeded.Do(new CancelJob(Id)).Reply.Should().Match<JobCommandReply>(r => r.Exists && !r.Changed && r.Status == JobStatus.Success);
        succeeded.State.Status.Should().Be(JobStatus.Success);
    }

    [Fact]
    public void Reports_and_preparations_after_a_cancel_change_nothing()
    {
        var job = RenderJob();
        job.Claim("v1/seg-0", TestNode.A);
        job.Claim("v1/seg-1", TestNode.A);
        job.Do(new CancelJob(Id));
        var cancelled = job.State;

        var success = job.Succeed("v1/seg-0", attempt: 1, node: "node-a");
        success.Reply.Should().Be(new ReportAck(Id, "v1/seg-0", 1));
        success.Events.Should().BeEmpty();
        job.Fail("v1/seg-1", FailureCause.Job, "killed", attempt: 1, node: "node-a").Events.Should().BeEmpty();
        job.Prepare("v1", VideoStage.Assemble, Specs.Assemble("v1/mp4")).Events.Should().BeEmpty();
        job.Do(new WebhookOutcome(Id, true, null)).Events.Should().BeEmpty();

        job.State.Should().BeSameAs(cancelled);
        job.TaskOf("v1/seg-0").State.Should().Be(TaskState.Cancelled);
        job.Ready.Should().BeEmpty();
    }

    [Fact]
    public void An_operator_retry_reruns_only_the_failed_work_and_the_job_can_then_succeed()
    {
        var job = RenderJob();
        job.Run("v1/seg-1");
        job.Run("v1/audio");
        job.FailForGood("v1/seg-0", "overlay missing");
        job.State.Status.Should().Be(JobStatus.Failed);
        job.Wait(TimeSpan.FromMinutes(10));

        var decision = job.Do(new RetryJob(Id));

        decision.Events.Should().ContainSingle().Which.Should().Be(new JobRetried(job.Now));
        decision.Reply.Should().Be(new JobCommandReply(Id, Exists: true, Changed: true, JobStatus.Processing, null));
        job.State.Should().Match<JobState>(s => s.Status == JobStatus.Processing && s.Code == null && s.Message == null && s.CompleteTime == null);
        job.TaskOf("v1/seg-0").Should().Match<FarmTask>(t => t.State == TaskState.Pending && t.Attempt == 4 && t.JobFailures == 0
            && t.Error == null && t.NotBefore == null && t.NodeUid == null && t.FinishedAt == null);
        job.TaskOf("v1/seg-1").Should().Match<FarmTask>(t => t.State == TaskState.Succeeded && t.Attempt == 1, "finished work is kept");
        job.TaskOf("v1/audio").State.Should().Be(TaskState.Succeeded);
        job.Video("v1").Should().Match<VideoState>(v => v.Status == JobStatus.Processing && v.Code == null && v.Message == null && v.Stage == VideoStage.Render);
        job.State.History.TakeLast(2).Select(h => (h.Event, h.Detail, h.TaskId)).Should().Equal(
            ("Retry", "operator retry", "v1/seg-0"), ("Processing", "operator retry", null));
        job.Ready.Should().Equal("v1/seg-0");

        // The retried task has its job failures back: one more failure is retried, not final.
        job.Claim("v1/seg-0");
        job.Fail("v1/seg-0", FailureCause.Job, "overlay missing").Events[0].Should().Match<TaskFailed>(e => e.Retry);
        job.Wait(TimeSpan.FromSeconds(1));
        job.Run("v1/seg-0");
        job.ToPrepare.Should().Equal(("v1", VideoStage.Assemble));
        job.Prepare("v1", VideoStage.Assemble, Specs.Assemble("v1/mp4"));
        job.Run("v1/mp4");

        job.State.Status.Should().Be(JobStatus.Success);
        job.State.Progress.Should().Be(100);
        job.Video("v1").DoneFrames.Should().Be(100);
        job.State.History.Count(h => h.Event == "Started" && h.TaskId == "v1/seg-1").Should().Be(1, "a succeeded task is not run again");
        job.State.History.Count(h => h.Event == "Started" && h.TaskId == "v1/audio").Should().Be(1);
    }

    [Fact]
    public void An_operator_retry_gives_a_task_that_used_up_its_attempts_a_new_set_of_tries()
    {
        // Ten node faults (a bad night on the farm) use up the task's attempts and fail the job.
        var job = RenderJob();
        for (var i = 0; i < 10; i++)
        {
            job.Claim("v1/seg-0", TestNode.A);
            job.Fail("v1/seg-0", FailureCause.Node, "disk full");
        }
        job.TaskOf("v1/seg-0").Should().Match<FarmTask>(t => t.State == TaskState.Failed && t.Attempt == 10);
        job.State.Status.Should().Be(JobStatus.Failed);

        // The operator retries once the farm is healthy: the task's failure budget is reset (JobFailures = 0),
        // so one more fault of a node should run it elsewhere, as it would for any task, not fail the job again.
        job.Do(new RetryJob(Id));
        job.TaskOf("v1/seg-0").Attempt.Should().Be(11);
        job.Claim("v1/seg-0", TestNode.B);
        var fault = job.Fail("v1/seg-0", FailureCause.Node, "node restarted");

        fault.Events[0].Should().Match<TaskFailed>(e => e.Retry, "an operator retry gives the task a new set of attempts");
        job.State.Status.Should().Be(JobStatus.Processing);
    }

    [Fact]
    public void An_operator_retry_of_a_cancelled_job_puts_its_cancelled_tasks_back_to_work()
    {
        var job = RenderJob();
        job.Run("v1/seg-0");
        job.Claim("v1/seg-1", TestNode.A);
        job.Do(new CancelJob(Id));

        job.Do(new RetryJob(Id)).Reply.Should().Match<JobCommandReply>(r => r.Changed && r.Status == JobStatus.Processing);

        job.State.Status.Should().Be(JobStatus.Processing);
        job.Video("v1").Status.Should().Be(JobStatus.Processing);
        job.TaskOf("v1/seg-0").State.Should().Be(TaskState.Succeeded);
        job.TaskOf("v1/seg-1").Should().Match<FarmTask>(t => t.State == TaskState.Pending && t.Attempt == 2 && t.NodeAddress == null);
        job.TaskOf("v1/audio").Should().Match<FarmTask>(t => t.State == TaskState.Pending && t.Attempt == 2);
        job.Ready.Should().BeEquivalentTo("v1/seg-1", "v1/audio");
        // The stopped node's report of its old attempt does not count.
        job.Succeed("v1/seg-1", attempt: 1, node: "node-a").Events.Should().BeEmpty();
        job.Run("v1/seg-1");
        job.Run("v1/audio");
        job.ToPrepare.Should().Equal(("v1", VideoStage.Assemble));
    }

    [Fact]
    public void An_operator_retry_of_a_job_cancelled_before_planning_prepares_it_from_the_start()
    {
        var job = new LifecycleDriver();
        job.Submit(JobKind.Single, "v1");
        job.Do(new CancelJob(Id));

        job.Do(new RetryJob(Id));

        job.State.Status.Should().Be(JobStatus.Processing);
        job.Video("v1").Status.Should().Be(JobStatus.Queuing);
        job.ToPrepare.Should().Equal(("v1", VideoStage.Speech));
    }

    [Fact]
    public void An_operator_retry_after_a_failed_preparation_prepares_that_stage_again()
    {
        var job = new LifecycleDriver();
        job.Submit(JobKind.Single, "v1");
        job.SkipAiWork("v1");
        job.FailPreparation("v1", VideoStage.Render, "InvalidMedia", "cannot probe");

        job.Do(new RetryJob(Id));

        job.Video("v1").Should().Match<VideoState>(v => v.Status == JobStatus.Processing && v.Code == null);
        job.ToPrepare.Should().Equal(("v1", VideoStage.Render));
        job.PrepareRender("v1", 10, Specs.Segment("v1/seg-0", 10)).Events.Should().ContainSingle().Which.Should().BeOfType<StagePlanned>();
    }

    [Fact]
    public void Only_a_failed_or_cancelled_job_can_be_retried()
    {
        var unknown = new LifecycleDriver();
        unknown.Do(new RetryJob(Id)).Reply.Should().Be(new JobCommandReply(Id, Exists: false, Changed: false, JobStatus.Init, "no such job"));

        var processing = RenderJob();
        var before = processing.State;
        var refused = processing.Do(new RetryJob(Id));
        refused.Events.Should().BeEmpty();
        refused.Reply.Should().Be(new JobCommandReply(Id, Exists: true, Changed: false, JobStatus.Processing,
            "only a Failed or Cancelled job can be retried (it is Processing)"));
        processing.State.Should().BeSameAs(before);

        var queuing = new LifecycleDriver();
        queuing.Submit(JobKind.Single, "v1");
        queuing.Do(new RetryJob(Id)).Reply.Should().Match<JobCommandReply>(r => !r.Changed && r.Status == JobStatus.Queuing);

        var succeeded = new LifecycleDriver();
        succeeded.Submit(JobKind.MediaAnalysis, "m1");
        succeeded.Prepare("m1", VideoStage.Analyse, Specs.Analyse("m1/analyse"));
        succeeded.Run("m1/analyse");
        var done = succeeded.Do(new RetryJob(Id));
        done.Events.Should().BeEmpty();
        done.Reply.Should().Match<JobCommandReply>(r => r.Exists && !r.Changed && r.Status == JobStatus.Success);
        succeeded.State.Status.Should().Be(JobStatus.Success);
    }
}
