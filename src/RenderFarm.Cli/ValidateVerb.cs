using System.CommandLine;
using RenderFarm.Cluster.Jobs;
using RenderFarm.Media.Rendering;
using RenderFarm.Media.Sources;

namespace RenderFarm.Cli;

/// <summary>
/// `farm validate FILE.json [-o OUT.mp4]`: the checks `farm render` makes before it renders, without probing or rendering:
/// the request itself, the MediaURL policy (each local file exists inside the file's directory or RENDERFARM_ALLOWED_ROOTS;
/// each URL names an allowed host) and, when an output is named (-o or OutputMediaConfig.MediaURL), that it can be written.
/// Exit codes as `farm render`: 2 for a request `farm render` refuses, 1 for an output that cannot be written.
/// </summary>
public static class ValidateVerb
{
    public static Command Command()
    {
        var file = new Argument<FileInfo>("file") { Description = "Timeline JSON or SubmitMediaProducingJob request" };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Output file to check as `farm render -o` would write it (default: OutputMediaConfig.MediaURL, if any)" };
        var command = new Command("validate", "Check a timeline as `farm render` would, without rendering it") { file, output };
        command.SetAction((parse, ct) => ExitCodes.Guard(async () =>
        {
            var input = parse.GetValue(file)!;
            var request = await Settings.ReadRequestAsync(input, ct);
            foreach (var warning in request.Warnings) Console.Error.WriteLine($"warning: {warning}");
            var baseDirectory = input.DirectoryName!;
            MediaSourcePolicy policy;
            try { policy = MediaSourcePolicy.FromEnvironment(baseDirectory); }
            catch (InvalidOperationException e) { throw new RenderFarm.Core.Json.RequestException("", e.Message); }
            using (var resolver = new MediaSourceResolver(policy))
                new MediaAdmission(resolver, baseDirectory).Admit(request.Timeline);
            var target = parse.GetValue(output)?.FullName
                ?? (request.Output.MediaUrl is { } url ? RenderVerb.LocalOutput(url, baseDirectory) : null);
            if (target is not null)
            {
                _ = RenderVerb.WrittenTo(request, target, parse.GetValue(output) is not null); // the extension names a container the request suits
                AtomicOutput.CheckWritable(target);
            }
            var clips = request.Timeline.VideoTracks.Sum(t => t.Clips.Count) + request.Timeline.AudioTracks.Sum(t => t.Clips.Count)
                + request.Timeline.SubtitleTracks.Sum(t => t.Clips.Count);
            Console.WriteLine($"valid: {clips} clips, {request.Warnings.Count} warnings");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
