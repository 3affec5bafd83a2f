using System.Text.Json.Nodes;
using FluentAssertions;
using RenderFarm.Core.Json;
using RenderFarm.Media.Ai;
using RenderFarm.Media.Production;
using RenderFarm.Media.Vision.Logos;
using RenderFarm.TestSupport;
using Xunit;

namespace RenderFarm.Media.Tests.Production.Vision;

/// <summary>
/// Footage-like media made once for the class: a 4 s 320x180 pan and zoom over the Mandelbrot set with its hue
/// turning (textured, every pixel changes) and a tone, encoded twice from the same frames: clean, and with a
/// logo (a rendered orange disc and "TV", a PNG with alpha) overlaid at a known place in the top-right corner.
/// The clean clip is the exact background under the logo, so what remains of the logo is measurable.
/// </summary>
public sealed class DelogoMedia : IDisposable
{
    public const int Width = 320, Height = 180, Frames = 100, LogoX = 236, LogoY = 10;
    private const string Font = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
    private readonly TempDir _dir = new();

    public DelogoMedia()
    {
        Clean = _dir.File("clean.mp4");
        WithLogo = _dir.File("logo.mp4");
        var png = _dir.File("logo.png");
        Tool.Ffmpeg("-f", "lavfi", "-i",
            $"color=c=black@0:s=72x28,format=rgba,drawtext=fontfile={Font}:text=●:fontcolor=orange:fontsize=30:x=0:y=0," +
            $"drawtext=fontfile={Font}:text=TV:fontcolor=white:borderw=1:bordercolor=black:fontsize=24:x=30:y=2",
            "-frames:v", "1", png);
        // The logo's luma and opacity, and its box: where any of it is visible.
        var ya = Tool.Ffmpeg("-i", png, "-f", "rawvideo", "-pix_fmt", "ya8", "-");
        LogoLuma = new double[72 * 28];
        int minX = 72, minY = 28, maxX = -1, maxY = -1;
        for (var i = 0; i < LogoLuma.Length; i++)
        {
            var alpha = ya[2 * i + 1] / 255.0;
            LogoLuma[i] = alpha * ya[2 * i];
            if (alpha == 0) continue;
            (minX, minY, maxX, maxY) = (Math.Min(minX, i % 72), Math.Min(minY, i / 72), Math.Max(maxX, i % 72), Math.Max(maxY, i / 72));
        }
        LogoBox = new LogoBox(LogoX + minX, LogoY + minY, maxX - minX + 1, maxY - minY + 1);
        Tool.Ffmpeg(
            "-f", "lavfi", "-i", "mandelbrot=s=960x540:r=25:start_scale=3:end_scale=1:end_pts=100",
            "-loop", "1", "-i", png,
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-filter_complex", $"[0:v]crop={Width}:{Height}:x='150+60*t':y=200,hue=h=t*40,split[a][b];[b][1:v]overlay={LogoX}:{LogoY}:shortest=1[c]",
            "-map", "[a]", "-map", "2:a", "-t", "4", "-c:v", "libx264", "-preset", "ultrafast", "-crf", "12", "-pix_fmt", "yuv420p", "-c:a", "aac", Clean,
            "-map", "[c]", "-map", "2:a", "-t", "4", "-c:v", "libx264", "-preset", "ultrafast", "-crf", "12", "-pix_fmt", "yuv420p", "-c:a", "aac", WithLogo);
        CleanLuma = Luma(Clean);
        InputLuma = Luma(WithLogo);
    }

    public string Clean { get; }
    public string WithLogo { get; }
    public LogoBox LogoBox { get; }

    /// <summary>The logo as it adds to the picture: its luma times its opacity, 72x28 at (LogoX, LogoY).</summary>
    public double[] LogoLuma { get; }

    public byte[] CleanLuma { get; }
    public byte[] InputLuma { get; }

    public string File(string name) => _dir.File(name);

    /// <summary>Every frame's luma, one after the other.</summary>
    public static byte[] Luma(string video) => Tool.Ffmpeg("-i", video, "-f", "rawvideo", "-pix_fmt", "gray", "-");

