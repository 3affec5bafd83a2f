using System.Text.Json;
using FluentAssertions;
using RenderFarm.TestSupport;
using RenderFarm.TestSupport.Farm;
using Xunit;

namespace RenderFarm.IntegrationTests;

/// <summary>
/// A real farm: an Akka cluster of a gateway and worker processes on loopback, journal and read model
/// in PostgreSQL from Debian's packages. Workers die by kill -9 or freeze (SIGSTOP), the database
/// restarts, the node hosting the job entities dies and comes back.
/// </summary>
public sealed class ClusterTests(Database database) : IClassFixture<Database>, IDisposable
{
    private readonly FarmTestBed _bed = new();
    private readonly List<FarmNodeProcess> _nodes = [];
    private string[] _members = [];
    private string _database = "";

    public void Dispose()
    {
        foreach (var node in _nodes) node.Dispose();
        _bed.Dispose();
    }

    /// <summary>A farm of these nodes (they list each other as seeds) in a database of its own.</summary>
    private void Farm(string name, params string[] members)
    {
        _database = database.Postgres.CreateDatabase(name);
        _members = members;
    }

    private async Task<FarmNodeProcess> Start(string name, string roles, params string[] extra) =>
        await Start(name, roles, _bed.Environment(name, _database, _members), extra);

    private async Task<FarmNodeProcess> Start(string name, string roles, Dictionary<string, string> env, params string[] extra)
    {
        var node = await FarmNodeProcess.StartAsync(name, roles, env, extra);
        _nodes.Add(node);
        return node;
    }

    private string Logs() => string.Join("\n", _nodes.Select(n => $"--- {n.Name} ---\n{n.Log}"));

    [Fact]
    public async Task A_worker_killed_mid_render_loses_nothing_and_no_finished_segment_is_rendered_twice()
    {
        Farm("killworker", "gateway", "worker-a", "worker-b");
        var gateway = await Start("gateway", "gateway");
        var doomed = await Start("worker-a", "cpu", "--slots", "encode-segment=1,assemble=1");
        await Start("worker-b", "cpu", "--slots", "encode-segment=1,assemble=1");
        var timelines = Enumerable.Range(0, 3).Select(i => _bed.Timeline(i)).ToList();
        using var api = new FarmApi(gateway.Url, FarmTestBed.Token);

        var jobId = await api.SubmitBatchAsync(_bed.Batch(timelines));
        await api.WaitForAsync(jobId, job => FarmTestBed.Tasks(job).Any(t =>
            t.GetProperty("NodeId").GetString() == "worker-a" && t.GetProperty("State").GetString() == "Running"), TimeSpan.FromSeconds(90));
        doomed.Kill();
        var done = await api.WaitAsync(jobId, TimeSpan.FromMinutes(4), Logs);

        done.GetProperty("Status").GetString().Should().Be("Success", Logs());
        FarmTestBed.History(done, "Redispatched").Should().Contain(h => h.GetProperty("Detail").GetString()!.Contains("node worker-a"),
            "the job history shows the re-dispatch of worker-a's task");
        FarmTestBed.Tasks(done).Count().Should().BeGreaterThan(9, "3 videos of 5.5 s in 1 s segments");
        FarmTestBed.MostRunningAtOnce(done, "worker-b").Should().Be(1, "worker-b has one encode-segment slot");
        _bed.EachSegmentShouldBeRenderedOnce(done);
        ShouldMatchSingleProcessRenders(done, timelines, (1280, 720));
    }

