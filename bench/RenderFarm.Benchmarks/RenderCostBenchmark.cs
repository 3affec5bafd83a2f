using System.Diagnostics;
using System.Globalization;
using RenderFarm.Core.Jobs;
using RenderFarm.Core.Timelines;
using RenderFarm.Media.Compilation;
using RenderFarm.Media.Ffmpeg;
using RenderFarm.Media.Rendering;
using RenderFarm.Media.Sources;
using RenderFarm.TestSupport;

namespace RenderFarm.Benchmarks;

/// <summary>
/// What one render costs against the cheapest thing that could make its output: the encode-only
/// floor (ffmpeg decoding the finished MP4 and encoding it again with the same x264 + AAC settings).
/// The issue's reference: a 12-clip timeline from 1920x1080 sources (every fourth clip a still
/// image), 6 transition kinds, 6 wrapped captions, looping music. Every ffmpeg the render starts runs
/// under /usr/bin/time, so CPU is the sum over its processes (user + system) and peak memory the
/// largest single process's peak RSS. Render and floor alternate (pairs), so drift in the load of a
/// shared machine touches both alike; medians of the pairs are printed. Then where the time goes,
/// by rendering with parts removed: decode only, no encode (null output), no encode and no subtitles.
/// </summary>
public static class RenderCostBenchmark
{
    private const int Fps = 25;

    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = Option(args, "--seconds", 60.0);
        var pairs = (int)Option(args, "--pairs", 3);
        var sizes = (OptionText(args, "--sizes") ?? "720x1280,1080x1920").Split(',')
            .Select(s => s.Split('x')).Select(p => (W: int.Parse(p[0], CultureInfo.InvariantCulture), H: int.Parse(p[1], CultureInfo.InvariantCulture))).ToList();
        var stages = !args.Contains("--no-stages");
        // The CLI's --segment-seconds: segments of about this length rendered one after another (default: the CLI's choice).
        var segmentSeconds = OptionText(args, "--segment-seconds") is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : (double?)null;
        var keep = OptionText(args, "--keep-media"); // a directory to leave the reference media in (for running the --graph command by hand)
        using var dir = new TempDir();
        var mediaDirectory = keep ?? dir.Path;
        var media = new TestMedia(mediaDirectory);
        var clipSeconds = ReferenceTimeline.ClipSeconds(seconds);
        Console.WriteLine($"render cost: {seconds:0} s timeline, {ReferenceTimeline.Clips} clips from 1920x1080 sources, {ReferenceTimeline.Transitions.Length} transition kinds, 6 captions, looping music; "
            + $"{pairs} pairs; {Environment.ProcessorCount} cores");
        var sources = new List<(string Path, bool Still)>();
        for (var i = 0; i < ReferenceTimeline.Clips; i++)
            sources.Add(ReferenceTimeline.IsStill(i)
                ? (media.ColourImage($"img{i}.png", $"0x{(i * 40) % 256:X2}80{(255 - i * 20) % 256:X2}", 1920, 1080), true)
                : (media.PatternVideo($"clip{i}.mp4", clipSeconds + 1, 1920, 1080, Fps), false));
        var music = media.Tone("music.m4a", 220, 20);
        var timed = new TimedFfmpeg(dir.Path);

