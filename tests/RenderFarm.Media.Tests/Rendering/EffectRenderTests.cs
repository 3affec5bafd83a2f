using FluentAssertions;
using RenderFarm.TestSupport;
using Xunit;

namespace RenderFarm.Media.Tests.Rendering;

/// <summary>Crop, speed, fades, effect tracks, text motion and audio mixing, checked on the rendered file.</summary>
public sealed class EffectRenderTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly TestMedia _media;

    public EffectRenderTests() => _media = new TestMedia(_dir.Path);

    public void Dispose() => _dir.Dispose();

    /// <summary>A 320x240 image whose left half is red and right half is blue.</summary>
    private string SplitImage()
    {
        var path = _dir.File("split.png");
        Tool.Ffmpeg("-f", "lavfi", "-i", "color=c=red:s=160x240", "-f", "lavfi", "-i", "color=c=blue:s=160x240",
            "-filter_complex", "[0][1]hstack", "-frames:v", "1", path);
        return path;
    }

    [Fact]
    public async Task Crop_keeps_only_the_chosen_part_of_the_source()
    {
        var image = SplitImage();
        var json = $$"""
            {"Timeline":{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"{{image}}","Type":"Image","Duration":1,"AdaptMode":"Fill",
              "Effects":[{"Type":"Crop","X":0.5,"Y":0,"Width":0.5,"Height":1}]}]}]},
             "OutputMediaConfig":{"Width":320,"Height":240} }
            """;
        var output = await LocalRender.RenderAsync(json, _dir.Path);

        var mean = Inspect.Mean(Inspect.FrameAt(output, 5), 0, 0, 320, 240);
        mean.B.Should().BeGreaterThan(200, "only the blue right half of the source is left");
        mean.R.Should().BeLessThan(30);
    }

    [Fact]
    public async Task A_crop_starting_beyond_the_source_is_clamped_to_its_edge()
    {
        var image = SplitImage();
        // Pixel values (above 1) past the 320x240 source: the crop keeps the source's bottom-right corner.
        var json = $$"""
            {"Timeline":{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"{{image}}","Type":"Image","Duration":1,"AdaptMode":"Fill",
              "Effects":[{"Type":"Crop","X":400,"Y":300,"Width":100,"Height":100}]}]}]},
             "OutputMediaConfig":{"Width":320,"Height":240} }
            """;
        var output = await LocalRender.RenderAsync(json, _dir.Path);

        Inspect.Probe(output).VideoFrames.Should().Be(25);
        var mean = Inspect.Mean(Inspect.FrameAt(output, 5), 0, 0, 320, 240);
        mean.B.Should().BeGreaterThan(200, "the corner of the blue right half fills the frame");
        mean.R.Should().BeLessThan(30);
    }

    [Fact]
    public async Task A_crop_reaching_past_the_source_keeps_the_part_inside()
    {
        var image = SplitImage();
        // From x=200 px, 300 px wide on a 320 px source: only x 200..320 (blue) exists.
        var json = $$"""
            {"Timeline":{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"{{image}}","Type":"Image","Duration":1,"AdaptMode":"Fill",
              "Effects":[{"Type":"Crop","X":200,"Y":0,"Width":300,"Height":1}]}]}]},
             "OutputMediaConfig":{"Width":320,"Height":240} }
            """;
        var output = await LocalRender.RenderAsync(json, _dir.Path);

        var mean = Inspect.Mean(Inspect.FrameAt(output, 5), 0, 0, 320, 240);
        mean.B.Should().BeGreaterThan(200);
        mean.R.Should().BeLessThan(30);
    }

    /// <summary>A 256x256 black and white checkerboard of 4 px squares: every 8x16 block averages to mid grey.</summary>
    private string Checkerboard()
    {
        var path = _dir.File("checker.png");
        Tool.Ffmpeg("-f", "lavfi", "-i", "color=c=black:s=256x256", "-vf", "format=gray,geq=lum='if(mod(floor(X/4)+floor(Y/4),2),255,0)'",
            "-frames:v", "1", path);
        return path;
    }

    private static (double Mean, double StdDev) Luma((byte[] Rgb, int Width, int Height) frame, int x, int y, int w, int h)
    {
        var values = new List<double>();
        for (var yy = y; yy < y + h; yy++)
            for (var xx = x; xx < x + w; xx++)
            {
                var p = Inspect.Pixel(frame, xx, yy);
                values.Add((p.R + p.G + p.B) / 3.0);
            }
        var mean = values.Average();
        return (mean, Math.Sqrt(values.Average(v => (v - mean) * (v - mean))));
    }

    [Theory]
    [InlineData(0.95)]
    [InlineData(1.0)]
    [InlineData(300.0)]
    public async Task A_mosaic_at_the_right_edge_is_moved_inside_the_frame(double x)
    {
        var checker = Checkerboard();
        var json = $$"""
            {"Timeline":{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"{{checker}}","Type":"Image","Duration":1}]}],
              "EffectTracks":[{"EffectTrackItems":[{"Type":"VFX","SubType":"mosaic_rect","X":{{x.ToString(System.Globalization.CultureInfo.InvariantCulture)}},"Y":0.25,"Width":0.2,"Height":0.5,"TimelineIn":0,"TimelineOut":1}]}]},
             "OutputMediaConfig":{"Width":256,"Height":256} }
            """;
        var output = await LocalRender.RenderAsync(json, _dir.Path);

        Inspect.Probe(output).VideoFrames.Should().Be(25);
        var frame = Inspect.FrameAt(output, 12);
        // The region is clamped to its 16 px minimum at the right edge: x 240..256, y 64..192.
        var mosaic = Luma(frame, 240, 64, 16, 128);
        mosaic.Mean.Should().BeInRange(90, 165, "the mosaic blocks average the black and white squares");
        mosaic.StdDev.Should().BeLessThan(30, "mosaic blocks are flat");
        Luma(frame, 200, 64, 32, 128).StdDev.Should().BeGreaterThan(80, "left of the region the checkerboard is untouched");
        Luma(frame, 240, 0, 16, 56).StdDev.Should().BeGreaterThan(80, "above the region too");
    }

    [Fact]
    public async Task A_colour_background_fills_the_letterbox_bands_with_that_colour()
    {
        var blue = _media.ColourVideo("blue.mp4", "blue", 1);
        var json = $$"""
            {"Timeline":{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"{{blue}}",
              "Effects":[{"Type":"Background","SubType":"Color","Color":"#00C000"}]}]}]},
             "OutputMediaConfig":{"Width":240,"Height":320} }
            """;
        var output = await LocalRender.RenderAsync(json, _dir.Path);

        // A 4:3 clip in a 3:4 frame: 180 rows of picture in the middle, 70-row bands above and below.
        var frame = Inspect.FrameAt(output, 10);
        Near(Inspect.Mean(frame, 0, 0, 240, 60), 0, 192, 0).Should().BeTrue("the top band has the Background colour");
        Near(Inspect.Mean(frame, 0, 260, 240, 60), 0, 192, 0).Should().BeTrue("the bottom band too");
        Near(Inspect.Mean(frame, 0, 90, 240, 140), 0, 0, 255).Should().BeTrue("the clip is in the middle");
    }

    [Fact]
    public async Task A_colour_background_keeps_its_opacity()
    {
        var red = _media.ColourVideo("red.mp4", "red", 1);
        var blue = _media.ColourVideo("blue.mp4", "blue", 1);
        var json = $$"""
            {"Timeline":{"VideoTracks":[
                {"VideoTrackClips":[{"MediaURL":"{{red}}","AdaptMode":"Fill"}]},
                {"VideoTrackClips":[{"MediaURL":"{{blue}}","Effects":[{"Type":"Background","SubType":"Color","Color":"#FFFFFF80"}]}]}]},
             "OutputMediaConfig":{"Width":240,"Height":320} }
            """;
        var output = await LocalRender.RenderAsync(json, _dir.Path);

        var band = Inspect.Mean(Inspect.FrameAt(output, 10), 0, 0, 240, 60);
        Near(band, 255, 128, 128, 30).Should().BeTrue($"half-transparent white over the red track below is pink, not white (got {band})");
        Near(Inspect.Mean(Inspect.FrameAt(output, 10), 0, 90, 240, 140), 0, 0, 255).Should().BeTrue("the clip itself is opaque");
    }

    private static bool Near((double R, double G, double B) c, int r, int g, int b, int tolerance = 40) =>
        Math.Abs(c.R - r) < tolerance && Math.Abs(c.G - g) < tolerance && Math.Abs(c.B - b) < tolerance;

    [Fact]
    public async Task Speed_two_plays_the_source_in_half_the_time()
    {
        var clip = _media.PatternVideo("pattern.mp4", 4, toneHz: 440);
        var json = $$"""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"{{clip}}","Speed":2}]}]}""";
        var output = await LocalRender.RenderAsync(json, _dir.Path);

        var facts = Inspect.Probe(output);
        facts.VideoFrames.Should().Be(50, "4 s of source at Speed 2 take 2 s");
        facts.Duration.Should().BeApproximately(2, 0.05);
        var source = Inspect.FrameAt(clip, 60);
        Inspect.Psnr(source, Inspect.FrameAt(output, 30)).Should().BeGreaterThan(25, "output frame 30 shows source frame 60");
    }

    [Fact]
    public async Task Audio_fades_in_from_silence()
    {
        var tone = _media.Tone("tone.m4a", 440, 3, volume: 0.5);
        var black = _media.ColourVideo("black.mp4", "black", 3);
        var json = $$"""
            {"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"{{black}}"}]}],
             "AudioTracks":[{"AudioTrackClips":[{"MediaURL":"{{tone}}","Effects":[{"Type":"AFade","SubType":"In","Duration":2}]}]}]}
            """;
        var output = await LocalRender.RenderAsync(json, _dir.Path);

        var start = Inspect.MeanVolume(output, 0, 0.3);
        var end = Inspect.MeanVolume(output, 2.3, 0.5);
        (end - start).Should().BeGreaterThan(12, "the first 0.3 s is near silence and the end is at full level");
    }

    [Fact]
    public async Task Audio_fades_out_at_the_end_of_the_clip()
    {
        var tone = _media.Tone("tone.m4a", 440, 4, volume: 0.5);
        var black = _media.ColourVideo("black.mp4", "black", 4);
        var json = $$"""
            {"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"{{black}}"}]}],
             "AudioTracks":[{"AudioTrackClips":[{"MediaURL":"{{tone}}","Effects":[{"Type":"AFade","SubType":"Out","Duration":1.5}]}]}]}
            """;
        var output = await LocalRender.RenderAsync(json, _dir.Path);

        var middle = Inspect.MeanVolume(output, 1.5, 0.5);
        var end = Inspect.MeanVolume(output, 3.7, 0.3);
        (middle - end).Should().BeGreaterThan(12, "the last 0.3 s fades to silence while the middle plays at full level");
        Inspect.MeanVolume(output, 0, 0.3).Should().BeApproximately(middle, 2, "a fade out leaves the start alone");
    }

    [Fact]
    public async Task Several_audio_tracks_are_mixed_and_the_main_track_decides_the_length()
    {
        var low = _media.Tone("low.m4a", 300, 2);
        var high = _media.Tone("high.m4a", 3000, 4);
        var black = _media.ColourVideo("black.mp4", "black", 5);
        var json = $$"""
            {"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"{{black}}"}]}],
             "AudioTracks":[{"MainTrack":true,"AudioTrackClips":[{"MediaURL":"{{low}}"}]},
                            {"AudioTrackClips":[{"MediaURL":"{{high}}"}]}]}
            """;
        var output = await LocalRender.RenderAsync(json, _dir.Path);

        Inspect.Probe(output).VideoFrames.Should().Be(50, "the 2 s main audio track cuts the 5 s video");
        // Each tone is about -27 dB on its own; a band filter lets one tone through and stops the other.
        Inspect.MeanVolume(Filtered(output, "lowpass=f=600")).Should().BeGreaterThan(-40, "the 300 Hz track plays");
        Inspect.MeanVolume(Filtered(output, "highpass=f=2000")).Should().BeGreaterThan(-40, "the 3000 Hz track plays too");
        Inspect.MeanVolume(Filtered(low, "highpass=f=2000")).Should().BeLessThan(-60, "the band filter does stop the other tone");
    }

    private string Filtered(string input, string filter)
    {
        var path = _dir.File($"band-{Guid.NewGuid():N}.m4a");
        Tool.Ffmpeg("-i", input, "-vn", "-af", filter, path);
        return path;
    }

    [Fact]
    public async Task An_effect_track_greys_the_frame_only_between_its_times()
    {
        var red = _media.ColourVideo("red.mp4", "red", 3);
        var json = $$"""
            {"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"{{red}}"}]}],
             "EffectTracks":[{"EffectTrackItems":[{"Type":"VFX","SubType":"color_to_grey","TimelineIn":1,"TimelineOut":2}]}]}
            """;
        var output = await LocalRender.RenderAsync(json, _dir.Path);

        static double Saturation((double R, double G, double B) c) => Math.Max(c.R, Math.Max(c.G, c.B)) - Math.Min(c.R, Math.Min(c.G, c.B));
        Saturation(Inspect.Mean(Inspect.FrameAt(output, 12), 0, 0, 320, 240)).Should().BeGreaterThan(150, "red before TimelineIn");
        Saturation(Inspect.Mean(Inspect.FrameAt(output, 37), 0, 0, 320, 240)).Should().BeLessThan(15, "grey between TimelineIn and TimelineOut");
        Saturation(Inspect.Mean(Inspect.FrameAt(output, 62), 0, 0, 320, 240)).Should().BeGreaterThan(150, "red again after TimelineOut");
    }

    [Fact]
    public async Task A_fade_in_text_motion_brightens_over_its_duration()
    {
        var black = _media.ColourVideo("black.mp4", "black", 3);
        var json = $$"""
            {"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"{{black}}"}]}],
             "SubtitleTracks":[{"SubtitleTrackClips":[{"Type":"Text","Content":"FADE","TimelineIn":0.5,"TimelineOut":2.5,"Alignment":"CenterCenter",
               "FontSize":80,"FontColor":"#FFFFFF","AaiMotionInEffect":"fade_in","AaiMotionIn":1}]}]}
            """;
        var output = await LocalRender.RenderAsync(json, _dir.Path);

        double Brightness(long frame) { var m = Inspect.Mean(Inspect.FrameAt(output, frame), 0, 60, 320, 120); return m.R + m.G + m.B; }
        var early = Brightness(16);   // 0.14 s into the fade
        var middle = Brightness(25);  // halfway
        var done = Brightness(50);    // after the fade
        early.Should().BeLessThan(middle);
        middle.Should().BeLessThan(done);
    }

    [Fact]
    public async Task A_slide_in_text_motion_moves_the_text_into_place()
    {
        var black = _media.ColourVideo("black.mp4", "black", 3);
        var json = $$"""
            {"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"{{black}}"}]}],
             "SubtitleTracks":[{"SubtitleTrackClips":[{"Type":"Text","Content":"SLIDE","TimelineIn":0,"TimelineOut":3,"Alignment":"CenterCenter",
               "FontSize":60,"FontColor":"#FFFFFF","AaiMotionInEffect":"scroll_right_in","AaiMotionIn":1}]}]}
            """;
        var output = await LocalRender.RenderAsync(json, _dir.Path);

        static double CentreX((byte[] Rgb, int Width, int Height) frame)
        {
            double sum = 0, weight = 0;
            for (var y = 0; y < frame.Height; y++)
                for (var x = 0; x < frame.Width; x++)
                {
                    var p = Inspect.Pixel(frame, x, y);
                    if (p.R + p.G + p.B < 300) continue;
                    sum += x; weight++;
                }
            return weight == 0 ? double.NaN : sum / weight;
        }
        var during = CentreX(Inspect.FrameAt(output, 10));
        var after = CentreX(Inspect.FrameAt(output, 50));
        after.Should().BeApproximately(160, 20, "the text ends centred");
        during.Should().BeLessThan(after - 20, "mid-motion the text is still coming in from the left");
    }
}
