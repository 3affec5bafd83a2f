using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RenderFarm.Cluster.Dispatch;
using RenderFarm.Cluster.Hosting;
using RenderFarm.Cluster.Lifecycle;
using RenderFarm.Cluster.Model;
using RenderFarm.Cluster.Workers;
using RenderFarm.TestSupport;
using RenderFarm.TestSupport.Farm;
using RenderFarm.TestSupport.Servers;

namespace RenderFarm.Benchmarks;

/// <summary>
/// The runtime at a scale this machine cannot render: a real gateway process (job entities, work queue,
/// read model in PostgreSQL) and N worker nodes, each an actor system in this process running the real
/// WorkerNode (pulling, claiming, heartbeats, reports) with one slot, whose task runner only waits
/// 200 ms. Prints dispatch efficiency (ideal time / wall time, target 0.9), the gateway's peak memory,
/// and the time a restarted gateway takes to recover a 100-video batch after kill -9.
/// </summary>
public static class ScaleSimulation
{
    private static readonly TimeSpan TaskTime = TimeSpan.FromMilliseconds(200);

    /// <summary>Stands in for ffmpeg and models: every task takes 200 ms and produces nothing.</summary>
    private sealed class WaitingTaskRunner : ITaskRunner
    {
        public async Task<TaskOutcome> RunAsync(TaskAssignment task, VideoSpec video, CancellationToken ct)
        {
            await Task.Delay(TaskTime, ct);
            return new TaskOutcome(false, TaskTime);
        }
    }

