using System.Text.Json;
using RenderFarm.TestSupport;
using RenderFarm.TestSupport.Farm;

namespace RenderFarm.IntegrationTests;

/// <summary>Media, directories and node environment shared by the farm tests.</summary>
public sealed class FarmTestBed : IDisposable
{
    public const string Token = "test-operator-token";
    public TempDir Dir { get; } = new();
    public TestMedia Media { get; }
    public string Artifacts => Path.Combine(Dir.Path, "artifacts");
    public string Outputs => Path.Combine(Dir.Path, "outputs");

    public FarmTestBed() => Media = new TestMedia(Path.Combine(Dir.Path, "media"));

    /// <summary>Environment of a node: shared artifacts and outputs, its own data directory.</summary>
    public Dictionary<string, string> Environment(string node, string? rabbit = null, string? postgres = null, double segmentSeconds = 1)
    {
        var env = new Dictionary<string, string>
        {
            ["RENDERFARM_DATA_DIR"] = Path.Combine(Dir.Path, "nodes", node),
            ["RENDERFARM_ARTIFACTS"] = Artifacts,
            ["RENDERFARM_OUTPUT_DIR"] = Outputs,
            ["RENDERFARM_ALLOWED_ROOTS"] = Media.Directory,
            ["RENDERFARM_OPERATOR_TOKEN"] = Token,
            ["RENDERFARM_SEGMENT_SECONDS"] = segmentSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RENDERFARM_ENCODER_THREADS"] = "1",
            ["RENDERFARM_LEASE_SECONDS"] = "4",
            ["RENDERFARM_CACHE_DIR"] = Path.Combine(Dir.Path, "nodes", node, "cache"),
        };
        if (rabbit is not null) env["RENDERFARM_RABBITMQ"] = rabbit;
        if (postgres is not null) env["RENDERFARM_POSTGRES"] = postgres;
        return env;
    }

    /// <summary>A timeline of two clips joined by a transition, with a caption: several segments at 1 s each.</summary>
    public string Timeline(int index, double seconds = 3)
    {
        var a = Media.PatternVideo($"a{index}.mp4", seconds, 640, 360, toneHz: 300 + 100 * index);
        var b = Media.ColourVideo($"b{index}.mp4", index % 2 == 0 ? "navy" : "maroon", seconds, 480, 360);
        return $$"""
            {"VideoTracks":[{"VideoTrackClips":[
               {"MediaURL":"{{a}}","Effects":[{"Type":"Transition","SubType":"fade","Duration":0.5}]},
               {"MediaURL":"{{b}}"}]}],
             "SubtitleTracks":[{"SubtitleTrackClips":[{"Type":"Text","Content":"video {{index}}","TimelineIn":0.5,"TimelineOut":4,"FontSize":40,"Alignment":"TopCenter","Y":20}]}]}
            """;
    }

    public static readonly string Output = """{"Width":1280,"Height":720,"Fps":25}""";

    public string Batch(IEnumerable<string> timelines) =>
        $$"""{"Timelines":[{{string.Join(",", timelines)}}],"OutputConfig":{"MediaURL":"batch/out_{index}.mp4","Width":1280,"Height":720,"Fps":25} }""";

    /// <summary>The same timeline rendered by `farm render` in one process: the reference for frame counts and durations.</summary>
    public string RenderLocally(string timeline, string name)
    {
        var file = Path.Combine(Dir.Path, name + ".json");
        File.WriteAllText(file, $$"""{"Timeline":{{timeline}},"OutputMediaConfig":{{Output}} }""");
        var output = Path.Combine(Dir.Path, name + ".mp4");
        var (exit, _, stderr) = Tool.Run("dotnet", Path.Combine(AppContext.BaseDirectory, "farm.dll"), "render", file, "-o", output, "-q");
        if (exit != 0) throw new InvalidOperationException($"farm render failed: {stderr}");
        return output;
    }

    public static IEnumerable<JsonElement> Tasks(JsonElement job, string kind = "encode-segment") =>
        job.GetProperty("Tasks").EnumerateArray().Where(t => t.GetProperty("Kind").GetString() == kind);

    public static IEnumerable<JsonElement> History(JsonElement job, string @event) =>
        job.GetProperty("History").EnumerateArray().Where(h => h.GetProperty("Event").GetString() == @event);

    public void Dispose() => Dir.Dispose();
}
