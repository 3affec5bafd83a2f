using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using FluentAssertions;
using RenderFarm.TestSupport;
using RenderFarm.TestSupport.Farm;
using Xunit;

namespace RenderFarm.IntegrationTests;

/// <summary>
/// The operator's and the integrator's view of an embedded farm: CLI verbs against the gateway,
/// idempotent submission, the webhook with retries, health, metrics and the OpenAPI document.
/// </summary>
public sealed class OperatorTests : IDisposable
{
    private readonly FarmTestBed _bed = new();
    private readonly List<FarmNodeProcess> _nodes = [];

    public void Dispose()
    {
        foreach (var node in _nodes) node.Dispose();
        _bed.Dispose();
    }

    private static (int Exit, string Stdout, string Stderr) Farm(FarmNodeProcess gateway, params string[] args) => FarmTestBed.Cli(gateway.Url, args);

    [Fact]
    public async Task Cli_verbs_submit_follow_and_operate_the_farm()
    {
        var node = await FarmNodeProcess.StartAsync("solo", "gateway,cpu", _bed.Environment("solo"));
        _nodes.Add(node);
        var request = Path.Combine(_bed.Dir.Path, "request.json");
        File.WriteAllText(request, $$"""{"Timeline":{{_bed.Timeline(1, seconds: 2)}},"OutputMediaConfig":{"MediaURL":"cli/out.mp4","Width":640,"Height":360} }""");

        var submit = Farm(node, "submit", request, "--wait");
        submit.Exit.Should().Be(0, submit.Stderr);
        var lines = submit.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var jobId = lines[0];
        lines[^1].Should().Be(Path.Combine(_bed.Outputs, "cli", "out.mp4"));
        Inspect.Probe(lines[^1]).VideoFrames.Should().BeGreaterThan(80);
        submit.Stderr.Should().Contain("100%");

        var show = Farm(node, "jobs", "show", jobId);
        show.Exit.Should().Be(0, show.Stderr);
        show.Stdout.Should().Contain("Success").And.Contain("Planned").And.Contain("Started").And.Contain("Succeeded");
        Farm(node, "jobs", "list").Stdout.Should().Contain(jobId);
        var cluster = Farm(node, "cluster", "show");
        cluster.Stdout.Should().Contain("solo").And.Contain("cpu,gateway").And.Contain("encode-segment=");
        Farm(node, "queues").Stdout.Should().MatchRegex(@"encode-segment\s.*cpu\s.*0\s");
        var sharding = Farm(node, "sharding", "show");
        sharding.Exit.Should().Be(0, sharding.Stderr);
        sharding.Stdout.Should().Contain("akka.tcp://renderfarm@127.0.0.1", "the one gateway hosts the job shards");

        var drain = Farm(node, "cluster", "drain", "solo");
        drain.Stdout.Trim().Should().Be("solo: Draining");
        var (_, nodes) = await new FarmApi(node.Url, FarmTestBed.Token).SendAsync(HttpMethod.Get, "admin/cluster");
        nodes[0].GetProperty("State").GetString().Should().Be("Draining");
        Farm(node, "cluster", "enable", "solo").Stdout.Trim().Should().Be("solo: Active");

        var denied = Tool.Run("dotnet", Path.Combine(AppContext.BaseDirectory, "farm.dll"), "cluster", "show", "--gateway", node.Url);
        denied.Exit.Should().Be(2, "the operator token is required");
        denied.Stderr.Should().Contain("Authorization");
    }