    [Fact]
    public async Task PostgreSQL_restarted_and_the_job_entities_node_killed_mid_batch_lose_nothing()
    {
        Farm("restarts", "gateway", "worker");
        // Two members: when the gateway is killed the split is even and the side with the lowest address (the
        // gateway's) wins, so the worker would down itself if the restarted gateway took longer than the tests'
        // 3 s to rejoin (it does on a loaded machine). The product's default gives it the time.
        Dictionary<string, string> Env(string name) { var env = _bed.Environment(name, _database, _members); env["RENDERFARM_DOWN_AFTER_SECONDS"] = "20"; return env; }
        var gateway = await Start("gateway", "gateway", Env("gateway"));
        await Start("worker", "cpu", Env("worker"), "--slots", "encode-segment=2");
        using var api = new FarmApi(gateway.Url, FarmTestBed.Token);
        var timelines = Enumerable.Range(0, 3).Select(i => _bed.Timeline(i, seconds: 5)).ToList();
        var jobId = await api.SubmitBatchAsync(_bed.Batch(timelines));
        await api.WaitForAsync(jobId, job => FarmTestBed.Tasks(job).Any(t => t.GetProperty("State").GetString() == "Succeeded"), TimeSpan.FromSeconds(90));

        database.Postgres.Stop();
        await Task.Delay(2000, TestContext.Current.CancellationToken);
        database.Postgres.Start();
        // The gateway answers again once its database connections are back.
        var (status, running) = await api.SendAsync(HttpMethod.Get, $"GetBatchMediaProducingJob?JobId={jobId}");
        for (var tries = 0; status != 200 && tries < 60; tries++)
        {
            await Task.Delay(500, TestContext.Current.CancellationToken);
            (status, running) = await api.SendAsync(HttpMethod.Get, $"GetBatchMediaProducingJob?JobId={jobId}");
        }
        status.Should().Be(200, running.ToString());
        running.GetProperty("EditingBatchJob").GetProperty("Status").GetString().Should().Be("Processing", "the gateway dies while the batch runs");

        // kill -9 of the node that hosts the job entity; it comes back at the same address and the entity resumes.
        gateway.Kill();
        var again = await Start("gateway", "gateway", Env("gateway"));
        using var api2 = new FarmApi(again.Url, FarmTestBed.Token);
        var done = await api2.WaitAsync(jobId, TimeSpan.FromMinutes(4), Logs);

        done.GetProperty("Status").GetString().Should().Be("Success", Logs());
        ShouldMatchSingleProcessRenders(done, timelines, (1280, 720));
        FarmTestBed.Tasks(done, "assemble").Should().HaveCount(3).And.OnlyContain(t => t.GetProperty("State").GetString() == "Succeeded");
        foreach (var assemble in FarmTestBed.Tasks(done, "assemble"))
            FarmTestBed.History(done, "Succeeded").Count(h => h.GetProperty("TaskId").GetString() == assemble.GetProperty("TaskId").GetString())
                .Should().Be(1, "each video is assembled once");
        _bed.EachSegmentShouldBeRenderedOnce(done);
        FarmTestBed.MostRunningAtOnce(done, "worker").Should().Be(2, "the worker has two encode-segment slots and uses both");

        var (_, listed) = await api2.SendAsync(HttpMethod.Get, "ListBatchMediaProducingJobs?Status=Success");
        listed.GetProperty("EditingBatchJobList").EnumerateArray().Select(j => j.GetProperty("JobId").GetString()).Should().Contain(jobId);
    }