    public static async Task RunAsync(TempDir bed, PostgresServer postgres, int workers, int jobs)
    {
        var run = Path.Combine(bed.Path, "simulation");
        var media = new TestMedia(Path.Combine(run, "media"));
        var clip = media.PatternVideo("long.mp4", 20, 320, 240, toneHz: 300);
        var database = postgres.CreateDatabase("simulation");
        var ports = Enumerable.Range(0, workers + 1).Select(_ => FarmNodeProcess.FreePort()).ToList();
        // The gateway and the first two workers are seeds, so a restarted gateway finds the running cluster.
        var seeds = ports.Take(3).Select(p => $"akka.tcp://renderfarm@127.0.0.1:{p}").ToArray();
        Dictionary<string, string> GatewayEnv() => new()
        {
            ["RENDERFARM_POSTGRES"] = database,
            ["RENDERFARM_SEED_NODES"] = string.Join(",", seeds),
            ["RENDERFARM_REMOTE_HOSTNAME"] = "127.0.0.1",
            ["RENDERFARM_PUBLIC_HOSTNAME"] = "127.0.0.1",
            ["RENDERFARM_REMOTE_PORT"] = ports[0].ToString(CultureInfo.InvariantCulture),
            ["RENDERFARM_DATA_DIR"] = Path.Combine(run, "gateway"),
            ["RENDERFARM_ARTIFACTS"] = Path.Combine(run, "artifacts"),
            ["RENDERFARM_OUTPUT_DIR"] = Path.Combine(run, "outputs"),
            ["RENDERFARM_ALLOWED_ROOTS"] = media.Directory,
            ["RENDERFARM_OPERATOR_TOKEN"] = "bench",
            ["RENDERFARM_RATE_LIMIT"] = "0", // the benchmark measures the farm, not the per-client limit
            ["RENDERFARM_SEGMENT_SECONDS"] = "0.2",
            ["RENDERFARM_DOWN_AFTER_SECONDS"] = "3",
        };
        Console.WriteLine($"scale simulation: a gateway process and {workers} worker nodes (actor systems in one process, 1 slot each) whose tasks wait {TaskTime.TotalMilliseconds:0} ms");
        var gateway = await FarmNodeProcess.StartAsync("gateway", "gateway", GatewayEnv());
        var hosts = new List<IHost>();
        try
        {
            for (var i = 0; i < workers; i++) hosts.Add(await StartWorkerAsync($"sim{i:D2}", ports[i + 1], seeds, database, run));
            using var api = new FarmApi(gateway.Url, "bench");
            await WaitForWorkersAsync(api, workers);

            // 20 jobs of one 20 s video in 0.2 s segments: 100 segments, the audio mix and the assembly each.
            var request = $$"""{"Timeline":{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"{{clip}}"}]}]},"OutputMediaConfig":{"MediaURL":"sim/out.mp4","Width":320,"Height":240,"Fps":25} }""";
            // A small job first, so one-off start-up costs (JIT, first connections, first probe) are not counted.
            var warmup = await api.SubmitAsync(request.Replace("sim/out.mp4", "sim/warmup.mp4").Replace($"\"{clip}\"", $"\"{clip}\",\"Out\":2"));
            await api.WaitAsync(warmup, TimeSpan.FromMinutes(5), () => gateway.Log);
            var ids = await Task.WhenAll(Enumerable.Range(0, jobs).Select(i => api.SubmitAsync(request.Replace("sim/out.mp4", $"sim/out{i}.mp4"))));
            var done = new List<JsonElement>();
            foreach (var id in ids) done.Add(await api.WaitAsync(id, TimeSpan.FromMinutes(10), () => gateway.Log, TimeSpan.FromSeconds(2)));
            if (done.Any(j => j.GetProperty("Status").GetString() != "Success")) throw new InvalidOperationException("a simulated job failed:\n" + gateway.Log);
            static DateTimeOffset At(JsonElement h) => DateTimeOffset.Parse(h.GetProperty("At").GetString()!, CultureInfo.InvariantCulture);
            var histories = done.SelectMany(j => j.GetProperty("History").EnumerateArray()).ToList();
            var first = histories.Min(At);
            var last = histories.Where(h => h.GetProperty("Event").GetString() == "Success").Max(At);
            var tasks = done.Sum(j => j.GetProperty("Tasks").GetArrayLength());
            var wall = (last - first).TotalSeconds;
            var ideal = tasks * TaskTime.TotalSeconds / workers;
            Console.WriteLine($"simulation: {jobs} jobs, {tasks} tasks on {workers} one-slot workers: {wall:0.00} s wall, ideal {ideal:0.00} s");
            ClusterBenchmark.PrintIdleTime("simulation", histories, first, last, nodePrefix: "sim", summaryOnly: true);
            Console.WriteLine($"dispatch efficiency (ideal / wall): {ideal / wall:0.00} (target >= 0.9) {(ideal / wall >= 0.9 ? "OK" : "UNDER TARGET")}");
            Console.WriteLine($"gateway peak memory (VmHWM) after {tasks} tasks: {PeakMegabytes(gateway.ProcessId):0} MB");

            // Recovery: a 100-video batch, the gateway killed -9 mid-way and started again.
            var timelines = Enumerable.Range(0, 100).Select(_ => $$"""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"{{clip}}","Out":2}]}]}""");
            var batch = $$"""{"Timelines":[{{string.Join(",", timelines)}}],"OutputConfig":{"MediaURL":"simbatch/out_{index}.mp4","Width":320,"Height":240,"Fps":25} }""";
            var batchId = await api.SubmitBatchAsync(batch);
            // Meanwhile a client asks for the batch every 50 ms: the gateway answers from its read model while it plans and runs.
            using var polling = new CancellationTokenSource();
            var latencies = PollAsync(gateway.Url, batchId, polling.Token);
            var halfway = await api.WaitForAsync(batchId, j => j.GetProperty("Progress").GetDouble() >= 50, TimeSpan.FromMinutes(10));
            polling.Cancel();
            var answered = (await latencies).Order().ToList();
            var p99 = answered[(int)Math.Min(answered.Count - 1, Math.Ceiling(answered.Count * 0.99) - 1)];
            Console.WriteLine($"GetBatchMediaProducingJob while the 100-video batch plans and runs: {answered.Count} requests, " +
                $"median {answered[answered.Count / 2]:0.0} ms, p99 {p99:0.0} ms (target < 100) {(p99 < 100 ? "OK" : "OVER TARGET")}");
            var events = halfway.GetProperty("History").GetArrayLength();
            gateway.Kill();
            var restarted = Stopwatch.StartNew();
            gateway = await FarmNodeProcess.StartAsync("gateway", "gateway", GatewayEnv());
            using var api2 = new FarmApi(gateway.Url, "bench");
            var ready = restarted.Elapsed;
            // Retrying a running job is refused by its entity: the answer comes once the entity has recovered.
            while (true)
            {
                var (status, _) = await api2.SendAsync(HttpMethod.Post, $"admin/jobs/{batchId}/retry");
                if (status == 400) break;
                await Task.Delay(20);
            }
            var recovered = restarted.Elapsed;
            Console.WriteLine($"recovery of a 100-video batch ({events} history events, {halfway.GetProperty("Tasks").GetArrayLength()} tasks) after kill -9 of its gateway: " +
                $"process ready {ready.TotalSeconds:0.00} s after start, job entity answering {recovered.TotalSeconds:0.00} s after start " +
                $"({(recovered - ready).TotalSeconds:0.00} s of recovery)");
            var finished = await api2.WaitAsync(batchId, TimeSpan.FromMinutes(10), () => gateway.Log, TimeSpan.FromSeconds(2));
            Console.WriteLine($"  the batch then finished: {finished.GetProperty("Status").GetString()}");
        }
        finally
        {
            gateway.Dispose();
            foreach (var host in hosts) await host.StopAsync(TimeSpan.FromSeconds(5));
        }
    }

