using System.Text.Json.Nodes;
using FluentAssertions;
using RenderFarm.TestSupport;
using Xunit;

namespace RenderFarm.Media.Tests.Rendering;

/// <summary>
/// The IMS documentation's example timelines (Seed002/*.json, unchanged), rendered with their
/// AI_* effects and AI_TTS clips taken out and every MediaURL swapped for a generated local file
/// of the same name. Output 360x640 keeps the renders quick.
/// </summary>
public sealed class Seed002Tests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly TestMedia _media;

    public Seed002Tests() => _media = new TestMedia(_dir.Path);

    public void Dispose() => _dir.Dispose();

    /// <summary>The example as a request with AI parts removed and URLs mapped by file name.</summary>
    private string Request(string example, Func<string, string> mediaFor)
    {
        var timeline = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Seed002", example + ".json")))!.AsObject();
        foreach (var clip in Clips(timeline))
        {
            if (clip["Effects"] is JsonArray effects)
                foreach (var ai in effects.Where(e => e!["Type"]!.GetValue<string>().StartsWith("AI_")).ToList())
                    effects.Remove(ai);
            if (clip["MediaURL"] is JsonValue url)
                clip["MediaURL"] = mediaFor(url.GetValue<string>().Split('/')[^1]);
        }
        foreach (var track in timeline["AudioTracks"]?.AsArray() ?? [])
        {
            var clips = track!["AudioTrackClips"]!.AsArray();
            foreach (var tts in clips.Where(c => c!["Type"]?.GetValue<string>() == "AI_TTS").ToList()) clips.Remove(tts);
        }
        var request = new JsonObject
        {
            ["Timeline"] = timeline.ToJsonString(),
            ["OutputMediaConfig"] = new JsonObject { ["Width"] = 360, ["Height"] = 640, ["Fps"] = 25 },
        };
        return request.ToJsonString();
    }

    private static IEnumerable<JsonObject> Clips(JsonObject timeline) =>
        (timeline["VideoTracks"]?.AsArray() ?? []).SelectMany(t => t!["VideoTrackClips"]!.AsArray())
            .Concat((timeline["AudioTracks"]?.AsArray() ?? []).SelectMany(t => t!["AudioTrackClips"]!.AsArray()))
            .Select(c => c!.AsObject());

    private static bool Near((double R, double G, double B) c, int r, int g, int b, int tolerance = 45) =>
        Math.Abs(c.R - r) < tolerance && Math.Abs(c.G - g) < tolerance && Math.Abs(c.B - b) < tolerance;

    [Fact]
    public async Task Speech_captions_example_renders_its_video()
    {
        var json = Request("asr_captions", name => _media.PatternVideo(name, 3, 640, 360, toneHz: 500));
        var prepared = await LocalRender.PrepareAsync(json, _dir.Path);
        prepared.Warnings.Should().BeEmpty("the AI_ASR effect was taken out; nothing else is unsupported");

        var output = await LocalRender.RenderAsync(json, _dir.Path);

        var facts = Inspect.Probe(output);
        (facts.Width, facts.Height, facts.VideoFrames).Should().Be((360, 640, 75));
        Inspect.MeanVolume(output).Should().BeGreaterThan(-40, "the clip's own sound plays");
    }

    [Fact]
    public async Task Voice_over_example_mutes_the_video_with_gain_zero()
    {
        var json = Request("tts_voiceover", name => _media.PatternVideo(name, 2, 640, 360, toneHz: 500));
        var output = await LocalRender.RenderAsync(json, _dir.Path);

        Inspect.Probe(output).VideoFrames.Should().Be(50);
        Inspect.MeanVolume(output).Should().BeLessThan(-80, "Volume Gain 0 mutes the clip");
    }

    [Fact]
    public async Task Image_slideshow_example_has_blurred_backgrounds_windowslice_transitions_and_a_title()
    {
        var colours = new Dictionary<string, string> { ["your-image1.jpg"] = "red", ["your-image2.jpg"] = "blue", ["your-image3.jpg"] = "green" };
        var json = Request("ssml_images_blur_windowslice", name => _media.ColourImage(name, colours[name], 480, 270));
        var prepared = await LocalRender.PrepareAsync(json, _dir.Path);
        prepared.Warnings.Should().Contain(w => w.Path.EndsWith("AaiMotionLoopEffect1"), "an unknown field is reported, not dropped");
        prepared.Warnings.Should().Contain(w => w.Path.EndsWith("MainTrack"), "the main audio track lost its AI_TTS clips");

        var output = await LocalRender.RenderAsync(json, _dir.Path);

        Inspect.Probe(output).VideoFrames.Should().Be(210, "3 images of 3 s joined by two 0.3 s transitions last 8.4 s");
        var first = Inspect.FrameAt(output, 25);
        Near(Inspect.Mean(first, 150, 300, 60, 40), 255, 0, 0).Should().BeTrue("the first image sits in the middle");
        var band = Inspect.Mean(first, 0, 520, 360, 40);
        (band.R + band.G + band.B).Should().BeGreaterThan(60, "the letterbox band is a blurred copy of the image, not black");
        band.R.Should().BeGreaterThan(band.B, "the blurred band takes the red image's colour");
        var title = Inspect.Mean(first, 0, 200, 360, 100);
        title.R.Should().BeGreaterThan(title.G + 10, "the dark-red title is drawn near Y=200");
        var midTransition = Inspect.Mean(Inspect.FrameAt(output, 71), 100, 280, 160, 80);
        (midTransition.R > 40 && midTransition.B > 40).Should().BeTrue("mid-transition both images show (windowslice)");
    }

    [Fact]
    public async Task Green_screen_example_draws_the_clip_over_a_covering_global_image()
    {
        var json = Request("green_screen_matting", name => name.EndsWith(".jpg")
            ? _media.ColourImage(name, "yellow", 800, 600)
            : _media.ColourVideo(name, "0x00FF00", 2, 640, 360));
        var output = await LocalRender.RenderAsync(json, _dir.Path);

        var frame = Inspect.FrameAt(output, 20);
        Near(Inspect.Mean(frame, 0, 20, 360, 60), 255, 255, 0).Should().BeTrue("the GlobalImage background (Cover) fills the frame above the clip");
        Near(Inspect.Mean(frame, 100, 300, 160, 40), 0, 255, 0).Should().BeTrue("the clip (not yet keyed) is drawn on top, centred");
        Inspect.Probe(output).VideoFrames.Should().Be(50, "the GlobalImage lasts as long as the video");
    }

    [Fact]
    public async Task Side_by_side_example_places_cropped_halves_and_reports_unsupported_effects()
    {
        // The background image is yellow; both clips show a green video with a 300 Hz tone.
        var json = Request("real_matting", name => name.EndsWith(".jpg")
            ? _media.ColourImage(name, "yellow", 640, 360)
            : _media.ColourVideo(name, "0x00FF00", 10, 640, 360, toneHz: 300));
        var prepared = await LocalRender.PrepareAsync(json, _dir.Path);
        prepared.Warnings.Select(w => w.ToString()).Should().Equal(
            "Timeline.VideoTracks[1].VideoTrackClips[0].Effects[1].Type: an empty Text effect has nothing to draw and was ignored");

        var output = await LocalRender.RenderAsync(json, _dir.Path);

        Inspect.Probe(output).VideoFrames.Should().Be(250, "In 0 / Out 10 of a 10 s clip");
        var frame = Inspect.FrameAt(output, 100);
        // 360 wide: the third track's clip fills x 0..180, the second track's x 180..360 (over the GlobalImage).
        Near(Inspect.Mean(frame, 10, 20, 160, 600), 0, 255, 0).Should().BeTrue("the left half shows the cropped green video");
        Near(Inspect.Mean(frame, 190, 20, 160, 600), 0, 255, 0).Should().BeTrue("the right clip covers the yellow background image");
        Inspect.MeanVolume(output).Should().BeGreaterThan(-40, "the right clip keeps its sound; only the left one has Gain 0");
    }

    [Fact]
    public async Task Highlight_example_plays_the_video_then_the_image_for_its_duration()
    {
        var json = Request("highlighted_captions", name => name.EndsWith(".png")
            ? _media.ColourImage(name, "white", 360, 640)
            : _media.ColourVideo(name, "blue", 2, 360, 640));
        var output = await LocalRender.RenderAsync(json, _dir.Path);

        Inspect.Probe(output).VideoFrames.Should().Be(358, "2 s of video + 12.31 s of image = 14.31 s at 25 fps");
        Near(Inspect.Mean(Inspect.FrameAt(output, 10), 0, 0, 360, 640), 0, 0, 255).Should().BeTrue();
        Near(Inspect.Mean(Inspect.FrameAt(output, 300), 0, 0, 360, 640), 255, 255, 255).Should().BeTrue();
    }
}
