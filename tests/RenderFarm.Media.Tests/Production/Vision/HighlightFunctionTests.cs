using System.Globalization;
using System.Text.Json.Nodes;
using FluentAssertions;
using RenderFarm.AI.Faces;
using RenderFarm.Core.Json;
using RenderFarm.Media.Ai;
using RenderFarm.Media.Production;
using RenderFarm.Media.Vision.Highlights;
using RenderFarm.TestSupport;
using Xunit;

namespace RenderFarm.Media.Tests.Production.Vision;

/// <summary>
/// Cover and VideoClip end to end on small clips made here with ffmpeg (320x180), so what each shot holds is known:
/// the cover must come from the one sharp face shot, the GIF must show distinct moments, and the summary must be
/// cut inside shot boundaries with sound as long as picture.
/// </summary>
public sealed class HighlightFunctionTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static ProductionFunctions Functions(AiEngines engines) => ProductionCatalog.Create(engines, Path.Combine(Path.GetTempPath(), "renderfarm-test-probe"));

    private Task<JsonObject> Run(ProductionFunctions functions, string function, string input, string jobParams, string output)
    {
        var f = functions.Find(function);
        return ProductionRunner.RunAsync(f, ProductionFunctions.ParseParams(f, jobParams), input, new Dictionary<string, string>(), _dir.File(output),
            _dir.File("work"), new Progress<double>(), TestContext.Current.CancellationToken);
    }

    private static string Num(double v) => v.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// 9 s at 320x180: black (0-1 s), colour bars fading in (1-2.5), the astronaut blurred (2.5-4), the astronaut
    /// sharp (4-6), a moving test pattern (6-7.5), RGB stripes (7.5-9).
    /// </summary>
    private string CoverClip()
    {
        var path = _dir.File("cover-source.mp4");
        var photo = Photos.Astronaut();
        const string frame = "scale=320:320,crop=320:180:0:20,setsar=1,fps=25,format=yuv420p";
        Tool.Ffmpeg(
            "-f", "lavfi", "-i", "color=c=black:s=320x180:r=25:d=1",
            "-f", "lavfi", "-i", "smptebars=s=320x180:r=25:d=1.5",
            "-loop", "1", "-framerate", "25", "-t", "1.5", "-i", photo,
            "-loop", "1", "-framerate", "25", "-t", "2", "-i", photo,
            "-f", "lavfi", "-i", "testsrc2=s=320x180:r=25:d=1.5",
            "-f", "lavfi", "-i", "rgbtestsrc=s=320x180:r=25:d=1.5",
            "-filter_complex",
            "[0:v]setsar=1,format=yuv420p[a];[1:v]fade=in:d=1.5,setsar=1,format=yuv420p[b];" +
            $"[2:v]{frame},gblur=sigma=5[c];[3:v]{frame}[d];[4:v]setsar=1,format=yuv420p[e];[5:v]setsar=1,format=yuv420p[f];" +
            "[a][b][c][d][e][f]concat=n=6:v=1:a=0[out]",
            "-map", "[out]", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", path);
        return path;
    }

    /// <summary>60 s at 320x180: 12 shots of 5 s, each its own colour and moving pattern, each with its own tone.</summary>
    private string TwelveShotClip()
    {
        var path = _dir.File("twelve.mp4");
        var args = new List<string>();
        var graph = "";
        for (var i = 0; i < 12; i++)
        {
            var hue = i * 30;
            args.AddRange(["-f", "lavfi", "-i", $"testsrc2=s=320x180:r=25:d=5"]);
            graph += $"[{i}:v]hue=h={hue}:s={Num(1 + (i % 3) * 0.5)},eq=brightness={Num((i % 4 - 1.5) * 0.08)},setsar=1,format=yuv420p[v{i}];";
        }
        for (var i = 0; i < 12; i++)
        {
            args.AddRange(["-f", "lavfi", "-i", $"sine=frequency={300 + 60 * i}:sample_rate=48000:duration=5"]);
            graph += $"[{12 + i}:a]volume={Num(0.1 + 0.07 * i)}[t{i}];";
        }
        graph += string.Concat(Enumerable.Range(0, 12).Select(i => $"[v{i}][t{i}]")) + "concat=n=12:v=1:a=1[v][a]";
        args.AddRange(["-filter_complex", graph, "-map", "[v]", "-map", "[a]", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-c:a", "aac", path]);
        Tool.Ffmpeg([.. args]);
        return path;
    }

    private static byte[] Rgb(string path, double seconds) =>
        Tool.Ffmpeg("-ss", Num(seconds), "-i", path, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-");

    [Fact]
    public async Task Cover_comes_from_the_sharp_face_shot_and_the_gif_shows_distinct_moments()
    {
        var source = CoverClip();
        using var faces = new BlazeFace();
        // A .jpg output with Model gif: the cover image there and the GIF beside it, from one sampling pass.
        var result = await Run(Functions(new AiEngines(Faces: faces)), "Cover", source, "{Model:'gif'}", "cover.jpg");
        output.WriteLine(result.ToJsonString());

        var cover = result["Cover"]!;
        cover["Time"]!.GetValue<double>().Should().BeInRange(4, 6, $"the sharp face shot is 4-6 s: {result.ToJsonString()}");
        cover["Faces"]!.GetValue<double>().Should().BeGreaterThan(0.5, "BlazeFace finds her whole face");
        var jpeg = Tool.Ffmpeg("-i", _dir.File("cover.jpg"), "-f", "rawvideo", "-pix_fmt", "rgb24", "-");
        Inspect.Psnr((jpeg, 320, 180), (Rgb(source, 5), 320, 180)).Should().BeGreaterThan(28, "the JPEG is the sharp astronaut frame");
        result["Faults"]!["Blank"]!.GetValue<int>().Should().BeGreaterThan(0, "the black second is refused");
        result["Faults"]!["Transition"]!.GetValue<int>().Should().BeGreaterThan(0, "the fade is refused");

        result["Gif"]!.GetValue<string>().Should().Be("cover.gif");
        var moments = result["Moments"]!.AsArray();
        moments.Select(m => m!["Shot"]!.GetValue<int>()).Distinct().Should().HaveCountGreaterThanOrEqualTo(3);
        moments.Should().OnlyContain(m => m!["Fault"] == null);
        var frames = Inspect.AllFrames(_dir.File("cover.gif"));
        frames[0].Width.Should().Be(CoverFunction.GifWidth);
        // Distinct moments: pictures that differ from each other by more than a moving pattern's frame-to-frame change.
        var distinct = new List<(byte[] Rgb, int Width, int Height)>();
        foreach (var f in frames)
            if (distinct.All(d => Inspect.Psnr(d, f) < 14)) distinct.Add(f);
        distinct.Should().HaveCountGreaterThanOrEqualTo(3);
    }

    [Fact]
    public async Task VideoClip_summarises_twelve_shots_in_five_seconds_cut_inside_shots_with_sound_as_long_as_picture()
    {
        var source = TwelveShotClip();
        var result = await Run(Functions(AiEngines.None), "VideoClip", source, "{Duration:5}", "summary.mp4");
        output.WriteLine(result.ToJsonString());

        var segments = result["Segments"]!.AsArray().Select(s => (
            Shot: s!["Shot"]!.GetValue<int>(), In: s["In"]!.GetValue<double>(), Out: s["Out"]!.GetValue<double>())).ToList();
        result["Shots"]!.GetValue<int>().Should().Be(12);
        segments.Select(s => s.Shot).Distinct().Should().HaveCountGreaterThanOrEqualTo(3).And.HaveCount(segments.Count);
        foreach (var s in segments)
        {
            // The true shot k spans [5k, 5k+5): each segment lies inside one.
            var shot = Math.Floor(s.In / 5);
            s.In.Should().BeGreaterThanOrEqualTo(shot * 5);
            s.Out.Should().BeLessThanOrEqualTo(shot * 5 + 5);
        }
        var facts = Inspect.Probe(_dir.File("summary.mp4"));
        facts.Duration.Should().BeApproximately(5, 0.1);
        var audio = AudioDuration(_dir.File("summary.mp4"));
        audio.Should().BeApproximately(facts.VideoDuration, 0.04, "audio and video end within a frame (40 ms) of each other");

        // Each segment shows what it names: the summary's frame in the middle of a segment is the source frame it was
        // cut from (within a frame either way: the pattern moves, and seeking may land on the neighbouring frame).
        var at = 0.0;
        foreach (var s in segments)
        {
            var mid = (s.Out - s.In) / 2;
            var summaryFrame = (Rgb(_dir.File("summary.mp4"), at + mid), 320, 180);
            new[] { -0.04, 0, 0.04 }.Max(d => Inspect.Psnr(summaryFrame, (Rgb(source, s.In + mid + d), 320, 180)))
                .Should().BeGreaterThan(25, $"the summary at {at + mid:0.00} s shows the source at {s.In + mid:0.00} s");
            at += s.Out - s.In;
        }
    }

    private static double AudioDuration(string path)
    {
        var (_, stdout, _) = Tool.Run("ffprobe", "-v", "error", "-select_streams", "a:0", "-show_entries", "stream=duration", "-of", "csv=p=0", path);
        return double.Parse(System.Text.Encoding.UTF8.GetString(stdout).Trim(), CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task VideoClip_of_a_silent_video_is_silent_and_a_Duration_as_long_as_the_video_is_refused()
    {
        var source = _dir.File("silent.mp4");
        Tool.Ffmpeg("-f", "lavfi", "-i", "testsrc2=s=160x90:r=25:d=4", "-f", "lavfi", "-i", "mandelbrot=s=160x90:r=25", "-f", "lavfi", "-i", "rgbtestsrc=s=160x90:r=25:d=4",
            "-filter_complex", "[1:v]trim=duration=4[m];[0:v][m][2:v]concat=n=3:v=1:a=0,format=yuv420p[v]", "-map", "[v]", "-c:v", "libx264", "-preset", "ultrafast", source);
        var functions = Functions(AiEngines.None);
        var result = await Run(functions, "VideoClip", source, "{Duration:6}", "silent-summary.mp4");
        result["Segments"]!.AsArray().Select(s => s!["Shot"]!.GetValue<int>()).Should().OnlyHaveUniqueItems().And.HaveCount(3);
        var facts = Inspect.Probe(_dir.File("silent-summary.mp4"));
        facts.HasAudio.Should().BeFalse();
        facts.Duration.Should().BeApproximately(6, 0.05);

        var tooLong = () => Run(functions, "VideoClip", source, "{Duration:12}", "too-long.mp4");
        (await tooLong.Should().ThrowAsync<RequestException>()).Which.Message.Should().Contain("JobParams.Duration").And.Contain("shorter than the video");
    }

    [Fact]
    public void VideoClip_and_Cover_refuse_parameters_out_of_range_naming_them()
    {
        var functions = Functions(AiEngines.None);
        var clip = functions.Find("VideoClip");
        var tooLong = () => ProductionFunctions.ParseParams(clip, "{Duration:301}");
        tooLong.Should().Throw<RequestException>().Which.Message.Should().Contain("JobParams.Duration");
        var cover = functions.Find("Cover");
        var model = () => ProductionFunctions.ParseParams(cover, "{Model:\"video\"}");
        model.Should().Throw<RequestException>().Which.Message.Should().Contain("JobParams.Model").And.Contain("gif");
    }
}
