using System.Text.Json;
using FluentAssertions;
using RenderFarm.TestSupport;
using RenderFarm.TestSupport.Farm;
using Xunit;

namespace RenderFarm.IntegrationTests;

/// <summary>
/// A real farm: RabbitMQ and PostgreSQL from Debian's packages on loopback, a gateway and two
/// worker processes. Workers die by kill -9, the broker restarts, the gateway restarts.
/// </summary>
public sealed class ClusterTests(Brokers brokers) : IClassFixture<Brokers>, IDisposable
{
    private readonly FarmTestBed _bed = new();
    private readonly List<FarmNodeProcess> _nodes = [];

    public void Dispose()
    {
        foreach (var node in _nodes) node.Dispose();
        _bed.Dispose();
    }

    private async Task<FarmNodeProcess> Start(string name, string roles, string database, params string[] extra)
    {
        var node = await FarmNodeProcess.StartAsync(name, roles, _bed.Environment(name, brokers.Rabbit.Url, database), extra);
        _nodes.Add(node);
        return node;
    }

    private string Logs() => string.Join("\n", _nodes.Select(n => $"--- {n.Name} ---\n{n.Log}"));

    [Fact]
    public async Task A_worker_killed_mid_render_loses_nothing_and_no_finished_segment_is_rendered_twice()
    {
        var database = brokers.Postgres.CreateDatabase("killworker");
        var gateway = await Start("gateway", "gateway", database);
        var doomed = await Start("worker-a", "cpu", database, "--slots", "encode-segment=1,assemble=1");
        await Start("worker-b", "cpu", database, "--slots", "encode-segment=1,assemble=1");
        var timelines = Enumerable.Range(0, 3).Select(i => _bed.Timeline(i)).ToList();
        using var api = new FarmApi(gateway.Url, FarmTestBed.Token);

        var jobId = await api.SubmitBatchAsync(_bed.Batch(timelines));
        await api.WaitForAsync(jobId, job => FarmTestBed.Tasks(job).Any(t =>
            t.GetProperty("NodeId").GetString() == "worker-a" && t.GetProperty("State").GetString() == "Running"), TimeSpan.FromSeconds(90));
        doomed.Kill();
        var done = await api.WaitAsync(jobId, TimeSpan.FromMinutes(4), Logs);

        done.GetProperty("Status").GetString().Should().Be("Success", Logs());
        FarmTestBed.History(done, "Redispatched").Should().Contain(h => h.GetProperty("Detail").GetString()!.Contains("worker-a stopped heartbeating"),
            "the job history shows the re-dispatch of worker-a's task");
        FarmTestBed.Tasks(done).Count().Should().BeGreaterThan(9, "3 videos of 5.5 s in 1 s segments");
        FarmTestBed.MostRunningAtOnce(done, "worker-b").Should().Be(1, "worker-b has one encode-segment slot");
        _bed.EachSegmentShouldBeRenderedOnce(done);
        var videos = done.GetProperty("Videos").EnumerateArray().OrderBy(v => v.GetProperty("Index").GetInt32()).ToList();
        for (var i = 0; i < 3; i++)
        {
            var reference = Inspect.Probe(_bed.RenderLocally(timelines[i], $"reference{i}"));
            var produced = Inspect.Probe(videos[i].GetProperty("OutputPath").GetString()!);
            produced.VideoFrames.Should().Be(reference.VideoFrames, $"video {i} has the frames of a single-process render");
            produced.Duration.Should().BeApproximately(reference.Duration, 0.05);
            (produced.Width, produced.Height).Should().Be((1280, 720));
        }
    }

