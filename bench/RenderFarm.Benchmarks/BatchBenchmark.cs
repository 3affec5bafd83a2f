using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using RenderFarm.Core.Batch;
using RenderFarm.Core.Planning;
using RenderFarm.TestSupport;
using RenderFarm.TestSupport.Farm;

namespace RenderFarm.Benchmarks;

/// <summary>
/// Batch production costs, in one run:
/// <list type="number">
/// <item>pure planning time of a Script-to-Video request for Count=100 against Count=1 (same facts, in process);</item>
/// <item>a GeneratePreviewOnly request for Count=100 through an embedded node (probing, speaking and planning);</item>
/// <item>end-to-end time of a Count=10 batch of 15 s videos on an embedded node (one process, SQLite,
/// in-memory transport), and the render share: the time during which segment or assembly tasks ran over
/// the job's wall time (the rest is planning, fact gathering, dispatch and bookkeeping).</item>
/// </list>
/// Target (issue): Count=100 plans in under 5 s.
/// </summary>
public static class BatchBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var count = (int)Option(args, "--count", 10);
        var seconds = Option(args, "--seconds", 15);
        using var bed = new TempDir();
        var media = new TestMedia(Path.Combine(bed.Path, "media"));
        Console.WriteLine($"batch benchmark: {Environment.ProcessorCount} cores");
        var clips = new[] { "navy", "maroon", "olive", "teal", "purple", "gray" }
            .Select((c, i) => i % 2 == 0 ? media.ColourVideo($"c{i}.mp4", c, 6, 640, 360, toneHz: 300 + 60 * i) : media.PatternVideo($"p{i}.mp4", 6, 640, 360, toneHz: 300 + 60 * i))
            .ToList();

        PlanInProcess(clips);

        var env = new Dictionary<string, string>
        {
            ["RENDERFARM_DATA_DIR"] = Path.Combine(bed.Path, "node"),
            ["RENDERFARM_ARTIFACTS"] = Path.Combine(bed.Path, "artifacts"),
            ["RENDERFARM_OUTPUT_DIR"] = Path.Combine(bed.Path, "outputs"),
            ["RENDERFARM_ALLOWED_ROOTS"] = media.Directory,
            ["RENDERFARM_OPERATOR_TOKEN"] = "bench",
            ["RENDERFARM_RATE_LIMIT"] = "0", // the benchmark measures the farm, not the per-client limit
            ["RENDERFARM_CACHE_DIR"] = Path.Combine(bed.Path, "node", "cache"),
        };
        using var node = await FarmNodeProcess.StartAsync("embedded", "gateway,cpu", env);
        using var api = new FarmApi(node.Url, "bench");

        var preview = Request(clips, 100, seconds: null, speech: true);
        preview["OutputConfig"]!["GeneratePreviewOnly"] = true;
        var clock = Stopwatch.StartNew();
        await SendAsync(api, preview);
        var cold = clock.Elapsed.TotalSeconds;
        clock.Restart();
        await SendAsync(api, preview);
        Console.WriteLine($"preview Count=100 through the API: {cold:0.00} s on a fresh node (probing 6 clips, speaking 4 scripts), {clock.Elapsed.TotalSeconds:0.00} s again with speech cached (target < 5 s)");

        var submitted = await SendAsync(api, Request(clips, count, seconds, speech: false));
        var jobId = submitted.GetProperty("JobId").GetString()!;
        var job = await api.WaitAsync(jobId, TimeSpan.FromMinutes(30), () => node.Log, TimeSpan.FromSeconds(3));
        if (job.GetProperty("Status").GetString() != "Success") throw new InvalidOperationException($"batch ended {job.GetProperty("Status")}");
        var lengths = job.GetProperty("Videos").EnumerateArray().Select(v => Inspect.Probe(v.GetProperty("OutputPath").GetString()!).Duration).ToList();
        if (lengths.Count != count || lengths.Any(l => Math.Abs(l - seconds) > 0.1))
            throw new InvalidOperationException($"expected {count} videos of {seconds} s, got {string.Join(", ", lengths)}");
        var (wall, render) = Shares(job);
        Console.WriteLine($"end to end, Count={count} videos of {seconds:0} s (checked: {lengths.Count} files, {lengths.Min():0.00}-{lengths.Max():0.00} s), embedded: {wall:0.0} s wall, {count * seconds / wall:0.00} s of video per second");
        Console.WriteLine($"render share: {render:0.0} s with segment, audio or assembly tasks running = {100 * render / wall:0.0}% of the total; the rest ({wall - render:0.0} s) is planning, probing, dispatch and bookkeeping");
        return 0;
    }

    /// <summary>Planning alone, on known facts: Count=1 as the baseline, then Count=100 (best of 5 each).</summary>
    private static void PlanInProcess(IReadOnlyList<string> clips)
    {
        var facts = new BatchFacts(clips.ToDictionary(c => c, _ => new MediaFacts(6, 640, 360, true, true, false)),
            line => 0.4 + 0.06 * line.Text.Length);
        var planner = new ScriptToVideoPlanner();
        double Best(int count)
        {
            var request = BatchRequestParser.Parse(Request(clips, count, seconds: null, speech: true).ToJsonString());
            var best = double.MaxValue;
            for (var i = 0; i < 5; i++)
            {
                var clock = Stopwatch.StartNew();
                planner.Plan(request, facts);
                best = Math.Min(best, clock.Elapsed.TotalMilliseconds);
            }
            return best;
        }
        Best(1); // JIT
        var one = Best(1);
        var hundred = Best(100);
        Console.WriteLine($"planning in process: Count=1 {one:0.00} ms, Count=100 {hundred:0.0} ms; per output {hundred / 100:0.00} ms = {hundred / 100 / one:0.0}x Count=1's (diversity checks grow with Count; target < 5000 ms in all)");
    }

    private static readonly string[] Scripts =
    [
        "Fresh bread every morning, baked before sunrise.", "Coffee roasted in house, every single week.",
        "Visit us on Main Street, open every day.", "Our pastry chef trained in Lyon for six years.",
    ];

    /// <summary>Global scripts over six clips with titles and music: spoken when <paramref name="speech"/>, else FixedDuration.</summary>
    private static JsonObject Request(IReadOnlyList<string> clips, int count, double? seconds, bool speech)
    {
        var input = new JsonObject
        {
            ["MediaGroupArray"] = new JsonArray(
                new JsonObject { ["GroupName"] = "a", ["MediaArray"] = new JsonArray(clips.Take(3).Select(c => (JsonNode)c!).ToArray()) },
                new JsonObject { ["GroupName"] = "b", ["MediaArray"] = new JsonArray(clips.Skip(3).Select(c => (JsonNode)c!).ToArray()) }),
            ["TitleArray"] = new JsonArray("Bakery", "Fresh daily", "Since 1987"),
        };
        if (speech) input["SpeechTextArray"] = new JsonArray(Scripts.Select(s => (JsonNode)s!).ToArray());
        var output = new JsonObject { ["MediaURL"] = "bench/video_{index}.mp4", ["Count"] = count, ["Width"] = 720, ["Height"] = 1280, ["Fps"] = 25 };
        if (seconds is { } s) output["FixedDuration"] = s;
        return new JsonObject
        {
            ["InputConfig"] = input,
            ["EditingConfig"] = new JsonObject { ["SpeechConfig"] = new JsonObject { ["Voice"] = "andy" } },
            ["OutputConfig"] = output,
            ["Seed"] = 11,
        };
    }

    private static async Task<JsonElement> SendAsync(FarmApi api, JsonObject request)
    {
        var (status, body) = await api.SendAsync(HttpMethod.Post, "SubmitBatchMediaProducingJob", request.ToJsonString());
        if (status != 200) throw new InvalidOperationException($"SubmitBatchMediaProducingJob answered {status}: {body}");
        return body;
    }

    /// <summary>The job's wall time (accepted to done, from its history) and the union of the times render tasks (segments, audio mix, assembly) ran.</summary>
    private static (double Wall, double Render) Shares(JsonElement job)
    {
        var history = job.GetProperty("History").EnumerateArray().ToList();
        static DateTimeOffset At(JsonElement h) => DateTimeOffset.Parse(h.GetProperty("At").GetString()!, CultureInfo.InvariantCulture);
        var start = At(history[0]);
        var wall = (At(history.Last(h => h.GetProperty("Event").GetString() == "Success")) - start).TotalSeconds;
        var renderTasks = job.GetProperty("Tasks").EnumerateArray()
            .Where(t => t.GetProperty("Kind").GetString() is "encode-segment" or "encode-audio" or "assemble")
            .Select(t => t.GetProperty("TaskId").GetString()).ToHashSet();
        var intervals = history.Where(h => h.TryGetProperty("TaskId", out var id) && renderTasks.Contains(id.GetString()))
            .GroupBy(h => h.GetProperty("TaskId").GetString())
            .Select(g => (From: g.Where(h => h.GetProperty("Event").GetString() == "Started").Select(At).DefaultIfEmpty(start).Min(),
                          To: g.Where(h => h.GetProperty("Event").GetString() == "Succeeded").Select(At).DefaultIfEmpty(start).Max()))
            .Where(i => i.To > i.From).OrderBy(i => i.From).ToList();
        double busy = 0;
        DateTimeOffset? openFrom = null, openTo = null;
        foreach (var (from, to) in intervals)
        {
            if (openTo is null || from > openTo) { busy += openTo is null ? 0 : (openTo.Value - openFrom!.Value).TotalSeconds; (openFrom, openTo) = (from, to); }
            else if (to > openTo) openTo = to;
        }
        if (openTo is not null) busy += (openTo.Value - openFrom!.Value).TotalSeconds;
        return (wall, busy);
    }

    private static double Option(string[] args, string name, double fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? double.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
