using System.Globalization;
using System.Text.Json.Nodes;
using FluentAssertions;
using RenderFarm.Media.Ai;
using RenderFarm.Media.Production;
using RenderFarm.Media.Tests.Analysis;
using RenderFarm.Media.Tests.Rendering;
using RenderFarm.TestSupport;
using RenderFarm.TestSupport.Ocr;
using Xunit;

namespace RenderFarm.Media.Tests.Production.Vision;

/// <summary>
/// A 640x360, 19 s video rendered by the farm's renderer: 12 captions of 1.1 s (6 English, 6 Chinese; plain,
/// outlined and on a box; 26 and 20 px) at times off the sampling grid, with gaps between them, in the bottom
/// quarter over a moving colour gradient. Shared by the CaptionExtraction and VideoDetext tests.
/// </summary>
public sealed class CaptionVideoFixture : IDisposable
{
    public const int Width = 640, Height = 360;
    public TempDir Dir { get; } = new();
    public IReadOnlyList<CaptionFrame> Captions { get; }
    public string Video { get; }
    public ProductionFunctions Functions { get; } = ProductionCatalog.Create(new AiEngines(TextReader: AnalysisMedia.TextReader), Path.Combine(Path.GetTempPath(), "renderfarm-test-probe"));

    public CaptionVideoFixture()
    {
        var planned = CaptionFrames.Plan([26], Width, top: 296, seconds: 1, rounds: 2);
        Captions = [.. planned.Select((frame, i) =>
        {
            // Start times step 1.5 s plus 0, 0.08, 0.16 or 0.24 s, so cues do not all sit on the 0.2 s sampling grid.
            var start = Math.Round(0.4 + 1.5 * i + 0.08 * (i % 4), 2);
            var size = (i + i / 6) % 2 == 0 ? 26 : 20;
            var line = frame.Lines[0] with { FontSize = size, Top = 296 + (26 - size) / 2 };
            return frame with { Start = start, End = start + 1.1, Lines = [line] };
        })];
        var background = Dir.File("background.mp4");
        Tool.Ffmpeg(CaptionFrames.BackgroundArguments(Width, Height, 19, background));
        Video = LocalRender.RenderAsync(CaptionFrames.Timeline(Captions, background, Width, Height), Dir.Path, "captions.mp4").GetAwaiter().GetResult();
    }

    public Task<JsonObject> RunAsync(string function, string input, string jobParams, string output)
    {
        var f = Functions.Find(function);
        return ProductionRunner.RunAsync(f, ProductionFunctions.ParseParams(f, jobParams), input, new Dictionary<string, string>(), Dir.File(output),
            Dir.File("work"), new Progress<double>(), TestContext.Current.CancellationToken);
    }

    public void Dispose() => Dir.Dispose();
}

public sealed class CaptionVideoTests(CaptionVideoFixture video, ITestOutputHelper output) : IClassFixture<CaptionVideoFixture>
{
    private sealed record Cue(double Start, double End, string Text);

    private static List<Cue> ReadSrt(string path) =>
        [.. File.ReadAllText(path).Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(block =>
        {
            var lines = block.Split('\n');
            var times = lines[1].Split(" --> ");
            return new Cue(Seconds(times[0]), Seconds(times[1]), string.Join("\n", lines.Skip(2)));
        })];

    private static double Seconds(string srt) => TimeSpan.ParseExact(srt, @"hh\:mm\:ss\,fff", CultureInfo.InvariantCulture).TotalSeconds;

    private static List<(byte[] Rgb, int Width, int Height)> FramesEverySecond(string path)
    {
        var raw = Tool.Ffmpeg("-i", path, "-vf", "fps=1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-");
        const int size = CaptionVideoFixture.Width * CaptionVideoFixture.Height * 3;
        return [.. Enumerable.Range(0, raw.Length / size).Select(i => (raw[(i * size)..((i + 1) * size)], CaptionVideoFixture.Width, CaptionVideoFixture.Height))];
    }