    [Fact]
    public async Task Broker_database_and_gateway_restarts_during_a_batch_lose_nothing_and_a_new_gateway_answers_the_same_status()
    {
        var database = brokers.Postgres.CreateDatabase("restarts");
        var gateway = await Start("gateway", "gateway", database);
        await Start("worker", "cpu", database, "--slots", "encode-segment=2");
        using var api = new FarmApi(gateway.Url, FarmTestBed.Token);
        var timelines = Enumerable.Range(0, 3).Select(i => _bed.Timeline(i, seconds: 5)).ToList();
        var jobId = await api.SubmitBatchAsync(_bed.Batch(timelines));
        await api.WaitForAsync(jobId, job => FarmTestBed.Tasks(job).Any(t => t.GetProperty("State").GetString() == "Succeeded"), TimeSpan.FromSeconds(90));

        brokers.Rabbit.Restart();
        brokers.Postgres.Stop();
        await Task.Delay(1000, TestContext.Current.CancellationToken);
        brokers.Postgres.Start();
        // The gateway answers again once its database connections are back.
        var (status, running) = await api.SendAsync(HttpMethod.Get, $"GetBatchMediaProducingJob?JobId={jobId}");
        for (var tries = 0; status != 200 && tries < 60; tries++)
        {
            await Task.Delay(500, TestContext.Current.CancellationToken);
            (status, running) = await api.SendAsync(HttpMethod.Get, $"GetBatchMediaProducingJob?JobId={jobId}");
        }
        status.Should().Be(200, running.ToString());
        running.GetProperty("EditingBatchJob").GetProperty("Status").GetString().Should().Be("Processing", "the gateway dies while the batch runs");
        gateway.Kill();
        var second = await Start("gateway-2", "gateway", database);
        using var api2 = new FarmApi(second.Url, FarmTestBed.Token);
        var done = await api2.WaitAsync(jobId, TimeSpan.FromMinutes(4), Logs);

        done.GetProperty("Status").GetString().Should().Be("Success", Logs());
        var videos = done.GetProperty("Videos").EnumerateArray().OrderBy(v => v.GetProperty("Index").GetInt32()).ToList();
        for (var i = 0; i < timelines.Count; i++)
        {
            var reference = Inspect.Probe(_bed.RenderLocally(timelines[i], $"reference{i}"));
            var produced = Inspect.Probe(videos[i].GetProperty("OutputPath").GetString()!);
            produced.VideoFrames.Should().Be(reference.VideoFrames, $"video {i} has the frames of a single-process render");
            produced.Duration.Should().BeApproximately(reference.Duration, 0.05);
        }
        FarmTestBed.Tasks(done, "assemble").Should().HaveCount(3).And.OnlyContain(t => t.GetProperty("State").GetString() == "Succeeded");
        foreach (var assemble in FarmTestBed.Tasks(done, "assemble"))
            FarmTestBed.History(done, "Succeeded").Count(h => h.GetProperty("TaskId").GetString() == assemble.GetProperty("TaskId").GetString())
                .Should().Be(1, "each video is assembled once");
        _bed.EachSegmentShouldBeRenderedOnce(done);
        FarmTestBed.MostRunningAtOnce(done, "worker").Should().Be(2, "the worker has two encode-segment slots and uses both");

        var (_, listed) = await api2.SendAsync(HttpMethod.Get, "ListBatchMediaProducingJobs?Status=Success");
        listed.GetProperty("EditingBatchJobList").EnumerateArray().Select(j => j.GetProperty("JobId").GetString()).Should().Contain(jobId);
        var (_, before) = await api2.SendAsync(HttpMethod.Get, $"GetBatchMediaProducingJob?JobId={jobId}");
        second.Kill();
        var third = await Start("gateway-3", "gateway", database);
        using var api3 = new FarmApi(third.Url, FarmTestBed.Token);
        var (answered, after) = await api3.SendAsync(HttpMethod.Get, $"GetBatchMediaProducingJob?JobId={jobId}");
        answered.Should().Be(200);
        after.GetProperty("EditingBatchJob").GetRawText().Should().Be(before.GetProperty("EditingBatchJob").GetRawText());
    }

    [Fact]
    public async Task A_worker_that_keeps_failing_a_kind_stops_taking_it_until_an_operator_clears_it()
    {
        var database = brokers.Postgres.CreateDatabase("failing");
        var gateway = await Start("gateway", "gateway", database);
        var brokenEnv = _bed.Environment("worker-broken", brokers.Rabbit.Url, database);
        brokenEnv["RENDERFARM_FFMPEG"] = "/bin/false"; // every render on this node fails
        var broken = await FarmNodeProcess.StartAsync("worker-broken", "cpu", brokenEnv, "--slots", "encode-segment=1");
        _nodes.Add(broken);
        using var api = new FarmApi(gateway.Url, FarmTestBed.Token);
        var jobId = await api.SubmitAsync($$"""{"Timeline":{{_bed.Timeline(5, seconds: 4)}},"OutputMediaConfig":{{FarmTestBed.Output}} }""");

        await WaitForNode("worker-broken", n => n.GetProperty("DisabledKinds").EnumerateArray().Any(k => k.GetString() == "encode-segment"), api);
        await Start("worker-good", "cpu", database, "--slots", "encode-segment=1");
        var done = await api.WaitAsync(jobId, TimeSpan.FromMinutes(3), Logs);

        done.GetProperty("Status").GetString().Should().Be("Success", Logs());
        var segmentIds = FarmTestBed.Tasks(done).Select(t => t.GetProperty("TaskId").GetString()).ToHashSet();
        var failures = FarmTestBed.History(done, "Retry")
            .Where(h => h.GetProperty("NodeId").GetString() == "worker-broken" && segmentIds.Contains(h.GetProperty("TaskId").GetString())).ToList();
        failures.Should().HaveCount(3, "the node stops taking encode-segment after 3 failures in a row");
        FarmTestBed.Tasks(done).Should().OnlyContain(t => t.GetProperty("NodeId").GetString() == "worker-good" || t.GetProperty("State").GetString() == "Succeeded");

        var (status, _) = await api.SendAsync(HttpMethod.Post, "admin/nodes/worker-broken/enable");
        status.Should().Be(200);
        await WaitForNode("worker-broken", n => n.GetProperty("DisabledKinds").GetArrayLength() == 0, api);
    }

