using FluentAssertions;
using RenderFarm.Cluster.Dispatch;
using RenderFarm.Cluster.Model;
using Xunit;

namespace RenderFarm.Cluster.Tests.Dispatch;

/// <summary>The farm's matching of waiting tasks to free worker slots (what the WorkQueue singleton runs).</summary>
public sealed class WorkQueueStateTests
{
    private readonly WorkQueueState _queue = new();

    private static TaskAssignment Task(string id, TaskKind kind = TaskKind.EncodeSegment, int attempt = 1, string job = "job-1") =>
        new(job, id, job + "-000", kind, attempt, "{}", "key-" + id);

    private static Dictionary<TaskKind, int> Slots(params (TaskKind Kind, int Free)[] slots) => slots.ToDictionary(s => s.Kind, s => s.Free);

    private static Dictionary<TaskKind, int> Encode(int free) => Slots((TaskKind.EncodeSegment, free));

    /// <summary>The pairs of one match, as "worker:task#attempt".</summary>
    private List<string> Match() => _queue.Match().Select(m => $"{m.Worker}:{m.Task.TaskId}#{m.Task.Attempt}").ToList();

    [Fact]
    public void A_task_goes_to_the_worker_with_the_most_free_slots_of_its_kind()
    {
        _queue.SetFree("small", Slots((TaskKind.EncodeSegment, 1), (TaskKind.Tts, 4)));
        _queue.SetFree("big", Slots((TaskKind.EncodeSegment, 3), (TaskKind.Tts, 1)));

        _queue.Offer(Task("seg"));
        _queue.Offer(Task("speech", TaskKind.Tts));

        Match().Should().BeEquivalentTo("big:seg#1", "small:speech#1");
    }

    [Fact]
    public void Work_spreads_over_workers_with_equal_slots()
    {
        _queue.SetFree("a", Encode(2));
        _queue.SetFree("b", Encode(2));
        foreach (var id in new[] { "t1", "t2", "t3", "t4" }) _queue.Offer(Task(id));

        var matched = _queue.Match();

        matched.Select(m => m.Task.TaskId).Should().Equal(["t1", "t2", "t3", "t4"], "the oldest task goes first");
        matched.GroupBy(m => m.Worker).Select(g => g.Count()).Should().Equal(2, 2);
        matched.Take(2).Select(m => m.Worker).Should().OnlyHaveUniqueItems("the second task goes to the worker that still has more room");
    }

    [Fact]
    public void No_slot_idles_while_a_task_of_its_kind_waits()
    {
        _queue.SetFree("a", Slots((TaskKind.EncodeSegment, 2), (TaskKind.Assemble, 1)));
        _queue.SetFree("b", Encode(1));
        foreach (var id in new[] { "t1", "t2", "t3", "t4", "t5" }) _queue.Offer(Task(id));
        _queue.Offer(Task("join", TaskKind.Assemble));
        _queue.Offer(Task("mask", TaskKind.Matte));

        var first = Match();

        first.Should().HaveCount(4).And.Contain("a:join#1");
        first.Where(m => m.Contains(":t")).Should().BeEquivalentTo("a:t1#1", "a:t2#1", "b:t3#1");
        (_queue.Waiting(TaskKind.EncodeSegment), _queue.Waiting(TaskKind.Assemble), _queue.Waiting(TaskKind.Matte)).Should().Be((2, 0, 1),
            "every free slot took a task; the rest wait, and no worker takes matte");
        Match().Should().BeEmpty("the slots given are counted as taken until the workers report again");

        _queue.SetFree("b", Encode(1));
        Match().Should().Equal("b:t4#1");
        _queue.SetFree("a", Slots((TaskKind.EncodeSegment, 5), (TaskKind.Matte, 1)));
        Match().Should().BeEquivalentTo("a:t5#1", "a:mask#1");
        (_queue.Waiting(TaskKind.EncodeSegment), _queue.Waiting(TaskKind.Matte)).Should().Be((0, 0));
    }