    [Fact]
    public async Task A_frozen_worker_is_downed_its_work_runs_elsewhere_and_when_it_wakes_nothing_is_produced_twice()
    {
        Farm("frozen", "gateway", "worker-a", "worker-b");
        var gateway = await Start("gateway", "gateway");
        var frozen = await Start("worker-a", "cpu", "--slots", "encode-segment=1");
        await Start("worker-b", "cpu", "--slots", "encode-segment=1");
        using var api = new FarmApi(gateway.Url, FarmTestBed.Token);
        var timelines = Enumerable.Range(0, 2).Select(i => _bed.Timeline(i, seconds: 4)).ToList();
        var jobId = await api.SubmitBatchAsync(_bed.Batch(timelines));
        await api.WaitForAsync(jobId, job => FarmTestBed.Tasks(job).Any(t =>
            t.GetProperty("NodeId").GetString() == "worker-a" && t.GetProperty("State").GetString() == "Running"), TimeSpan.FromSeconds(90));

        frozen.Freeze();
        var done = await api.WaitAsync(jobId, TimeSpan.FromMinutes(4), Logs);
        done.GetProperty("Status").GetString().Should().Be("Success", Logs());
        FarmTestBed.History(done, "Redispatched").Should().Contain(h => h.GetProperty("Detail").GetString()!.Contains("node worker-a"));
        var (_, members) = await api.SendAsync(HttpMethod.Get, "admin/cluster");
        members.EnumerateArray().Single(n => n.GetProperty("NodeId").GetString() == "worker-a").GetProperty("Member").GetString()
            .Should().BeOneOf(["Removed", "Down"], "the split-brain resolver downed the frozen member");

        frozen.Thaw();
        frozen.WaitForExit(TimeSpan.FromSeconds(60)).Should().NotBeNull("a downed node that wakes finds itself out of the cluster and exits:\n" + frozen.Log);
        var (_, after) = await api.SendAsync(HttpMethod.Get, $"admin/jobs/{jobId}");
        after.GetProperty("Status").GetString().Should().Be("Success");
        _bed.EachSegmentShouldBeRenderedOnce(after);
        after.GetProperty("History").GetArrayLength().Should().Be(done.GetProperty("History").GetArrayLength(), "the woken node's stale reports change nothing");
        ShouldMatchSingleProcessRenders(after, timelines, (1280, 720));
    }

