using RenderFarm.Core.Imaging;
using RenderFarm.AI.Ocr;
using RenderFarm.AI.Tests.Rendering;
using RenderFarm.Onnx;
using RenderFarm.TestSupport;
using RenderFarm.TestSupport.Ocr;

namespace RenderFarm.AI.Tests.Ocr;

/// <summary>
/// PaddleOCR on captions drawn by the farm's renderer: one 720x1280 frame per language and style (plain,
/// outlined, on a box), lines of 24, 44 and 96 px. The benchmark (scripts/bench-ocr.sh) measures 1080x1920
/// keyframes with more sizes, against tesseract.
/// </summary>
public sealed class CaptionOcrTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDir _dir = new();

    [Fact]
    public async Task PaddleOCR_reads_rendered_chinese_and_english_captions_with_at_least_97_percent_character_accuracy()
    {
        const int width = 720, height = 1280;
        // One video frame per caption frame (25 fps), so the video decodes once into exactly those frames.
        var frames = CaptionFrames.Plan([24, 44, 96], width, top: 120);
        var background = _dir.File("background.mp4");
        Tool.Ffmpeg(CaptionFrames.BackgroundArguments(width, height, frames[^1].End, background));
        var (_, video) = await AiRender.RenderAsync(CaptionFrames.Timeline(frames, background, width, height), _dir.Path);

        using var ocr = new PaddleOcr();
        var scores = new List<(int Errors, int Characters)>();
        var pictures = Inspect.AllFrames(video);
        pictures.Should().HaveCount(frames.Count);
        foreach (var (frame, picture) in frames.Zip(pictures))
        {
            var lines = ocr.Read(new RgbImage(picture.Rgb, picture.Width, picture.Height), TestContext.Current.CancellationToken);
            var read = string.Concat(lines.Select(l => l.Text));
            var score = CaptionFrames.Score(frame.Text, read);
            output.WriteLine($"{frame.Language} {frame.Style}: {score.Errors} errors in {score.Characters}: {string.Join(" | ", lines.Select(l => l.Text))}");
            scores.Add(score);
            lines.Should().HaveCount(frame.Lines.Count, $"the {frame.Language} {frame.Style} frame has one box per caption line");
        }
        CaptionFrames.Accuracy(scores).Should().BeGreaterThanOrEqualTo(0.97);
    }

    public void Dispose() => _dir.Dispose();
}
