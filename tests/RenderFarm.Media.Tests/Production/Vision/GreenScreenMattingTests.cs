using System.Text.Json.Nodes;
using FluentAssertions;
using RenderFarm.Core.Json;
using RenderFarm.Media.Ai;
using RenderFarm.Media.Production;
using RenderFarm.TestSupport;
using Xunit;

namespace RenderFarm.Media.Tests.Production.Vision;

/// <summary>
/// A green-screen clip made with lavfi, so the truth is known: a red square moving right over pure green
/// (320x180, 2 s at 10 fps, with a tone), and a background image whose left half is blue and right half yellow
/// (400x300: covering 320x180 it is scaled to 320x240 and cropped, so the halves meet at x = 160).
/// </summary>
public sealed class GreenScreenClip : IDisposable
{
    private readonly TempDir _dir = new();

    public GreenScreenClip()
    {
        Clip = _dir.File("green.mp4");
        Tool.Ffmpeg("-f", "lavfi", "-i", "color=c=0x00FF00:s=320x180:r=10:d=2", "-f", "lavfi", "-i", "color=c=0xDD2020:s=60x60:r=10:d=2",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=2",
            "-filter_complex", "[0:v][1:v]overlay=x='40+t*60':y=60:shortest=1,format=yuv420p[v]", "-map", "[v]", "-map", "2:a",
            "-c:v", "libx264", "-preset", "ultrafast", "-crf", "10", "-c:a", "aac", "-shortest", Clip);
        Background = _dir.File("halves.png");
        Tool.Ffmpeg("-f", "lavfi", "-i", "color=c=0x1030E0:s=200x300", "-f", "lavfi", "-i", "color=c=0xF0E020:s=200x300",
            "-filter_complex", "[0:v][1:v]hstack", "-frames:v", "1", Background);
    }

    public string Clip { get; }
    public string Background { get; }

    /// <summary>The square's box at 1 s (frame 10): x from 100 to 160, y from 60 to 120.</summary>
    public static readonly (int X, int Y) SquareCentre = (130, 90);

    public void Dispose() => _dir.Dispose();
}

/// <summary>VideoGreenScreenMatting end to end: over a background image (MP4), and with alpha (WebM).</summary>
public sealed class GreenScreenMattingTests(GreenScreenClip clip) : IClassFixture<GreenScreenClip>, IDisposable
{
    private readonly TempDir _dir = new();
    private readonly IProductionFunction _function =
        ProductionCatalog.Create(AiEngines.None, Path.Combine(Path.GetTempPath(), "renderfarm-test-probe")).Find("VideoGreenScreenMatting");

    public void Dispose() => _dir.Dispose();

    private Task<JsonObject> Run(string jobParams, string output, IReadOnlyDictionary<string, string>? media = null) =>
        ProductionRunner.RunAsync(_function, ProductionFunctions.ParseParams(_function, jobParams), clip.Clip,
            media ?? new Dictionary<string, string>(), _dir.File(output), _dir.File("work"), new Progress<double>(), TestContext.Current.CancellationToken);

    [Fact]
    public async Task With_bgimage_the_screen_shows_the_image_and_the_square_keeps_its_colour()
    {
        var result = await Run("{bgimage:'halves.png'}", "over.mp4", new Dictionary<string, string> { ["JobParams.bgimage"] = clip.Background });

        result["Format"]!.GetValue<string>().Should().Be("mp4");
        result["KeyColorEstimated"]!.GetValue<bool>().Should().BeTrue();
        var facts = Inspect.Probe(_dir.File("over.mp4"));
        (facts.Width, facts.Height, facts.VideoCodec, facts.AudioCodec).Should().Be((320, 180, "h264", "aac"));
        facts.VideoFrames.Should().Be(20);
        var frame = Inspect.FrameAt(_dir.File("over.mp4"), 10);
        Blue(Inspect.Mean(frame, 10, 10, 40, 40)).Should().BeTrue("the top left was green and the image's left half is blue");
        Yellow(Inspect.Mean(frame, 260, 120, 40, 40)).Should().BeTrue("the bottom right was green and the image's right half is yellow");
        Yellow(Inspect.Mean(frame, 175, 70, 20, 40)).Should().BeTrue("the green just right of the square is the image's yellow");
        var (x, y) = GreenScreenClip.SquareCentre;
        var square = Inspect.Mean(frame, x - 20, y - 20, 40, 40);
        (square.R > 180 && square.G < 70 && square.B < 70).Should().BeTrue($"the square stays red, got {square}");
        GreenPixels(frame).Should().Be(0, "no screen green is left");
    }