    public void Dispose() => _dir.Dispose();
}

/// <summary>VideoDelogo end to end with real ffmpeg: the logo found and cleared, a clean clip left alone, boxes from JobParams.</summary>
public sealed class VideoDelogoFunctionTests(DelogoMedia media) : IClassFixture<DelogoMedia>
{
    private static readonly ProductionFunctions Functions = ProductionCatalog.Create(AiEngines.None, Path.Combine(Path.GetTempPath(), "renderfarm-test-probe"));
    private const int FrameBytes = DelogoMedia.Width * DelogoMedia.Height;

    private Task<JsonObject> Run(string input, string jobParams, string output)
    {
        var f = Functions.Find("VideoDelogo");
        return ProductionRunner.RunAsync(f, ProductionFunctions.ParseParams(f, jobParams), input, new Dictionary<string, string>(), media.File(output),
            media.File("work"), new Progress<double>(), TestContext.Current.CancellationToken);
    }

    /// <summary>
    /// How much of the logo a video still shows: per frame, the normalised cross-correlation between the logo's
    /// contribution (its luma times its opacity) and the video's luma minus the clean background's, over the
    /// logo's 72x28 area, averaged over every 10th frame. The logo overlaid gives about 1; a region whose
    /// difference from the background has nothing of the logo's shape gives about 0.
    /// </summary>
    private double LogoCorrelation(byte[] luma)
    {
        var total = 0.0;
        var count = 0;
        for (var frame = 0; frame < DelogoMedia.Frames; frame += 10, count++)
        {
            var residual = new double[72 * 28];
            for (var i = 0; i < residual.Length; i++)
            {
                var at = frame * FrameBytes + (DelogoMedia.LogoY + i / 72) * DelogoMedia.Width + DelogoMedia.LogoX + i % 72;
                residual[i] = luma[at] - media.CleanLuma[at];
            }
            total += Correlation(media.LogoLuma, residual);
        }
        return total / count;
    }

    private static double Correlation(double[] a, double[] b)
    {
        double ma = a.Average(), mb = b.Average(), ab = 0, aa = 0, bb = 0;
        for (var i = 0; i < a.Length; i++) { ab += (a[i] - ma) * (b[i] - mb); aa += (a[i] - ma) * (a[i] - ma); bb += (b[i] - mb) * (b[i] - mb); }
        return aa == 0 || bb == 0 ? 0 : ab / Math.Sqrt(aa * bb);
    }

    /// <summary>PSNR (dB) of the output's luma against the input's, outside <paramref name="region"/>.</summary>
    private double PsnrOutside(byte[] output, LogoBox region)
    {
        double sum = 0;
        long n = 0;
        for (var i = 0; i < output.Length; i++)
        {
            int x = i % DelogoMedia.Width, y = i / DelogoMedia.Width % DelogoMedia.Height;
            if (x >= region.X && x < region.Right && y >= region.Y && y < region.Bottom) continue;
            double d = output[i] - media.InputLuma[i];
            sum += d * d;
            n++;
        }
        return 10 * Math.Log10(255.0 * 255 / Math.Max(1e-9, sum / n));
    }

    private static LogoBox BoxOf(JsonNode? node)
    {
        var v = node!.AsArray().Select(e => e!.GetValue<int>()).ToArray();
        return new LogoBox(v[0], v[1], v[2], v[3]);
    }

