using FluentAssertions;
using RenderFarm.Cluster.Model;
using RenderFarm.Cluster.Store;
using Xunit;

namespace RenderFarm.Cluster.Tests.Store;

/// <summary>
/// The <see cref="IJobStore"/> contract, run against every store (one subclass per database). Each
/// test gets an empty, initialized store.
/// </summary>
public abstract class JobStoreContractTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_750_000_000_000);
    private readonly List<SqlJobStore> _opened = [];

    protected SqlJobStore Store { get; private set; } = null!;

    /// <summary>A store on this test's database; called again for re-open tests (same database, new store).</summary>
    protected abstract SqlJobStore OpenStore();

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

    protected async Task<SqlJobStore> OpenAsync()
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
            created ?? T0, created ?? T0, null, 0);

    protected static VideoRecord Video(string jobId, int index) =>
        new($"{jobId}-v{index}", jobId, index, """{"OutputMediaConfig":{}}""", $"/out/{jobId}/{index}.mp4",
            JobStatus.Init, 0, 1500 + index, 3, null, null, null, 0);

    protected static TaskRecord NewTask(string jobId, string taskId, TaskKind kind = TaskKind.EncodeSegment,
        TaskState state = TaskState.Pending, DateTimeOffset? dispatchedAt = null) =>
        new(taskId, jobId, $"{jobId}-v0", kind, """{"segment":1}""", "sha256:" + taskId, state, 0, null, null,
            dispatchedAt, null, null, null, false, 0);

    protected static HistoryEntry History(string jobId, string evt, string? taskId = null) =>
        new(0, jobId, null, taskId, T0, evt, "detail of " + evt, "node-1");

    protected static NodeRecord Node(string id, NodeState state = NodeState.Active, IReadOnlyList<string>? disabled = null) =>
        new(id, ["worker", "encoder"], new Dictionary<string, int> { ["encode-segment"] = 4, ["tts"] = 1 }, state,
            T0, T0.AddSeconds(5), disabled ?? [], 2, "cpu");

    protected async Task<JobRecord> InsertJob(string id, DateTimeOffset? created = null, JobKind kind = JobKind.Single,
        JobStatus status = JobStatus.Queuing, int videos = 1)
    {
        var job = Job(id, created, kind, status);
        (await Store.InsertJobAsync(job, Enumerable.Range(0, videos).Select(i => Video(id, i)).ToList(), History(id, "Submitted"), Ct))
            .Should().BeTrue();
        return job;
    }

    // ---- jobs ----------------------------------------------------------------------------------

    [Fact]
    public async Task Inserted_job_reads_back_with_its_videos_and_history()
    {
        var job = Job("job-1", token: "tok-1") with
        {
            Progress = 0.25, Code = "c", Message = "m", CompleteTime = T0.AddMinutes(3), ModifiedTime = T0.AddSeconds(1),
        };
        var videos = new[] { Video("job-1", 0), Video("job-1", 1) with { DurationSeconds = 12.5, Code = "x" } };

        (await Store.InsertJobAsync(job, videos, History("job-1", "Submitted"), Ct)).Should().BeTrue();

        (await Store.GetJobAsync("job-1", Ct)).Should().Be(job);
        (await Store.GetJobAsync("nope", Ct)).Should().BeNull();
        (await Store.FindJobByClientTokenAsync("tok-1", Ct)).Should().Be(job);
        (await Store.FindJobByClientTokenAsync("other", Ct)).Should().BeNull();
        (await Store.GetVideosAsync("job-1", Ct)).Should().Equal(videos);
        var history = await Store.GetHistoryAsync("job-1", Ct);
        history.Should().ContainSingle();
        history[0].Should().BeEquivalentTo(History("job-1", "Submitted"), o => o.Excluding(h => h.Id));
        history[0].Id.Should().BePositive();
        (await Store.ActiveJobIdsAsync(Ct)).Should().Equal("job-1");
    }

    [Fact]
    public async Task A_used_client_token_is_refused_and_nothing_of_the_second_job_is_written()
    {
        (await Store.InsertJobAsync(Job("a", token: "same"), [Video("a", 0)], History("a", "Submitted"), Ct)).Should().BeTrue();
        (await Store.InsertJobAsync(Job("b", token: "same"), [Video("b", 0)], History("b", "Submitted"), Ct)).Should().BeFalse();

        (await Store.GetJobAsync("b", Ct)).Should().BeNull();
        (await Store.GetVideosAsync("b", Ct)).Should().BeEmpty();
        (await Store.GetHistoryAsync("b", Ct)).Should().BeEmpty();
        (await Store.FindJobByClientTokenAsync("same", Ct))!.JobId.Should().Be("a");

        // No token: any number of jobs.
        (await Store.InsertJobAsync(Job("c"), [], History("c", "Submitted"), Ct)).Should().BeTrue();
        (await Store.InsertJobAsync(Job("d"), [], History("d", "Submitted"), Ct)).Should().BeTrue();
    }

    [Fact]
    public async Task Two_updates_from_the_same_read_first_wins_and_the_version_increments()
    {
        await InsertJob("job-1");
        var read = (await Store.GetJobAsync("job-1", Ct))!;

        (await Store.UpdateJobAsync(read with { Status = JobStatus.Processing, Progress = 0.5 }, null, Ct)).Should().BeTrue();
        (await Store.UpdateJobAsync(read with { Status = JobStatus.Cancelled }, null, Ct)).Should().BeFalse();

        var stored = (await Store.GetJobAsync("job-1", Ct))!;
        stored.Version.Should().Be(read.Version + 1);
        stored.Status.Should().Be(JobStatus.Processing);
        stored.Progress.Should().Be(0.5);

        // The caller's next update names Version + 1.
        (await Store.UpdateJobAsync(stored with { Status = JobStatus.Success, CompleteTime = T0.AddHours(1) }, null, Ct)).Should().BeTrue();
        (await Store.GetJobAsync("job-1", Ct))!.Version.Should().Be(read.Version + 2);
        (await Store.ActiveJobIdsAsync(Ct)).Should().BeEmpty();

        (await Store.UpdateJobAsync(Job("missing"), null, Ct)).Should().BeFalse();
    }

    [Fact]
    public async Task History_is_written_with_a_successful_update_only()
    {
        await InsertJob("job-1");
        var job = (await Store.GetJobAsync("job-1", Ct))!;
        var video = (await Store.GetVideosAsync("job-1", Ct))[0];

        (await Store.UpdateJobAsync(job with { Status = JobStatus.Processing }, History("job-1", "Processing"), Ct)).Should().BeTrue();
        (await Store.UpdateJobAsync(job with { Status = JobStatus.Failed }, History("job-1", "Failed"), Ct)).Should().BeFalse();
        (await Store.UpdateVideoAsync(video with { Status = JobStatus.Processing, Progress = 0.3 }, History("job-1", "VideoProcessing"), Ct)).Should().BeTrue();
        (await Store.UpdateVideoAsync(video with { Status = JobStatus.Failed }, History("job-1", "VideoFailed"), Ct)).Should().BeFalse();
        await Store.AppendHistoryAsync(History("job-1", "Note"), Ct);

        var history = await Store.GetHistoryAsync("job-1", Ct);
        history.Select(h => h.Event).Should().Equal("Submitted", "Processing", "VideoProcessing", "Note");
        history.Select(h => h.Id).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        var storedVideo = (await Store.GetVideosAsync("job-1", Ct))[0];
        storedVideo.Should().Be(video with { Status = JobStatus.Processing, Progress = 0.3, Version = video.Version + 1 });
    }

    // ---- tasks ---------------------------------------------------------------------------------

    [Fact]
    public async Task Tasks_insert_read_update_and_list_by_state_oldest_first()
    {
        await InsertJob("job-1");
        var tasks = new[]
        {
            NewTask("job-1", "t-c"), NewTask("job-1", "t-a"), NewTask("job-1", "t-b", TaskKind.Assemble),
            NewTask("job-1", "t-d", state: TaskState.Dispatched, dispatchedAt: T0.AddSeconds(20)),
            NewTask("job-1", "t-e", state: TaskState.Dispatched, dispatchedAt: T0.AddSeconds(10)),
            NewTask("job-1", "t-f", state: TaskState.Dispatched, dispatchedAt: T0.AddSeconds(10)),
        };
        await Store.InsertTasksAsync(tasks, History("job-1", "Planned"), Ct);

        (await Store.GetTaskAsync("t-a", Ct)).Should().Be(tasks[1]);
        (await Store.GetTaskAsync("zzz", Ct)).Should().BeNull();
        (await Store.GetTasksAsync("job-1", Ct)).Should().Equal(tasks);
        (await Store.GetHistoryAsync("job-1", Ct)).Select(h => h.Event).Should().Equal("Submitted", "Planned");

        // Pending: insertion order (not id order); Dispatched: by DispatchedAt, ties by insertion.
        (await Store.GetTasksInStateAsync(TaskState.Pending, 1000, Ct)).Select(t => t.TaskId).Should().Equal("t-c", "t-a", "t-b");
        (await Store.GetTasksInStateAsync(TaskState.Pending, 2, Ct)).Select(t => t.TaskId).Should().Equal("t-c", "t-a");
        (await Store.GetTasksInStateAsync(TaskState.Dispatched, 1000, Ct)).Select(t => t.TaskId).Should().Equal("t-e", "t-f", "t-d");

        var running = tasks[1] with
        {
            State = TaskState.Running, Attempt = 1, NodeId = "node-7", DispatchedAt = T0.AddSeconds(1), StartedAt = T0.AddSeconds(2),
            LeaseExpires = T0.AddSeconds(32), Error = "e", Reused = true,
        };
        (await Store.UpdateTaskAsync(running, History("job-1", "Running", "t-a"), Ct)).Should().BeTrue();
        (await Store.UpdateTaskAsync(running, History("job-1", "Again", "t-a"), Ct)).Should().BeFalse();
        (await Store.GetTaskAsync("t-a", Ct)).Should().Be(running with { Version = 1 });
        (await Store.GetTasksInStateAsync(TaskState.Running, 1000, Ct)).Select(t => t.TaskId).Should().Equal("t-a");
        (await Store.GetTasksInStateAsync(TaskState.Pending, 1000, Ct)).Select(t => t.TaskId).Should().Equal("t-c", "t-b");
        var history = await Store.GetHistoryAsync("job-1", Ct);
        history.Select(h => h.Event).Should().Equal("Submitted", "Planned", "Running");
        history[^1].TaskId.Should().Be("t-a");
    }

    [Fact]
    public async Task Task_counts_are_grouped_by_kind_and_state()
    {
        await InsertJob("job-1");
        await Store.InsertTasksAsync(
        [
            NewTask("job-1", "1"), NewTask("job-1", "2"), NewTask("job-1", "3", state: TaskState.Running),
            NewTask("job-1", "4", TaskKind.Tts), NewTask("job-1", "5", TaskKind.Matte, TaskState.Dispatched),
            NewTask("job-1", "6", TaskKind.Matte, TaskState.Dispatched),
        ], null, Ct);

        var counts = await Store.CountTasksAsync(Ct);
        counts.Should().BeEquivalentTo(new (TaskKind, TaskState, int)[]
        {
            (TaskKind.EncodeSegment, TaskState.Pending, 2), (TaskKind.EncodeSegment, TaskState.Running, 1),
            (TaskKind.Tts, TaskState.Pending, 1), (TaskKind.Matte, TaskState.Dispatched, 2),
        });
    }

    [Fact]
    public async Task Eight_concurrent_updates_of_one_task_have_exactly_one_winner_per_version()
    {
        await InsertJob("job-1");
        await Store.InsertTasksAsync([NewTask("job-1", "t")], null, Ct);

        // Rounds: all eight update from the same read; one wins, the stored row is the winner's.
        for (var round = 0; round < 4; round++)
        {
            var read = (await Store.GetTaskAsync("t", Ct))!;
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var racers = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
            {
                await go.Task;
                return (Node: $"node-{i}", Won: await Store.UpdateTaskAsync(read with { NodeId = $"node-{i}", Attempt = read.Attempt + 1 }, null, Ct));
            }, Ct)).ToList();
            go.SetResult();
            var results = await Task.WhenAll(racers);
            results.Count(r => r.Won).Should().Be(1, $"round {round}");
            var stored = (await Store.GetTaskAsync("t", Ct))!;
            stored.Version.Should().Be(read.Version + 1);
            stored.NodeId.Should().Be(results.Single(r => r.Won).Node);
        }

        // Read-modify-write loops: no update is lost.
        var wins = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            var won = 0;
            while (won < 3)
            {
                var t = (await Store.GetTaskAsync("t", Ct))!;
                if (await Store.UpdateTaskAsync(t with { Attempt = t.Attempt + 1 }, null, Ct)) won++;
            }
            return won;
        }, Ct)));
        var final = (await Store.GetTaskAsync("t", Ct))!;
        wins.Sum().Should().Be(24);
        final.Attempt.Should().Be(4 + 24);
        final.Version.Should().Be(4 + 24);
    }

    // ---- listing -------------------------------------------------------------------------------

    [Fact]
    public async Task Jobs_page_newest_first_without_duplicates_or_gaps()
    {
        // 25 jobs; three pairs share a create time so the keyset has ties to break.
        var all = new List<JobRecord>();
        for (var i = 0; i < 25; i++)
            all.Add(await InsertJob($"job-{i:D2}", T0.AddSeconds(i / 2 * 2 + (i % 2 == 1 && i > 6 ? 1 : 0))));
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
        } while (token is not null && pages < 10);

        pages.Should().Be(3);
        seen.Should().Equal(expected);

        // Exactly a page's worth: no next token.
        (await Store.ListJobsAsync(new JobQuery(MaxResults: 25), Ct)).NextToken.Should().BeNull();
        await FluentActions.Awaiting(() => Store.ListJobsAsync(new JobQuery(MaxResults: 0), Ct)).Should().ThrowAsync<ArgumentOutOfRangeException>();
        await FluentActions.Awaiting(() => Store.ListJobsAsync(new JobQuery(MaxResults: 101), Ct)).Should().ThrowAsync<ArgumentOutOfRangeException>();
        await FluentActions.Awaiting(() => Store.ListJobsAsync(new JobQuery(NextToken: "%%%"), Ct)).Should().ThrowAsync<ArgumentException>();
    }

    [Fact]
    public async Task Jobs_filter_by_kind_status_and_create_time()
    {
        await InsertJob("s1", T0.AddMinutes(1), JobKind.Single, JobStatus.Queuing);
        await InsertJob("s2", T0.AddMinutes(2), JobKind.Single, JobStatus.Success);
        await InsertJob("b1", T0.AddMinutes(3), JobKind.Batch, JobStatus.Queuing, videos: 3);
        await InsertJob("b2", T0.AddMinutes(4), JobKind.Batch, JobStatus.Failed);
        await InsertJob("s3", T0.AddMinutes(5), JobKind.Single, JobStatus.Queuing);

        async Task<List<string>> Ids(JobQuery q) => (await Store.ListJobsAsync(q, Ct)).Jobs.Select(j => j.JobId).ToList();

        (await Ids(new JobQuery())).Should().Equal("s3", "b2", "b1", "s2", "s1");
        (await Ids(new JobQuery(Kind: JobKind.Batch))).Should().Equal("b2", "b1");
        (await Ids(new JobQuery(Status: JobStatus.Queuing))).Should().Equal("s3", "b1", "s1");
        (await Ids(new JobQuery(Kind: JobKind.Single, Status: JobStatus.Queuing))).Should().Equal("s3", "s1");
        (await Ids(new JobQuery(StartTime: T0.AddMinutes(2), EndTime: T0.AddMinutes(4)))).Should().Equal("b2", "b1", "s2");
        (await Ids(new JobQuery(StartTime: T0.AddMinutes(4)))).Should().Equal("s3", "b2");
        (await Ids(new JobQuery(EndTime: T0.AddMinutes(1)))).Should().Equal("s1");
        (await Ids(new JobQuery(Kind: JobKind.Single, StartTime: T0.AddMinutes(2), MaxResults: 1))).Should().Equal("s3");
        (await Store.ActiveJobIdsAsync(Ct)).Should().Equal("s1", "b1", "s3");
        (await Store.GetVideosAsync("b1", Ct)).Select(v => v.Index).Should().Equal(0, 1, 2);
    }

    // ---- nodes ---------------------------------------------------------------------------------

    [Fact]
    public async Task A_node_reporting_itself_does_not_undo_a_drain()
    {
        await Store.UpsertNodeAsync(Node("n1"), Ct);
        await Store.UpsertNodeAsync(Node("n2"), Ct);
        (await Store.GetNodesAsync(Ct)).Should().BeEquivalentTo(new[] { Node("n1"), Node("n2") }, o => o.WithStrictOrdering());

        (await Store.SetNodeStateAsync("n1", NodeState.Draining, Ct)).Should().BeTrue();
        (await Store.SetNodeStateAsync("ghost", NodeState.Draining, Ct)).Should().BeFalse();
        var report = Node("n1") with { LastSeen = T0.AddMinutes(1), RunningTasks = 5, Device = "cuda:0" };
        await Store.UpsertNodeAsync(report, Ct);

        var n1 = (await Store.GetNodesAsync(Ct)).Single(n => n.NodeId == "n1");
        n1.Should().BeEquivalentTo(report with { State = NodeState.Draining });

        // A node leaving moves Draining to Left; Left then stays, even when it comes back Active.
        await Store.UpsertNodeAsync(report with { State = NodeState.Left }, Ct);
        (await Store.GetNodesAsync(Ct)).Single(n => n.NodeId == "n1").State.Should().Be(NodeState.Left);
        await Store.UpsertNodeAsync(report, Ct);
        (await Store.GetNodesAsync(Ct)).Single(n => n.NodeId == "n1").State.Should().Be(NodeState.Left);

        // The operator re-activates; from Active a report's state is taken.
        (await Store.SetNodeStateAsync("n1", NodeState.Active, Ct)).Should().BeTrue();
        await Store.UpsertNodeAsync(report with { State = NodeState.Draining }, Ct);
        (await Store.GetNodesAsync(Ct)).Single(n => n.NodeId == "n1").State.Should().Be(NodeState.Draining);
        (await Store.GetNodesAsync(Ct)).Single(n => n.NodeId == "n2").State.Should().Be(NodeState.Active);
    }

    [Fact]
    public async Task Disabled_kinds_survive_a_report_with_none_and_are_replaced_by_a_report_with_some()
    {
        await Store.UpsertNodeAsync(Node("n1"), Ct);
        (await Store.SetNodeDisabledKindsAsync("n1", ["matte", "embed"], Ct)).Should().BeTrue();
        (await Store.SetNodeDisabledKindsAsync("ghost", ["matte"], Ct)).Should().BeFalse();

        await Store.UpsertNodeAsync(Node("n1") with { RunningTasks = 9 }, Ct);
        var n1 = (await Store.GetNodesAsync(Ct)).Single();
        n1.DisabledKinds.Should().Equal("matte", "embed");
        n1.RunningTasks.Should().Be(9);

        await Store.UpsertNodeAsync(Node("n1", disabled: ["tts"]), Ct);
        (await Store.GetNodesAsync(Ct)).Single().DisabledKinds.Should().Equal("tts");

        (await Store.SetNodeDisabledKindsAsync("n1", [], Ct)).Should().BeTrue();
        (await Store.GetNodesAsync(Ct)).Single().DisabledKinds.Should().BeEmpty();
    }

    // ---- persistence ---------------------------------------------------------------------------

    [Fact]
    public async Task A_new_store_on_the_same_database_sees_everything()
    {
        await InsertJob("job-1", videos: 2);
        await Store.InsertTasksAsync([NewTask("job-1", "t1"), NewTask("job-1", "t2")], History("job-1", "Planned"), Ct);
        await Store.UpsertNodeAsync(Node("n1"), Ct);
        var job = (await Store.GetJobAsync("job-1", Ct))!;
        (await Store.UpdateJobAsync(job with { Status = JobStatus.Processing }, History("job-1", "Processing"), Ct)).Should().BeTrue();
        await Store.DisposeAsync();

        var again = await OpenAsync(); // InitializeAsync again: idempotent
        (await again.GetJobAsync("job-1", Ct)).Should().Be(job with { Status = JobStatus.Processing, Version = 1 });
        (await again.GetVideosAsync("job-1", Ct)).Should().HaveCount(2);
        (await again.GetTasksAsync("job-1", Ct)).Select(t => t.TaskId).Should().Equal("t1", "t2");
        (await again.GetHistoryAsync("job-1", Ct)).Select(h => h.Event).Should().Equal("Submitted", "Planned", "Processing");
        (await again.GetNodesAsync(Ct)).Should().ContainSingle();

        // New tasks keep following the old ones in insertion order.
        await again.InsertTasksAsync([NewTask("job-1", "t0")], null, Ct);
        (await again.GetTasksInStateAsync(TaskState.Pending, 10, Ct)).Select(t => t.TaskId).Should().Equal("t1", "t2", "t0");
    }

    [Fact]
    public async Task Initialize_is_idempotent_and_safe_when_run_concurrently()
    {
        var stores = Enumerable.Range(0, 4).Select(_ => OpenStore()).ToList();
        foreach (var s in stores) _opened.Add(s);
        await Task.WhenAll(stores.Select(s => Task.Run(() => s.InitializeAsync(Ct), Ct)));
        await Store.InitializeAsync(Ct);
        await InsertJob("job-1");
        (await stores[3].GetJobAsync("job-1", Ct)).Should().NotBeNull();
    }
}
