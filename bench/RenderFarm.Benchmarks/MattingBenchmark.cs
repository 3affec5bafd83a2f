using RenderFarm.Core.Imaging;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using RenderFarm.Core.Jobs;
using RenderFarm.Core.Timelines;
using RenderFarm.Matting;
using RenderFarm.Onnx;
using RenderFarm.Media.Ai;
using RenderFarm.Media.Compilation;
using RenderFarm.Media.Ffmpeg;
using RenderFarm.Media.Rendering;
using RenderFarm.Media.Sources;
using RenderFarm.TestSupport;

namespace RenderFarm.Benchmarks;

/// <summary>
/// Person matting cost with the real ISNet model: model throughput (analysed pictures per second at
/// the model's 1024x1024 analysis size), then the time <see cref="IsNetMatteProducer"/> takes to
/// produce the matte video of a 10 s 1080x1920 25 fps clip at the default settings (5 analysed
/// pictures a second), how much of it the model runs account for, and the time AI_RealMatting adds
/// to rendering that clip over a background (matted render against the same timeline unmatted).
/// </summary>
public static class MattingBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = Option(args, "--seconds", 10.0);
        var width = (int)Option(args, "--width", 1080.0);
        var height = (int)Option(args, "--height", 1920.0);
        var runs = (int)Option(args, "--runs", 3.0);
        // The environment's settings (RENDERFARM_ONNX_DEVICE among them: scripts/gpu-check.sh runs this with cpu and auto).
        var options = (MattingOptions.FromEnvironment() with { AnalysisFps = Option(args, "--analysis-fps", new MattingOptions().AnalysisFps) }).Validate();
        const int fps = 25;
        using var dir = new TempDir();
        using var logs = LoggerFactory.Create(b => b.AddProvider(new ConsoleLines()));
        var logger = logs.CreateLogger("matting");

        Console.WriteLine($"matting benchmark: ISNet fp32, {Environment.ProcessorCount} cores");
        var load = Stopwatch.StartNew();
        using var matter = new IsNetPersonMatter(options, logger);
        Console.WriteLine($"model        : {matter.ModelPath} loaded in {load.Elapsed.TotalSeconds:0.00} s, {matter.ExecutionProvider}, analyses {matter.ModelSize}x{matter.ModelSize}");

        var clip = Clip(dir, seconds, width, height, fps);
        var picture = Inspect.Frame(clip, 0);
        var image = new RgbImage(picture.Rgb, picture.Width, picture.Height);
        matter.Run(image, matter.ModelSize, matter.ModelSize); // warm-up: the first run allocates and plans
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            matter.Run(image, matter.ModelSize, matter.ModelSize);
            times.Add(watch.Elapsed.TotalSeconds);
        }
        var perPicture = times.Average();
        Console.WriteLine($"throughput   : {1 / perPicture:0.000} analysed pictures/s ({perPicture:0.00} s each, mean of {runs}; best {times.Min():0.00} s, worst {times.Max():0.00} s; {width}x{height} in)");

        CompareQuantised(clip, seconds, fps, options, matter, image, runs, perPicture, logger);

        using var producer = new IsNetMatteProducer(dir.File("cache"), options, logger, matter);
        var frames = (long)Math.Round(seconds * fps);
        var request = new MatteRequest(clip, 0, 1, fps, frames, width, height, Threshold: 0);
        var modelBefore = matter.InferenceTime;
        var produce = Stopwatch.StartNew();
        var matte = await producer.ProduceAsync(request, CancellationToken.None);
        var wall = produce.Elapsed.TotalSeconds;
        var facts = Inspect.Probe(matte);
        var modelTime = (matter.InferenceTime - modelBefore).TotalSeconds;
        Console.WriteLine($"matte video  : {wall:0.0} s for {seconds:0} s of {width}x{height}@{fps} ({wall / seconds:0.0} s per source second), " +
            $"{producer.AnalysedFrames} analysed pictures at {options.AnalysisFps:0.##}/s, {facts.VideoFrames} frames {facts.Width}x{facts.Height} {facts.VideoCodec}");
        Console.WriteLine($"where        : {modelTime:0.0} s in the model ({modelTime / Math.Max(1, producer.AnalysedFrames):0.00} s a picture), {wall - modelTime:0.0} s decoding, smoothing, blending and encoding");
        var render = await CompareRenderWithAndWithoutMattingAsync(dir, clip, seconds, width, height, fps, options, matter, logger);
        Console.WriteLine($"render       : {render.Unmatted:0.0} s unmatted, {render.Matted:0.0} s with AI_RealMatting ({render.Analysed} analysed pictures, empty matte cache), " +
            $"same {seconds:0} s {width}x{height}@{fps} clip over a background video");
        Console.WriteLine($"matting adds : {render.Matted - render.Unmatted:0.0} s, ratio {render.Matted / render.Unmatted:0.00}x the unmatted render");
        Console.WriteLine($"matte cached : {render.Cached:0.0} s rendering with the matte already made (compositing adds {render.Cached - render.Unmatted:0.0} s, ratio {render.Cached / render.Unmatted:0.00}x)");
        return facts.VideoFrames == frames ? 0 : 1;
    }

    /// <summary>
    /// The quantised model (.models/isnet-quint8.onnx, scripts/setup-models.sh) against the fp32 one:
    /// pictures per second on the same picture, and the intersection over union of the person (matte
    /// at least 0.5) in their mattes of three frames of the clip (start, middle, end).
    /// </summary>
    private static void CompareQuantised(string clip, double seconds, int fps, MattingOptions options, IsNetPersonMatter fp32,
        RgbImage image, int runs, double fp32PerPicture, ILogger logger)
    {
        var path = Path.Combine(Repository(), ".models", "isnet-quint8.onnx");
        if (!File.Exists(path)) { Console.WriteLine("quint8       : .models/isnet-quint8.onnx not installed (scripts/setup-models.sh)"); return; }
        using var quantised = new IsNetPersonMatter(options with { ModelPath = path }, logger);
        quantised.Run(image, quantised.ModelSize, quantised.ModelSize);
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            quantised.Run(image, quantised.ModelSize, quantised.ModelSize);
            times.Add(watch.Elapsed.TotalSeconds);
        }
        var ious = new List<double>();
        foreach (var t in new[] { 0, seconds / 2, seconds - 1.0 / fps })
        {
            var frame = Inspect.Frame(clip, t);
            var picture = new RgbImage(frame.Rgb, frame.Width, frame.Height);
            var a = fp32.Run(picture, 512, 512).Values;
            var b = quantised.Run(picture, 512, 512).Values;
            long both = 0, either = 0;
            for (var i = 0; i < a.Length; i++)
            {
                bool pa = a[i] >= 0.5f, pb = b[i] >= 0.5f;
                if (pa && pb) both++;
                if (pa || pb) either++;
            }
            ious.Add(either == 0 ? 1 : (double)both / either);
        }
        var perPicture = times.Average();
        Console.WriteLine($"quint8       : {1 / perPicture:0.000} analysed pictures/s ({perPicture:0.00} s each, mean of {runs}) vs fp32 {1 / fp32PerPicture:0.000}/s: {fp32PerPicture / perPicture:0.00}x; " +
            $"person IoU vs fp32 {string.Join(", ", ious.Select(v => v.ToString("0.000", CultureInfo.InvariantCulture)))} (start, middle, end)");
    }

    /// <summary>
    /// The time real matting adds to a render: the clip over a coloured background video, rendered
    /// as a timeline with AI_RealMatting on the clip and as the same timeline without it, in this run
    /// and with the same encoder. The matted render starts from an empty matte cache (so it includes
    /// every model run) and shares the loaded model session (so model loading is not counted); a
    /// second matted render then finds the matte cached, which leaves the compositing cost.
    /// </summary>
    private static async Task<(double Matted, double Cached, double Unmatted, long Analysed)> CompareRenderWithAndWithoutMattingAsync(TempDir dir, string clip,
        double seconds, int width, int height, int fps, MattingOptions options, IsNetPersonMatter matter, ILogger logger)
    {
        var background = new TestMedia(dir.Path).ColourVideo("background.mp4", "0x2040C0", seconds, width, height, fps);
        var policy = new MediaSourcePolicy { AllowedRoots = [dir.Path], CacheDirectory = dir.File("render-cache") };
        var renderer = new TimelineRenderer(new FfmpegRunner(), EncoderSettings.Default);
        using var producer = new IsNetMatteProducer(dir.File("render-mattes"), options, logger, matter);

        async Task<double> RenderAsync(bool matted)
        {
            var watch = Stopwatch.StartNew();
            using var preparer = new TimelinePreparer(policy, TimelineLimits.Default, new AiEngines(Matte: producer));
            var request = ProducingJobRequest.Parse(TimelineJson(background, clip, seconds, width, height, fps, matted));
            var prepared = await preparer.PrepareAsync(request, dir.Path, CancellationToken.None);
            var output = dir.File(matted ? "matted.mp4" : "unmatted.mp4");
            await renderer.RenderAsync(prepared, output, new RenderOptions(), null, CancellationToken.None);
            var elapsed = watch.Elapsed.TotalSeconds;
            var frames = Inspect.Probe(output).VideoFrames;
            if (frames != (long)Math.Round(seconds * fps)) throw new InvalidDataException($"{output} has {frames} frames");
            return elapsed;
        }

        var unmatted = await RenderAsync(matted: false);
        var mattedTime = await RenderAsync(matted: true);
        var analysed = producer.AnalysedFrames;
        var cached = await RenderAsync(matted: true);
        return (mattedTime, cached, unmatted, analysed);
    }

    /// <summary>The person clip (covering the frame) over the background video, with or without AI_RealMatting.</summary>
    private static string TimelineJson(string background, string clip, double seconds, int width, int height, int fps, bool matted)
    {
        var person = new JsonObject { ["MediaURL"] = clip, ["In"] = 0, ["Out"] = seconds, ["AdaptMode"] = "Cover" };
        if (matted) person["Effects"] = new JsonArray(new JsonObject { ["Type"] = "AI_RealMatting", ["Thres"] = 8 });
        var timeline = new JsonObject
        {
            ["VideoTracks"] = new JsonArray(
                new JsonObject { ["VideoTrackClips"] = new JsonArray(new JsonObject { ["MediaURL"] = background, ["In"] = 0, ["Out"] = seconds }) },
                new JsonObject { ["VideoTrackClips"] = new JsonArray(person) }),
        };
        return new JsonObject
        {
            ["Timeline"] = timeline.ToJsonString(),
            ["OutputMediaConfig"] = new JsonObject { ["Width"] = width, ["Height"] = height, ["Fps"] = fps },
        }.ToJsonString();
    }

    /// <summary>astronaut.png with a slow zoom, at the benchmark's size (a moving test pattern when the photo is not installed).</summary>
    private static string Clip(TempDir dir, double seconds, int width, int height, int fps)
    {
        var photo = Path.Combine(Repository(), ".models", "astronaut.png");
        if (!File.Exists(photo)) return new TestMedia(dir.Path).PatternVideo("clip.mp4", seconds, width, height, fps);
        var path = dir.File("clip.mp4");
        Tool.Ffmpeg("-loop", "1", "-i", photo,
            "-vf", $"zoompan=z='1+0.0005*on':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=1:s={width}x{height}:fps={fps}",
            "-frames:v", $"{(int)Math.Round(seconds * fps)}", "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", path);
        return path;
    }

    private static string Repository()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "RenderFarm.sln"))) return d.FullName;
        return Directory.GetCurrentDirectory();
    }

    private static double Option(string[] args, string name, double fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? double.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    /// <summary>Log lines on the console, so the provider choice shows in the benchmark output.</summary>
    private sealed class ConsoleLines : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Console.WriteLine($"log          : {formatter(state, exception)}");
        public void Dispose() { }
    }
}
