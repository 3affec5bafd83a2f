using FluentAssertions;
using RenderFarm.TestSupport;
using RenderFarm.TestSupport.Farm;
using Xunit;

namespace RenderFarm.IntegrationTests;

/// <summary>/readyz names what is wrong; the node heals by itself once it is fixed; a crash's leftovers are gone after a start.</summary>
public sealed class HealthTests : IDisposable
{
    private readonly FarmTestBed _bed = new();
    private readonly List<string> _immutable = [];

    public void Dispose()
    {
        Chattr("-i", _immutable);
        _bed.Dispose();
    }

    /// <summary>chattr +i: the one fault that stops writes as root too (chmod does not), on ext4 and most Linux file systems.</summary>
    private static bool Chattr(string flag, IReadOnlyList<string> paths)
    {
        if (paths.Count == 0) return true;
        try
        {
            var (exit, _, _) = Tool.Run("chattr", [flag, .. paths]);
            return exit == 0;
        }
        catch (Exception) { return false; }
    }

    private static async Task<(int Status, string Body)> ReadyzAsync(FarmNodeProcess node)
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync($"{node.Url}/readyz", TestContext.Current.CancellationToken);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<(int Status, string Body)> EventuallyAsync(FarmNodeProcess node, Func<(int Status, string Body), bool> until, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (node.Exited) return (0, "");
            var r = await ReadyzAsync(node);
            if (until(r) || DateTime.UtcNow > deadline) return r;
            await Task.Delay(250);
        }
    }

    private string Job(int clips) => $$"""{"Timeline":{{_bed.Timeline(clips, seconds: 1)}},"OutputMediaConfig":{"Width":320,"Height":180} }""";

    [Fact]
    public async Task A_store_that_cannot_be_written_fails_readyz_and_submits_then_heals_without_a_restart()
    {
        var env = _bed.Environment("solo");
        using var node = await FarmNodeProcess.StartAsync("solo", "gateway,cpu", env);
        using var api = new FarmApi(node.Url, FarmTestBed.Token);
        var data = env["RENDERFARM_DATA_DIR"];
        // Known limit: a journal write of the sharding coordinator's first events failing stops the node (Akka), so the fault comes after them.
        for (var i = 0; i < 50 && !node.Log.Contains("joined the work queue"); i++) await Task.Delay(200, TestContext.Current.CancellationToken);
        await Task.Delay(3000, TestContext.Current.CancellationToken);
        // Not the -shm files: SQLite maps them, and a write to a mapping of an immutable file kills the process (SIGBUS), which no disk fault does.
        var files = Directory.GetFiles(data, "*.db*").Where(f => !f.EndsWith("-shm", StringComparison.Ordinal)).ToList();
        Assert.SkipUnless(Chattr("+i", files), "needs chattr +i (Linux, ext4 or alike)");
        _immutable.AddRange(files);

        var (status, body) = await EventuallyAsync(node, r => node.Exited || r.Status == 503 && r.Body.Contains("store:"), TimeSpan.FromSeconds(15));
        node.Exited.Should().BeFalse(node.Log);
        status.Should().Be(503, node.Log);
        body.Should().Contain("store: cannot write").And.Contain("renderfarm.db is not writable");
        var (submit, answer) = await api.SendAsync(HttpMethod.Post, "SubmitMediaProducingJob", Job(1));
        submit.Should().Be(503);
        answer.GetProperty("Code").GetString().Should().Be("ServiceUnavailable");
        answer.GetProperty("Message").GetString().Should().Contain("store");

        Chattr("-i", files).Should().BeTrue();
        _immutable.Clear();
        (status, body) = await EventuallyAsync(node, r => r.Status == 200, TimeSpan.FromSeconds(10));
        status.Should().Be(200, $"the node heals by itself once the store is writable: {body}\n{node.Log}");
        var job = await api.SubmitAsync(Job(1));
        (await api.WaitAsync(job, TimeSpan.FromMinutes(2), () => node.Log)).GetProperty("Status").GetString().Should().Be("Success", node.Log);
    }

    [Fact]
    public async Task A_deleted_output_or_data_directory_is_named_by_readyz()
    {
        var env = _bed.Environment("solo");
        using var node = await FarmNodeProcess.StartAsync("solo", "gateway,cpu", env);
        Directory.Delete(_bed.Outputs, recursive: true);
        var (status, body) = await EventuallyAsync(node, r => r.Status == 503, TimeSpan.FromSeconds(10));
        status.Should().Be(503);
        body.Should().Contain($"output directory {_bed.Outputs}: missing");

        Directory.CreateDirectory(_bed.Outputs);
        (await EventuallyAsync(node, r => r.Status == 200, TimeSpan.FromSeconds(10))).Status.Should().Be(200);

        // The running node may write a file into it while it is being emptied (as with rm -rf): delete until it is gone.
        for (var attempt = 0; ; attempt++)
        {
            try { Directory.Delete(env["RENDERFARM_DATA_DIR"], recursive: true); break; }
            catch (IOException) when (attempt < 20) { await Task.Delay(50, TestContext.Current.CancellationToken); }
        }
        (status, body) = await EventuallyAsync(node, r => r.Status == 503, TimeSpan.FromSeconds(10));
        body.Should().Contain($"data directory {env["RENDERFARM_DATA_DIR"]}: missing").And.Contain("not recreated");
        Directory.Exists(env["RENDERFARM_DATA_DIR"]).Should().BeFalse("the node does not silently start an empty database");
        for (var wait = 0; wait < 50 && !node.Log.Contains("not ready: data directory"); wait++) await Task.Delay(100, TestContext.Current.CancellationToken);
        node.Log.Should().Contain("not ready: data directory", "the cause is logged as well as answered");
    }

    [Fact]
    public async Task Leftovers_of_a_crash_are_gone_after_a_node_start()
    {
        var env = _bed.Environment("solo");
        var data = env["RENDERFARM_DATA_DIR"];
        string Leftover(string path, bool directory = false)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            if (directory) { Directory.CreateDirectory(path); File.WriteAllText(Path.Combine(path, "concat.txt"), "x"); }
            else File.WriteAllText(path, "half");
            var longAgo = DateTime.UtcNow.AddHours(-2); // crashed a while ago: quiet even in shared directories
            foreach (var f in directory ? Directory.GetFiles(path) : []) File.SetLastWriteTimeUtc(f, longAgo);
            if (directory) Directory.SetLastWriteTimeUtc(path, longAgo); else File.SetLastWriteTimeUtc(path, longAgo);
            return path;
        }
        var download = Leftover(Path.Combine(env["RENDERFARM_CACHE_DIR"], "downloads", "abc.mp4.0123.part"));
        var render = Leftover(Path.Combine(_bed.Outputs, ".video.partial-0123.mp4"));
        var work = Leftover(Path.Combine(_bed.Artifacts, "tmp", ".renderfarm-work-0123"), directory: true);
        var kept = Path.Combine(_bed.Outputs, "video.mp4");
        File.WriteAllText(kept, "a finished video");

        using var node = await FarmNodeProcess.StartAsync("solo", "gateway,cpu", env);

        File.Exists(download).Should().BeFalse();
        File.Exists(render).Should().BeFalse();
        Directory.Exists(work).Should().BeFalse();
        File.Exists(kept).Should().BeTrue();
        using var http = new HttpClient();
        var metrics = await http.GetStringAsync($"{node.Url}/metrics", TestContext.Current.CancellationToken);
        metrics.Should().Contain("renderfarm_leftovers_removed_total 3").And.Contain("renderfarm_cache_bytes{cache=\"downloads\"}")
            .And.Contain("renderfarm_cache_evictions_total{cache=\"artifacts\"} 0");
    }
}
