using System.Diagnostics;
using System.Globalization;
using System.Text;
using RenderFarm.AI.Ocr;
using RenderFarm.Core.Jobs;
using RenderFarm.Core.Timelines;
using RenderFarm.Media.Ai;
using RenderFarm.Media.Compilation;
using RenderFarm.Media.Ffmpeg;
using RenderFarm.Media.Rendering;
using RenderFarm.Media.Sources;
using RenderFarm.TestSupport;
using RenderFarm.TestSupport.Ocr;

namespace RenderFarm.Benchmarks;

/// <summary>
/// OCR accuracy and speed on captions drawn by the farm's renderer (<see cref="CaptionFrames"/>): 1080x1920 keyframes,
/// Chinese and English, plain, outlined and on a box, one line per font size. PaddleOCR (the analysis OCR) and, when
/// installed, tesseract 5 as media analysis ran it before (eng+chi_sim, --psm 3, words under 60% confidence dropped)
/// read the same PNG files. Character accuracy is 1 - edit distance / characters, whitespace ignored; time per
/// keyframe is file in, text out (decoding included), after one warm-up read.
/// </summary>
public static class OcrBenchmark
{
    private sealed record Item(string Text, double CentreY, double Left);

    private sealed record ReaderResult(string Name, string Setup, List<double> Seconds, List<IReadOnlyList<Item>> Frames);

    public static async Task<int> RunAsync(string[] args)
    {
        var width = (int)ClusterBenchmark.Option(args, "--width", 1080);
        var height = (int)ClusterBenchmark.Option(args, "--height", 1920);
        var sizes = (args.SkipWhile(a => a != "--sizes").Skip(1).FirstOrDefault() ?? "24,32,48,64,80,96")
            .Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        using var dir = new TempDir();

        var rounds = (int)ClusterBenchmark.Option(args, "--rounds", 2);
        var frames = CaptionFrames.Plan(sizes, width, top: 160, rounds: rounds);
        var files = await RenderAsync(dir, frames, width, height);
        Console.WriteLine($"ocr benchmark: load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}, {frames.Count} keyframes {width}x{height} rendered by the timeline renderer, font sizes {string.Join('/', sizes)} px, " +
            $"{frames.Sum(f => f.Characters)} characters (whitespace not counted), {Environment.ProcessorCount} cores");

        var results = new List<ReaderResult>();
        var load = Stopwatch.StartNew();
        using (var paddle = new PaddleOcr())
        {
            await paddle.ReadAsync(files[0], CancellationToken.None); // opens the models
            var loaded = load.Elapsed.TotalSeconds;
            results.Add(await MeasureAsync("PaddleOCR", $"PP-OCRv4 on {paddle.ExecutionProvider}, models opened and first read in {loaded:0.0} s", files, async f =>
                (await paddle.ReadAsync(f, CancellationToken.None)).Select(l => new Item(l.Text, (l.Top + l.Bottom) / 2, l.Left)).ToList()));
        }
        if (Tool.Run("sh", "-c", "command -v tesseract").Exit == 0)
        {
            Tesseract(files[0]);
            results.Add(await MeasureAsync("tesseract", "5, eng+chi_sim, --psm 3, confidence >= 60", files, f => Task.FromResult(Tesseract(f))));
        }
        else Console.WriteLine("tesseract    : not installed (apt-get install tesseract-ocr tesseract-ocr-eng tesseract-ocr-chi-sim), no comparison");

        Report(frames, results);
        var paddleAccuracy = Accuracy(frames, results[0].Frames, _ => true);
        return paddleAccuracy >= 0.97 ? 0 : 1;
    }

    private static async Task<List<string>> RenderAsync(TempDir dir, IReadOnlyList<CaptionFrame> frames, int width, int height)
    {
        var background = dir.File("background.mp4");
        Tool.Ffmpeg(CaptionFrames.BackgroundArguments(width, height, frames[^1].End, background));
        var policy = new MediaSourcePolicy { AllowedRoots = [dir.Path], CacheDirectory = dir.File("render-cache") };
        using var preparer = new TimelinePreparer(policy, TimelineLimits.Default);
        var prepared = await preparer.PrepareAsync(ProducingJobRequest.Parse(CaptionFrames.Timeline(frames, background, width, height)), dir.Path, CancellationToken.None);
        var video = dir.File("captions.mp4");
        await new TimelineRenderer(new FfmpegRunner(), EncoderSettings.Default).RenderAsync(prepared, video, new RenderOptions(), null, CancellationToken.None);
        // One video frame per caption frame; keyframes as analysis would see them, but lossless.
        Tool.Ffmpeg("-i", video, "-start_number", "0", dir.File("frame-%03d.png"));
        var files = Enumerable.Range(0, frames.Count).Select(i => dir.File($"frame-{i:D3}.png")).ToList();
        if (!files.All(File.Exists)) throw new InvalidDataException($"{video} does not have one frame per caption frame");
        return files;
    }

