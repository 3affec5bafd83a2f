using FluentAssertions;
using RenderFarm.Media.Rendering;
using RenderFarm.TestSupport;
using Xunit;

namespace RenderFarm.Media.Tests.Rendering;

/// <summary>
/// IMS timeline fields a viewer sees: TrackShortenMode AutoSpeed, MaxOut, Opacity, DyncFrames and the deprecated
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

    [Fact]
    public async Task DyncFrames_loops_an_animated_gif_at_its_own_timing_in_single_pass_and_segments_alike()
    {
        // A 64x64 GIF of 4 frames, 0.25 s each (a 1 s loop): a 48x48 square, red, green, blue, white, in a transparent 8 px border.
        var gif = Path.Combine(_dir.Path, "anim.gif");
        var squares = string.Concat(new[] { "red", "0x00FF00", "blue", "white" }.Select((c, i) => $",drawbox=x=8:y=8:w=48:h=48:c={c}:t=fill:enable='eq(n,{i})'"));
        Tool.Ffmpeg("-f", "lavfi", "-i", $"color=c=black:s=64x64:r=4:d=1,format=rgb24{squares},colorkey=black,split[a][b];"
            + "[a]palettegen=reserve_transparent=1[p];[b][p]paletteuse=dither=none:alpha_threshold=128", gif);
        var grey = _media.ColourVideo("grey.mp4", "0x808080", 2, 192, 128, 10);
        string Clip(int x, string dync) =>
            $$"""{"VideoTrackClips":[{"MediaURL":"{{gif}}","Type":"Image","Duration":2,"X":{{x}},"Y":32,"Width":64,"Height":64{{dync}}}]}""";
        // Over a grey video. Left: all 4 frames looped; middle: no DyncFrames (a still, as IMS); right: DyncFrames 2 loops red, green.
        var json = $$"""
            {"Timeline":{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"{{grey}}"}]},
               {{Clip(0, ",\"DyncFrames\":4")}},{{Clip(64, "")}},{{Clip(128, ",\"DyncFrames\":2")}}]},{{Output}}}
            """;
        (int, int, int)[] colours = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255)];
        // Frame n (at n/10 s) shows the GIF frame of (n/10 mod loop) / 0.25 s, rounded to the output grid (0.25 s to frame 3).
        int Expected(int frame, int loopFrames) => (int)Math.Floor(frame % (loopFrames * 2.5) / 2.5);

        foreach (var segmentSeconds in new double?[] { null, 0.7 })
        {
            var output = await LocalRender.RenderAsync(json, _dir.Path, segmentSeconds is null ? "single.mp4" : "segmented.mp4",
                new RenderOptions(SegmentSeconds: segmentSeconds));
            var frames = Inspect.AllFrames(output);
            frames.Should().HaveCount(20);
            for (var n = 0; n < frames.Count; n++)
            {
                var (left, middle, right) = (Inspect.Mean(frames[n], 16, 48, 32, 32), Inspect.Mean(frames[n], 80, 48, 32, 32), Inspect.Mean(frames[n], 144, 48, 32, 32));
                var (r, g, b) = colours[Expected(n, 4)];
                Near(left, r, g, b).Should().BeTrue($"frame {n} ({(segmentSeconds is null ? "single pass" : "segments")}) shows GIF frame {Expected(n, 4)}, got {left}");
                Near(middle, 255, 0, 0).Should().BeTrue($"without DyncFrames frame {n} shows the first frame, got {middle}");
                (r, g, b) = colours[Expected(n, 2)];
                Near(right, r, g, b).Should().BeTrue($"DyncFrames 2: frame {n} shows GIF frame {Expected(n, 2)}, got {right}");
                foreach (var x in new[] { 1, 65, 129 })
                    Near(Inspect.Mean(frames[n], x, 40, 5, 48), 128, 128, 128).Should().BeTrue($"frame {n}: the GIF's transparent border shows the grey video below at x={x}");
            }
        }
    }

    private string Image(string name, string source, string? filter = null)
    {
        var path = Path.Combine(_dir.Path, name);
        Tool.Ffmpeg(filter is null ? ["-f", "lavfi", "-i", source, "-frames:v", "1", path] : ["-f", "lavfi", "-i", source, "-vf", filter, "-frames:v", "1", path]);
        return path;
    }

    /// <summary>Mean absolute difference of a region's luma from its mean: high for a sharp checkerboard, low once blurred.</summary>
    private static double Detail((byte[] Rgb, int Width, int Height) frame, int x, int y, int w, int h)
    {
        var mean = Inspect.Mean(frame, x, y, w, h).G;
        double sum = 0;
        for (var yy = y; yy < y + h; yy++)
            for (var xx = x; xx < x + w; xx++) sum += Math.Abs(Inspect.Pixel(frame, xx, yy).G - mean);
        return sum / (w * h);
    }

    private static int Bright((byte[] Rgb, int Width, int Height) frame, int x, int y, int w, int h)
    {
        var count = 0;
        for (var yy = y; yy < y + h; yy++)
            for (var xx = x; xx < x + w; xx++) { var p = Inspect.Pixel(frame, xx, yy); if (p.R + p.G + p.B > 384) count++; }
        return count;
    }

    [Fact]
    public async Task Flip_Scale_Pad_DeWatermark_and_KenBurns_each_change_their_clip()
    {
        var black = _media.ColourVideo("black.mp4", "black", 1, 192, 128, 10);
        var redBlue = Image("red-blue.png", "color=c=red:s=64x64", "drawbox=x=32:y=0:w=32:h=64:c=blue:t=fill");
        var white = _media.ColourImage("white.png", "white", 32, 32);
        var tall = _media.ColourImage("tall.png", "white", 16, 64);
        var checker = Image("checker.png", "nullsrc=s=64x64,geq=lum='if(mod(floor(X/4)+floor(Y/4),2),235,16)':cb=128:cr=128");
        var square = Image("square.png", "color=c=black:s=64x64", "drawbox=x=24:y=24:w=16:h=16:c=white:t=fill");
        const string CellSize = ""","Width":64,"Height":64""";
        string Cell(string url, int x, int y, string effects, bool sized = true) =>
            $$"""{"VideoTrackClips":[{"MediaURL":"{{url}}","Type":"Image","Duration":1,"X":{{x}},"Y":{{y}}{{(sized ? CellSize : "")}},"Effects":{{effects}}}]}""";
        // A 3x2 grid of 64x64 cells over black: Flip, Scale, Pad on the top row; DeWatermark, KenBurns on the bottom row.
        var json = $$"""
            {"Timeline":{"VideoTracks":[
               {"MainTrack":true,"VideoTrackClips":[{"MediaURL":"{{black}}"}]},
               {{Cell(redBlue, 0, 0, """[{"Type":"Flip","SubType":"Horizontal"}]""")}},
               {{Cell(white, 64, 0, """[{"Type":"Scale","Width":64,"Height":64}]""", sized: false)}},
               {{Cell(tall, 128, 0, """[{"Type":"Pad","Width":64,"Height":64,"Color":"#00FF00"}]""", sized: false)}},
               {{Cell(checker, 0, 64, """[{"Type":"DeWatermark","Boxes":[{"X":0,"Y":0,"Width":0.5,"Height":1}]}]""")}},
               {{Cell(square, 64, 64, """[{"Type":"KenBurns","SubType":"ZoomIn","Zoom":2}]""")}}]},{{Output}}}
            """;
        var output = await LocalRender.RenderAsync(json, _dir.Path);

        var frames = Inspect.AllFrames(output);
        var first = frames[0];
        Near(Inspect.Mean(first, 4, 4, 24, 56), 0, 0, 255).Should().BeTrue("Flip Horizontal puts the blue half on the left");
        Near(Inspect.Mean(first, 36, 4, 24, 56), 255, 0, 0).Should().BeTrue("and the red half on the right");
        Near(Inspect.Mean(first, 68, 4, 56, 56), 255, 255, 255).Should().BeTrue("Scale draws the 32x32 picture at 64x64 in its cell");
        Near(Inspect.Mean(first, 68, 68, 56, 56), 0, 0, 0).Should().BeTrue("and no larger: the cell below shows the black video");
        Near(Inspect.Mean(first, 130, 4, 16, 56), 0, 255, 0).Should().BeTrue("Pad fills the box around the narrow picture with its colour");
        Near(Inspect.Mean(first, 156, 4, 8, 56), 255, 255, 255).Should().BeTrue("and the picture sits in the middle");
        Detail(first, 4, 68, 24, 56).Should().BeLessThan(Detail(first, 36, 68, 24, 56) / 3, "DeWatermark blurs the left half of the checkerboard only");
        var (start, end) = (Bright(first, 64, 64, 64, 64), Bright(frames[^1], 64, 64, 64, 64));
        end.Should().BeGreaterThan(start * 5 / 2, $"KenBurns zooms in 2x over the clip: the white square grows from {start} pixels");
    }
}