    [Fact]
    public async Task A_drained_worker_finishes_what_it_runs_takes_nothing_more_and_exits_when_told_to_leave()
    {
        var database = brokers.Postgres.CreateDatabase("drain");
        var gateway = await Start("gateway", "gateway", database, "--segment-seconds", "5");
        var drained = await Start("worker-a", "cpu", database, "--slots", "encode-segment=1");
        await Start("worker-b", "cpu", database, "--slots", "encode-segment=1");
        using var api = new FarmApi(gateway.Url, FarmTestBed.Token);
        var jobId = await api.SubmitBatchAsync(_bed.Batch(Enumerable.Range(0, 3).Select(i => _bed.Timeline(i, seconds: 5))));
        await api.WaitForAsync(jobId, job => FarmTestBed.Tasks(job).Any(t =>
            t.GetProperty("NodeId").GetString() == "worker-a" && t.GetProperty("State").GetString() == "Running"), TimeSpan.FromSeconds(90));

        var drain = FarmTestBed.Cli(gateway.Url, "cluster", "drain", "worker-a");
        drain.Stdout.Trim().Should().Be("worker-a: Draining", drain.Stderr);
        var told = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!drained.Log.Contains("Draining: no new tasks") && DateTime.UtcNow < told) await Task.Delay(50, TestContext.Current.CancellationToken);
        var applied = DateTimeOffset.UtcNow;
        var running = System.Text.RegularExpressions.Regex.Match(drained.Log, @"Draining: no new tasks; finishing (\d+) running");
        running.Success.Should().BeTrue("the node applies the drain on its next heartbeat and says so:\n" + drained.Log);
        int.Parse(running.Groups[1].Value).Should().BeGreaterThan(0, "the drain arrives while worker-a renders a 5 s segment");

        var done = await api.WaitAsync(jobId, TimeSpan.FromMinutes(4), Logs);
        done.GetProperty("Status").GetString().Should().Be("Success", Logs());
        static DateTimeOffset At(JsonElement h) => DateTimeOffset.Parse(h.GetProperty("At").GetString()!);
        var history = done.GetProperty("History").EnumerateArray().ToList();
        var startedOnA = history.Where(h => h.GetProperty("Event").GetString() == "Started" && h.GetProperty("NodeId").GetString() == "worker-a").ToList();
        startedOnA.Where(h => At(h) >= applied).Should().BeEmpty("a draining node starts no new task");
        var finishedAfterDrain = 0;
        foreach (var start in startedOnA)
        {
            var next = history.Where(h => h.GetProperty("TaskId").GetString() == start.GetProperty("TaskId").GetString() && At(h) > At(start)).MinBy(At);
            next.ValueKind.Should().NotBe(JsonValueKind.Undefined);
            next.GetProperty("Event").GetString().Should().Be("Succeeded", "worker-a finishes every task it started, none is taken from it");
            next.GetProperty("NodeId").GetString().Should().Be("worker-a");
            if (At(next) > applied) finishedAfterDrain++;
        }
        finishedAfterDrain.Should().BeGreaterThan(0, "the task running when the drain arrived was finished by worker-a");

