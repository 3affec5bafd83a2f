using System.Globalization;
using System.Text.Json.Nodes;
using FluentAssertions;
using RenderFarm.AI.Faces;
using RenderFarm.Media.Ai;
using RenderFarm.Media.Production;
using RenderFarm.TestSupport;
using Xunit;

namespace RenderFarm.Media.Tests.Production.Vision;

/// <summary>
/// VideoH2V end to end with the real face detector (BlazeFace) on a 1920x1080 clip made here: for 4 s the
/// astronaut's photo (scaled to 540 px: a face of about 100 px) crosses a plain background from left to right, then
/// a cut to 2 s of two astronauts too far apart for one 9:16 crop. The face's true position in every frame is known.
/// </summary>
public sealed class VideoH2VFunctionTests : IDisposable
{
    private const int Fps = 10, PhotoSize = 540, Speed = 295, Top = 270;
    private const double FirstShot = 4, Duration = 6;
    // The face in astronaut.png (512 px): columns 176-274.
    private const double FaceLeft = 176 * PhotoSize / 512.0, FaceRight = 274 * PhotoSize / 512.0;

    private readonly TempDir _dir = new();
    private readonly BlazeFace _faces = new();

    public void Dispose()
    {
        _faces.Dispose();
        _dir.Dispose();
    }

    private static double PhotoX(double t) => 100 + Speed * t;

    private string Clip()
    {
        var path = _dir.File("landscape.mp4");
        var n = (double v) => v.ToString(CultureInfo.InvariantCulture);
        Tool.Ffmpeg(
            "-f", "lavfi", "-i", $"color=c=0x3a5f7a:s=1920x1080:r={Fps}:d={n(FirstShot)}",
            "-f", "lavfi", "-i", $"color=c=0x8a6a3a:s=1920x1080:r={Fps}:d={n(Duration - FirstShot)}",
            "-loop", "1", "-framerate", $"{Fps}", "-i", Photos.Astronaut(),
            "-f", "lavfi", "-i", $"sine=frequency=440:sample_rate=48000:duration={n(Duration)}",
            "-filter_complex",
            $"[2:v]scale={PhotoSize}:{PhotoSize},split=3[a][b][c];" +
            $"[0:v][a]overlay=x=100+{Speed}*t:y={Top}:shortest=1[s1];" +
            $"[1:v][b]overlay=x=60:y={Top}:shortest=1[l];[l][c]overlay=x=1320:y={Top}:shortest=1[s2];" +
            "[s1][s2]concat=n=2:v=1:a=0,format=yuv420p[v]",
            "-map", "[v]", "-map", "3:a", "-c:v", "libx264", "-preset", "ultrafast", "-g", $"{Fps}", "-c:a", "aac", "-t", n(Duration), path);
        return path;
    }

    private static int CropAt(JsonArray path, double t)
    {
        var points = path.Select(p => (T: p!["Time"]!.GetValue<double>(), X: p["X"]!.GetValue<int>())).ToList();
        if (t <= points[0].T) return points[0].X;
        for (var i = 1; i < points.Count; i++)
            if (t <= points[i].T)
                return (int)Math.Round(points[i - 1].X + (points[i].X - points[i - 1].X) * (t - points[i - 1].T) / (points[i].T - points[i - 1].T));
        return points[^1].X;
    }

    private static double MeanDifference((byte[] Rgb, int Width, int Height) a, (byte[] Rgb, int Width, int Height) b, int fromRow, int rows)
    {
        double sum = 0;
        for (var i = fromRow * a.Width * 3; i < (fromRow + rows) * a.Width * 3; i++) sum += Math.Abs(a.Rgb[i] - b.Rgb[i]);
        return sum / (rows * a.Width * 3);
    }