    private static async Task<List<double>> PollAsync(string url, string jobId, CancellationToken ct)
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "bench");
        var latencies = new List<double>();
        while (!ct.IsCancellationRequested)
        {
            var clock = Stopwatch.StartNew();
            try
            {
                using var response = await http.GetAsync($"{url}/GetBatchMediaProducingJob?JobId={jobId}", ct);
                await response.Content.ReadAsByteArrayAsync(ct);
                if (response.IsSuccessStatusCode) latencies.Add(clock.Elapsed.TotalMilliseconds);
            }
            catch (OperationCanceledException) { break; }
            try { await Task.Delay(50, ct); } catch (OperationCanceledException) { break; }
        }
        return latencies;
    }

    private static async Task<IHost> StartWorkerAsync(string name, int port, string[] seeds, string database, string run)
    {
        var settings = new NodeSettings
        {
            NodeId = name,
            Roles = new HashSet<string> { "cpu" },
            PostgresConnection = database,
            SeedNodes = seeds,
            RemoteHostname = "127.0.0.1",
            RemotePort = port,
            PublicHostname = "127.0.0.1",
            DataDirectory = Path.Combine(run, name),
            ArtifactDirectory = Path.Combine(run, "artifacts"),
            OutputDirectory = Path.Combine(run, "outputs"),
            Slots = new Dictionary<TaskKind, int> { [TaskKind.EncodeSegment] = 1, [TaskKind.EncodeAudio] = 1, [TaskKind.Assemble] = 1 },
            MaxTasks = 1,
            DownAfter = TimeSpan.FromSeconds(3),
        }.Validate();
        var parts = new FarmRuntimeParts(null, null, null, new WaitingTaskRunner(), "simulated", _ => { });
        var host = new HostBuilder()
            .ConfigureServices(services => services.AddAkka("renderfarm", (akka, _) => FarmRuntime.Configure(akka, settings, parts, NullLoggerFactory.Instance)))
            .Build();
        await host.StartAsync();
        return host;
    }

    private static async Task WaitForWorkersAsync(FarmApi api, int workers)
    {
        // Workers write no node rows (they have no read model here): wait until the cluster has every member Up.
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            var (status, members) = await api.SendAsync(HttpMethod.Get, "admin/members");
            if (status == 200 && members.EnumerateArray().Count(m => m.GetProperty("Status").GetString() == "Up") >= workers + 1) return;
            await Task.Delay(500);
        }
        throw new TimeoutException("the simulated workers did not join");
    }

    private static double PeakMegabytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }
}