        var leave = FarmTestBed.Cli(gateway.Url, "cluster", "leave", "worker-a");
        leave.Stdout.Trim().Should().Be("worker-a: Left", leave.Stderr);
        drained.WaitForExit(TimeSpan.FromSeconds(30)).Should().Be(0, "a node told to leave exits cleanly once idle:\n" + drained.Log);
        var show = FarmTestBed.Cli(gateway.Url, "cluster", "show");
        show.Stdout.Should().MatchRegex(@"worker-a\s.*Left", "cluster show lists the node that left");
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
    public async Task Cancel_mid_render_stops_ffmpeg_and_writes_no_output()
    {
        var database = brokers.Postgres.CreateDatabase("cancel");
        var gateway = await Start("gateway", "gateway", database);
        await Start("worker", "cpu", database, "--slots", "encode-segment=2");
        using var api = new FarmApi(gateway.Url, FarmTestBed.Token);
        var timeline = _bed.Timeline(7, seconds: 8);
        var jobId = await api.SubmitAsync($$"""{"Timeline":{{timeline}},"OutputMediaConfig":{"MediaURL":"cancelled.mp4","Width":1280,"Height":720} }""");
        await api.WaitForAsync(jobId, job => FarmTestBed.Tasks(job).Any(t => t.GetProperty("State").GetString() == "Running"), TimeSpan.FromSeconds(60));
        var rendering = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (FfmpegProcesses().Count == 0 && DateTime.UtcNow < rendering) await Task.Delay(50, TestContext.Current.CancellationToken);
        FfmpegProcesses().Should().NotBeEmpty("a segment is rendering");

        var cancel = FarmTestBed.Cli(gateway.Url, "jobs", "cancel", jobId);
        cancel.Exit.Should().Be(0, cancel.Stderr);
        cancel.Stdout.Trim().Should().Be($"{jobId}: Cancelled");

        var job = await api.WaitAsync(jobId, TimeSpan.FromSeconds(10));
        job.GetProperty("Status").GetString().Should().Be("Cancelled");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (FfmpegProcesses().Count > 0 && DateTime.UtcNow < deadline) await Task.Delay(100, TestContext.Current.CancellationToken);
        FfmpegProcesses().Should().BeEmpty("cancelling kills the running ffmpeg processes");
        File.Exists(Path.Combine(_bed.Outputs, "cancelled.mp4")).Should().BeFalse();
        Directory.Exists(_bed.Outputs).Should().BeFalse("no output of any kind was written");

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

    [Fact]
    public async Task Bad_requests_get_4xx_naming_the_field_and_queue_nothing()
    {
        var database = brokers.Postgres.CreateDatabase("badrequests");
        var gateway = await Start("gateway", "gateway", database);
        using var api = new FarmApi(gateway.Url, FarmTestBed.Token);

        async Task Expect(HttpMethod method, string path, string? json, int status, string field, bool token = true)
        {
            var (code, body) = await api.SendAsync(method, path, json, token);
            code.Should().Be(status, body.ToString());
            body.GetProperty("Field").GetString().Should().Be(field, body.ToString());
            body.GetProperty("Message").GetString().Should().NotBeNullOrEmpty();
        }
        await Expect(HttpMethod.Post, "SubmitMediaProducingJob", "{\"Timeline\": [", 400, "");
        await Expect(HttpMethod.Post, "SubmitMediaProducingJob", """{"Timeline":{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4","In":4,"Out":2}]}]}}""", 400, "Timeline.VideoTracks[0].VideoTrackClips[0].Out");
        await Expect(HttpMethod.Post, "SubmitBatchMediaProducingJob", """{"Timelines":[]}""", 400, "Timelines");
        await Expect(HttpMethod.Post, "SubmitMediaProducingJob", """{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4"}]}]}""", 400, "Timeline");
        await Expect(HttpMethod.Post, "SubmitMediaProducingJob", """{"Timeline":{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4"}]}]},"OutputMediaConfig":{"MediaURL":"https://example.com/x.mp4"}}""", 400, "OutputMediaConfig.MediaURL");
        await Expect(HttpMethod.Get, "GetMediaProducingJob?JobId=0123456789abcdef0123456789abcdef", null, 404, "JobId");
        await Expect(HttpMethod.Get, "admin/cluster", null, 401, "Authorization", token: false);
        await Expect(HttpMethod.Post, "admin/jobs/whatever/cancel", null, 401, "Authorization", token: false);

        var (_, list) = await api.SendAsync(HttpMethod.Get, "admin/jobs");
        list.GetArrayLength().Should().Be(0, "no bad request was queued");
        var (_, queues) = await api.SendAsync(HttpMethod.Get, "admin/queues");
        queues.EnumerateArray().Sum(q => q.GetProperty("Waiting").GetInt32()).Should().Be(0);
    }
}
