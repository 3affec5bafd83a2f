using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using RenderFarm.TestSupport;
using RenderFarm.TestSupport.Farm;

namespace RenderFarm.Benchmarks;

/// <summary>
/// Soak: many tiny jobs through one embedded node (gateway,cpu), as a busy client sends them. Measures the latency
/// of SubmitMediaProducingJob and of GetMediaProducingJob while the node renders, the throughput, and the node
/// process's resident memory before, at its peak during, and 60 s after the last job ended: a leak shows as an
/// after/before ratio that keeps growing with --jobs. The figures are ratios against the same run's baseline, so
/// they compare across machines. RSS is the node's .NET process alone; its ffmpeg children come and go.
/// </summary>
public static class SoakBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var jobs = (int)Option(args, "--jobs", 1000);
        var concurrency = (int)Option(args, "--concurrency", 16);
        var timeout = TimeSpan.FromMinutes(Option(args, "--timeout-minutes", 30));
        var settle = TimeSpan.FromSeconds(Option(args, "--after-seconds", 60));
        using var bed = new TempDir();
        var media = new TestMedia(Path.Combine(bed.Path, "media"));
        // A few distinct 0.5-1 s clips, so the node probes and caches more than one file.
        var clips = new[] { ("navy", 0.5), ("maroon", 0.75), ("olive", 1.0), ("teal", 1.0) }
            .Select((c, i) => media.ColourVideo($"tiny{i}.mp4", c.Item1, c.Item2, 160, 90, toneHz: 300 + 100 * i)).ToList();
        Console.WriteLine($"soak benchmark: {Environment.ProcessorCount} cores, {jobs} jobs of a 0.5-1 s 160x90 clip rendered at 256x144 (the smallest output the API takes), {concurrency} submitters");

        var env = new Dictionary<string, string>
        {
            ["RENDERFARM_DATA_DIR"] = Path.Combine(bed.Path, "node"),
            ["RENDERFARM_ARTIFACTS"] = Path.Combine(bed.Path, "artifacts"),
            ["RENDERFARM_OUTPUT_DIR"] = Path.Combine(bed.Path, "outputs"),
            ["RENDERFARM_ALLOWED_ROOTS"] = media.Directory,
            ["RENDERFARM_OPERATOR_TOKEN"] = "bench",
            ["RENDERFARM_RATE_LIMIT"] = "0", // the soak measures the node, not the per-client limit
            ["RENDERFARM_ENCODER_THREADS"] = "1",
            ["RENDERFARM_CACHE_DIR"] = Path.Combine(bed.Path, "node", "cache"),
        };
        using var node = await FarmNodeProcess.StartAsync("soak", "gateway,cpu", env);
        using var api = new FarmApi(node.Url, "bench");
        await Task.Delay(TimeSpan.FromSeconds(5)); // start-up work (JIT, first heartbeats) is over before the baseline
        if (node.Exited) throw new InvalidOperationException($"the node exited after it was ready:\n{node.Log}");
        var before = RssMegabytes(node.ProcessId);

        var peak = before;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, RssMegabytes(node.ProcessId));
                try { await Task.Delay(250, sampling.Token); } catch (OperationCanceledException) { }
            }
        });

        var submits = new ConcurrentBag<double>();
        var gets = new ConcurrentBag<double>();
        var pending = new ConcurrentDictionary<string, int>(); // job id -> submission order
        var outcomes = new ConcurrentDictionary<string, string>();
        var refused = 0;
        var clock = Stopwatch.StartNew();
        var submitting = Parallel.ForEachAsync(Enumerable.Range(0, jobs), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, _) =>
        {
            var body = $$"""{"Timeline":{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"{{clips[i % clips.Count]}}"}]}]},"OutputMediaConfig":{"Width":256,"Height":144,"Fps":25} }""";
            var took = Stopwatch.StartNew();
            var (status, answer) = await Timed(() => api.SendAsync(HttpMethod.Post, "SubmitMediaProducingJob", body));
            submits.Add(took.Elapsed.TotalMilliseconds);
            if (status == 200) pending[answer.GetProperty("JobId").GetString()!] = i;
            else if (Interlocked.Increment(ref refused) <= 3) Console.WriteLine($"submit {i} answered {status}: {answer}");
        });

        // Polls as a client waiting for its videos would: the oldest unfinished jobs first, a few at a time.
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && (!submitting.IsCompleted || !pending.IsEmpty))
        {
            var oldest = pending.OrderBy(p => p.Value).Take(32).Select(p => p.Key).ToList();
            await Parallel.ForEachAsync(oldest, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (jobId, _) =>
            {
                var took = Stopwatch.StartNew();
                var (status, answer) = await Timed(() => api.SendAsync(HttpMethod.Get, $"GetMediaProducingJob?JobId={jobId}"));
                gets.Add(took.Elapsed.TotalMilliseconds);
                var state = status == 200 ? answer.GetProperty("MediaProducingJob").GetProperty("Status").GetString() : null;
                if (state is "Success" or "Failed" or "Cancelled")
                {
                    outcomes[jobId] = state;
                    pending.TryRemove(jobId, out int _);
                }
            });
            await Task.Delay(200);
        }
        await submitting;
        var wall = clock.Elapsed.TotalSeconds;
        var during = peak;
        var succeeded = outcomes.Values.Count(v => v == "Success");

        // Memory after the work: the node idles; what it still holds is what the soak left behind.
        await Task.Delay(settle);
        var after = RssMegabytes(node.ProcessId);
        sampling.Cancel();
        await sampler;

        Console.WriteLine($"jobs: {jobs} submitted, {jobs - refused} accepted, {succeeded} succeeded, {outcomes.Count - succeeded} failed or cancelled, " +
                          $"{pending.Count} unfinished after {wall:0} s; {outcomes.Count / wall:0.00} jobs/s");
        Console.WriteLine($"submit latency: {Percentiles(submits)} over {submits.Count} requests; {_hangs} requests without an answer in 30 s");
        Console.WriteLine($"Get latency:    {Percentiles(gets)} over {gets.Count} requests");
        Console.WriteLine($"node RSS: before {before:0} MB, peak {during:0} MB ({during / before:0.00}x), {settle.TotalSeconds:0} s after the last job {after:0} MB ({after / before:0.00}x before)");
        if (_hangs > 0 || refused > 0) Console.WriteLine("node log (end):\n" + (node.Log.Length > 6000 ? node.Log[^6000..] : node.Log));
        return pending.IsEmpty && refused == 0 && _hangs == 0 && succeeded == jobs ? 0 : 1;
    }

    /// <summary>A request that gets no answer within the client's 30 s is counted (status 0), not fatal: a soak reports its hangs.</summary>
    private static async Task<(int Status, JsonElement Body)> Timed(Func<Task<(int, JsonElement)>> request)
    {
        try { return await request(); }
        catch (TaskCanceledException)
        {
            Interlocked.Increment(ref _hangs);
            return (0, default);
        }
    }

    private static int _hangs;

    private static string Percentiles(ConcurrentBag<double> samples)
    {
        var sorted = samples.Order().ToList();
        if (sorted.Count == 0) return "no samples";
        double At(double q) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
        return $"p50 {At(0.50):0.0} ms, p99 {At(0.99):0.0} ms, max {sorted[^1]:0.0} ms";
    }

    /// <summary>VmRSS of a process from /proc (Linux), in MB.</summary>
    private static double RssMegabytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    private static double Option(string[] args, string name, double fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? double.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
