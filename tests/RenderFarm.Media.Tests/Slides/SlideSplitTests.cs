using System.Globalization;
using FluentAssertions;
using RenderFarm.Media.Ai;
using RenderFarm.Media.Compilation;
using RenderFarm.Media.Ffmpeg;
using RenderFarm.Media.Production;
using RenderFarm.Media.Slides;
using RenderFarm.Media.Tests.Analysis;
using RenderFarm.TestSupport;
using Xunit;

namespace RenderFarm.Media.Tests.Slides;

public sealed class SlideChangeDetectorTests
{
    private const int W = 160, H = 90;

    private static byte[] Slide(int seed)
    {
        // A "slide": a light page with dark text-like bars placed by the seed.
        var frame = Enumerable.Repeat((byte)235, W * H).ToArray();
        var random = new Random(seed);
        for (var line = 0; line < 6; line++)
        {
            int y = 10 + line * 12, x0 = 10 + random.Next(20), x1 = 60 + random.Next(80);
            for (var yy = y; yy < y + 6; yy++)
                for (var x = x0; x < x1; x++) frame[yy * W + x] = 30;
        }
        return frame;
    }

    [Fact]
    public void A_cursor_and_a_moving_inset_make_no_cut_and_each_slide_change_makes_one()
    {
        var frames = new List<byte[]>();
        var random = new Random(7);
        for (var i = 0; i < 120; i++) // 30 s at 4 fps, slides change at 10 s and 20 s
        {
            var frame = Slide(i / 40);
            for (var y = 60; y < 88; y++) // the inset: noise every frame
                for (var x = 120; x < 158; x++) frame[y * W + x] = (byte)random.Next(256);
            int cx = 20 + i % 80, cy = 30 + i % 20; // the cursor: a small dark arrow moving every frame
            for (var y = cy; y < cy + 5; y++)
                for (var x = cx; x < cx + 3; x++) frame[y * W + x] = 0;
            frames.Add(frame);
        }
        var changes = SlideChangeDetector.Detect(frames, 4, new SlideChangeOptions());
        changes.Cuts.Should().HaveCount(2);
        changes.Cuts[0].Should().BeApproximately(10, 0.25);
        changes.Cuts[1].Should().BeApproximately(20, 0.25);
        changes.DynamicCells.Should().BeGreaterThan(0, "the inset's cells are left out");
    }
}

/// <summary>
/// A rendered 2-minute lecture (640x360, 5 fps): 8 slides of 15 s with a title and bullets on the same white
/// template, a cursor wandering over them and a talking-head inset (a moving test pattern) in the corner.
/// </summary>
public sealed class LectureFixture : IDisposable
{
    public const double SlideSeconds = 15;
    public static readonly string[] Titles =
    [
        "Introduction to Graphs", "Breadth First Search", "Depth First Search", "Shortest Paths",
        "Minimum Spanning Trees", "Network Flow", "Matching Problems", "Summary and Questions",
    ];

    public TempDir Dir { get; } = new();
    public string Video { get; }

    public LectureFixture()
    {
        Video = Dir.File("lecture.mp4");
        var seconds = SlideSeconds * Titles.Length;
        var draws = new List<string>();
        for (var i = 0; i < Titles.Length; i++)
        {
            var enable = $"between(t,{Num(i * SlideSeconds)},{Num((i + 1) * SlideSeconds - 0.001)})";
            draws.Add(Text(Titles[i], 34, "40", enable));
            for (var b = 0; b < 3; b++)
                draws.Add(Text($"Point {b + 1} of part {i + 1}: {new[] { "vertices", "edges", "weights", "queues", "stacks", "costs" }[(i + b) % 6]}", 18, Num(120 + 40 * b), enable));
        }
        var graph = $"[0:v]{string.Join(",", draws)}[page];" +
                    "[1:v]scale=128:96[head];[page][head]overlay=x=W-w-8:y=H-h-8[withhead];" +
                    "[withhead][2:v]overlay=x='60+200*(1+sin(t/3))':y='80+100*(1+cos(t/4))':eval=frame[out]";
        Tool.Ffmpeg("-f", "lavfi", "-i", $"color=c=white:s=640x360:r=5:d={Num(seconds)}",
            "-f", "lavfi", "-i", $"testsrc2=s=160x120:r=5:d={Num(seconds)}",
            "-f", "lavfi", "-i", $"color=c=black:s=10x16:r=5:d={Num(seconds)}",
            "-filter_complex", graph, "-map", "[out]", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", Video);
    }

    private static string Text(string text, int size, string y, string enable) => FilterGraphText.Filter("drawtext",
        ("fontfile", AnalysisMedia.CjkFont), ("text", text), ("fontsize", size), ("fontcolor", "black"), ("x", "40"), ("y", y), ("enable", enable));

    private static string Num(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

    public void Dispose() => Dir.Dispose();
}

public sealed class SlideSplitTests(LectureFixture lecture, ITestOutputHelper log) : IClassFixture<LectureFixture>
{
    [Fact]
    public async Task A_lecture_of_8_slides_is_cut_at_each_change_and_each_segment_titled()
    {
        var function = new SlideSplitFunction(new FfmpegRunner(), new FfmpegFramePipe(), AnalysisMedia.TextReader);
        var output = lecture.Dir.File("slides.json");
        var result = await ProductionRunner.RunAsync(function, ProductionFunctions.ParseParams(function, null), lecture.Video,
            new Dictionary<string, string>(), output, lecture.Dir.File("work"), new Progress<double>(), TestContext.Current.CancellationToken);

        var segments = result["Segments"]!.AsArray();
        log.WriteLine(string.Join("; ", segments.Select(s => $"{s!["Start"]} s {s["Title"]}")));
        segments.Should().HaveCount(LectureFixture.Titles.Length, "all 7 changes found and no false cut");
        for (var i = 1; i < segments.Count; i++)
            segments[i]!["Start"]!.GetValue<double>().Should().BeApproximately(i * LectureFixture.SlideSeconds, 0.5, $"change {i}");
        // PaddleOCR's model (Chinese and English) sometimes drops the space between English words, so titles are
        // compared without whitespace, as the OCR benchmark measures accuracy; every letter must be right.
        static string Letters(string t) => string.Concat(t.Where(c => !char.IsWhiteSpace(c)));
        segments.Select(s => Letters(s!["Title"]!.GetValue<string>())).Should().Equal(LectureFixture.Titles.Select(Letters), "each title is the slide's largest text");
        File.ReadAllText(output).Should().Contain("Matching Problems", "the segment list is written to the output");
    }
}

public sealed class SlideTitleTests
{
    [Fact]
    public void The_title_is_the_largest_text_with_its_second_line_but_not_a_bullet_of_similar_box_height()
    {
        static TextLine Line(string text, double left, double top, double width, double height, double confidence) =>
            new(text, confidence, [new(left, top), new(left + width, top), new(left + width, top + height), new(left, top + height)]);
        SlideTitle.Choose(
        [
            Line("Shortest", 40, 40, 200, 25, 0.95),
            Line("Paths", 40, 70, 120, 24, 0.95),
            Line("Point 1 of part 4: queues", 40, 120, 300, 23, 0.95),
            Line("~~", 500, 300, 40, 60, 0.2),
        ]).Should().Be("Shortest Paths");
    }
}
