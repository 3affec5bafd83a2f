using FluentAssertions;
using RenderFarm.Cluster.Dispatch;
using RenderFarm.Cluster.Lifecycle;
using RenderFarm.Cluster.Model;
using Xunit;

namespace RenderFarm.Cluster.Tests.Lifecycle;

/// <summary>An IProduction job is an ordinary job: Queued -> Produce (one iproduction task) -> Success; its priority orders the queue.</summary>
public sealed class ProductionJobTests
{
    [Fact]
    public void An_IProduction_job_prepares_one_produce_stage_and_succeeds_with_its_task()
    {
        var job = new LifecycleDriver();
        job.Submit(JobKind.IProduction, "p1");
        job.ToPrepare.Should().Equal([("p1", VideoStage.Produce)]);
        job.Prepare("p1", VideoStage.Produce, new TaskSpec("p1/produce", TaskKind.Produce, "{}", "result-p1", 0, Priority: 2));
        job.TaskOf("p1/produce").Priority.Should().Be(2, "the job's ScheduleConfig.Priority travels with its task");
        job.Run("p1/produce");
        (job.State.Status, job.State.Progress).Should().Be((JobStatus.Success, 100));
        job.ToPrepare.Should().BeEmpty();
    }

    [Fact]
    public void A_waiting_task_of_smaller_priority_goes_first_and_equal_ones_keep_their_order()
    {
        var queue = new WorkQueueState();
        TaskAssignment Task(string id, int priority) => new("job-" + id, id, id + "-000", TaskKind.Produce, 1, "{}", "key-" + id, priority);
        queue.Offer(Task("late-6", 6));
        queue.Offer(Task("urgent-1", 1));
        queue.Offer(Task("other-6", 6));
        queue.Offer(Task("soon-3", 3));
        queue.SetFree("w", new Dictionary<TaskKind, int> { [TaskKind.Produce] = 4 });
        queue.Match().Select(m => m.Task.TaskId).Should().Equal("urgent-1", "soon-3", "late-6", "other-6");
    }
}