    [Fact]
    public void A_newer_attempt_of_a_task_replaces_its_older_offer_and_an_older_one_is_ignored()
    {
        _queue.Offer(Task("t1", attempt: 1));
        _queue.Offer(Task("t1", attempt: 1)); // offered again after a while: still one entry
        _queue.Offer(Task("t1", attempt: 3));
        _queue.Offer(Task("t1", attempt: 2)); // late: older than what waits
        _queue.Offer(Task("t2"));

        _queue.Waiting(TaskKind.EncodeSegment).Should().Be(2);
        _queue.SetFree("a", Encode(5));
        Match().Should().Equal("a:t1#3", "a:t2#1");
    }

    [Fact]
    public void Withdrawing_a_job_drops_its_waiting_tasks_only()
    {
        _queue.Offer(Task("a1", job: "job-a"));
        _queue.Offer(Task("b1", job: "job-b"));
        _queue.Offer(Task("a2", TaskKind.Tts, job: "job-a"));
        _queue.Offer(Task("a3", job: "job-a"));

        _queue.Withdraw("job-a");

        (_queue.Waiting(TaskKind.EncodeSegment), _queue.Waiting(TaskKind.Tts)).Should().Be((1, 0));
        _queue.SetFree("w", Slots((TaskKind.EncodeSegment, 5), (TaskKind.Tts, 5)));
        Match().Should().Equal("w:b1#1");
        _queue.Offer(Task("a1", job: "job-a", attempt: 2));
        Match().Should().Equal(["w:a1#2"], "a withdrawn task offered again (its job was retried) waits like any other");
    }

    [Fact]
    public void A_declined_task_goes_back_first_in_line()
    {
        foreach (var id in new[] { "t1", "t2", "t3" }) _queue.Offer(Task(id));
        _queue.SetFree("a", Encode(1));
        var given = _queue.Match().Should().ContainSingle().Subject.Task;
        given.TaskId.Should().Be("t1");

        _queue.Offer(given, front: true); // the worker had no slot any more: DeclineTask

        _queue.Waiting(TaskKind.EncodeSegment).Should().Be(3);
        _queue.SetFree("b", Encode(2));
        Match().Should().Equal("b:t1#1", "b:t2#1");
    }

    [Fact]
    public void A_removed_worker_gets_nothing()
    {
        _queue.SetFree("gone", Encode(8));
        _queue.SetFree("here", Encode(1));

        _queue.RemoveWorker("gone");
        _queue.Offer(Task("t1"));
        _queue.Offer(Task("t2"));

        _queue.Workers.Should().Equal("here");
        Match().Should().Equal("here:t1#1");
        _queue.Waiting(TaskKind.EncodeSegment).Should().Be(1, "t2 waits for a slot rather than going to a worker that left");
    }

    [Fact]
    public void A_worker_report_replaces_what_the_queue_assumed()
    {
        _queue.SetFree("a", Encode(3));
        _queue.Offer(Task("t1"));
        Match().Should().Equal("a:t1#1");

        _queue.SetFree("a", Encode(0)); // it took other work meanwhile: no slot left
        _queue.Offer(Task("t2"));
        Match().Should().BeEmpty();

        _queue.SetFree("a", new Dictionary<TaskKind, int>());
        Match().Should().BeEmpty("a worker that reports no slots of a kind gets none of it");
    }

    [Fact]
    public void A_task_waits_from_its_first_offer_until_it_is_given_out()
    {
        var t0 = DateTimeOffset.Parse("2026-12-07T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        _queue.Offer(Task("t1"), at: t0);
        _queue.Offer(Task("t1"), at: t0.AddSeconds(2)); // the job offers it again: the wait goes on
        _queue.Offer(Task("t2", attempt: 1), at: t0);
        _queue.Offer(Task("t2", attempt: 2), at: t0.AddSeconds(3)); // a new attempt waits anew
        _queue.SetFree("a", Encode(2));

        var given = _queue.Match();
        var now = t0.AddSeconds(5);
        given.Select(m => _queue.Waited(m.Task.TaskId, now)).Should().Equal(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(2));
        _queue.Waited("t1", now).Should().BeNull("a wait is reported once");
    }
}
