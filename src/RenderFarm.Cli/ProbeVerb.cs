using System.CommandLine;
using System.Text.Json;
using RenderFarm.Media.Ffmpeg;

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
            _ = Settings.Preparer(Directory.GetCurrentDirectory(), out var resolver);
            using (resolver)
            {
                var local = await resolver.ResolveAsync(url, "MediaURL", Directory.GetCurrentDirectory(), ct);
                var facts = await new MediaProber(Path.Combine(Settings.CacheDirectory, "probe")).ProbeAsync(local, "MediaURL", ct);
                Console.WriteLine(JsonSerializer.Serialize(new { Path = local, facts.DurationSeconds, facts.Width, facts.Height, facts.HasVideo, facts.HasAudio, facts.IsStill },
                    new JsonSerializerOptions { WriteIndented = true }));
            }
            return ExitCodes.Ok;
        }));
        return command;
    }
}
