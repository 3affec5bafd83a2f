using FluentAssertions.Execution;
using RenderFarm.Core.Jobs;
using RenderFarm.Core.Timelines;
using RenderFarm.Matting;
using RenderFarm.Media.Ai;
using RenderFarm.Media.Compilation;
using RenderFarm.Media.Ffmpeg;
using RenderFarm.Media.Rendering;
using RenderFarm.Media.Sources;
using RenderFarm.Onnx;
using RenderFarm.TestSupport;

namespace RenderFarm.AI.Tests.Rendering;

/// <summary>
/// The bundled showcase (examples/showcase.json, the timeline scripts/example.sh renders) rendered
/// whole with the real engines (espeak-ng, pocketsphinx, ISNet), wired as `farm render` wires them,
/// and checked at chosen frames: the bilingual title over the cat, a highlighted caption word, and
/// the astronaut matted over the rocket photograph. The media are made by scripts/example-media.sh
/// when missing (it installs python3-skimage for the photographs). 30-40 s on 2 busy cores.
/// Geometry (1280x720): astronaut.png (512x512) is drawn in the 640x640 box at (51, 80), scale 1.25.
/// </summary>
public sealed class ShowcaseRenderTests : IDisposable
{
    private const int Fps = 25, BoxX = 51, BoxY = 80;
    private const double Scale = 1.25;
    private static readonly (int R, int G, int B) Highlight = (0xF6, 0xDD, 0x14);
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task The_showcase_shows_its_title_a_highlighted_caption_and_the_astronaut_over_the_rocket()
    {
        var showcase = InstallLocations.FindAbove(Path.Combine("examples", "showcase.json"))
            ?? throw new FileNotFoundException("examples/showcase.json is not above the test's directory");
        var examples = Path.GetDirectoryName(showcase)!;
        var media = MakeMedia(examples);

        using var matte = new IsNetMatteProducer(_dir.File("matte"), new MattingOptions());
        var engines = new AiEngines(
            Speech: new EspeakSpeechEngine(_dir.File("tts")),
            Recognizer: new RenderFarm.AI.Recognition.PocketsphinxRecognizer(_dir.File("asr")),
            Matte: matte);
        var policy = new MediaSourcePolicy { AllowedRoots = [examples], CacheDirectory = _dir.File("cache") };
        var ct = TestContext.Current.CancellationToken;
        using var preparer = new TimelinePreparer(policy, TimelineLimits.Default, engines);
        var prepared = await preparer.PrepareAsync(ProducingJobRequest.Parse(await File.ReadAllTextAsync(showcase, ct)), examples, ct);
        var output = _dir.File("showcase.mp4");
        await new TimelineRenderer(new FfmpegRunner(), EncoderSettings.Default with { Preset = "ultrafast", Crf = 18 })
            .RenderAsync(prepared, output, new RenderOptions(), null, ct);

        using var scope = new AssertionScope(); // every check reported, not only the first that fails
        prepared.Warnings.Should().BeEmpty();
        matte.AnalysedFrames.Should().Be(1, "a still image is analysed once, however many frames the clip shows");

        // Title: 0.3-4.6 s, top centre. Frame 0 is the same cat picture without it.
        var bare = Inspect.FrameAt(output, 0);
        var titled = Inspect.FrameAt(output, At(2));
        var (tx, ty, tw, th) = (300, 50, 680, 100);
        var titleWhite = Count(titled, tx, ty, tw, th, IsWhite) - Count(bare, tx, ty, tw, th, IsWhite);
        titleWhite.Should().BeGreaterThan(3000, "the white title 渲染农场 RenderFarm is drawn at the top");

        // Caption with a highlighted word: at 14.5 s "and the astronaut now stands before a rocket." with
        // "astronaut" (said in two captions) in #F6DD14; at 6 s "Photographs, transitions, titles and music." has none.
        var (cx, cy, cw, ch) = (200, 600, 880, 110);
        var highlighted = Inspect.FrameAt(output, At(14.5));
        Count(highlighted, cx, cy, cw, ch, p => Near(p, Highlight, 40)).Should().BeGreaterThan(400, "a key word of the caption is in the highlight colour");
        Count(Inspect.FrameAt(output, At(6)), cx, cy, cw, ch, p => Near(p, Highlight, 40)).Should().BeLessThan(40, "a caption without key words has no highlight");
        Count(highlighted, cx, cy, cw, ch, IsWhite).Should().BeGreaterThan(1000, "the rest of the caption is white");

        // Matting: at 9.5 s the rocket is shown alone (the astronaut enters at 9.6 s); at 14.5 s the
        // astronaut's suit is there with its own colours, and where her photograph's background was
        // (the flag and the wall) the rocket picture shows through.
        var rocket = Inspect.FrameAt(output, At(9.5));
        var astronaut = Inspect.Frame(Path.Combine(media, "astronaut.png"), 0);
        var (sx, sy, sw, sh) = (120, 310, 110, 110); // the orange suit below the collar ring
        var suit = Inspect.Mean(astronaut, sx, sy, sw, sh);
        var shown = Inspect.Mean(highlighted, Out(sx, BoxX), Out(sy, BoxY), (int)(sw * Scale), (int)(sh * Scale));
        Distance(shown, suit).Should().BeLessThan(20, $"the suit keeps its colours ({shown} vs {suit})");
        Distance(shown, Inspect.Mean(rocket, Out(sx, BoxX), Out(sy, BoxY), (int)(sw * Scale), (int)(sh * Scale))).Should()
            .BeGreaterThan(60, "the suit covers the rocket picture");
        foreach (var (bx, by) in new[] { (0, 0), (488, 0), (0, 240), (488, 240) })
        {
            var (x, y, side) = (Out(bx, BoxX), Out(by, BoxY), 30);
            var original = Inspect.Mean(astronaut, bx, by, 24, 24);
            var matted = Inspect.Mean(highlighted, x, y, side, side);
            var background = Inspect.Mean(rocket, x, y, side, side);
            Distance(matted, background).Should().BeLessThan(20, $"the rocket picture shows where the photograph's background was at ({bx},{by}): {matted} vs {background}");
            Distance(matted, original).Should().BeGreaterThan(40, $"the photograph's own background at ({bx},{by}) is gone: {matted} vs {original}");
        }
    }

