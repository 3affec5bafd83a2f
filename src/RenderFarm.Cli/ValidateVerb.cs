using System.CommandLine;

namespace RenderFarm.Cli;

/// <summary>`farm validate FILE.json`: parses and checks a timeline or job request without opening media.</summary>
public static class ValidateVerb
{
    public static Command Command()
    {
        var file = new Argument<FileInfo>("file") { Description = "Timeline JSON or SubmitMediaProducingJob request" };
        var command = new Command("validate", "Check a timeline without rendering it") { file };
        command.SetAction((parse, ct) => ExitCodes.Guard(async () =>
        {
            var request = await Settings.ReadRequestAsync(parse.GetValue(file)!, ct);
            foreach (var warning in request.Warnings) Console.Error.WriteLine($"warning: {warning}");
            var clips = request.Timeline.VideoTracks.Sum(t => t.Clips.Count) + request.Timeline.AudioTracks.Sum(t => t.Clips.Count)
                + request.Timeline.SubtitleTracks.Sum(t => t.Clips.Count);
            Console.WriteLine($"valid: {clips} clips, {request.Warnings.Count} warnings");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
