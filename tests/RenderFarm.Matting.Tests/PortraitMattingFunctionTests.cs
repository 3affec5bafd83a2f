using System.Text.Json.Nodes;
using RenderFarm.Media.Ffmpeg;
using RenderFarm.Media.Production;
using RenderFarm.Media.Vision.Matting;
using RenderFarm.TestSupport;

namespace RenderFarm.Matting.Tests;

/// <summary>
/// PortraitMatting with the real ISNet engine (the node's <see cref="IsNetMatteProducer"/>, one analysed picture a
/// second): the astronaut photo, and a 1 s 320x180 10 fps clip of the photo shrunk to 180x180 sliding right over a
/// grey wall. Mattes are cached by the producer, so the tests with a background reuse the transparent ones' mattes.
/// </summary>
public sealed class PortraitMattingSetup : IDisposable
{
    private readonly TempDir _dir = new();

    public PortraitMattingSetup(MattingModel model)
    {
        Astronaut = model.Astronaut;
        Clip = _dir.File("sliding.mp4");
        Tool.Ffmpeg("-f", "lavfi", "-i", "color=c=0x808890:s=320x180:r=10:d=1", "-i", model.Astronaut,
            "-filter_complex", "[1:v]scale=180:180[p];[0:v][p]overlay=x='20+t*100':y=0,format=yuv420p", "-frames:v", "10",
            "-c:v", "libx264", "-preset", "ultrafast", "-crf", "12", Clip);
        Background = _dir.File("blue.png");
        Tool.Ffmpeg("-f", "lavfi", "-i", "color=c=0x1030E0:s=64x64", "-frames:v", "1", Background);
        Producer = new IsNetMatteProducer(_dir.File("mattes"), new MattingOptions { AnalysisFps = 1 }, matter: model.Matter);
        Function = new PortraitMattingFunction(new FfmpegRunner(), new MediaProber(_dir.File("probe")), Producer);
    }

    public string Astronaut { get; }
    public string Clip { get; }
    public string Background { get; }
    public IsNetMatteProducer Producer { get; }
    public PortraitMattingFunction Function { get; }

    /// <summary>The suit box of <see cref="MattingModel.Person"/> in frame 5 of the clip (the photo at x = 70, scale 180/512).</summary>
    public static readonly (int X, int Y, int W, int H) SuitInClip = (70 + 120 * 180 / 512 + 5, 310 * 180 / 512 + 5, 28, 28);

    public void Dispose()
    {
        Producer.Dispose();
        _dir.Dispose();
    }
}

public sealed class PortraitMattingFunctionTests(PortraitMattingSetup setup) : IClassFixture<PortraitMattingSetup>, IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private Task<JsonObject> Run(string input, string jobParams, string output) =>
        ProductionRunner.RunAsync(setup.Function, ProductionFunctions.ParseParams(setup.Function, jobParams), input,
            jobParams.Length == 0 ? new Dictionary<string, string>() : new Dictionary<string, string> { ["JobParams.bgimage"] = setup.Background },
            _dir.File(output), _dir.File("work"), new Progress<double>(), TestContext.Current.CancellationToken);

    private static double MeanAlpha(byte[] rgba, int width, (int X, int Y, int W, int H) box)
    {
        double sum = 0;
        for (var y = box.Y; y < box.Y + box.H; y++)
            for (var x = box.X; x < box.X + box.W; x++) sum += rgba[(y * width + x) * 4 + 3];
        return sum / (box.W * box.H);
    }

    [Fact]
    public async Task The_astronaut_photo_gives_a_png_opaque_on_the_person_and_clear_on_the_background()
    {
        var result = await Run(setup.Astronaut, "", "astronaut.png");

        (result["Format"]!.GetValue<string>(), result["Alpha"]!.GetValue<bool>()).Should().Be(("png", true));
        var rgba = Tool.Ffmpeg("-i", _dir.File("astronaut.png"), "-f", "rawvideo", "-pix_fmt", "rgba", "-");
        rgba.Length.Should().Be(512 * 512 * 4, "the PNG keeps the photo's size");
        MeanAlpha(rgba, 512, MattingModel.Person).Should().BeGreaterThan(0.9 * 255, "the box lies inside the person");
        foreach (var box in MattingModel.Background)
            MeanAlpha(rgba, 512, box).Should().BeLessThan(0.1 * 255, $"the box at ({box.X},{box.Y}) is background");
        var photo = Inspect.Frame(setup.Astronaut, 0).Rgb;
        var (x, y) = (MattingModel.Person.X + 50, MattingModel.Person.Y + 50);
        rgba[(y * 512 + x) * 4].Should().BeCloseTo(photo[(y * 512 + x) * 3], 2, "the person keeps its colours");

        var over = await Run(setup.Astronaut, "{bgimage:'blue.png'}", "over.png");
        over["Alpha"]!.GetValue<bool>().Should().BeFalse();
        var composed = Inspect.Frame(_dir.File("over.png"), 0);
        var corner = Inspect.Mean(composed, 0, 0, 24, 24);
        (corner.B > 180 && corner.R < 60).Should().BeTrue($"the background shows the blue image, got {corner}");
        var suit = Inspect.Mean(composed, 130, 320, 90, 90);
        (suit.R > 150 && suit.B < 120).Should().BeTrue($"the orange suit stays, got {suit}");
    }

    [Fact]
    public async Task A_short_video_gives_a_webm_with_alpha_on_the_moving_person()
    {
        var result = await Run(setup.Clip, "", "sliding.webm");

        (result["Format"]!.GetValue<string>(), result["Fps"]!.GetValue<int>(), result["Frames"]!.GetValue<long>()).Should().Be(("webm", 10, 10L));
        var probe = Tool.Run("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=codec_name:stream_tags=alpha_mode",
            "-of", "default=nw=1", _dir.File("sliding.webm"));
        System.Text.Encoding.ASCII.GetString(probe.Stdout).Should().Contain("codec_name=vp9").And.Contain("TAG:alpha_mode=1");
        var rgba = Tool.Ffmpeg("-c:v", "libvpx-vp9", "-i", _dir.File("sliding.webm"), "-f", "rawvideo", "-pix_fmt", "rgba", "-");
        rgba.Length.Should().Be(10 * 320 * 180 * 4, "every frame of the clip is written");
        var frame5 = rgba[(5 * 320 * 180 * 4)..(6 * 320 * 180 * 4)];
        MeanAlpha(frame5, 320, PortraitMattingSetup.SuitInClip).Should().BeGreaterThan(200, "the suit is opaque");
        MeanAlpha(frame5, 320, (290, 140, 24, 24)).Should().BeLessThan(26, "the wall at the bottom right is clear");
        MeanAlpha(frame5, 320, (0, 140, 24, 24)).Should().BeLessThan(26, "the wall at the bottom left is clear");
    }
}
