using FluentAssertions;
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

    /// <summary>One line per ffmpeg run of every node of this bed: its arguments (see <see cref="RecordingFfmpeg"/>).</summary>
    public string FfmpegRuns => Path.Combine(Dir.Path, "ffmpeg-runs.log");

    /// <summary>
    /// The ffmpeg the bed's nodes run: a script that appends its arguments to <see cref="FfmpegRuns"/> and then
    /// becomes the real ffmpeg (exec: same process, so killing a node's children still stops it).
    /// </summary>
    public string RecordingFfmpeg { get; }

    public FarmTestBed()
    {
        Media = new TestMedia(Path.Combine(Dir.Path, "media"));
        RecordingFfmpeg = Path.Combine(Dir.Path, "ffmpeg");
        File.WriteAllText(RecordingFfmpeg, "#!/bin/sh\nprintf '%s\\n' \"$*\" >> \"$RENDERFARM_TEST_FFMPEG_RUNS\"\nexec ffmpeg \"$@\"\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(RecordingFfmpeg, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>
    /// No segment was rendered more often than it was interrupted plus once: ffmpeg's own record of its runs
    /// (a segment's artifact key names the file ffmpeg writes) against the times the task was re-dispatched
    /// (its node died) or retried. So a segment that had finished was never rendered again.
    /// </summary>
    public void EachSegmentShouldBeRenderedOnce(JsonElement job)
    {
        var runs = File.Exists(FfmpegRuns) ? File.ReadAllLines(FfmpegRuns) : [];
        var interruptions = History(job, "Redispatched").Concat(History(job, "Retry"))
            .GroupBy(h => h.GetProperty("TaskId").GetString()!).ToDictionary(g => g.Key, g => g.Count());
        var segments = Tasks(job).ToList();
        segments.Should().NotBeEmpty();
        foreach (var segment in segments)
        {
            var key = segment.GetProperty("ArtifactKey").GetString()!;
            var renders = runs.Count(r => r.Contains(key, StringComparison.Ordinal));
            var interrupted = interruptions.GetValueOrDefault(segment.GetProperty("TaskId").GetString()!);
            renders.Should().BeInRange(1, 1 + interrupted,
                $"segment {key} is rendered once, plus once for each time its render was cut short ({interrupted})");
        }
    }

    private readonly Dictionary<string, int> _remotePorts = [];

    /// <summary>A node's Akka remoting port, fixed for the bed so a restarted node comes back at the same address.</summary>
    public int RemotePort(string node)
    {
        lock (_remotePorts)
        {
            if (!_remotePorts.TryGetValue(node, out var port)) _remotePorts[node] = port = FarmNodeProcess.FreePort();
            return port;
        }
    }

    public string Address(string node) => $"akka.tcp://renderfarm@127.0.0.1:{RemotePort(node)}";

    /// <summary>
    /// Environment of a node: shared artifacts and outputs, its own data directory. With <paramref name="postgres"/> and
    /// <paramref name="members"/>, a cluster node: journal and read model in that database, every member listed as a seed
    /// (so a restarted node finds the running cluster), a partition downed after 3 s.
    /// </summary>
    public Dictionary<string, string> Environment(string node, string? postgres = null, IReadOnlyList<string>? members = null, double segmentSeconds = 1)
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
            ["RENDERFARM_FFMPEG"] = RecordingFfmpeg,
            ["RENDERFARM_TEST_FFMPEG_RUNS"] = FfmpegRuns,
        };
        if (postgres is not null) env["RENDERFARM_POSTGRES"] = postgres;
        if (members is not null)
        {
            env["RENDERFARM_SEED_NODES"] = string.Join(",", members.Select(Address));
            env["RENDERFARM_REMOTE_HOSTNAME"] = "127.0.0.1";
            env["RENDERFARM_PUBLIC_HOSTNAME"] = "127.0.0.1";
            env["RENDERFARM_REMOTE_PORT"] = RemotePort(node).ToString(System.Globalization.CultureInfo.InvariantCulture);
            env["RENDERFARM_DOWN_AFTER_SECONDS"] = "3";
        }
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

    /// <summary>Runs the `farm` CLI as an operator would, against <paramref name="gatewayUrl"/> with the operator token.</summary>
    public static (int Exit, string Stdout, string Stderr) Cli(string gatewayUrl, params string[] args)
    {
        var (exit, stdout, stderr) = Tool.Run("env", ["RENDERFARM_GATEWAY=" + gatewayUrl, "RENDERFARM_OPERATOR_TOKEN=" + Token,
            "dotnet", Path.Combine(AppContext.BaseDirectory, "farm.dll"), .. args]);
        return (exit, System.Text.Encoding.UTF8.GetString(stdout), stderr);
    }

    /// <summary>
    /// The most tasks of <paramref name="kind"/> that ran on <paramref name="node"/> at the same time, from the job
    /// history: each run lasts from its Started entry to the next entry of the same task.
    /// </summary>
    public static int MostRunningAtOnce(JsonElement job, string node, string kind = "encode-segment")
    {
        var ids = Tasks(job, kind).Select(t => t.GetProperty("TaskId").GetString()).ToHashSet();
        static DateTimeOffset At(JsonElement h) => DateTimeOffset.Parse(h.GetProperty("At").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var edges = new List<(DateTimeOffset At, int Change)>();
        foreach (var task in job.GetProperty("History").EnumerateArray().Where(h => ids.Contains(h.GetProperty("TaskId").GetString()))
                     .GroupBy(h => h.GetProperty("TaskId").GetString()))
        {
            var entries = task.OrderBy(At).ToList();
            for (var i = 0; i < entries.Count; i++)
            {
                if (entries[i].GetProperty("Event").GetString() != "Started" || entries[i].GetProperty("NodeId").GetString() != node) continue;
                edges.Add((At(entries[i]), +1));
                if (i + 1 < entries.Count) edges.Add((At(entries[i + 1]), -1));
            }
        }
        int running = 0, most = 0;
        foreach (var (_, change) in edges.OrderBy(e => e.At).ThenBy(e => e.Change)) most = Math.Max(most, running += change);
        return most;
    }

    public static IEnumerable<JsonElement> Tasks(JsonElement job, string kind = "encode-segment") =>
        job.GetProperty("Tasks").EnumerateArray().Where(t => t.GetProperty("Kind").GetString() == kind);

    public static IEnumerable<JsonElement> History(JsonElement job, string @event) =>
        job.GetProperty("History").EnumerateArray().Where(h => h.GetProperty("Event").GetString() == @event);

    public void Dispose() => Dir.Dispose();
}
