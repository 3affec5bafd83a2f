using System.CommandLine;
using System.Text.Json;

namespace RenderFarm.Cli;

/// <summary>`farm probe MEDIA`: what the renderer knows about a media file (after the MediaURL policy).</summary>
public static class ProbeVerb
{
    public static Command Command()
    {
        var media = new Argument<string>("media") { Description = "A path, file:// or allowed http(s) URL" };
        var command = new Command("probe", "Show the facts the renderer uses about a media file") { media };
        command.SetAction((parse, ct) => ExitCodes.Guard(async () =>
        {
            var url = parse.GetValue(media)!;
            using var preparer = Settings.Preparer(Directory.GetCurrentDirectory());
            var (local, facts) = await preparer.ProbeAsync(url, "MediaURL", Directory.GetCurrentDirectory(), ct);
            Console.WriteLine(JsonSerializer.Serialize(new { Path = local, facts.DurationSeconds, facts.Width, facts.Height, facts.HasVideo, facts.HasAudio, facts.IsStill },
                new JsonSerializerOptions { WriteIndented = true }));
            return ExitCodes.Ok;
        }));
        return command;
    }
}
