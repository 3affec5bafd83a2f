using System.Text.Json.Nodes;
using FluentAssertions;
using RenderFarm.Core.Timelines;
using RenderFarm.TestSupport;
using Xunit;

namespace RenderFarm.Media.Tests.Rendering;

/// <summary>
/// The IMS documentation's matting examples (Seed002/*.json, unchanged, AI effects included), with
/// every MediaURL swapped for a generated local file of the same name. Output 360x640.
/// </summary>
public sealed class Seed002MattingTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly TestMedia _media;

    public Seed002MattingTests() => _media = new TestMedia(_dir.Path);

    public void Dispose() => _dir.Dispose();

    private static string Request(string example, Func<string, string> mediaFor)
    {
        var timeline = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Seed002", example + ".json")))!.AsObject();
        foreach (var clip in timeline["VideoTracks"]!.AsArray().SelectMany(t => t!["VideoTrackClips"]!.AsArray()))
            clip!["MediaURL"] = mediaFor(clip["MediaURL"]!.GetValue<string>().Split('/')[^1]);
        return new JsonObject
        {
            ["Timeline"] = timeline.ToJsonString(),
            ["OutputMediaConfig"] = new JsonObject { ["Width"] = 360, ["Height"] = 640, ["Fps"] = 25 },
        }.ToJsonString();
    }

    [Fact]
    public async Task Green_screen_example_keys_the_clip_over_the_global_image()
    {
        ScreenClip? clip = null;
        var json = Request("green_screen_matting", name => name.EndsWith(".jpg")
            ? _media.ColourImage(name, "yellow", 800, 600)
            : (clip = ScreenClip.Write(_dir.File(name), (0x10, 0xC0, 0x50), [(255, 0, 0), (255, 255, 255), (0, 0, 255)], 640, 360)).Path);
        var prepared = await LocalRender.PrepareAsync(json, _dir.Path);
        prepared.Warnings.Should().BeEmpty("Color, Auto and Thres are all understood");

        var output = await LocalRender.RenderAsync(json, _dir.Path);

        Inspect.Probe(output).VideoFrames.Should().Be(50);
        // The 640x360 clip is letterboxed into 360x640: scaled by 0.5625 to 360x202 (rounded to even), 219 px down.
        var (screen, foreground) = clip!.Score(Inspect.FrameAt(output, 20), (255, 255, 0), offsetY: 219, scale: 0.5625);
        screen.Should().BeGreaterThan(0.99, "Auto finds the screen's green and keys it out over the yellow image");
        foreground.Should().BeGreaterThan(0.99, "red, white and blue keep their colours");
        Near(Inspect.Mean(Inspect.FrameAt(output, 20), 0, 20, 360, 150), 255, 255, 0).Should().BeTrue("above the clip the GlobalImage shows");
    }

    [Fact]
    public async Task Background_replacement_example_mattes_the_cropped_right_clip_over_the_image()
    {
        // Both clips play one red video; the image below the right one is yellow. The matte is a disc
        // of radius 90 at the centre of the 640x360 source.
        var json = Request("real_matting", name => name.EndsWith(".jpg")
            ? _media.ColourImage(name, "yellow", 640, 360)
            : _media.ColourVideo(name, "red", 10, 640, 360, toneHz: 300));
        var matte = Mattes.MovingDisc(_dir.File("matte.mp4"), 250, 640, 360, 320, 180, 90, 0);
        var prepared = await Mattes.WithMattesAsync(json, _dir.Path, _ => matte);
        prepared.Warnings.Select(w => w.ToString()).Should().Equal(
            "Timeline.VideoTracks[1].VideoTrackClips[0].Effects[2].Type: an empty Text effect has nothing to draw and was ignored");
        prepared.Schedule.Layers.Single(l => l.Clip.Effects.Matting is PersonMatte { Threshold: 8 }).TrackIndex.Should().Be(1);

        var output = await Mattes.RenderAsync(json, _dir.Path, _ => matte);

        Inspect.Probe(output).VideoFrames.Should().Be(250);
        var frame = Inspect.FrameAt(output, 100);
        // Crop keeps source x 160..480 (the disc's centre moves to 160 of 320); Cover scales by 640/360 and
        // centres 180 of the 569 columns: the disc (radius 160) centres at (270, 320) and spans y 160..480.
        Near(Inspect.Mean(frame, 230, 280, 80, 80), 255, 0, 0).Should().BeTrue("inside the matte the right clip shows");
        Near(Inspect.Mean(frame, 190, 20, 160, 100), 255, 255, 0).Should().BeTrue("above the matte the image below shows");
        Near(Inspect.Mean(frame, 190, 520, 160, 100), 255, 255, 0).Should().BeTrue("below the matte the image below shows");
        Near(Inspect.Mean(frame, 10, 20, 160, 600), 255, 0, 0).Should().BeTrue("the left clip has no matting");
    }

    private static bool Near((double R, double G, double B) c, int r, int g, int b, int tolerance = 40) =>
        Math.Abs(c.R - r) < tolerance && Math.Abs(c.G - g) < tolerance && Math.Abs(c.B - b) < tolerance;
}