    [Fact]
    public async Task A_fault_of_a_node_takes_that_kind_out_of_it_shows_in_readiness_and_the_task_runs_elsewhere()
    {
        Farm("nodefault", "gateway", "worker-broken", "worker-good");
        var gateway = await Start("gateway", "gateway");
        var brokenEnv = _bed.Environment("worker-broken", _database, _members);
        brokenEnv["RENDERFARM_FFMPEG"] = Path.Combine(_bed.Dir.Path, "no-such-ffmpeg"); // the tool is missing on this node
        var broken = await Start("worker-broken", "cpu", brokenEnv, "--slots", "encode-segment=1");
        using var api = new FarmApi(gateway.Url, FarmTestBed.Token);
        var timeline = _bed.Timeline(5, seconds: 3);
        var jobId = await api.SubmitAsync($$"""{"Timeline":{{timeline}},"OutputMediaConfig":{{FarmTestBed.Output}} }""");

        await WaitForNode("worker-broken", n => n.GetProperty("DisabledKinds").EnumerateArray().Any(k => k.GetString()!.StartsWith("encode-segment")), api);
        using (var http = new HttpClient())
        {
            using var ready = await http.GetAsync($"{broken.Url}/readyz", TestContext.Current.CancellationToken);
            ((int)ready.StatusCode).Should().Be(503, "a node with a kind taken out is not ready");
            (await ready.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Should().Contain("encode-segment");
        }
        var show = FarmTestBed.Cli(gateway.Url, "cluster", "show");
        show.Stdout.Should().MatchRegex(@"worker-broken.*encode-segment", "cluster show names the kind taken out:\n" + show.Stdout);

        await Start("worker-good", "cpu", "--slots", "encode-segment=1");
        var done = await api.WaitAsync(jobId, TimeSpan.FromMinutes(3), Logs);
        done.GetProperty("Status").GetString().Should().Be("Success", Logs());
        FarmTestBed.History(done, "Retry").Where(h => h.GetProperty("NodeId").GetString() == "worker-broken")
            .Should().NotBeEmpty().And.OnlyContain(h => h.GetProperty("Detail").GetString()!.Contains("fault of the node"));
        FarmTestBed.History(done, "Failed").Should().BeEmpty("a node's fault never fails the job");

        var (status, _) = await api.SendAsync(HttpMethod.Post, "admin/nodes/worker-broken/enable");
        status.Should().Be(200);
        await WaitForNode("worker-broken", n => n.GetProperty("DisabledKinds").GetArrayLength() == 0, api);
        await Task.Delay(5000, TestContext.Current.CancellationToken); // two heartbeats later the operator's enable still holds
        var (_, nodes) = await api.SendAsync(HttpMethod.Get, "admin/cluster");
        nodes.EnumerateArray().Single(n => n.GetProperty("NodeId").GetString() == "worker-broken").GetProperty("DisabledKinds").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task A_drained_worker_finishes_what_it_runs_takes_nothing_more_and_exits_when_told_to_leave()
    {
        Farm("drain", "gateway", "worker-a", "worker-b");
        var gateway = await Start("gateway", "gateway", "--segment-seconds", "5");
        var drained = await Start("worker-a", "cpu", "--slots", "encode-segment=1");
        await Start("worker-b", "cpu", "--slots", "encode-segment=1");
        using var api = new FarmApi(gateway.Url, FarmTestBed.Token);
        var jobId = await api.SubmitBatchAsync(_bed.Batch(Enumerable.Range(0, 3).Select(i => _bed.Timeline(i, seconds: 5))));
        await api.WaitForAsync(jobId, job => FarmTestBed.Tasks(job).Any(t =>
            t.GetProperty("NodeId").GetString() == "worker-a" && t.GetProperty("State").GetString() == "Running"), TimeSpan.FromSeconds(90));

        var drain = FarmTestBed.Cli(gateway.Url, "cluster", "drain", "worker-a");
        var applied = DateTimeOffset.UtcNow;
        drain.Stdout.Trim().Should().Be("worker-a: Draining", drain.Stderr);
        var running = System.Text.RegularExpressions.Regex.Match(drained.Log, @"node worker-a: Draining; (\d+) task\(s\) running");
        running.Success.Should().BeTrue("the node says it drains:\n" + drained.Log);
        int.Parse(running.Groups[1].Value).Should().BeGreaterThan(0, "the drain arrives while worker-a renders a 5 s segment");

        var done = await api.WaitAsync(jobId, TimeSpan.FromMinutes(4), Logs);
        done.GetProperty("Status").GetString().Should().Be("Success", Logs());
        static DateTimeOffset At(JsonElement h) => DateTimeOffset.Parse(h.GetProperty("At").GetString()!);
        var history = done.GetProperty("History").EnumerateArray().ToList();
        // A task is taken when worker-a claims it (Started, or Claimed ahead of a free slot and Started later).
        var takenByA = history.Where(h => h.GetProperty("Event").GetString() is "Started" or "Claimed" && h.GetProperty("NodeId").GetString() == "worker-a")
            .GroupBy(h => h.GetProperty("TaskId").GetString()).Select(g => g.MinBy(At)).ToList();
        takenByA.Where(h => At(h) > applied).Should().BeEmpty("a draining node takes no new task");
        var finishedAfterDrain = 0;
        foreach (var taken in takenByA)
        {
            var next = history.Where(h => h.GetProperty("TaskId").GetString() == taken.GetProperty("TaskId").GetString() && At(h) > At(taken)
                && h.GetProperty("Event").GetString() is not ("Started" or "Claimed")).MinBy(At);
            next.ValueKind.Should().NotBe(JsonValueKind.Undefined);
            next.GetProperty("Event").GetString().Should().Be("Succeeded", "worker-a finishes every task it took, none is taken from it");
            next.GetProperty("NodeId").GetString().Should().Be("worker-a");
            if (At(next) > applied) finishedAfterDrain++;
        }
        finishedAfterDrain.Should().BeGreaterThan(0, "the task running when the drain arrived was finished by worker-a");

        var leave = FarmTestBed.Cli(gateway.Url, "cluster", "leave", "worker-a");
        leave.Stdout.Trim().Should().Be("worker-a: Left", leave.Stderr);
        drained.WaitForExit(TimeSpan.FromSeconds(60)).Should().Be(0, "a node told to leave exits cleanly once idle:\n" + drained.Log);
        // The gateway learns of the removal by gossip, a moment after the process exited.
        var show = FarmTestBed.Cli(gateway.Url, "cluster", "show");
        for (var tries = 0; !System.Text.RegularExpressions.Regex.IsMatch(show.Stdout, @"worker-a\s.*Removed") && tries < 40; tries++)
        {
            await Task.Delay(500, TestContext.Current.CancellationToken);
            show = FarmTestBed.Cli(gateway.Url, "cluster", "show");
        }
        show.Stdout.Should().MatchRegex(@"worker-a\s.*Removed", "cluster show lists the node that left:\n" + show.Stdout);
    }

    private static async Task WaitForNode(string name, Func<JsonElement, bool> condition, FarmApi api)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            var (_, nodes) = await api.SendAsync(HttpMethod.Get, "admin/cluster");
            if (nodes.EnumerateArray().Any(n => n.GetProperty("NodeId").GetString() == name && condition(n))) return;
            await Task.Delay(200);
        }
        throw new TimeoutException($"node {name} did not reach the expected state");
    }

