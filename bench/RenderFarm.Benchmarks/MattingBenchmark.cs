using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using RenderFarm.Matting;
using RenderFarm.Media.Ai;
using RenderFarm.TestSupport;

namespace RenderFarm.Benchmarks;

/// <summary>
/// Person matting cost with the real ISNet model: model throughput (analysed pictures per second at
/// the model's 1024x1024 analysis size), then the time <see cref="IsNetMatteProducer"/> takes to
/// produce the matte video of a 10 s 1080x1920 25 fps clip at the default settings (5 analysed
/// pictures a second), and how much of it the model runs account for.
/// </summary>
public static class MattingBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = Option(args, "--seconds", 10.0);
        var width = (int)Option(args, "--width", 1080.0);
        var height = (int)Option(args, "--height", 1920.0);
        var runs = (int)Option(args, "--runs", 3.0);
        var options = new MattingOptions { AnalysisFps = Option(args, "--analysis-fps", new MattingOptions().AnalysisFps) }.Validate();
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
        Console.WriteLine($"render       : {CompareRenderWithAndWithoutMatting()}");
        return facts.VideoFrames == frames ? 0 : 1;
    }

    /// <summary>
    /// TODO: the time real matting adds to a 10 s 1080x1920 render: render a timeline with an
    /// AI_RealMatting clip over a background, and the same timeline unmatted, and print both and
    /// the difference. Needs the compositor's AI_RealMatting support (TimelinePreparer given
    /// <c>new AiEngines(Matte: producer)</c>), which is not in this tree yet.
    /// </summary>
    private static string CompareRenderWithAndWithoutMatting() =>
        "not measured: the AI_RealMatting compositor is not in this tree (MattingBenchmark.CompareRenderWithAndWithoutMatting)";

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
