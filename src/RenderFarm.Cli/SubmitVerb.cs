using System.CommandLine;
using System.Text.Json;

namespace RenderFarm.Cli;

/// <summary>
/// `farm submit FILE [--batch] [--wait]`: sends a SubmitMediaProducingJob (or, with --batch, a
/// SubmitBatchMediaProducingJob) request to the gateway, prints the JobId, and with --wait shows
/// progress until the job ends (exit 0 on Success, 3 otherwise). The file means what it means to `farm render`:
/// relative MediaURLs are read against its directory (see <see cref="SubmitRequest"/> for the rules, outputs included).
/// </summary>
public static class SubmitVerb
{
    public static Command Command()
    {
        var file = new Argument<FileInfo>("file") { Description = "Request JSON (IMS field names)" };
        var batch = new Option<bool>("--batch") { Description = "SubmitBatchMediaProducingJob (Timelines list)" };
        var wait = new Option<bool>("--wait") { Description = "Follow the job with a progress bar until it ends" };
        var gateway = new Option<string?>("--gateway") { Description = "Gateway URL (env RENDERFARM_GATEWAY)" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress display" };
        var output = new Option<string?>("--output", "-o")
        {
            Description = "Output path on the node: relative to its output directory (--output-dir / RENDERFARM_OUTPUT_DIR), or absolute inside it (default: OutputMediaConfig.MediaURL)",
        };
        var command = new Command("submit", "Submit a job to the farm (the same file `farm render` takes)") { file, batch, wait, gateway, quiet, output };
        command.SetAction((parse, ct) => ExitCodes.Guard(async () =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists) throw new RenderFarm.Core.Json.RequestException("", $"request file '{path.FullName}' does not exist");
            var isBatch = parse.GetValue(batch);
            using var client = new GatewayClient(parse.GetValue(gateway));
            var answer = await client.PostAsync(isBatch ? "SubmitBatchMediaProducingJob" : "SubmitMediaProducingJob", 
                SubmitRequest.Prepare(await File.ReadAllTextAsync(path.FullName, ct), path.DirectoryName!, parse.GetValue(output), n => Console.Error.WriteLine($"note: {n}")), ct);
            var jobId = answer.GetProperty("JobId").GetString()!;
            foreach (var w in answer.GetProperty("Warnings").EnumerateArray()) Console.Error.WriteLine($"warning: {w.GetString()}");
            Console.WriteLine(jobId);
            if (!parse.GetValue(wait)) return ExitCodes.Ok;

            var get = isBatch ? "GetBatchMediaProducingJob" : "GetMediaProducingJob";
            var final = await ProgressDisplay.Run(parse.GetValue(quiet), $"job {jobId[..8]}", async progress =>
            {
                while (true)
                {
                    var state = await client.GetAsync($"{get}?JobId={jobId}", ct);
                    var job = state.GetProperty(isBatch ? "EditingBatchJob" : "MediaProducingJob");
                    progress.Report(job.GetProperty("Progress").GetInt32() / 100.0);
                    var status = job.GetProperty("Status").GetString();
                    if (status is "Success" or "Failed" or "Cancelled") return job;
                    await Task.Delay(500, ct);
                }
            });
            var finalStatus = final.GetProperty("Status").GetString();
            if (finalStatus != "Success")
            {
                Console.Error.WriteLine($"error: job {jobId} {finalStatus}: {final.GetProperty("Message").GetString()}");
                return ExitCodes.RenderFailed;
            }
            if (isBatch)
                foreach (var v in final.GetProperty("SubJobList").EnumerateArray()) Console.WriteLine(v.GetProperty("MediaURL").GetString());
            else Console.WriteLine(final.GetProperty("MediaURL").GetString());
            return ExitCodes.Ok;
        }));
        return command;
    }
}
