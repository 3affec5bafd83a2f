using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using FluentAssertions;
using Microsoft.Playwright;
using RenderFarm.TestSupport;
using RenderFarm.TestSupport.Farm;
using Xunit;

namespace RenderFarm.IntegrationTests;

/// <summary>
/// One embedded node and one headless chromium (Debian's, never Playwright's download) that every web monitor test
/// shares; a read-only API key beside the operator token; an analysed library entry with text on it.
/// </summary>
public sealed class MonitorFarm : IAsyncLifetime
{
    public static readonly string[] ChromiumArgs =
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"];

    public FarmTestBed Bed { get; } = new();
    public FarmNodeProcess Node { get; private set; } = null!;
    public FarmApi Api { get; private set; } = null!;
    public IPlaywright Playwright { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public string ReadKey { get; private set; } = "";
    public string MediaId { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        // One encode slot, so a job's progress climbs in visible steps.
        Node = await FarmNodeProcess.StartAsync("monitor", "gateway,cpu", Bed.Environment("monitor"), "--slots", "encode-segment=1");
        Api = new FarmApi(Node.Url, FarmTestBed.Token);
        var (_, key) = await Api.SendAsync(HttpMethod.Post, "admin/keys", """{"Name":"viewer","Scope":"read"}""");
        ReadKey = key.GetProperty("Key").GetString()!;
        var (status, media) = await Api.SendAsync(HttpMethod.Post, "RegisterMediaInfo", new JsonObject { ["InputURL"] = TextClip("HELLO"), ["Title"] = "sign" }.ToJsonString());
        status.Should().Be(200, media.ToString());
        MediaId = media.GetProperty("MediaId").GetString()!;
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ChromiumArgs });
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        Playwright?.Dispose();
        Api?.Dispose();
        Node?.Dispose();
        Bed.Dispose();
    }

    /// <summary>A new browser context signed in with <paramref name="credential"/> through the login form (null: not signed in).</summary>
    public async Task<IPage> OpenAsync(string? credential, string route = "#/jobs")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Node.Url, ViewportSize = new ViewportSize { Width = 1280, Height = 860 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/ui/" + route);
        if (credential is null) return page;
        await page.FillAsync("#login input[name=token]", credential);
        await page.ClickAsync("#login button[type=submit]");
        await Assertions.Expect(page.Locator("#session")).ToContainTextAsync("signed in");
        return page;
    }

    /// <summary>A 2 s 320x180 clip showing one word.</summary>
    public string TextClip(string word)
    {
        var font = System.Text.Encoding.UTF8.GetString(Tool.Run("fc-match", "-f", "%{file}", "DejaVu Sans:bold").Stdout);
        var path = Path.Combine(Bed.Media.Directory, word.ToLowerInvariant() + ".mp4");
        Tool.Ffmpeg("-f", "lavfi", "-i", "color=c=white:s=320x180:r=25:d=2",
            "-vf", $"drawtext=fontfile={font}:text={word}:fontsize=56:fontcolor=black:x=(w-tw)/2:y=(h-th)/2",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", path);
        return path;
    }

    public string Timeline(string name, double seconds) =>
        $$"""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"{{Bed.Media.PatternVideo(name, seconds, 320, 180)}}"}]}]}""";

    /// <summary>
    /// Where each page's screenshot goes: the directory RENDERFARM_SCREENSHOTS_DIR names (the README's come from
    /// `RENDERFARM_SCREENSHOTS_DIR=$PWD/docs bash scripts/test.sh --filter MonitorTests`), else a scratch directory,
    /// so an ordinary test run leaves the repository's files alone.
    /// </summary>
    public static string Screenshot(string name)
    {
        var dir = Environment.GetEnvironmentVariable("RENDERFARM_SCREENSHOTS_DIR") is { Length: > 0 } configured
            ? configured : Path.Combine(Path.GetTempPath(), "renderfarm-ui-screenshots");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, $"ui-{name}.png");
    }
}