    [Fact]
    public async Task Cancel_mid_render_stops_ffmpeg_on_every_node_and_writes_no_output()
    {
        Farm("cancel", "gateway", "worker-a", "worker-b");
        var gateway = await Start("gateway", "gateway");
        await Start("worker-a", "cpu", "--slots", "encode-segment=1");
        await Start("worker-b", "cpu", "--slots", "encode-segment=1");
        using var api = new FarmApi(gateway.Url, FarmTestBed.Token);
        var timeline = _bed.Timeline(7, seconds: 5);
        var jobId = await api.SubmitAsync($$"""{"Timeline":{{timeline}},"OutputMediaConfig":{"MediaURL":"cancelled.mp4","Width":1280,"Height":720} }""");
        await api.WaitForAsync(jobId, job => FarmTestBed.Tasks(job).Select(t => t.GetProperty("NodeId").GetString()).Distinct().Count(n => n is not null) == 2
            && FarmTestBed.Tasks(job).Count(t => t.GetProperty("State").GetString() == "Running") == 2, TimeSpan.FromSeconds(60));
        // Both workers render at once; on a loaded machine the two 1 s segments may not overlap at a poll, so
        // wait for both, and cancel with at least one ffmpeg running (its processes are what the cancel must stop).
        var rendering = DateTime.UtcNow + TimeSpan.FromSeconds(45);
        while (FfmpegProcesses().Count < 2 && DateTime.UtcNow < rendering) await Task.Delay(50, TestContext.Current.CancellationToken);
        var any = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (FfmpegProcesses().Count == 0 && DateTime.UtcNow < any) await Task.Delay(20, TestContext.Current.CancellationToken);
        FfmpegProcesses().Should().NotBeEmpty("a segment is rendering");

        var cancel = FarmTestBed.Cli(gateway.Url, "jobs", "cancel", jobId);
        cancel.Exit.Should().Be(0, cancel.Stderr);
        cancel.Stdout.Trim().Should().Be($"{jobId}: Cancelled");

        var job = await api.WaitAsync(jobId, TimeSpan.FromSeconds(10));
        job.GetProperty("Status").GetString().Should().Be("Cancelled");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (FfmpegProcesses().Count > 0 && DateTime.UtcNow < deadline) await Task.Delay(100, TestContext.Current.CancellationToken);
        FfmpegProcesses().Should().BeEmpty("cancelling kills the running ffmpeg processes on both nodes");
        File.Exists(Path.Combine(_bed.Outputs, "cancelled.mp4")).Should().BeFalse();
        (Directory.Exists(_bed.Outputs) ? Directory.GetFiles(_bed.Outputs, "*", SearchOption.AllDirectories) : []).Should().BeEmpty("no output of any kind was written");

        // An operator retry runs the unfinished work; segments finished before the cancel are kept.
        var retry = FarmTestBed.Cli(gateway.Url, "jobs", "retry", jobId);
        retry.Exit.Should().Be(0, retry.Stderr);
        var done = await api.WaitAsync(jobId, TimeSpan.FromMinutes(3), Logs);
        done.GetProperty("Status").GetString().Should().Be("Success", Logs());
        Inspect.Probe(Path.Combine(_bed.Outputs, "cancelled.mp4")).VideoFrames.Should().Be(Inspect.Probe(_bed.RenderLocally(timeline, "reference")).VideoFrames);
    }