    [Fact]
    public async Task Without_bgimage_a_webm_carries_alpha_0_on_the_screen_and_255_on_the_square()
    {
        var result = await Run("", "cut.webm");

        (result["Format"]!.GetValue<string>(), result["Alpha"]!.GetValue<bool>()).Should().Be(("webm", true));
        var probe = Tool.Run("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=codec_name:stream_tags=alpha_mode",
            "-of", "default=nw=1", _dir.File("cut.webm"));
        System.Text.Encoding.ASCII.GetString(probe.Stdout).Should().Contain("codec_name=vp9").And.Contain("TAG:alpha_mode=1");
        // ffmpeg's own VP9 decoder drops the alpha plane; libvpx's keeps it.
        var rgba = Tool.Ffmpeg("-c:v", "libvpx-vp9", "-i", _dir.File("cut.webm"), "-vf", "select=eq(n\\,10)", "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgba", "-");
        rgba.Length.Should().Be(320 * 180 * 4);
        byte Alpha(int px, int py) => rgba[(py * 320 + px) * 4 + 3];
        foreach (var (px, py) in new[] { (5, 5), (314, 5), (5, 174), (314, 174), (200, 90) }) Alpha(px, py).Should().Be(0, $"({px},{py}) is screen");
        var (x, y) = GreenScreenClip.SquareCentre;
        for (var dx = -20; dx <= 20; dx += 10) Alpha(x + dx, y).Should().Be(255, "the square is opaque");
        var red = (rgba[(y * 320 + x) * 4], rgba[(y * 320 + x) * 4 + 1]);
        (red.Item1 > 180 && red.Item2 < 70).Should().BeTrue($"the square keeps its red, got {red}");
        Inspect.Probe(_dir.File("cut.webm")).AudioCodec.Should().Be("opus");
    }

    [Fact]
    public async Task An_output_that_does_not_suit_bgimage_or_a_bgimage_that_is_a_video_is_refused_naming_the_field()
    {
        var wrongOutput = () => Run("{bgimage:'halves.png'}", "over.webm", new Dictionary<string, string> { ["JobParams.bgimage"] = clip.Background });
        var e = (await wrongOutput.Should().ThrowAsync<RequestException>()).Which;
        (e.Path, e.Reason).Should().Be(("Output.Media", "VideoGreenScreenMatting of a video with JobParams.bgimage writes .mp4 files; name one of those"));

        // A URL is only probed once downloaded, by the task: the function checks what it got.
        var videoBackground = () => Run("{bgimage:'https://example.com/bg'}", "over.mp4", new Dictionary<string, string> { ["JobParams.bgimage"] = clip.Clip });
        e = (await videoBackground.Should().ThrowAsync<RequestException>()).Which;
        (e.Path, e.Reason).Should().Be(("JobParams.bgimage", "is not an image (a still picture is needed: PNG, JPEG, ...)"));
        File.Exists(_dir.File("over.mp4")).Should().BeFalse("nothing is written");
    }

    private static bool Blue((double R, double G, double B) c) => c.B > 180 && c.R < 60 && c.G < 90;
    private static bool Yellow((double R, double G, double B) c) => c.R > 200 && c.G > 190 && c.B < 90;

    private static int GreenPixels((byte[] Rgb, int Width, int Height) frame)
    {
        var count = 0;
        for (var i = 0; i < frame.Rgb.Length; i += 3)
            if (frame.Rgb[i + 1] > frame.Rgb[i] + 80 && frame.Rgb[i + 1] > frame.Rgb[i + 2] + 80) count++;
        return count;
    }
}