        foreach (var (width, height) in sizes)
        {
            var json = ReferenceTimeline.Json(sources.Select(s => s.Path).ToList(), clipSeconds, music, width, height, Fps);
            var policy = new MediaSourcePolicy { AllowedRoots = [dir.Path, media.Directory], CacheDirectory = Path.Combine(dir.Path, "cache") };
            using var preparer = new TimelinePreparer(policy, TimelineLimits.Default);
            var prepared = await preparer.PrepareAsync(ProducingJobRequest.Parse(json), media.Directory, CancellationToken.None);
            var encoder = EncoderSettings.Default;
            if (args.Contains("--graph"))
            {
                // The single-pass command and its filter graph, for reading (and running by hand).
                var captions = Path.Combine(media.Directory, "captions.ass");
                await File.WriteAllTextAsync(captions, prepared.SubtitlesAss);
                var command = new TimelineCompiler(prepared.Schedule, prepared.LocalPaths, encoder, prepared.Assets)
                    .SinglePass(Path.Combine(media.Directory, "out.mp4"), Path.Combine(media.Directory, "graph.txt"), SubtitleFiles.Of(captions));
                await File.WriteAllTextAsync(command.FilterGraphPath!, command.FilterGraph);
                Console.WriteLine(string.Join(' ', command.Arguments.Select(a => a.Contains(' ') ? $"'{a}'" : a)));
                Console.WriteLine(command.FilterGraph);
                continue;
            }
            var renderer = new TimelineRenderer(timed.Runner, encoder);
            var output = dir.File($"render-{width}x{height}.mp4");
            var floorOutput = dir.File($"floor-{width}x{height}.mp4");
            var renders = new List<Cost>();
            var floors = new List<Cost>();
            for (var pair = 0; pair < pairs; pair++)
            {
                renders.Add(await timed.MeasureAsync(() => renderer.RenderAsync(prepared, output, segmentSeconds is { } length ? new RenderOptions(length) : RenderOptions.For(prepared.Schedule), null, CancellationToken.None)));
                floors.Add(await timed.MeasureAsync(() => timed.Runner.RunAsync(Floor(output, floorOutput, encoder, Fps))));
            }
            var facts = Inspect.Probe(output);
            Console.WriteLine();
            Console.WriteLine($"== {width}x{height}: {facts.VideoFrames} frames, {facts.Duration:0.00} s");
            Print("render", Cost.Median(renders), pairs);
            Print("floor", Cost.Median(floors), pairs);
            var cpu = Median(renders.Zip(floors, (r, f) => r.Cpu / f.Cpu));
            var wall = Median(renders.Zip(floors, (r, f) => r.Wall / f.Wall));
            var memory = Median(renders.Zip(floors, (r, f) => r.PeakMb / f.PeakMb));
            Console.WriteLine($"ratio       : CPU {cpu:0.00}x, wall {wall:0.00}x, peak memory {memory:0.00}x the floor (median of the pairs' ratios)");
            if (width == 1080 && height == 1920)
            {
                var peak = Cost.Median(renders).PeakMb;
                Console.WriteLine($"target      : CPU <= 1.40x {(cpu <= 1.4 ? "MET" : "NOT MET")}, peak memory < 500 MB {(peak < 500 ? "MET" : "NOT MET")} ({peak:0} MB)");
            }
            if (stages) await StagesAsync(timed, prepared, encoder, sources, clipSeconds, dir, Cost.Median(renders));
        }
        return 0;
    }

    /// <summary>
    /// Where the time goes: the single-pass command with its output replaced by a null sink (no
    /// encode), the same without subtitles, and the sources decoded alone over the seconds the
    /// timeline uses. Differences between them are the encode, subtitle and filter costs.
    /// </summary>
    private static async Task StagesAsync(TimedFfmpeg timed, PreparedTimeline prepared, EncoderSettings encoder,
        List<(string Path, bool Still)> sources, double clipSeconds, TempDir dir, Cost full)
    {
        var compiler = new TimelineCompiler(prepared.Schedule, prepared.LocalPaths, encoder, prepared.Assets);
        var ass = dir.File("captions.ass");
        await File.WriteAllTextAsync(ass, prepared.SubtitlesAss);
        async Task<Cost> NullOutput(string? subtitles)
        {
            var command = compiler.SinglePass(dir.File("unused.mp4"), dir.File("stage.graph.txt"), SubtitleFiles.Of(subtitles));
            await File.WriteAllTextAsync(command.FilterGraphPath!, command.FilterGraph);
            var args = command.Arguments.TakeWhile(a => a is not ("-c:v" or "-c:a")).ToList();
            args.AddRange(["-frames:v", command.ExpectedFrames.ToString(CultureInfo.InvariantCulture), "-f", "null", "-"]);
            return await timed.MeasureAsync(() => timed.Runner.RunAsync(args));
        }
        var noEncode = await NullOutput(ass);
        var noSubtitles = await NullOutput(null);
        var decode = await timed.MeasureAsync(async () =>
        {
            foreach (var (path, still) in sources)
                await timed.Runner.RunAsync(still
                    ? ["-i", path, "-f", "null", "-"]
                    : ["-t", clipSeconds.ToString("0.###", CultureInfo.InvariantCulture), "-i", path, "-map", "0:v", "-f", "null", "-"]);
        });
        Console.WriteLine($"stages (CPU s; one run each; the render's median above):");
        Console.WriteLine($"  decode    : {decode.Cpu,6:0.0}  (sources alone, {decode.PeakMb:0} MB peak per process)");
        Console.WriteLine($"  filters   : {noSubtitles.Cpu - decode.Cpu,6:0.0}  (render without encode or subtitles {noSubtitles.Cpu:0.0}, {noSubtitles.PeakMb:0} MB peak, minus decode)");
        Console.WriteLine($"  subtitles : {noEncode.Cpu - noSubtitles.Cpu,6:0.0}  (render without encode {noEncode.Cpu:0.0}, {noEncode.PeakMb:0} MB peak, minus the above)");
        Console.WriteLine($"  encode    : {full.Cpu - noEncode.Cpu,6:0.0}  (render {full.Cpu:0.0} minus render without encode)");
    }

    private static void Print(string name, Cost c, int pairs) =>
        Console.WriteLine($"{name,-12}: CPU {c.Cpu,6:0.0} s, wall {c.Wall,6:0.0} s, peak {c.PeakMb,5:0} MB (one process), {c.Processes} ffmpeg process(es); median of {pairs}");

    /// <summary>The encode-only floor: decode the finished video, encode it again as the render did.</summary>
    private static List<string> Floor(string input, string output, EncoderSettings encoder, int fps) =>
    [
        "-i", input, "-map", "0:v", "-map", "0:a",
        "-c:v", "libx264", "-preset", encoder.Preset, "-crf", encoder.Crf.ToString(CultureInfo.InvariantCulture), "-pix_fmt", "yuv420p", "-profile:v", "high",
        "-r", $"{fps}", "-g", $"{fps * 2}",
        "-c:a", "aac", "-b:a", $"{encoder.AudioBitrateKbps}k", "-ar", "48000", "-ac", "2", "-movflags", "+faststart", "-f", "mp4", output,
    ];

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static double Option(string[] args, string name, double fallback) =>
        OptionText(args, name) is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;

    internal static string? OptionText(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }


    /// <summary>One measured run: CPU seconds summed over its ffmpeg processes, wall seconds, the largest process's peak RSS.</summary>
    private sealed record Cost(double Cpu, double Wall, double PeakMb, int Processes)
    {
        public static Cost Median(IReadOnlyList<Cost> runs) => new(
            RenderCostBenchmark.Median(runs.Select(r => r.Cpu)), RenderCostBenchmark.Median(runs.Select(r => r.Wall)),
            RenderCostBenchmark.Median(runs.Select(r => r.PeakMb)), runs[0].Processes);
    }

    /// <summary>
    /// An ffmpeg that runs under /usr/bin/time: a two-line script in the benchmark's directory that
    /// appends "wall user system maxrss-KB" for every process to a log the measurement reads back.
    /// </summary>
    private sealed class TimedFfmpeg
    {
        private readonly string log;

        public TimedFfmpeg(string directory)
        {
            if (!File.Exists("/usr/bin/time")) throw new InvalidOperationException("the render cost benchmark needs /usr/bin/time (apt-get install time)");
            log = Path.Combine(directory, "ffmpeg-times.log");
            var script = Path.Combine(directory, "timed-ffmpeg");
            File.WriteAllText(script, $"#!/bin/sh\nexec /usr/bin/time -f '%e %U %S %M' -a -o '{log}' '{FfmpegRunner.FfmpegPath}' \"$@\"\n");
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Runner = new FfmpegRunner(script);
        }

        public FfmpegRunner Runner { get; }

        public async Task<Cost> MeasureAsync(Func<Task> work)
        {
            File.Delete(log);
            var watch = Stopwatch.StartNew();
            await work();
            var wall = watch.Elapsed.TotalSeconds;
            var processes = File.ReadAllLines(log).Select(l => l.Split(' ')).Where(p => p.Length == 4 && double.TryParse(p[0], CultureInfo.InvariantCulture, out _))
                .Select(p => (Cpu: double.Parse(p[1], CultureInfo.InvariantCulture) + double.Parse(p[2], CultureInfo.InvariantCulture), Kb: double.Parse(p[3], CultureInfo.InvariantCulture)))
                .ToList();
            return new Cost(processes.Sum(p => p.Cpu), wall, processes.Max(p => p.Kb) / 1024, processes.Count);
        }
    }
}