    private static async Task<ReaderResult> MeasureAsync(string name, string setup, IReadOnlyList<string> files, Func<string, Task<List<Item>>> read)
    {
        var seconds = new List<double>();
        var frames = new List<IReadOnlyList<Item>>();
        foreach (var file in files)
        {
            var watch = Stopwatch.StartNew();
            frames.Add(await read(file));
            seconds.Add(watch.Elapsed.TotalSeconds);
        }
        return new ReaderResult(name, setup, seconds, frames);
    }

    /// <summary>tesseract's words (TSV level 5) at or above confidence 60, as media analysis used to read keyframes.</summary>
    private static List<Item> Tesseract(string file)
    {
        var (exit, stdout, stderr) = Tool.Run("tesseract", file, "stdout", "-l", "eng+chi_sim", "--psm", "3", "tsv");
        if (exit != 0) throw new InvalidOperationException($"tesseract failed: {stderr}");
        var words = new List<Item>();
        foreach (var row in Encoding.UTF8.GetString(stdout).Split('\n'))
        {
            var cells = row.TrimEnd('\r').Split('\t');
            if (cells.Length < 12 || cells[0] != "5" || cells[11].Trim().Length == 0) continue;
            if (!double.TryParse(cells[10], NumberStyles.Float, CultureInfo.InvariantCulture, out var confidence) || confidence < 60) continue;
            var (left, top, height) = (double.Parse(cells[6], CultureInfo.InvariantCulture), double.Parse(cells[7], CultureInfo.InvariantCulture), double.Parse(cells[9], CultureInfo.InvariantCulture));
            words.Add(new Item(cells[11].Trim(), top + height / 2, left));
        }
        return words;
    }

    /// <summary>Frame accuracy over the frames chosen; each frame's text read is everything read on it, in reading order.</summary>
    private static double Accuracy(IReadOnlyList<CaptionFrame> frames, List<IReadOnlyList<Item>> read, Func<CaptionFrame, bool> which) =>
        CaptionFrames.Accuracy(frames.Select((f, i) => (f, i)).Where(x => which(x.f))
            .Select(x => CaptionFrames.Score(x.f.Text, string.Concat(read[x.i].Select(r => r.Text)))));

    /// <summary>Accuracy on the lines of one font size: what was read with its centre in the line's band, left to right.</summary>
    private static double SizeAccuracy(IReadOnlyList<CaptionFrame> frames, List<IReadOnlyList<Item>> read, int size) =>
        CaptionFrames.Accuracy(frames.SelectMany((f, i) => f.Lines.Where(l => l.FontSize == size).Select(l => CaptionFrames.Score(l.Text,
            string.Concat(read[i].Where(r => r.CentreY >= l.Top && r.CentreY < l.Bottom).OrderBy(r => r.Left).Select(r => r.Text))))));

    private static void Report(IReadOnlyList<CaptionFrame> frames, List<ReaderResult> results)
    {
        static string Pct(double v) => (v * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";
        foreach (var r in results) Console.WriteLine($"{r.Name,-12} : {r.Setup}");
        var columns = new List<(string Name, Func<CaptionFrame, bool> Which)> { ("all", _ => true) };
        columns.AddRange(CaptionFrames.Languages.Select(l => (l, (Func<CaptionFrame, bool>)(f => f.Language == l))));
        columns.AddRange(CaptionFrames.Styles.Select(s => (s, (Func<CaptionFrame, bool>)(f => f.Style == s))));
        Console.WriteLine($"{"accuracy",-12} : " + string.Join("  ", columns.Select(c => $"{c.Name,8}")));
        foreach (var r in results)
            Console.WriteLine($"{r.Name,-12} : " + string.Join("  ", columns.Select(c => $"{Pct(Accuracy(frames, r.Frames, c.Which)),8}")));
        var sizes = frames[0].Lines.Select(l => l.FontSize).ToList();
        Console.WriteLine($"{"by size",-12} : " + string.Join("  ", sizes.Select(s => $"{s + " px",8}")));
        foreach (var r in results)
            Console.WriteLine($"{r.Name,-12} : " + string.Join("  ", sizes.Select(s => $"{Pct(SizeAccuracy(frames, r.Frames, s)),8}")));
        foreach (var r in results)
        {
            var ms = r.Seconds.Select(s => s * 1000).ToList();
            Console.WriteLine($"{r.Name,-12} : {ms.Average():0} ms per keyframe (mean of {frames.Count}; best {ms.Min():0}, worst {ms.Max():0})");
        }
        if (results.Count == 2)
            Console.WriteLine($"ratio        : tesseract takes {results[1].Seconds.Average() / results[0].Seconds.Average():0.00}x PaddleOCR's time per keyframe; " +
                $"errors {Errors(frames, results[1])} vs {Errors(frames, results[0])} of {frames.Sum(f => f.Characters)} characters");
        foreach (var (frame, i) in frames.Select((f, i) => (f, i)))
            foreach (var r in results)
                Console.WriteLine($"  {frame.Language} {frame.Style,-7} {r.Name,-9}: {string.Join(" | ", r.Frames[i].Select(x => x.Text))}");
    }

    private static int Errors(IReadOnlyList<CaptionFrame> frames, ReaderResult r) =>
        frames.Select((f, i) => CaptionFrames.Score(f.Text, string.Concat(r.Frames[i].Select(x => x.Text))).Errors).Sum();
}