    [Fact]
    public async Task CaptionExtraction_reads_95_percent_of_characters_with_cue_times_within_one_sampling_interval_and_sep_splits_the_languages()
    {
        const double interval = 1.0 / 5;
        var result = await video.RunAsync("CaptionExtraction", video.Video, "{fps:5,sep:true}", "captions.srt");
        output.WriteLine(result.ToJsonString());

        var cues = ReadSrt(video.Dir.File("captions.srt"));
        cues.Should().HaveCount(12);
        result["Cues"]!.GetValue<int>().Should().Be(12);
        result["Files"]!.AsArray().Select(f => f!.GetValue<string>()).Should().Equal("captions.srt", "captions.zh.srt", "captions.en.srt");
        result["Languages"]!.AsArray().Select(f => f!.GetValue<string>()).Should().Equal("en", "zh");
        var scores = new List<(int Errors, int Characters)>();
        foreach (var (truth, cue) in video.Captions.Zip(cues))
        {
            output.WriteLine($"{truth.Start:0.00}-{truth.End:0.00} {truth.Text} | {cue.Start:0.000}-{cue.End:0.000} {cue.Text}");
            cue.Start.Should().BeApproximately(truth.Start, interval, $"'{truth.Text}' starts at {truth.Start}");
            cue.End.Should().BeApproximately(truth.End, interval, $"'{truth.Text}' ends at {truth.End}");
            scores.Add(CaptionFrames.Score(truth.Text, cue.Text));
        }
        var accuracy = CaptionFrames.Accuracy(scores);
        output.WriteLine($"character accuracy {accuracy:P1}");
        accuracy.Should().BeGreaterThanOrEqualTo(0.95);

        foreach (var language in new[] { "zh", "en" })
        {
            var file = ReadSrt(video.Dir.File($"captions.{language}.srt"));
            var expected = video.Captions.Where(c => c.Language == language).ToList();
            file.Should().HaveCount(expected.Count, $"the {language} file holds the {language} captions");
            foreach (var (truth, cue) in expected.Zip(file))
            {
                cue.Start.Should().BeApproximately(truth.Start, interval);
                CaptionFrames.Score(truth.Text, cue.Text).Errors.Should().BeLessThanOrEqualTo(truth.Characters / 4, $"'{cue.Text}' is '{truth.Text}'");
            }
        }
    }

    [Fact]
    public async Task VideoDetext_leaves_no_caption_text_and_keeps_the_picture_outside_the_boxes_above_40_dB()
    {
        var result = await video.RunAsync("VideoDetext", video.Video, "{}", "clean.mp4");
        var boxes = result["Boxes"]!.AsArray().Select(b => (X: b!["X"]!.GetValue<int>(), Y: b["Y"]!.GetValue<int>(), W: b["Width"]!.GetValue<int>(), H: b["Height"]!.GetValue<int>(),
            Start: b["Start"]!.GetValue<double>(), End: b["End"]!.GetValue<double>())).ToList();
        output.WriteLine(result.ToJsonString());
        foreach (var caption in video.Captions)
            boxes.Should().Contain(b => b.Start <= caption.Start && b.End >= caption.End && b.Y + b.H >= caption.Lines[0].Top + caption.Lines[0].FontSize,
                $"'{caption.Text}' ({caption.Start}-{caption.End} s) is inside a box held for its whole time");
        Inspect.Probe(video.Dir.File("clean.mp4")).Duration.Should().BeApproximately(Inspect.Probe(video.Video).Duration, 0.1);

        var after = await video.RunAsync("CaptionExtraction", video.Dir.File("clean.mp4"), "{fps:5}", "after.srt");
        output.WriteLine($"OCR after removal: {after.ToJsonString()}");
        after["Cues"]!.GetValue<int>().Should().Be(0, "OCR finds no caption text in the cleaned video");

        // Every second of both videos (one decode each), compared outside every box.
        var sources = FramesEverySecond(video.Video);
        var cleaned = FramesEverySecond(video.Dir.File("clean.mp4"));
        cleaned.Should().HaveCount(sources.Count);
        var psnr = sources.Zip(cleaned, (a, b) => Inspect.Psnr(a, b, (x, y) => !boxes.Any(box => x >= box.X && x < box.X + box.W && y >= box.Y && y < box.Y + box.H))).ToList();
        output.WriteLine($"PSNR outside the boxes: min {psnr.Min():0.0} dB, mean {psnr.Average():0.0} dB");
        psnr.Should().OnlyContain(p => p >= 40);
    }
}