    [Fact]
    public async Task Submissions_are_idempotent_by_client_token_and_the_webhook_is_retried()
    {
        using var hook = new WebhookReceiver(failFirst: 1);
        var env = _bed.Environment("solo");
        env["RENDERFARM_ALLOWED_HOSTS"] = hook.HostPort; // NotifyAddress follows the outbound policy
        var node = await FarmNodeProcess.StartAsync("solo", "gateway,cpu", env);
        _nodes.Add(node);
        using var api = new FarmApi(node.Url, FarmTestBed.Token);
        var request = $$"""
            {"Timeline":{{_bed.Timeline(2, seconds: 1)}},"OutputMediaConfig":{"Width":320,"Height":180},
             "ClientToken":"once-only-1","UserData":"{\"NotifyAddress\":\"{{hook.Url}}\"}"}
            """;
        var first = await api.SubmitAsync(request);
        var second = await api.SubmitAsync(request);
        second.Should().Be(first, "the same ClientToken answers with the same job");

        var done = await api.WaitAsync(first, TimeSpan.FromMinutes(2), () => node.Log);
        done.GetProperty("Status").GetString().Should().Be("Success");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (hook.Delivered == 0 && DateTime.UtcNow < deadline) await Task.Delay(100, TestContext.Current.CancellationToken);
        hook.Attempts.Should().Be(2, "the first call got HTTP 500 and was retried");
        var body = JsonDocument.Parse(hook.LastBody!).RootElement;
        body.GetProperty("EventType").GetString().Should().Be("ProduceMediaComplete");
        body.GetProperty("MessageBody").GetProperty("JobId").GetString().Should().Be(first);
        body.GetProperty("MessageBody").GetProperty("Status").GetString().Should().Be("Success");
        var (_, list) = await api.SendAsync(HttpMethod.Get, "ListMediaProducingJobs?Status=Success&MaxResults=5");
        list.GetProperty("MediaProducingJobList").GetArrayLength().Should().Be(1);
        (await api.JobAsync(first)).GetProperty("History").EnumerateArray()
            .Should().Contain(h => h.GetProperty("Event").GetString() == "Notified" && h.GetProperty("Detail").GetString() == hook.Url);
    }

    [Fact]
    public async Task Health_metrics_and_openapi_are_served_and_metrics_count_the_work_done()
    {
        var node = await FarmNodeProcess.StartAsync("solo", "gateway,cpu", _bed.Environment("solo"));
        _nodes.Add(node);
        using var http = new HttpClient();
        var ct = TestContext.Current.CancellationToken;
        (await http.GetStringAsync($"{node.Url}/healthz", ct)).Should().Be("ok");
        (await http.GetStringAsync($"{node.Url}/readyz", ct)).Should().Be("ready");
        var idle = await http.GetStringAsync($"{node.Url}/metrics", ct);
        idle.Should().Contain("renderfarm_queue_depth{kind=\"encode-segment\",placement=\"cpu\"} 0")
            .And.Contain("renderfarm_tasks_running{kind=\"matte\"} 0")
            .And.Contain("# TYPE renderfarm_task_duration_seconds summary")
            .And.Contain("renderfarm_render_frames_per_second 0\n");
        var openapi = await http.GetStringAsync($"{node.Url}/openapi/v1.json", ct);
        openapi.Should().Contain("/SubmitMediaProducingJob").And.Contain("/GetBatchMediaProducingJob");

        using var api = new FarmApi(node.Url, FarmTestBed.Token);
        var jobId = await api.SubmitAsync($$"""{"Timeline":{{_bed.Timeline(4, seconds: 2)}},"OutputMediaConfig":{"Width":320,"Height":180} }""");
        var done = await api.WaitAsync(jobId, TimeSpan.FromMinutes(2), () => node.Log);
        var segments = FarmTestBed.Tasks(done).Count();
        segments.Should().BeGreaterThan(1);
        var busy = await http.GetStringAsync($"{node.Url}/metrics", ct);
        busy.Should().Contain($"renderfarm_tasks_total{{kind=\"encode-segment\",state=\"succeeded\"}} {segments}\n")
            .And.Contain($"renderfarm_task_duration_seconds_count{{kind=\"encode-segment\"}} {segments}\n")
            .And.Contain("renderfarm_task_duration_seconds_count{kind=\"assemble\"} 1\n")
            .And.Contain("renderfarm_queue_depth{kind=\"encode-segment\",placement=\"cpu\"} 0");
        var fps = System.Text.RegularExpressions.Regex.Match(busy, @"renderfarm_render_frames_per_second ([0-9.]+)\n");
        double.Parse(fps.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture).Should().BePositive("segments were rendered at some speed");
    }

