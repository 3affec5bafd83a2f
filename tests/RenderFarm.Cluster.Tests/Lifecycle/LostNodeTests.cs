using FluentAssertions;
using RenderFarm.Cluster.Lifecycle;
using RenderFarm.Cluster.Model;
using Xunit;

namespace RenderFarm.Cluster.Tests.Lifecycle;

/// <summary>The entity's tick: running tasks on nodes that left, or that went silent past the lease, run again elsewhere.</summary>
public sealed class LostNodeTests
{
    private static LifecycleDriver RunningOnNodeA(LifecycleOptions? options = null)
    {
        var job = new LifecycleDriver(options);
        job.Submit(JobKind.Single, "v1");
        job.PlanRender("v1");
        job.Claim("v1/seg-0", TestNode.A);
        return job;
    }

    [Fact]
    public void A_running_task_on_a_node_that_left_the_cluster_is_redispatched_as_a_new_attempt()
    {
        var job = RunningOnNodeA();
        job.Wait(TimeSpan.FromSeconds(2));

        var decision = job.Tick([TestNode.B.Uid], new Dictionary<string, DateTimeOffset> { ["v1/seg-0"] = job.Now });

        var redispatched = decision.Events.Should().ContainSingle().Which.Should().BeOfType<TaskRedispatched>().Subject;
        redispatched.Should().Match<TaskRedispatched>(e => e.TaskId == "v1/seg-0" && e.Attempt == 2 && e.NodeId == "node-a" && !e.GaveUp && e.At == job.Now);
        decision.Reply.Should().BeNull();
        job.TaskOf("v1/seg-0").Should().Match<FarmTask>(t => t.State == TaskState.Pending && t.Attempt == 2 && t.NodeUid == null
            && t.NodeAddress == null && t.StartedAt == null && t.NotBefore == null && t.JobFailures == 0);
        var line = job.State.History[^1];
        line.Event.Should().Be("Redispatched");
        line.NodeId.Should().Be("node-a");
        line.TaskId.Should().Be("v1/seg-0");
        line.Detail.Should().Contain("node node-a left the cluster").And.Contain("re-dispatching as attempt 2");
        job.Ready.Should().Contain("v1/seg-0");

        // The new attempt runs elsewhere; the lost node's late report of attempt 1 is ignored.
        job.Claim("v1/seg-0", TestNode.B).Reply.Should().Match<ClaimReply>(r => r.Granted);
        job.Succeed("v1/seg-0", attempt: 1, node: "node-a").Events.Should().BeEmpty();
        job.Succeed("v1/seg-0").Events.Should().ContainSingle().Which.Should().BeOfType<TaskSucceeded>();
        job.TaskOf("v1/seg-0").NodeId.Should().Be("node-b");
    }

    [Fact]
    public void A_running_task_not_heard_of_for_longer_than_the_lease_is_redispatched()
    {
        var job = RunningOnNodeA();
        var heard = job.Now;
        job.Wait(TimeSpan.FromSeconds(15));
        job.Tick([TestNode.A.Uid], new Dictionary<string, DateTimeOffset> { ["v1/seg-0"] = heard }).Events.Should().BeEmpty("15 s is within the lease");

        job.Wait(TimeSpan.FromMilliseconds(1));
        var decision = job.Tick([TestNode.A.Uid], new Dictionary<string, DateTimeOffset> { ["v1/seg-0"] = heard });

        decision.Events.Should().ContainSingle().Which.Should().Match<TaskRedispatched>(e => e.Attempt == 2 && !e.GaveUp);
        job.State.History[^1].Detail.Should().Contain("node node-a stopped heartbeating (no word for over 15 s)");
        job.TaskOf("v1/seg-0").State.Should().Be(TaskState.Pending);
    }

    [Fact]
    public void A_running_task_never_heard_of_on_a_live_node_is_redispatched()
    {
        var job = RunningOnNodeA();

        job.Tick([TestNode.A.Uid]).Events.Should().ContainSingle().Which.Should().Match<TaskRedispatched>(e => e.TaskId == "v1/seg-0");
    }

    [Fact]
    public void A_running_task_heard_recently_on_a_live_node_is_left_alone()
    {
        var job = RunningOnNodeA();
        job.Claim("v1/seg-1", TestNode.B);
        var before = job.State;
        job.Wait(TimeSpan.FromSeconds(30));

        var decision = job.Tick([TestNode.A.Uid, TestNode.B.Uid],
            new Dictionary<string, DateTimeOffset> { ["v1/seg-0"] = job.Now - TimeSpan.FromSeconds(5), ["v1/seg-1"] = job.Now });

        decision.Events.Should().BeEmpty();
        job.State.Should().BeSameAs(before);
    }