    /// <summary>ffmpeg processes working for this test (their arguments mention its artifact directory).</summary>
    private List<int> FfmpegProcesses()
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (cmdline.Contains("ffmpeg") && cmdline.Contains(_bed.Artifacts)) found.Add(pid);
            }
            catch (IOException) { }
        }
        return found;
    }

    private void ShouldMatchSingleProcessRenders(JsonElement done, IReadOnlyList<string> timelines, (int, int) size)
    {
        var videos = done.GetProperty("Videos").EnumerateArray().OrderBy(v => v.GetProperty("Index").GetInt32()).ToList();
        for (var i = 0; i < timelines.Count; i++)
        {
            var reference = Inspect.Probe(_bed.RenderLocally(timelines[i], $"reference{i}"));
            var produced = Inspect.Probe(videos[i].GetProperty("OutputPath").GetString()!);
            produced.VideoFrames.Should().Be(reference.VideoFrames, $"video {i} has the frames of a single-process render");
            produced.Duration.Should().BeApproximately(reference.Duration, 0.05);
            (produced.Width, produced.Height).Should().Be(size);
        }
    }

    [Fact]
    public async Task Bad_requests_get_4xx_naming_the_field_and_queue_nothing()
    {
        Farm("badrequests", "gateway");
        var gateway = await Start("gateway", "gateway");
        using var api = new FarmApi(gateway.Url, FarmTestBed.Token);
        var a = _bed.Media.ColourVideo("a.mp4", "navy", 1); // exists, so each request below is refused for the field it names

        async Task Expect(HttpMethod method, string path, string? json, int status, string field, bool token = true)
        {
            var (code, body) = await api.SendAsync(method, path, json, token);
            code.Should().Be(status, body.ToString());
            body.GetProperty("Field").GetString().Should().Be(field, body.ToString());
            body.GetProperty("Message").GetString().Should().NotBeNullOrEmpty();
        }
        await Expect(HttpMethod.Post, "SubmitMediaProducingJob", "{\"Timeline\": [", 400, "");
        await Expect(HttpMethod.Post, "SubmitMediaProducingJob", $$$"""{"Timeline":{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"{{{a}}}","In":4,"Out":2}]}]}}""", 400, "Timeline.VideoTracks[0].VideoTrackClips[0].Out");
        await Expect(HttpMethod.Post, "SubmitBatchMediaProducingJob", """{"Timelines":[]}""", 400, "Timelines");
        await Expect(HttpMethod.Post, "SubmitMediaProducingJob", """{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4"}]}]}""", 400, "Timeline");
        await Expect(HttpMethod.Post, "SubmitMediaProducingJob", $$$"""{"Timeline":{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"{{{a}}}"}]}]},"OutputMediaConfig":{"MediaURL":"https://example.com/x.mp4"}}""", 400, "OutputMediaConfig.MediaURL");
        await Expect(HttpMethod.Get, "GetMediaProducingJob?JobId=0123456789abcdef0123456789abcdef", null, 404, "JobId");
        await Expect(HttpMethod.Get, "admin/cluster", null, 401, "Authorization", token: false);
        await Expect(HttpMethod.Post, "admin/jobs/whatever/cancel", null, 401, "Authorization", token: false);

        var (_, list) = await api.SendAsync(HttpMethod.Get, "admin/jobs");
        list.GetArrayLength().Should().Be(0, "no bad request was queued");
        var (_, queues) = await api.SendAsync(HttpMethod.Get, "admin/queues");
        queues.EnumerateArray().Sum(q => q.GetProperty("Waiting").GetInt32()).Should().Be(0);
    }
}