    // One output-sized (1080x1920) frame at t, of the output itself or of the source through a filter; decoded alone.
    private static (byte[] Rgb, int Width, int Height) Frame(string video, double t, string filter = "null") =>
        (Tool.Ffmpeg("-ss", t.ToString(CultureInfo.InvariantCulture), "-i", video, "-vf", filter, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"), 1080, 1920);

    [Fact]
    public async Task A_face_crossing_a_1080p_clip_stays_in_the_9_16_crop_without_jumps_and_a_two_face_shot_is_padded()
    {
        var clip = Clip();
        var functions = ProductionCatalog.Create(new AiEngines(Faces: _faces), Path.Combine(Path.GetTempPath(), "renderfarm-test-probe"));
        var function = functions.Find("VideoH2V");
        var output = _dir.File("portrait.mp4");
        var result = await ProductionRunner.RunAsync(function, ProductionFunctions.ParseParams(function, "{}"), clip, new Dictionary<string, string>(),
            output, _dir.File("work"), new Progress<double>(), TestContext.Current.CancellationToken);
        TestContext.Current.TestOutputHelper!.WriteLine(result.ToJsonString());

        var facts = Inspect.Probe(output);
        (facts.Width, facts.Height).Should().Be((1080, 1920));
        facts.HasAudio.Should().BeTrue();
        facts.Duration.Should().BeApproximately(Duration, 0.15);
        result["Crop"]!["Width"]!.GetValue<int>().Should().Be(608);

        var shots = result["Shots"]!.AsArray();
        shots.Should().HaveCount(2);
        shots[1]!["Start"]!.GetValue<double>().Should().BeApproximately(FirstShot, 0.15);
        shots[0]!["Mode"]!.GetValue<string>().Should().Be("track");
        shots[0]!["Subject"]!.GetValue<string>().Should().Be("faces");
        shots[1]!["Mode"]!.GetValue<string>().Should().Be("pad", "the two faces are 1260 px apart, the crop 608 px wide");

        // The face is inside the crop in at least 95% of the first shot's frames, by its known trajectory.
        var path = shots[0]!["Path"]!.AsArray();
        var frames = Enumerable.Range(0, (int)(FirstShot * Fps)).Select(i => i / (double)Fps).ToList();
        var inside = frames.Count(t =>
        {
            var x = CropAt(path, t);
            return PhotoX(t) + FaceLeft >= x && PhotoX(t) + FaceRight <= x + 608;
        });
        TestContext.Current.TestOutputHelper!.WriteLine($"face inside the crop in {inside} of {frames.Count} frames");
        inside.Should().BeGreaterThanOrEqualTo((int)Math.Ceiling(0.95 * frames.Count));

        // No jumps within the shot: the crop moves at most 45 px a frame (the face moves 29.5).
        var steps = frames.Zip(frames.Skip(1), (a, b) => Math.Abs(CropAt(path, b) - CropAt(path, a))).ToList();
        TestContext.Current.TestOutputHelper!.WriteLine($"largest step {steps.Max()} px a frame");
        steps.Max().Should().BeLessThanOrEqualTo(45);

        // The rendered frame is that crop of the source, scaled: it matches far better than the crop 150 px aside.
        const double at = 2;
        var rendered = Frame(output, at);
        var x = CropAt(path, at);
        var expected = MeanDifference(rendered, Frame(clip, at, $"crop=608:1080:{x}:0,scale=1080:1920"), 0, 1920);
        var aside = MeanDifference(rendered, Frame(clip, at, $"crop=608:1080:{Math.Max(0, x - 150)}:0,scale=1080:1920"), 0, 1920);
        TestContext.Current.TestOutputHelper!.WriteLine($"difference to the planned crop {expected:0.0}, to 150 px aside {aside:0.0}");
        expected.Should().BeLessThan(6).And.BeLessThan(aside / 3);

        // The padded shot shows the whole frame across the middle (1080x608 at row 656) over a blurred fill.
        var padded = Frame(output, 5);
        var whole = Frame(clip, 5, "scale=1080:608,pad=1080:1920:0:656");
        MeanDifference(padded, whole, 656, 608).Should().BeLessThan(6);
        MeanDifference(padded, whole, 0, 600).Should().BeGreaterThan(20, "above the picture is its blurred copy, not black");
    }

    [Theory]
    [InlineData("{ratio:'16:9'}", "JobParams.ratio")]
    [InlineData("{ratio:'9-16'}", "JobParams.ratio")]
    [InlineData("{width:1081}", "JobParams.width")]
    [InlineData("{fps:30}", "JobParams.fps")]
    [InlineData("{pad:'sometimes'}", "JobParams.pad")]
    public void Bad_params_name_the_field(string jobParams, string field)
    {
        var function = ProductionCatalog.Create(AiEngines.None, Path.Combine(Path.GetTempPath(), "renderfarm-test-probe")).Find("VideoH2V");
        var act = () => ProductionFunctions.ParseParams(function, jobParams);
        act.Should().Throw<RenderFarm.Core.Json.RequestException>().Which.Path.Should().Be(field);
    }
}