    /// <summary>examples/media, made by scripts/example-media.sh when a file the showcase reads is missing.</summary>
    private static string MakeMedia(string examples)
    {
        var media = Path.Combine(examples, "media");
        string[] files = ["astronaut.png", "coffee.png", "chelsea.png", "rocket.jpg", "music.m4a"];
        if (files.All(f => File.Exists(Path.Combine(media, f)))) return media;
        var script = Path.Combine(Path.GetDirectoryName(examples)!, "scripts", "example-media.sh");
        var (exit, _, stderr) = Tool.Run("bash", script);
        exit.Should().Be(0, $"scripts/example-media.sh makes the showcase's media: {stderr}");
        return media;
    }

    private static long At(double seconds) => (long)Math.Round(seconds * Fps);

    private static int Out(int source, int offset) => offset + (int)Math.Round(source * Scale);

    private static bool IsWhite((int R, int G, int B) p) => p.R >= 235 && p.G >= 235 && p.B >= 235;

    private static bool Near((int R, int G, int B) p, (int R, int G, int B) c, int tolerance) =>
        Math.Abs(p.R - c.R) <= tolerance && Math.Abs(p.G - c.G) <= tolerance && Math.Abs(p.B - c.B) <= tolerance;

    private static int Count((byte[] Rgb, int Width, int Height) frame, int x, int y, int w, int h, Func<(int R, int G, int B), bool> match)
    {
        var n = 0;
        for (var py = y; py < y + h; py++)
            for (var px = x; px < x + w; px++)
                if (match(Inspect.Pixel(frame, px, py))) n++;
        return n;
    }

    private static double Distance((double R, double G, double B) a, (double R, double G, double B) b) =>
        Math.Max(Math.Abs(a.R - b.R), Math.Max(Math.Abs(a.G - b.G), Math.Abs(a.B - b.B)));
}