/// <summary>
/// The web monitor in a real browser: live progress without a reload, playing a finished video, operator actions
/// only with the operator token (and a CSRF header), text shown as text, and /metrics after real work.
/// </summary>
public sealed class MonitorTests(MonitorFarm farm) : IClassFixture<MonitorFarm>
{
    private static readonly TimeSpan Render = TimeSpan.FromMinutes(2);
    private static LocatorAssertionsToHaveTextOptions Within(TimeSpan t) => new() { Timeout = (float)t.TotalMilliseconds };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Single(string timeline, string extra = "") =>
        "{\"Timeline\":" + timeline + ",\"OutputMediaConfig\":{\"Width\":320,\"Height\":180}" + extra + "}";

    [Fact]
    public async Task A_batch_rises_in_its_page_without_reload_and_its_outputs_play_side_by_side()
    {
        var body = $$"""{"Timelines":[{{farm.Timeline("left.mp4", 2)}},{{farm.Timeline("right.mp4", 2)}}],"OutputConfig":{"MediaURL":"ui/out_{index}.mp4","Width":320,"Height":180,"Fps":25},"UserData":"{\"Name\":\"two outputs\"}"}""";
        var jobId = await farm.Api.SubmitBatchAsync(body);
        var page = await farm.OpenAsync(FarmTestBed.Token, "#/job/" + jobId);
        await page.EvaluateAsync("() => { window.sameDocument = true; }");

        var seen = new List<int>();
        var deadline = DateTime.UtcNow + Render;
        while (DateTime.UtcNow < deadline)
        {
            var value = int.Parse(await page.Locator("#job-progress").GetAttributeAsync("data-value") ?? "0", CultureInfo.InvariantCulture);
            if (seen.Count == 0 || seen[^1] != value) seen.Add(value);
            if (await page.Locator("#job-status").TextContentAsync() == "Success") break;
            await Task.Delay(150, Ct);
        }
        await Assertions.Expect(page.Locator("#job-status")).ToHaveTextAsync("Success", Within(TimeSpan.FromSeconds(5)));
        (await page.EvaluateAsync<bool>("() => window.sameDocument === true")).Should().BeTrue("the page was never reloaded");
        seen.Should().BeInAscendingOrder().And.Contain(v => v > 0 && v < 100, "progress rose in steps: {0}", string.Join(",", seen));
        (await page.Locator("#job-name").TextContentAsync()).Should().Be("two outputs");

        // Both outputs side by side, each with one still per segment; the first plays.
        var videos = page.Locator("video");
        await Assertions.Expect(videos).ToHaveCountAsync(2);
        var (a, b) = (await videos.Nth(0).BoundingBoxAsync(), await videos.Nth(1).BoundingBoxAsync());
        a!.Y.Should().BeApproximately(b!.Y, 1, "the outputs are in one row");
        b.X.Should().BeGreaterThan(a.X + a.Width - 1);
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('.strip img')].every(i => i.complete && i.naturalWidth > 0)");
        var segments = await page.EvaluateAsync<int>("() => document.querySelectorAll('.card[data-index=\"0\"] .strip img').length");
        segments.Should().Be(2, "2 s at 1 s per segment");
        await page.EvaluateAsync("() => document.querySelector('video').play()");
        await page.WaitForFunctionAsync("() => document.querySelector('video').currentTime > 0.5", null, new PageWaitForFunctionOptions { Timeout = 15000 });