    [Fact]
    public async Task A_logo_in_a_corner_of_moving_footage_is_found_and_cleared_with_the_rest_and_the_sound_kept()
    {
        var result = await Run(media.WithLogo, "", "delogo.mp4");

        var logo = result["Logos"]!.AsArray().Single()!;
        var box = BoxOf(logo["Box"]);
        box.IoU(media.LogoBox).Should().BeGreaterThanOrEqualTo(0.7, $"found {box}, the logo is at {media.LogoBox}");
        logo["Source"]!.GetValue<string>().Should().Be("detected");
        logo["Confidence"]!.GetValue<double>().Should().BeGreaterThan(0.5);
        result["Method"]!.GetValue<string>().Should().Be("delogo");

        var output = DelogoMedia.Luma(media.File("delogo.mp4"));
        output.Length.Should().Be(media.InputLuma.Length, "every frame is kept");
        double before = LogoCorrelation(media.InputLuma), after = LogoCorrelation(output), psnr = PsnrOutside(output, BoxOf(result["Removed"]![0]));
        TestContext.Current.TestOutputHelper?.WriteLine($"IoU {box.IoU(media.LogoBox):0.000}, confidence {logo["Confidence"]}, logo correlation {before:0.000} -> {after:0.000}, PSNR outside {psnr:0.0} dB");
        before.Should().BeGreaterThan(0.8, "the measure sees the logo in the input");
        after.Should().BeLessThan(0.3);
        psnr.Should().BeGreaterThan(36, "outside the cleared region only the re-encoding differs");
        var facts = Inspect.Probe(media.File("delogo.mp4"));
        (facts.HasAudio, facts.AudioCodec).Should().Be((true, "aac"));
        facts.Duration.Should().BeApproximately(Inspect.Probe(media.WithLogo).Duration, 0.05);
    }

    [Fact]
    public async Task A_clip_without_a_logo_finds_none_and_is_copied()
    {
        var result = await Run(media.Clean, "", "clean-delogo.mp4");

        result["Logos"]!.AsArray().Should().BeEmpty();
        result["Method"]!.GetValue<string>().Should().Be("copy");
        result["Message"]!.GetValue<string>().Should().StartWith("no static logo found");
        DelogoMedia.Luma(media.File("clean-delogo.mp4")).Should().Equal(media.CleanLuma);
    }

    [Fact]
    public async Task Boxes_from_JobParams_in_fractions_are_cleared_without_searching()
    {
        var result = await Run(media.WithLogo, "{Boxes:[[0.71875, 0.03125, 0.25, 0.1875]]}", "boxes.mp4");

        var logo = result["Logos"]!.AsArray().Single()!;
        (BoxOf(logo["Box"]), logo["Source"]!.GetValue<string>()).Should().Be((new LogoBox(230, 5, 80, 34), "params"));
        result.ContainsKey("SampledFrames").Should().BeFalse();
        LogoCorrelation(DelogoMedia.Luma(media.File("boxes.mp4"))).Should().BeLessThan(0.3);
    }

    [Theory]
    [InlineData("{Boxes:[[10, 10, 50]]}", "JobParams.Boxes[0]", "must be [x, y, width, height]")]
    [InlineData("{Boxes:[[0.1, 0.1, 0.2, 0.2], [10, 10, 0, 20]]}", "JobParams.Boxes[1]", "width and height must be positive")]
    [InlineData("{Boxes:[[0.9, 0.1, 0.2, 0.2]]}", "JobParams.Boxes[0]", "must end within the frame")]
    [InlineData("{Boxes:[]}", "JobParams.Boxes", "leave it out to find the logo")]
    [InlineData("{Boxes:'top-right'}", "JobParams.Boxes", "must be a list of boxes")]
    [InlineData("{Box:[[1,2,3,4]]}", "JobParams.Box", "supported: Boxes")]
    public void JobParams_errors_name_the_field(string jobParams, string path, string reason)
    {
        var e = Assert.Throws<RequestException>(() => ProductionFunctions.ParseParams(Functions.Find("VideoDelogo"), jobParams));
        e.Path.Should().Be(path);
        e.Reason.Should().Contain(reason);
    }

    [Fact]
    public void A_box_in_pixels_beyond_the_frame_is_refused_with_its_path()
    {
        var p = (VideoDelogoParams)ProductionFunctions.ParseParams(Functions.Find("VideoDelogo"), "{Boxes:[[300, 10, 40, 20]]}");
        var e = Assert.Throws<RequestException>(() => p.Boxes[0].ToPixels(320, 180));
        (e.Path, e.Reason).Should().Be(("JobParams.Boxes[0]", "[300, 10, 40, 20] reaches outside the 320x180 frame"));
    }
}
