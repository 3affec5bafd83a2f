using FluentAssertions;
using RenderFarm.TestSupport;
using Xunit;

namespace RenderFarm.Media.Tests.Rendering;

/// <summary>
/// IMS timeline fields a viewer sees: TrackShortenMode AutoSpeed, MaxOut, Opacity and the deprecated
/// ImageTracks (tiny 192x128, 10 fps renders; pixels sampled per quadrant).
/// </summary>
public sealed class TimelineFieldRenderTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly TestMedia _media;

    public TimelineFieldRenderTests() => _media = new TestMedia(_dir.Path);

    public void Dispose() => _dir.Dispose();

    private const string Output = """ "OutputMediaConfig":{"Width":192,"Height":128,"Fps":10} """;

    private static bool Near((double R, double G, double B) c, int r, int g, int b, int tolerance = 40) =>
        Math.Abs(c.R - r) < tolerance && Math.Abs(c.G - g) < tolerance && Math.Abs(c.B - b) < tolerance;

    [Fact]
    public async Task AutoSpeed_plays_a_longer_video_track_whole_within_the_main_audio_track()
    {
        // 2 s of video, red until 1.5 s then blue; the main track is 1 s of voice.
        var video = Path.Combine(_dir.Path, "red-then-blue.mp4");
        Tool.Ffmpeg("-f", "lavfi", "-i", "color=c=red:s=192x128:r=10:d=2", "-vf", "drawbox=c=blue:t=fill:enable='gte(t,1.5)'",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", video);
        var voice = _media.Tone("voice.m4a", 440, 1);
        var json = $$"""
            {"Timeline":{"VideoTracks":[{"TrackShortenMode":"AutoSpeed","VideoTrackClips":[{"MediaURL":"{{video}}"}]}],
                         "AudioTracks":[{"MainTrack":true,"AudioTrackClips":[{"MediaURL":"{{voice}}"}]}]},{{Output}}}
            """;
        var output = await LocalRender.RenderAsync(json, _dir.Path);

        Inspect.Probe(output).Duration.Should().BeApproximately(1, 0.08, "the main audio track decides the length");
        var frames = Inspect.AllFrames(output);
        Near(Inspect.Mean(frames[2], 0, 0, 192, 128), 255, 0, 0).Should().BeTrue("0.2 s shows the video's 0.4 s: red");
        Near(Inspect.Mean(frames[^1], 0, 0, 192, 128), 0, 0, 255).Should().BeTrue("the last frame shows the video's last second: blue, so the whole video played");
    }

    [Fact]
    public async Task MaxOut_ends_an_image_Opacity_blends_and_an_ImageTrack_logo_stays()
    {
        var blue = _media.ColourVideo("blue.mp4", "blue", 2, 192, 128, 10);
        var green = _media.ColourVideo("green.mp4", "0x00FF00", 2, 192, 128, 10);
        var red = _media.ColourImage("red.png", "red", 96, 64);
        var yellow = _media.ColourImage("yellow.png", "yellow", 96, 64);
        // Quadrants: top-left a red image shown at most 1 s (MaxOut), top-right green at half opacity,
        // bottom-left an ImageTracks logo for the whole video, bottom-right the blue video alone.
        var json = $$"""
            {"Timeline":{"VideoTracks":[
               {"MainTrack":true,"VideoTrackClips":[{"MediaURL":"{{blue}}"}]},
               {"VideoTrackClips":[{"MediaURL":"{{red}}","Type":"Image","Duration":2,"MaxOut":1,"X":0,"Y":0,"Width":96,"Height":64}]},
               {"VideoTrackClips":[{"MediaURL":"{{green}}","Opacity":0.5,"X":96,"Y":0,"Width":96,"Height":64}]}],
             "ImageTracks":[{"ImageTrackClips":[{"MediaURL":"{{yellow}}","X":0,"Y":64,"Width":96,"Height":64}]}]},{{Output}}}
            """;
        var output = await LocalRender.RenderAsync(json, _dir.Path);

        var frames = Inspect.AllFrames(output);
        frames.Should().HaveCount(20);
        var (early, late) = (frames[5], frames[15]);
        Near(Inspect.Mean(early, 8, 8, 80, 48), 255, 0, 0).Should().BeTrue("before MaxOut the image shows");
        Near(Inspect.Mean(late, 8, 8, 80, 48), 0, 0, 255).Should().BeTrue("after MaxOut (1 s) the image is gone and the blue video shows");
        foreach (var frame in new[] { early, late })
        {
            var blend = Inspect.Mean(frame, 104, 8, 80, 48);
            Near(blend, 0, 128, 128, 30).Should().BeTrue($"Opacity 0.5 shows the average of green and blue, got {blend}");
            Near(Inspect.Mean(frame, 8, 72, 80, 48), 255, 255, 0).Should().BeTrue("the ImageTracks logo covers the whole video");
            Near(Inspect.Mean(frame, 104, 72, 80, 48), 0, 0, 255).Should().BeTrue("the bottom-right quadrant is the blue video alone");
        }
    }
}