        // Every task that ran is a bar on its node's row of the timeline.
        var ran = (await farm.Api.SendAsync(HttpMethod.Get, $"admin/jobs/{jobId}")).Body.GetProperty("Tasks").EnumerateArray()
            .Count(t => t.GetProperty("StartedAt").ValueKind == JsonValueKind.String && !t.GetProperty("Reused").GetBoolean());
        (await page.Locator("#timeline rect[data-task]").CountAsync()).Should().Be(ran);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = MonitorFarm.Screenshot("job") });

        await page.GotoAsync("/ui/#/jobs");
        await Assertions.Expect(page.Locator($"tr[data-job='{jobId}']")).ToContainTextAsync("Success");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = MonitorFarm.Screenshot("jobs") });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Cancel_is_refused_without_the_operator_token_and_works_with_it_as_do_drain_and_enable()
    {
        var jobId = await farm.Api.SubmitAsync(Single(farm.Timeline("long.mp4", 12)));
        await farm.Api.WaitForAsync(jobId, j => j.GetProperty("Status").GetString() == "Processing", Render);

        var viewer = await farm.OpenAsync(farm.ReadKey, "#/job/" + jobId);
        await Assertions.Expect(viewer.Locator("#cancel")).ToBeDisabledAsync();
        var refused = await viewer.EvaluateAsync<int>("async () => (await fetch('/admin/jobs/" + jobId + "/cancel', {method: 'POST', " +
            "headers: {'X-CSRF-Token': document.cookie.split('; ').find(c => c.startsWith('renderfarm_csrf=')).slice(16)}})).status");
        refused.Should().Be(403, "a read key may watch but not cancel");
        (await viewer.Context.CookiesAsync()).Single(c => c.Name == "renderfarm_session").HttpOnly.Should().BeTrue();
        await viewer.Context.CloseAsync();

        using (var anonymous = new HttpClient())
            (await anonymous.PostAsync($"{farm.Node.Url}/admin/jobs/{jobId}/cancel", null, Ct)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        var operatorPage = await farm.OpenAsync(FarmTestBed.Token, "#/job/" + jobId);
        var forged = await operatorPage.EvaluateAsync<int>($"async () => (await fetch('/admin/jobs/{jobId}/cancel', {{method: 'POST'}})).status");
        forged.Should().Be(403, "the session cookie alone, without the CSRF header, is refused");
        (await farm.Api.JobAsync(jobId)).GetProperty("Status").GetString().Should().Be("Processing", "nothing refused changed the job");

        await operatorPage.ClickAsync("#cancel");
        await Assertions.Expect(operatorPage.Locator("#job-status")).ToHaveTextAsync("Cancelled", Within(TimeSpan.FromSeconds(30)));
        (await farm.Api.JobAsync(jobId)).GetProperty("Status").GetString().Should().Be("Cancelled");

        // The node commands work the same way: drain, then enable again.
        await operatorPage.GotoAsync("/ui/#/nodes");
        var row = operatorPage.Locator("tr[data-node='monitor']");
        await row.GetByRole(AriaRole.Button, new() { Name = "drain" }).ClickAsync();
        await Assertions.Expect(row.Locator("td").Nth(3)).ToHaveTextAsync("Draining", Within(TimeSpan.FromSeconds(15)));
        await row.GetByRole(AriaRole.Button, new() { Name = "enable" }).ClickAsync();
        await Assertions.Expect(row.Locator("td").Nth(3)).ToHaveTextAsync("Active", Within(TimeSpan.FromSeconds(15)));
        await operatorPage.Context.CloseAsync();
    }

    [Fact]
    public async Task A_job_named_with_a_script_tag_shows_the_tag_as_text()
    {
        const string name = "<script>alert(1)</script>";
        var jobId = await farm.Api.SubmitAsync(Single(farm.Timeline("named.mp4", 1), ",\"UserData\":" + JsonSerializer.Serialize(name)));
        var page = await farm.OpenAsync(FarmTestBed.Token);
        var dialogs = 0;
        page.Dialog += (_, dialog) => { dialogs++; _ = dialog.DismissAsync(); };

        await page.GotoAsync("/ui/#/jobs?text=" + Uri.EscapeDataString("alert(1)"));
        var row = page.Locator($"tr[data-job='{jobId}']");
        await Assertions.Expect(row.Locator("td.name")).ToHaveTextAsync(name);
        (await page.Locator("tbody#jobs tr").CountAsync()).Should().Be(1, "the search finds the job by a part of its name");
        await page.GotoAsync("/ui/#/job/" + jobId);
        await Assertions.Expect(page.Locator("#job-name")).ToHaveTextAsync(name);
        (await page.EvaluateAsync<int>("() => document.querySelectorAll('main script').length")).Should().Be(0);
        dialogs.Should().Be(0, "no script from a job name ran");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Metrics_after_real_work_keep_the_old_names_and_add_waits_utilisation_and_throughput()
    {
        // The nodes page graphs the metrics while it is open: open it before the work.
        var page = await farm.OpenAsync(farm.ReadKey, "#/nodes");
        // Throughput is a rate between samples: the page must have one from before the job ends.
        await page.WaitForFunctionAsync("() => Number(document.querySelector('#chart-throughput')?.dataset.samples) > 0", null,
            new PageWaitForFunctionOptions { Timeout = 60000 });
        var jobId = await farm.Api.SubmitAsync(Single(farm.Timeline("metered.mp4", 2)));
        (await farm.Api.WaitAsync(jobId, Render, () => farm.Node.Log)).GetProperty("Status").GetString().Should().Be("Success");
        using var http = new HttpClient();
        var text = await http.GetStringAsync($"{farm.Node.Url}/metrics", Ct);
        var samples = text.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        double Value(string series) => double.Parse(samples.Single(l => l.StartsWith(series + " ", StringComparison.Ordinal)).Split(' ')[^1], CultureInfo.InvariantCulture);
        bool Has(string name) => samples.Any(l => l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal));

        string[] old = ["renderfarm_queue_depth", "renderfarm_tasks_running", "renderfarm_tasks_total", "renderfarm_task_duration_seconds_sum",
            "renderfarm_task_duration_seconds_count", "renderfarm_render_frames_per_second", "renderfarm_nodes", "renderfarm_cache_bytes",
            "renderfarm_cache_max_bytes", "renderfarm_cache_evictions_total", "renderfarm_cache_evicted_bytes_total", "renderfarm_leftovers_removed_total"];
        string[] added = ["renderfarm_task_wait_seconds_bucket", "renderfarm_task_wait_seconds_sum", "renderfarm_task_wait_seconds_count",
            "renderfarm_worker_utilisation", "renderfarm_worker_slots", "renderfarm_node_running_tasks", "renderfarm_jobs_finished_total"];
        old.Concat(added).Where(n => !Has(n)).Should().BeEmpty(text);
        Value("renderfarm_tasks_total{kind=\"encode-segment\",state=\"succeeded\"}").Should().BeGreaterThanOrEqualTo(2);
        Value("renderfarm_task_duration_seconds_count{kind=\"encode-segment\"}").Should().BeGreaterThanOrEqualTo(2);
        Value("renderfarm_task_wait_seconds_count{kind=\"encode-segment\"}").Should().BeGreaterThanOrEqualTo(2, "each segment waited in the queue once at least");
        Value("renderfarm_jobs_finished_total{kind=\"Single\",status=\"Success\"}").Should().BeGreaterThanOrEqualTo(1);
        Value("renderfarm_render_frames_per_second").Should().BeGreaterThan(0);
        Value("renderfarm_nodes{state=\"Active\",alive=\"true\"}").Should().Be(1);

        await Assertions.Expect(page.Locator("tr[data-node='monitor']")).ToContainTextAsync("encode-segment 0/1");
        await page.WaitForFunctionAsync("() => Number(document.querySelector('#chart-utilisation')?.dataset.max) > 0 && Number(document.querySelector('#chart-throughput')?.dataset.max) > 0",
            null, new PageWaitForFunctionOptions { Timeout = 20000 });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = MonitorFarm.Screenshot("nodes"), FullPage = true });
        await page.GotoAsync("/ui/#/queues");
        await Assertions.Expect(page.Locator("tr[data-kind='encode-segment']")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = MonitorFarm.Screenshot("queues") });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_library_shows_each_shot_with_its_keyframe_and_the_text_read_on_it()
    {
        var page = await farm.OpenAsync(farm.ReadKey, "#/library/" + farm.MediaId);
        await Assertions.Expect(page.Locator("#shots figure").First).ToBeVisibleAsync(new() { Timeout = 120_000 });
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('#shots img')].every(i => i.complete && i.naturalWidth > 0)");
        (await page.Locator("#shots img").CountAsync()).Should().BeGreaterThan(0);
        await Assertions.Expect(page.Locator("#shots .ocr").First).ToContainTextAsync("HELLO");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = MonitorFarm.Screenshot("library"), FullPage = true });

        // A keyframe is found through its entry: an index past the shots, or another entry's id, is a 404, never a file.
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", farm.ReadKey);
        (await http.GetAsync($"{farm.Node.Url}/ui/media/library/{farm.MediaId}/shots/99", Ct)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await http.GetAsync($"{farm.Node.Url}/ui/media/library/..%2F..%2Fetc/shots/0", Ct)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await http.GetAsync($"{farm.Node.Url}/ui/media/jobs/nosuchjob/videos/0", Ct)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        await page.Context.CloseAsync();
    }
}