    [Fact]
    public async Task Job_lists_filter_by_status_and_time_and_page_with_NextToken()
    {
        var node = await FarmNodeProcess.StartAsync("solo", "gateway,cpu", _bed.Environment("solo"));
        _nodes.Add(node);
        using var api = new FarmApi(node.Url, FarmTestBed.Token);
        var broken = Path.Combine(_bed.Media.Directory, "broken.mp4");
        File.WriteAllText(broken, "not a video");
        var good = new List<string>();
        for (var i = 0; i < 3; i++)
            good.Add(await api.SubmitAsync($$"""{"Timeline":{{_bed.Timeline(10 + i, seconds: 1)}},"OutputMediaConfig":{"Width":320,"Height":180} }"""));
        var failed = await api.SubmitAsync($$"""{"Timeline":{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"{{broken}}"}]}]},"OutputMediaConfig":{"Width":320,"Height":180} }""");
        foreach (var id in good) (await api.WaitAsync(id, TimeSpan.FromMinutes(2), () => node.Log)).GetProperty("Status").GetString().Should().Be("Success");
        (await api.WaitAsync(failed, TimeSpan.FromMinutes(1), () => node.Log)).GetProperty("Status").GetString().Should().Be("Failed");

        async Task<(List<string> Ids, string? Next)> List(string query)
        {
            var (status, page) = await api.SendAsync(HttpMethod.Get, "ListMediaProducingJobs?" + query);
            status.Should().Be(200, page.ToString());
            var next = page.TryGetProperty("NextToken", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            return (page.GetProperty("MediaProducingJobList").EnumerateArray().Select(j => j.GetProperty("JobId").GetString()!).ToList(), next);
        }

        (await List("Status=Success")).Ids.Should().BeEquivalentTo(good);
        (await List("Status=Failed")).Ids.Should().Equal(failed);
        (await List("StartTime=2100-01-01T00:00:00Z")).Ids.Should().BeEmpty("nothing was created after that time");
        var seen = new List<string>();
        string? token = null;
        for (var page = 0; page < 10; page++)
        {
            var (ids, next) = await List("MaxResults=1" + (token is null ? "" : "&NextToken=" + Uri.EscapeDataString(token)));
            ids.Should().HaveCountLessThanOrEqualTo(1);
            seen.AddRange(ids);
            if ((token = next) is null) break;
        }
        seen.Should().BeEquivalentTo(good.Append(failed), "paging one at a time visits every job once, newest first")
            .And.Equal(good.Append(failed).Reverse());

        var (badStatus, bad) = await api.SendAsync(HttpMethod.Get, "ListMediaProducingJobs?NextToken=garbage");
        badStatus.Should().Be(400);
        bad.GetProperty("Field").GetString().Should().Be("NextToken");
    }
}

/// <summary>A local HTTP endpoint for NotifyAddress callbacks that can fail its first calls.</summary>
public sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private int _attempts;
    private int _delivered;

    /// <summary>Calls up to this attempt number are answered HTTP 500.</summary>
    public int FailFirst { get; set; }

    public string Url { get; }
    /// <summary>The entry RENDERFARM_ALLOWED_HOSTS needs for callbacks to reach this receiver.</summary>
    public string HostPort { get; }
    public int Attempts => _attempts;
    public int Delivered => _delivered;
    public string? LastBody { get; private set; }

    public WebhookReceiver(int failFirst)
    {
        FailFirst = failFirst;
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        HostPort = $"127.0.0.1:{port}";
        Url = $"http://{HostPort}/hook";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _ = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try { context = await _listener.GetContextAsync(); } catch (Exception) { return; }
                var attempt = Interlocked.Increment(ref _attempts);
                LastBody = await new StreamReader(context.Request.InputStream).ReadToEndAsync();
                var fail = attempt <= FailFirst;
                context.Response.StatusCode = fail ? 500 : 200;
                if (!fail) Interlocked.Increment(ref _delivered);
                context.Response.Close();
            }
        });
    }

    public void Dispose() => _listener.Close();
}