    [Fact]
    public void A_tick_leaves_pending_and_finished_tasks_and_ended_jobs_alone()
    {
        var job = new LifecycleDriver();
        job.Submit(JobKind.Single, "v1");
        job.PlanRender("v1");
        job.Run("v1/seg-0");

        job.Tick([]).Events.Should().BeEmpty("nothing is running");

        job.Claim("v1/seg-1", TestNode.A);
        job.Do(new CancelJob(LifecycleDriver.JobId));
        job.Tick([]).Events.Should().BeEmpty("the job ended");
    }

    [Fact]
    public void A_tick_redispatches_every_lost_task_at_once()
    {
        var job = RunningOnNodeA();
        job.Claim("v1/seg-1", TestNode.A);
        job.Claim("v1/audio", TestNode.B);

        var decision = job.Tick([TestNode.B.Uid], new Dictionary<string, DateTimeOffset> { ["v1/audio"] = job.Now });

        decision.Events.Cast<TaskRedispatched>().Select(e => e.TaskId).Should().BeEquivalentTo("v1/seg-0", "v1/seg-1");
        job.TaskOf("v1/audio").State.Should().Be(TaskState.Running);
    }

    [Fact]
    public void A_running_task_of_a_video_that_already_failed_is_not_redispatched_while_the_batch_goes_on()
    {
        var job = new LifecycleDriver();
        job.Submit(JobKind.Batch, "v1", "v2");
        job.PlanRender("v1");
        job.PlanRender("v2");
        job.Claim("v1/seg-0", TestNode.A);
        var heard = job.Now;
        job.FailForGood("v1/seg-1");
        job.Video("v1").Status.Should().Be(JobStatus.Failed);
        job.State.Status.Should().Be(JobStatus.Processing, "v2 is still at work");
        // Node A finishes v1/seg-0; its video ended, so the report is only acknowledged, and A stops heartbeating.
        job.Succeed("v1/seg-0").Events.Should().BeEmpty();
        job.Claim("v2/seg-0", TestNode.B);

        job.Wait(TimeSpan.FromSeconds(20));
        var tick = job.Tick([TestNode.A.Uid, TestNode.B.Uid], new Dictionary<string, DateTimeOffset> { ["v1/seg-0"] = heard, ["v2/seg-0"] = job.Now });

        tick.Events.Should().BeEmpty("v1 ended: its task will not run again, and node A did not stop heartbeating on it, it finished");
        job.State.History.Should().NotContain(h => h.Event == "Redispatched");
    }

    [Fact]
    public void A_task_lost_on_its_last_attempt_fails_and_fails_its_video()
    {
        var job = RunningOnNodeA(new LifecycleOptions { MaxAttempts = 2 });
        job.Tick([]);
        job.Claim("v1/seg-0", TestNode.B);

        var decision = job.Tick([TestNode.A.Uid]);

        decision.Events.Select(e => e.GetType()).Should().Equal(typeof(TaskRedispatched), typeof(VideoFailed), typeof(JobFinished));
        decision.Events[0].Should().Match<TaskRedispatched>(e => e.GaveUp && e.Attempt == 2 && e.NodeId == "node-b");
        var task = job.TaskOf("v1/seg-0");
        task.State.Should().Be(TaskState.Failed);
        task.Attempt.Should().Be(2);
        task.FinishedAt.Should().Be(job.Now);
        task.Error.Should().Contain("node node-b left the cluster").And.Contain("giving up after 2 attempts");
        job.State.History.Should().Contain(h => h.Event == "Failed" && h.TaskId == "v1/seg-0" && h.NodeId == "node-b");
        job.Video("v1").Should().Match<VideoState>(v => v.Status == JobStatus.Failed && v.Code == "RenderFailed" && v.Message == task.Error);
        job.State.Status.Should().Be(JobStatus.Failed);
        job.State.Message.Should().Contain("giving up");
    }

    [Fact]
    public void Lost_nodes_and_failures_share_the_attempts()
    {
        var job = RunningOnNodeA(new LifecycleOptions { MaxAttempts = 3 });
        job.Tick([]);                                           // attempt 1 lost
        job.Claim("v1/seg-0", TestNode.B);
        job.Fail("v1/seg-0", FailureCause.Node, "disk full");   // attempt 2 failed on the node
        job.Claim("v1/seg-0", TestNode.B);
        job.TaskOf("v1/seg-0").Attempt.Should().Be(3);

        job.Tick([]).Events[0].Should().Match<TaskRedispatched>(e => e.GaveUp);

        job.State.Status.Should().Be(JobStatus.Failed);
    }
}
