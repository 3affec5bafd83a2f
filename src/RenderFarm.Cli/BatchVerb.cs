using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using RenderFarm.Core.Json;
using Spectre.Console;

namespace RenderFarm.Cli;

/// <summary>
/// `farm batch submit FILE [--wait] [--preview DIR]`: sends an IMS SubmitBatchMediaProducingJob
/// request (InputConfig / EditingConfig / OutputConfig, or Timelines) to the gateway. Prints the
/// JobId and the mode the farm chose; --wait follows every output video until the job ends (exit 0
/// when all succeed, 3 otherwise). --preview plans only (GeneratePreviewOnly) and writes each planned
/// output to DIR as a request `farm render` accepts; nothing is rendered.
/// </summary>
public static class BatchVerb
{
    public static Command Command()
    {
        var file = new Argument<FileInfo>("file") { Description = "SubmitBatchMediaProducingJob request JSON (IMS field names)" };
        var wait = new Option<bool>("--wait") { Description = "Follow every output video until the job ends" };
        var preview = new Option<DirectoryInfo?>("--preview") { Description = "Plan only: write each planned output as DIR/output_NNN.json (for `farm render`)" };
        var gateway = new Option<string?>("--gateway") { Description = "Gateway URL (env RENDERFARM_GATEWAY)" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress display" };
        var submit = new Command("submit", "Submit a batch job (or preview its plan)") { file, wait, preview, gateway, quiet };
        submit.SetAction((parse, ct) => ExitCodes.Guard(async () =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists) throw new RequestException("", $"request file '{path.FullName}' does not exist");
            var body = SubmitRequest.Prepare(await File.ReadAllTextAsync(path.FullName, ct), path.DirectoryName!, null,
                n => Console.Error.WriteLine($"note: {n}"));
            using var client = new GatewayClient(parse.GetValue(gateway));
            if (parse.GetValue(preview) is { } dir)
                return await Preview(client, body, dir, ct);

            var answer = await client.PostAsync("SubmitBatchMediaProducingJob", body, ct);
            var jobId = answer.GetProperty("JobId").GetString()!;
            ReportMode(answer);
            Console.WriteLine(jobId);
            if (!parse.GetValue(wait)) return ExitCodes.Ok;

            var final = await Follow(client, jobId, parse.GetValue(quiet), ct);
            var failed = final.GetProperty("SubJobList").EnumerateArray().Where(v => v.GetProperty("Status").GetString() != "Success").ToList();
            foreach (var v in failed)
                Console.Error.WriteLine($"error: video {v.GetProperty("Index").GetInt32() + 1} {v.GetProperty("Status").GetString()}: {v.GetProperty("ErrorMessage").GetString()}");
            var status = final.GetProperty("Status").GetString();
            if (status != "Success" || failed.Count > 0)
            {
                Console.Error.WriteLine($"error: job {jobId} {status}: {final.GetProperty("Message").GetString()}");
                return ExitCodes.RenderFailed;
            }
            foreach (var v in final.GetProperty("SubJobList").EnumerateArray()) Console.WriteLine(v.GetProperty("MediaURL").GetString());
            return ExitCodes.Ok;
        }));
        return new Command("batch", "Batch production (IMS SubmitBatchMediaProducingJob)") { submit };
    }

    private static async Task<int> Preview(GatewayClient client, string body, DirectoryInfo dir, CancellationToken ct)
    {
        var answer = await client.PostAsync("SubmitBatchMediaProducingJob", AsPreview(body), ct);
        ReportMode(answer);
        if (!answer.TryGetProperty("Outputs", out var outputs))
            throw new RequestException("InputConfig", "preview needs an InputConfig request (Timelines are already planned)");
        dir.Create();
        foreach (var output in outputs.EnumerateArray())
        {
            var index = output.GetProperty("Index").GetInt32();
            var request = new JsonObject
            {
                ["Timeline"] = JsonNode.Parse(output.GetProperty("Timeline").GetRawText()),
                ["OutputMediaConfig"] = JsonNode.Parse(output.GetProperty("OutputMediaConfig").GetRawText()),
            };
            var target = Path.Combine(dir.FullName, $"output_{index:D3}.json");
            await File.WriteAllTextAsync(target, request.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), ct);
            Console.WriteLine(target);
        }
        return ExitCodes.Ok;
    }

    /// <summary>The request with OutputConfig.GeneratePreviewOnly set (OutputConfig may be an object or a JSON string, as IMS sends it).</summary>
    public static string AsPreview(string body)
    {
        JsonObject root;
        try { root = JsonNode.Parse(body) as JsonObject ?? throw new RequestException("", "the request must be a JSON object"); }
        catch (JsonException e) { throw new RequestException("", $"the request is not valid JSON: {e.Message}"); }
        var key = root.Select(p => p.Key).FirstOrDefault(k => k.Equals("OutputConfig", StringComparison.OrdinalIgnoreCase))
            ?? throw new RequestException("OutputConfig", "is required");
        switch (root[key])
        {
            case JsonObject o:
                o["GeneratePreviewOnly"] = true;
                break;
            case JsonValue v when v.TryGetValue<string>(out var text) && JsonNode.Parse(text) is JsonObject parsed:
                parsed["GeneratePreviewOnly"] = true;
                root[key] = parsed.ToJsonString();
                break;
            default:
                throw new RequestException("OutputConfig", "must be an object or a JSON string holding one");
        }
        return root.ToJsonString();
    }

    private static void ReportMode(JsonElement answer)
    {
        if (answer.TryGetProperty("Mode", out var mode) && mode.ValueKind == JsonValueKind.String)
            Console.Error.WriteLine($"mode: {mode.GetString()}: {answer.GetProperty("ModeReason").GetString()}");
        if (answer.TryGetProperty("Diversity", out var diversity) && diversity.ValueKind == JsonValueKind.String)
            Console.Error.WriteLine($"diversity: {diversity.GetString()}");
        foreach (var w in answer.GetProperty("Warnings").EnumerateArray()) Console.Error.WriteLine($"warning: {w.GetString()}");
    }

    /// <summary>
    /// Polls the job until it ends, showing every output video's progress: one bar per video on an
    /// interactive terminal; otherwise a stderr line per video at its first report, every 10 points
    /// and its end (as <see cref="ProgressDisplay"/> does for one job).
    /// </summary>
    private static async Task<JsonElement> Follow(GatewayClient client, string jobId, bool quiet, CancellationToken ct)
    {
        async Task<JsonElement> Poll(Action<JsonElement> show)
        {
            while (true)
            {
                var job = (await client.GetAsync($"GetBatchMediaProducingJob?JobId={jobId}", ct)).GetProperty("EditingBatchJob");
                show(job);
                if (job.GetProperty("Status").GetString() is "Success" or "Failed" or "Cancelled") return job;
                await Task.Delay(500, ct);
            }
        }
        static IEnumerable<(int Index, int Percent, string Status)> Videos(JsonElement job) =>
            job.GetProperty("SubJobList").EnumerateArray().Select(v =>
                (v.GetProperty("Index").GetInt32(), v.GetProperty("Progress").GetInt32(), v.GetProperty("Status").GetString()!));

        if (quiet) return await Poll(_ => { });
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        if (!console.Profile.Capabilities.Interactive)
        {
            var last = new Dictionary<int, (int Percent, string Status)>();
            return await Poll(job =>
            {
                foreach (var (index, percent, status) in Videos(job))
                {
                    var seen = last.TryGetValue(index, out var before);
                    var ended = status is "Success" or "Failed" or "Cancelled";
                    if (seen && (ended ? before.Status == status : percent < before.Percent + 10)) continue;
                    last[index] = (percent, status);
                    Console.Error.WriteLine($"video {index + 1}: {percent}% {status}");
                }
            });
        }
        JsonElement final = default;
        await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var bars = new Dictionary<int, ProgressTask>();
                final = await Poll(job =>
                {
                    foreach (var (index, percent, status) in Videos(job))
                    {
                        if (!bars.TryGetValue(index, out var bar)) bars[index] = bar = ctx.AddTask($"video {index + 1}", maxValue: 100);
                        bar.Value = Math.Max(bar.Value, status == "Success" ? 100 : percent);
                        if (status is "Failed" or "Cancelled") bar.Description = $"video {index + 1} ({status})";
                    }
                });
            });
        return final;
    }
}
