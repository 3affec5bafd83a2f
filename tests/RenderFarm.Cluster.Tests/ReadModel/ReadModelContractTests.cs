using FluentAssertions;
using RenderFarm.Cluster.Model;
using RenderFarm.Cluster.ReadModel;
using Xunit;

namespace RenderFarm.Cluster.Tests.ReadModel;

/// <summary>
/// The <see cref="IReadModel"/> contract, run against every database (one subclass per database). Each
/// test gets an empty, initialized read model.
/// </summary>
public abstract class ReadModelContractTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_750_000_000_000);
    private readonly List<ReadModelStore> _opened = [];

    protected ReadModelStore Store { get; private set; } = null!;

    /// <summary>A read model on this test's database; called again for re-open tests (same database, new store).</summary>
    protected abstract ReadModelStore OpenStore();

    /// <summary>Prepares this test's (empty) database.</summary>
    protected virtual ValueTask PrepareAsync() => ValueTask.CompletedTask;

    public async ValueTask InitializeAsync()
    {
        // Enough threads for the concurrency tests to really run eight writers at once on two cores.
        ThreadPool.GetMinThreads(out var workers, out var io);
        if (workers < 16) ThreadPool.SetMinThreads(16, Math.Max(io, 16));
        await PrepareAsync();
        Store = await OpenAsync();
    }

    public virtual async ValueTask DisposeAsync()
    {
        foreach (var store in _opened) await store.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected async Task<ReadModelStore> OpenAsync()
    {
        var store = OpenStore();
        _opened.Add(store);
        await store.InitializeAsync(TestContext.Current.CancellationToken);
        return store;
    }

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    // ---- builders ------------------------------------------------------------------------------

    protected static JobRecord Job(string id, DateTimeOffset? created = null, JobKind kind = JobKind.Single,
        JobStatus status = JobStatus.Queuing, string? token = null) =>
        new(id, kind, token, """{"Timeline":{}}""", status, 0, "user-data", null, null,
            created ?? T0, created ?? T0, null);

    protected static VideoRecord Video(string jobId, int index) =>
        new($"{jobId}-v{index}", jobId, index, """{"OutputMediaConfig":{}}""", $"/out/{jobId}/{index}.mp4",
            JobStatus.Queuing, 0, 1500 + index, 3, null, null, null);

    protected static TaskRecord NewTask(string jobId, string taskId, TaskKind kind = TaskKind.EncodeSegment,
        TaskState state = TaskState.Pending) =>
        new(taskId, jobId, $"{jobId}-v0", kind, """{"segment":1}""", "sha256:" + taskId, state, 1, null, null, null, null, false);

    protected static HistoryEntry History(string jobId, long seq, string evt, string? taskId = null) =>
        new(seq, jobId, null, taskId, T0.AddSeconds(seq), evt, "detail of " + evt, "node-1");

    /// <summary>History entries 0..count-1 of a job, each named "e{seq}".</summary>
    protected static IReadOnlyList<HistoryEntry> Histories(string jobId, int count, int from = 0) =>
        Enumerable.Range(from, count - from).Select(i => History(jobId, i, $"e{i}")).ToList();

    protected static NodeRecord Node(string id, NodeState state = NodeState.Active, IReadOnlyList<string>? disabled = null) =>
        new(id, ["worker", "encoder"], new Dictionary<string, int> { ["encode-segment"] = 4, ["tts"] = 1 }, state,
            T0, T0.AddSeconds(5), disabled ?? [], 2, "cpu", $"akka.tcp://renderfarm@{id}:4053");

    protected static JobProjection Projection(JobRecord job, IReadOnlyList<VideoRecord>? videos = null,
        IReadOnlyList<TaskRecord>? tasks = null, IReadOnlyList<HistoryEntry>? history = null) =>
        new(job, videos ?? [], tasks ?? [], history ?? []);

    /// <summary>Projects a job with its videos and first history line (Submitted).</summary>
    protected async Task<JobRecord> ProjectJob(string id, DateTimeOffset? created = null, JobKind kind = JobKind.Single,
        JobStatus status = JobStatus.Queuing, int videos = 1)
    {
        var job = Job(id, created, kind, status);
        await Store.ProjectAsync([Projection(job, Enumerable.Range(0, videos).Select(i => Video(id, i)).ToList(), [],
            [History(id, 0, "Submitted")])], Ct);
        return job;
    }

    // ---- projection ----------------------------------------------------------------------------

    [Fact]
    public async Task A_projected_job_reads_back_with_its_videos_tasks_and_history()
    {
        var job = Job("job-1", token: "tok-1") with
        {
            Progress = 25, Code = "c", Message = "m", CompleteTime = T0.AddMinutes(3), ModifiedTime = T0.AddSeconds(1),
        };
        var videos = new[] { Video("job-1", 0), Video("job-1", 1) with { DurationSeconds = 12.5, Code = "x" } };
        var tasks = new[]
        {
            NewTask("job-1", "t-c"), NewTask("job-1", "t-a", TaskKind.Tts) with
            {
                State = TaskState.Running, Attempt = 2, NodeId = "node-7", StartedAt = T0.AddSeconds(2), Error = "e", Reused = true,
            },
            NewTask("job-1", "t-b", TaskKind.Assemble, TaskState.Succeeded) with { FinishedAt = T0.AddSeconds(9) },
        };
        var history = new[] { History("job-1", 0, "Submitted"), History("job-1", 1, "Planned", "t-a") with { VideoId = "job-1-v0", Detail = null } };

        await Store.ProjectAsync([Projection(job, videos, tasks, history)], Ct);

        (await Store.GetJobAsync("job-1", Ct)).Should().Be(job);
        (await Store.GetJobAsync("nope", Ct)).Should().BeNull();
        (await Store.GetVideosAsync("job-1", Ct)).Should().Equal(videos);
        (await Store.GetTasksAsync("job-1", Ct)).Should().Equal(tasks, "a job's tasks come in the order first projected, not by id");
        (await Store.GetHistoryAsync("job-1", Ct)).Should().Equal(history);
        (await Store.GetVideosAsync("nope", Ct)).Should().BeEmpty();
        (await Store.GetTasksAsync("nope", Ct)).Should().BeEmpty();
        (await Store.GetHistoryAsync("nope", Ct)).Should().BeEmpty();
    }

    [Fact]
    public async Task A_second_projection_of_a_changed_job_replaces_its_rows()
    {
        var job = Job("job-1", token: "tok") with { Code = "old-code", Message = "old" };
        await Store.ProjectAsync([Projection(job, [Video("job-1", 0), Video("job-1", 1)],
            [NewTask("job-1", "t2"), NewTask("job-1", "t1")], Histories("job-1", 2))], Ct);

        var changed = job with
        {
            Status = JobStatus.Processing, Progress = 45.5, Code = null, Message = null, ModifiedTime = T0.AddMinutes(1),
            RequestJson = """{"Timeline":{"changed":true}}""", UserData = null,
        };
        var video0 = Video("job-1", 0) with { Status = JobStatus.Processing, Progress = 30, Segments = 7, DurationSeconds = 3.25 };
        var t1 = NewTask("job-1", "t1") with
        {
            State = TaskState.Running, Attempt = 2, NodeId = "node-3", StartedAt = T0.AddSeconds(30), Error = "first try failed",
        };
        // Video 1 and task t2 are not in this projection: they stay as they were.
        await Store.ProjectAsync([Projection(changed, [video0], [t1, NewTask("job-1", "t3", TaskKind.Matte)], Histories("job-1", 4))], Ct);

        (await Store.GetJobAsync("job-1", Ct)).Should().Be(changed);
        (await Store.GetVideosAsync("job-1", Ct)).Should().Equal(video0, Video("job-1", 1));
        (await Store.GetTasksAsync("job-1", Ct)).Should().Equal(NewTask("job-1", "t2"), t1, NewTask("job-1", "t3", TaskKind.Matte));
        (await Store.GetHistoryAsync("job-1", Ct)).Should().Equal(Histories("job-1", 4));

        // A later state clears what it no longer has (a retried task's node and times).
        var retried = t1 with { State = TaskState.Pending, Attempt = 3, NodeId = null, StartedAt = null, Error = null };
        var ended = changed with { Status = JobStatus.Success, Progress = 100, CompleteTime = T0.AddMinutes(5) };
        await Store.ProjectAsync([Projection(ended, [], [retried], [])], Ct);
        (await Store.GetJobAsync("job-1", Ct)).Should().Be(ended);
        (await Store.GetTasksAsync("job-1", Ct))[1].Should().Be(retried);
    }

    [Fact]
    public async Task Projecting_again_duplicates_no_history_and_a_re_projection_fills_the_gaps()
    {
        var job = Job("job-1");
        var projection = Projection(job, [Video("job-1", 0)], [NewTask("job-1", "t")], Histories("job-1", 2));
        await Store.ProjectAsync([projection], Ct);
        await Store.ProjectAsync([projection], Ct);

        (await Store.GetHistoryAsync("job-1", Ct)).Should().Equal(Histories("job-1", 2));
        (await Store.GetTasksAsync("job-1", Ct)).Should().ContainSingle();
        (await Store.GetVideosAsync("job-1", Ct)).Should().ContainSingle();

        // Only the newest lines (a batch with entry 2 was lost): stored with the gap.
        await Store.ProjectAsync([Projection(job, history: [History("job-1", 3, "e3"), History("job-1", 4, "e4")])], Ct);
        (await Store.GetHistoryAsync("job-1", Ct)).Select(h => h.Id).Should().Equal(0, 1, 3, 4);

        // The whole history again (after a crash): the gap is filled, stored lines are kept as they are.
        var full = Histories("job-1", 6).Select(h => h.Id == 1 ? h with { Event = "rewritten" } : h).ToList();
        await Store.ProjectAsync([Projection(job, history: full)], Ct);
        var history = await Store.GetHistoryAsync("job-1", Ct);
        history.Should().Equal(Histories("job-1", 6));
        history.Select(h => h.Id).Should().Equal(0, 1, 2, 3, 4, 5);
    }

    [Fact]
    public async Task One_batch_writes_several_jobs_and_the_later_projection_of_a_job_wins()
    {
        var a1 = Job("a") with { Status = JobStatus.Queuing };
        var a2 = a1 with { Status = JobStatus.Processing, Progress = 10 };
        var b = Job("b", T0.AddSeconds(1), JobKind.Batch);
        await Store.ProjectAsync(
        [
            Projection(a1, [Video("a", 0)], [NewTask("a", "a-t1")], Histories("a", 1)),
            Projection(b, [Video("b", 0), Video("b", 1)], [], Histories("b", 1)),
            Projection(a2, [Video("a", 0) with { Progress = 50 }], [NewTask("a", "a-t1", state: TaskState.Running), NewTask("a", "a-t2")], Histories("a", 2)),
        ], Ct);

        (await Store.GetJobAsync("a", Ct)).Should().Be(a2);
        (await Store.GetJobAsync("b", Ct)).Should().Be(b);
        (await Store.GetVideosAsync("a", Ct)).Single().Progress.Should().Be(50);
        (await Store.GetVideosAsync("b", Ct)).Should().HaveCount(2);
        (await Store.GetTasksAsync("a", Ct)).Select(t => (t.TaskId, t.State)).Should().Equal(("a-t1", TaskState.Running), ("a-t2", TaskState.Pending));
        (await Store.GetHistoryAsync("a", Ct)).Should().Equal(Histories("a", 2));
        await Store.ProjectAsync([], Ct); // an empty batch writes nothing
    }

    [Fact]
    public async Task A_batch_is_written_in_one_transaction()
    {
        // "a" is written first (job id order), then "b" breaks a NOT NULL column: nothing of the batch stays.
        var broken = Job("b") with { RequestJson = null! };
        await FluentActions.Awaiting(() => Store.ProjectAsync(
            [Projection(broken, [Video("b", 0)]), Projection(Job("a"), [Video("a", 0)], [NewTask("a", "t")], Histories("a", 2))], Ct))
            .Should().ThrowAsync<Exception>();

        (await Store.GetJobAsync("a", Ct)).Should().BeNull();
        (await Store.GetVideosAsync("a", Ct)).Should().BeEmpty();
        (await Store.GetTasksAsync("a", Ct)).Should().BeEmpty();
        (await Store.GetHistoryAsync("a", Ct)).Should().BeEmpty();

        // The store goes on working.
        await ProjectJob("a");
        (await Store.GetJobAsync("a", Ct)).Should().NotBeNull();
    }

    [Fact]
    public async Task Rows_of_another_job_in_a_projection_are_refused_before_anything_is_written()
    {
        var job = Job("a");
        await FluentActions.Awaiting(() => Store.ProjectAsync([Projection(Job("z")), Projection(job, [Video("other", 0)])], Ct))
            .Should().ThrowAsync<ArgumentException>().Where(e => e.ParamName == "batch");
        await FluentActions.Awaiting(() => Store.ProjectAsync([Projection(job, tasks: [NewTask("other", "t")])], Ct))
            .Should().ThrowAsync<ArgumentException>();
        await FluentActions.Awaiting(() => Store.ProjectAsync([Projection(job, history: [History("other", 0, "x")])], Ct))
            .Should().ThrowAsync<ArgumentException>();
        await FluentActions.Awaiting(() => Store.ProjectAsync([Projection(job, history: [History("a", -1, "x")])], Ct))
            .Should().ThrowAsync<ArgumentException>();

        (await Store.GetJobAsync("z", Ct)).Should().BeNull();
        (await Store.GetJobAsync("a", Ct)).Should().BeNull();
    }

    [Fact]
    public async Task Eight_concurrent_projections_of_the_same_jobs_all_succeed()
    {
        // Each writer projects the same five jobs in its own order, each time with more history: no
        // deadlock (rows are written in job id order), no lost or duplicate history line or task.
        var ids = Enumerable.Range(0, 5).Select(i => $"job-{i}").ToList();
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            await go.Task;
            for (var round = 1; round <= 4; round++)
            {
                var random = new Random(w * 31 + round);
                var order = ids.OrderBy(_ => random.Next()).ToList();
                await Store.ProjectAsync(order.Select(id => Projection(
                    Job(id) with { Progress = round }, [Video(id, 0), Video(id, 1)],
                    [NewTask(id, $"{id}-t0"), NewTask(id, $"{id}-t{w}")], Histories(id, round * 2))).ToList(), Ct);
            }
        }, Ct)).ToList();
        go.SetResult();
        await Task.WhenAll(writers);

        foreach (var id in ids)
        {
            (await Store.GetJobAsync(id, Ct))!.Progress.Should().BeInRange(1, 4, "some writer's projection");
            (await Store.GetHistoryAsync(id, Ct)).Should().Equal(Histories(id, 8));
            (await Store.GetVideosAsync(id, Ct)).Should().HaveCount(2);
            (await Store.GetTasksAsync(id, Ct)).Select(t => t.TaskId).Should().OnlyHaveUniqueItems().And.HaveCount(8);
        }
    }

    // ---- tasks ---------------------------------------------------------------------------------

    [Fact]
    public async Task Tasks_in_a_state_come_in_the_order_first_projected_and_keep_their_place()
    {
        await Store.ProjectAsync([Projection(Job("job-1"), [Video("job-1", 0)],
            [NewTask("job-1", "t-c"), NewTask("job-1", "t-a"), NewTask("job-1", "t-b", TaskKind.Assemble), NewTask("job-1", "t-r", state: TaskState.Running)])], Ct);
        await Store.ProjectAsync([Projection(Job("job-2"), [Video("job-2", 0)], [NewTask("job-2", "t-0")])], Ct);

        (await Store.GetTasksInStateAsync(TaskState.Pending, 1000, Ct)).Select(t => t.TaskId).Should().Equal("t-c", "t-a", "t-b", "t-0");
        (await Store.GetTasksInStateAsync(TaskState.Pending, 2, Ct)).Select(t => t.TaskId).Should().Equal("t-c", "t-a");
        (await Store.GetTasksInStateAsync(TaskState.Running, 1000, Ct)).Select(t => t.TaskId).Should().Equal("t-r");
        (await Store.GetTasksInStateAsync(TaskState.Failed, 1000, Ct)).Should().BeEmpty();

        // t-c runs and goes back to Pending: it keeps its place before t-a.
        await Store.ProjectAsync([Projection(Job("job-1"), tasks: [NewTask("job-1", "t-c", state: TaskState.Running)])], Ct);
        (await Store.GetTasksInStateAsync(TaskState.Running, 1000, Ct)).Select(t => t.TaskId).Should().Equal("t-c", "t-r");
        await Store.ProjectAsync([Projection(Job("job-1"), tasks: [NewTask("job-1", "t-c") with { Attempt = 2 }])], Ct);
        var pending = await Store.GetTasksInStateAsync(TaskState.Pending, 1000, Ct);
        pending.Select(t => t.TaskId).Should().Equal("t-c", "t-a", "t-b", "t-0");
        pending[0].Attempt.Should().Be(2);
        await FluentActions.Awaiting(() => Store.GetTasksInStateAsync(TaskState.Pending, 0, Ct)).Should().ThrowAsync<ArgumentOutOfRangeException>();
    }

    [Fact]
    public async Task Task_counts_are_grouped_by_kind_and_state()
    {
        (await Store.CountTasksAsync(Ct)).Should().BeEmpty();
        await Store.ProjectAsync(
        [
            Projection(Job("job-1"), [Video("job-1", 0)],
            [
                NewTask("job-1", "1"), NewTask("job-1", "2"), NewTask("job-1", "3", state: TaskState.Running),
                NewTask("job-1", "4", TaskKind.Tts), NewTask("job-1", "5", TaskKind.Matte, TaskState.Succeeded),
            ]),
            Projection(Job("job-2"), [Video("job-2", 0)], [NewTask("job-2", "6", TaskKind.Matte, TaskState.Succeeded), NewTask("job-2", "7", TaskKind.Analyse, TaskState.Failed)]),
        ], Ct);

        (await Store.CountTasksAsync(Ct)).Should().Equal(
            (TaskKind.EncodeSegment, TaskState.Pending, 2), (TaskKind.EncodeSegment, TaskState.Running, 1),
            (TaskKind.Tts, TaskState.Pending, 1), (TaskKind.Matte, TaskState.Succeeded, 2), (TaskKind.Analyse, TaskState.Failed, 1));

        // A task's new state moves it between counts.
        await Store.ProjectAsync([Projection(Job("job-1"), tasks: [NewTask("job-1", "3", state: TaskState.Succeeded)])], Ct);
        (await Store.CountTasksAsync(Ct)).Should().Contain((TaskKind.EncodeSegment, TaskState.Succeeded, 1))
            .And.NotContain(c => c.Kind == TaskKind.EncodeSegment && c.State == TaskState.Running);
    }

    [Fact]
    public async Task Job_counts_are_grouped_by_kind_and_status()
    {
        (await Store.CountJobsAsync(Ct)).Should().BeEmpty();
        await Store.ProjectAsync(
        [
            Projection(Job("a", status: JobStatus.Success)), Projection(Job("b", status: JobStatus.Success)),
            Projection(Job("c", kind: JobKind.Batch, status: JobStatus.Failed)), Projection(Job("d")),
        ], Ct);
        (await Store.CountJobsAsync(Ct)).Should().Equal(
            (JobKind.Single, JobStatus.Queuing, 1), (JobKind.Single, JobStatus.Success, 2), (JobKind.Batch, JobStatus.Failed, 1));
    }

    [Fact]
    public async Task Finished_tasks_come_in_the_order_they_finished_from_a_time_on()
    {
        TaskRecord Done(string id, int second) => NewTask("job-1", id, state: TaskState.Succeeded) with { StartedAt = T0, FinishedAt = T0.AddSeconds(second) };
        await Store.ProjectAsync([Projection(Job("job-1"), tasks: [Done("late", 9), Done("early", 2), Done("middle", 5), NewTask("job-1", "waiting")])], Ct);
        (await Store.GetTasksFinishedSinceAsync(T0, 10, Ct)).Select(t => t.TaskId).Should().Equal("early", "middle", "late");
        (await Store.GetTasksFinishedSinceAsync(T0.AddSeconds(5), 10, Ct)).Select(t => t.TaskId).Should().Equal("middle", "late");
        (await Store.GetTasksFinishedSinceAsync(T0, 1, Ct)).Select(t => t.TaskId).Should().Equal("early");
    }

    [Fact]
    public async Task Jobs_are_found_by_id_or_a_part_of_their_user_data()
    {
        await Store.ProjectAsync(
        [
            Projection(Job("job-1") with { UserData = """{"Name":"Spring Trailer"}""" }),
            Projection(Job("job-2") with { UserData = "100% off_sale" }),
            Projection(Job("job-3") with { UserData = null }),
        ], Ct);
        async Task<IEnumerable<string>> Find(string text) => (await Store.ListJobsAsync(new JobQuery(Text: text, MaxResults: 10), Ct)).Jobs.Select(j => j.JobId);
        (await Find("spring trailer")).Should().Equal("job-1");
        (await Find("job-3")).Should().Equal("job-3");
        (await Find("0% off_")).Should().Equal("job-2");
        (await Find("%")).Should().Equal(["job-2"], "% and _ are literal characters, not patterns");
        (await Find("job")).Should().BeEmpty("an id matches whole, user data in part");
    }

    [Fact]
    public async Task A_running_jobs_progress_only_rises_and_only_while_it_is_processing()
    {
        var running = Job("job-run", status: JobStatus.Processing);
        await Store.ProjectAsync([Projection(running, [Video("job-run", 0) with { Status = JobStatus.Processing }])], Ct);
        await Store.ProjectAsync([Projection(Job("job-wait"), [Video("job-wait", 0)])], Ct);
        async Task<(double Job, double Video)> Progress(string id) =>
            ((await Store.GetJobAsync(id, Ct))!.Progress, (await Store.GetVideosAsync(id, Ct)).Single().Progress);

        await Store.RaiseProgressAsync("job-run", 40, Ct);
        (await Progress("job-run")).Should().Be((40, 40));
        await Store.RaiseProgressAsync("job-run", 25, Ct);
        (await Progress("job-run")).Should().Be((40, 40), "a late, lower report does not move it back");
        await Store.RaiseProgressAsync("job-run", 100, Ct);
        (await Progress("job-run")).Should().Be((99, 99), "100 is the projection's to write, on success");
        await Store.RaiseProgressAsync("job-wait", 50, Ct);
        (await Progress("job-wait")).Should().Be((0, 0), "a job that is not running keeps its projected progress");

        await Store.ProjectAsync([Projection(running with { Status = JobStatus.Success, Progress = 100 },
            [Video("job-run", 0) with { Status = JobStatus.Success, Progress = 100 }])], Ct);
        await Store.RaiseProgressAsync("job-run", 60, Ct);
        (await Progress("job-run")).Should().Be((100, 100), "a finished job is not touched");
    }

    // ---- listing -------------------------------------------------------------------------------

    [Fact]
    public async Task Jobs_page_newest_first_without_duplicates_or_gaps()
    {
        // 25 jobs; three pairs share a create time so the keyset has ties to break.
        var all = new List<JobRecord>();
        for (var i = 0; i < 25; i++)
            all.Add(await ProjectJob($"job-{i:D2}", T0.AddSeconds(i / 2 * 2 + (i % 2 == 1 && i > 6 ? 1 : 0))));
        var expected = all.OrderByDescending(j => j.CreateTime).ThenByDescending(j => j.JobId, StringComparer.Ordinal).Select(j => j.JobId).ToList();

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await Store.ListJobsAsync(new JobQuery(MaxResults: 10, NextToken: token), Ct);
            pages++;
            page.Jobs.Count.Should().Be(pages < 3 ? 10 : 5);
            seen.AddRange(page.Jobs.Select(j => j.JobId));
            token = page.NextToken;
            (token is null).Should().Be(pages == 3);
            // A job projected again (new status) between pages neither repeats nor shifts a page.
            if (pages == 1) await Store.ProjectAsync([Projection(all[3] with { Status = JobStatus.Processing })], Ct);
        } while (token is not null && pages < 10);

        pages.Should().Be(3);
        seen.Should().Equal(expected);

        // Exactly a page's worth: no next token.
        (await Store.ListJobsAsync(new JobQuery(MaxResults: 25), Ct)).NextToken.Should().BeNull();
        await FluentActions.Awaiting(() => Store.ListJobsAsync(new JobQuery(MaxResults: 0), Ct)).Should().ThrowAsync<ArgumentOutOfRangeException>();
        await FluentActions.Awaiting(() => Store.ListJobsAsync(new JobQuery(MaxResults: 101), Ct)).Should().ThrowAsync<ArgumentOutOfRangeException>();
        foreach (var bad in new[] { "%%%", "bm90LWEtdG9rZW4", "Og" })
            (await FluentActions.Awaiting(() => Store.ListJobsAsync(new JobQuery(NextToken: bad), Ct)).Should().ThrowAsync<ArgumentException>())
                .Which.ParamName.Should().Be("token", bad);
    }

    [Fact]
    public async Task Jobs_filter_by_kind_status_and_create_time()
    {
        await ProjectJob("s1", T0.AddMinutes(1), JobKind.Single, JobStatus.Queuing);
        await ProjectJob("s2", T0.AddMinutes(2), JobKind.Single, JobStatus.Success);
        await ProjectJob("b1", T0.AddMinutes(3), JobKind.Batch, JobStatus.Queuing, videos: 3);
        await ProjectJob("b2", T0.AddMinutes(4), JobKind.Batch, JobStatus.Failed);
        await ProjectJob("s3", T0.AddMinutes(5), JobKind.Single, JobStatus.Queuing);
        await ProjectJob("m1", T0.AddMinutes(6), JobKind.MediaAnalysis, JobStatus.Processing);

        async Task<List<string>> Ids(JobQuery q) => (await Store.ListJobsAsync(q, Ct)).Jobs.Select(j => j.JobId).ToList();

        (await Ids(new JobQuery())).Should().Equal("m1", "s3", "b2", "b1", "s2", "s1");
        (await Ids(new JobQuery(Kind: JobKind.Batch))).Should().Equal("b2", "b1");
        (await Ids(new JobQuery(Kind: JobKind.MediaAnalysis))).Should().Equal("m1");
        (await Ids(new JobQuery(Status: JobStatus.Queuing))).Should().Equal("s3", "b1", "s1");
        (await Ids(new JobQuery(Kind: JobKind.Single, Status: JobStatus.Queuing))).Should().Equal("s3", "s1");
        (await Ids(new JobQuery(StartTime: T0.AddMinutes(2), EndTime: T0.AddMinutes(4)))).Should().Equal("b2", "b1", "s2");
        (await Ids(new JobQuery(StartTime: T0.AddMinutes(4)))).Should().Equal("m1", "s3", "b2");
        (await Ids(new JobQuery(EndTime: T0.AddMinutes(1)))).Should().Equal("s1");
        (await Ids(new JobQuery(Kind: JobKind.Single, StartTime: T0.AddMinutes(2), MaxResults: 1))).Should().Equal("s3");
        (await Store.GetVideosAsync("b1", Ct)).Select(v => v.Index).Should().Equal(0, 1, 2);

        // Filtered pages: the token goes on within the filter.
        var first = await Store.ListJobsAsync(new JobQuery(Status: JobStatus.Queuing, MaxResults: 2), Ct);
        first.Jobs.Select(j => j.JobId).Should().Equal("s3", "b1");
        var second = await Store.ListJobsAsync(new JobQuery(Status: JobStatus.Queuing, MaxResults: 2, NextToken: first.NextToken), Ct);
        second.Jobs.Select(j => j.JobId).Should().Equal("s1");
        second.NextToken.Should().BeNull();

        // A projected status change moves a job between filters.
        await Store.ProjectAsync([Projection(Job("s1", T0.AddMinutes(1)) with { Status = JobStatus.Cancelled })], Ct);
        (await Ids(new JobQuery(Status: JobStatus.Queuing))).Should().Equal("s3", "b1");
        (await Ids(new JobQuery(Status: JobStatus.Cancelled))).Should().Equal("s1");
    }

    // ---- nodes ---------------------------------------------------------------------------------

    [Fact]
    public async Task A_node_report_inserts_or_replaces_its_whole_row()
    {
        (await Store.GetNodesAsync(Ct)).Should().BeEmpty();
        await Store.UpsertNodeAsync(Node("n2"), Ct);
        await Store.UpsertNodeAsync(Node("n1"), Ct);
        (await Store.GetNodesAsync(Ct)).Should().BeEquivalentTo(new[] { Node("n1"), Node("n2") }, o => o.WithStrictOrdering());

        var report = Node("n1", NodeState.Draining, ["matte: CUDA out of memory"]) with
        {
            Roles = ["worker"], Slots = new Dictionary<string, int> { ["matte"] = 1 }, StartedAt = T0.AddMinutes(1),
            LastSeen = T0.AddMinutes(2), RunningTasks = 5, Device = "cuda:0", Address = "akka.tcp://renderfarm@10.0.0.7:4053",
        };
        await Store.UpsertNodeAsync(report, Ct);
        var nodes = await Store.GetNodesAsync(Ct);
        nodes.Should().HaveCount(2);
        nodes[0].Should().BeEquivalentTo(report);
        nodes[1].Should().BeEquivalentTo(Node("n2"));

        // Plain replacement: the next report's state and (empty) disabled kinds are taken as they are.
        await Store.UpsertNodeAsync(Node("n1") with { LastSeen = T0.AddMinutes(3) }, Ct);
        (await Store.GetNodesAsync(Ct))[0].Should().BeEquivalentTo(Node("n1") with { LastSeen = T0.AddMinutes(3) });
    }

    // ---- persistence ---------------------------------------------------------------------------

    [Fact]
    public async Task A_new_store_on_the_same_database_sees_everything()
    {
        await Store.ProjectAsync([Projection(Job("job-1"), [Video("job-1", 0), Video("job-1", 1)],
            [NewTask("job-1", "t1"), NewTask("job-1", "t2")], Histories("job-1", 3))], Ct);
        await Store.UpsertNodeAsync(Node("n1"), Ct);
        await Store.DisposeAsync();

        var again = await OpenAsync(); // InitializeAsync again: idempotent
        (await again.GetJobAsync("job-1", Ct)).Should().Be(Job("job-1"));
        (await again.GetVideosAsync("job-1", Ct)).Should().HaveCount(2);
        (await again.GetTasksAsync("job-1", Ct)).Select(t => t.TaskId).Should().Equal("t1", "t2");
        (await again.GetHistoryAsync("job-1", Ct)).Should().Equal(Histories("job-1", 3));
        (await again.GetNodesAsync(Ct)).Should().ContainSingle().Which.Address.Should().Be(Node("n1").Address);

        // New tasks keep following the old ones; the history goes on at its next place.
        await again.ProjectAsync([Projection(Job("job-1"), tasks: [NewTask("job-1", "t0"), NewTask("job-1", "t1")], history: Histories("job-1", 4))], Ct);
        (await again.GetTasksInStateAsync(TaskState.Pending, 10, Ct)).Select(t => t.TaskId).Should().Equal("t1", "t2", "t0");
        (await again.GetHistoryAsync("job-1", Ct)).Should().Equal(Histories("job-1", 4));
    }

    [Fact]
    public async Task Initialize_is_idempotent_and_safe_when_run_concurrently()
    {
        var stores = Enumerable.Range(0, 4).Select(_ => OpenStore()).ToList();
        foreach (var s in stores) _opened.Add(s);
        await Task.WhenAll(stores.Select(s => Task.Run(() => s.InitializeAsync(Ct), Ct)));
        await Store.InitializeAsync(Ct);
        await ProjectJob("job-1");
        (await stores[3].GetJobAsync("job-1", Ct)).Should().NotBeNull();
    }

    [Fact]
    public async Task The_same_client_token_may_appear_on_several_jobs()
    {
        // Ids are derived from tokens by the job entities; the read model only keeps the token.
        await Store.ProjectAsync([Projection(Job("a", token: "same")), Projection(Job("b", token: "same"))], Ct);
        (await Store.GetJobAsync("a", Ct))!.ClientToken.Should().Be("same");
        (await Store.GetJobAsync("b", Ct))!.ClientToken.Should().Be("same");
    }

    [Fact]
    public async Task A_database_with_the_former_job_store_tables_is_refused()
    {
        // The former store's jobs table (with its version column) in a database of its own.
        var legacy = await LegacyStoreAsync();
        await FluentActions.Awaiting(() => legacy.InitializeAsync(Ct))
            .Should().ThrowAsync<InvalidOperationException>().WithMessage("*former SQL job store*");
    }

    /// <summary>A store (not initialized) on a fresh database holding a table jobs with a version column.</summary>
    protected abstract Task<ReadModelStore> LegacyStoreAsync();

    /// <summary>Remembers a store opened by a test so it is disposed with the test.</summary>
    protected ReadModelStore Track(ReadModelStore store)
    {
        _opened.Add(store);
        return store;
    }
}
