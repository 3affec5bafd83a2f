using FluentAssertions;
using RenderFarm.TestSupport;
using Xunit;

namespace RenderFarm.Media.Tests.Rendering;

/// <summary>What a viewer sees: placement, stacking, transitions, subtitles (real ffmpeg renders, pixels sampled).</summary>
public sealed class CompositionTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly TestMedia _media;

    public CompositionTests() => _media = new TestMedia(_dir.Path);

    public void Dispose() => _dir.Dispose();

    private static bool Near((double R, double G, double B) c, int r, int g, int b, int tolerance = 40) =>
        Math.Abs(c.R - r) < tolerance && Math.Abs(c.G - g) < tolerance && Math.Abs(c.B - b) < tolerance;

    [Fact]
    public async Task Output_has_the_requested_size_frame_count_and_duration()
    {
        var clip = _media.ColourVideo("red.mp4", "red", 2, toneHz: 440);
        var json = $$"""
            {"Timeline":{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"{{clip}}"},{"MediaURL":"{{clip}}","In":0.5}]}]},
             "OutputMediaConfig":{"Width":360,"Height":640,"Fps":30} }
            """;
        var output = await LocalRender.RenderAsync(json, _dir.Path);

        var facts = Inspect.Probe(output);
        facts.Width.Should().Be(360);
        facts.Height.Should().Be(640);
        facts.VideoFrames.Should().Be(105, "2 s + 1.5 s at 30 fps");
        facts.Duration.Should().BeApproximately(3.5, 0.05);
        facts.VideoCodec.Should().Be("h264");
        facts.AudioCodec.Should().Be("aac");
    }

    [Fact]
    public async Task A_clip_placed_at_half_width_shows_in_the_top_right_quadrant()
    {
        var background = _media.ColourVideo("blue.mp4", "blue", 2);
        var red = _media.ColourVideo("red.mp4", "red", 2);
        var json = $$"""
            {"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"{{background}}"}]},
                            {"VideoTrackClips":[{"MediaURL":"{{red}}","X":0.5,"Y":0,"Width":0.5}]}]}
            """;
        var output = await LocalRender.RenderAsync(json, _dir.Path);

        var frame = Inspect.Frame(output, 1.0);
        Near(Inspect.Mean(frame, 200, 20, 100, 80), 255, 0, 0).Should().BeTrue("the top-right quadrant shows the red clip");
        Near(Inspect.Mean(frame, 20, 20, 100, 80), 0, 0, 255).Should().BeTrue("the top-left quadrant shows the blue track below");
        Near(Inspect.Mean(frame, 200, 140, 100, 80), 0, 0, 255).Should().BeTrue("the bottom-right quadrant shows the blue track below");
    }

    [Fact]
    public async Task A_full_frame_upper_track_hides_the_lower_track()
    {
        var lower = _media.ColourVideo("green.mp4", "green", 2);
        var upper = _media.ColourVideo("white.mp4", "white", 2);
        var json = $$"""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"{{lower}}"}]},{"VideoTrackClips":[{"MediaURL":"{{upper}}"}]}]}""";
        var output = await LocalRender.RenderAsync(json, _dir.Path);

        var frame = Inspect.Frame(output, 1.0);
        Near(Inspect.Mean(frame, 0, 0, 320, 240), 255, 255, 255, 10).Should().BeTrue("no green pixel of the lower track shows through");
    }

    /// <summary>Two 2 s clips, red then blue, joined by a 1 s fade.</summary>
    private Task<string> RenderRedToBlueFadeAsync()
    {
        var red = _media.ColourVideo("red.mp4", "red", 2);
        var blue = _media.ColourVideo("blue.mp4", "blue", 2);
        var json = $$"""
            {"VideoTracks":[{"VideoTrackClips":[
              {"MediaURL":"{{red}}","Effects":[{"Type":"Transition","SubType":"fade","Duration":1}]},
              {"MediaURL":"{{blue}}"}]}]}
            """;
        return LocalRender.RenderAsync(json, _dir.Path);
    }

    [Fact]
    public async Task A_transition_midpoint_is_a_blend_of_both_clips()
    {
        var output = await RenderRedToBlueFadeAsync();

        Inspect.Probe(output).VideoFrames.Should().Be(75, "two 2 s clips overlapping by 1 s make 3 s");
        Near(Inspect.Mean(Inspect.FrameAt(output, 10), 0, 0, 320, 240), 255, 0, 0).Should().BeTrue("before the transition: red");
        var middle = Inspect.Mean(Inspect.FrameAt(output, 37), 0, 0, 320, 240);
        middle.R.Should().BeInRange(90, 170, "mid-transition both clips contribute");
        middle.B.Should().BeInRange(90, 170);
        Near(Inspect.Mean(Inspect.FrameAt(output, 70), 0, 0, 320, 240), 0, 0, 255).Should().BeTrue("after the transition: blue");
    }

    [Fact]
    public async Task Every_frame_of_a_fade_moves_further_without_a_repeated_frame()
    {
        var output = await RenderRedToBlueFadeAsync();

        // The fade runs over frames 25..49 (25 still all red) into frame 50 (all blue): each frame shows more
        // blue than the one before, the last blended frame included.
        var frames = Inspect.AllFrames(output);
        var blueLevels = Enumerable.Range(25, 26).Select(f => Inspect.Mean(frames[f], 0, 0, 320, 240).B).ToList();
        for (var i = 1; i < blueLevels.Count; i++)
            blueLevels[i].Should().BeGreaterThan(blueLevels[i - 1] + 2, $"frame {25 + i} is further into the fade than frame {24 + i}");
    }

    [Theory]
    [InlineData(30)]
    [InlineData(24)]
    public async Task A_transition_from_an_image_into_a_video_works_at_any_frame_rate(int fps)
    {
        var red = _media.ColourImage("red.png", "red");
        var blue = _media.ColourVideo("blue.mp4", "blue", 2, fps: fps);
        var json = $$"""
            {"Timeline":{"VideoTracks":[{"VideoTrackClips":[
              {"MediaURL":"{{red}}","Type":"Image","Duration":2,"Effects":[{"Type":"Transition","SubType":"fade","Duration":1}]},
              {"MediaURL":"{{blue}}"}]}]},
             "OutputMediaConfig":{"Width":320,"Height":240,"Fps":{{fps}}} }
            """;
        var output = await LocalRender.RenderAsync(json, _dir.Path);

        Inspect.Probe(output).VideoFrames.Should().Be(3 * fps, "a 2 s image and a 2 s video overlapping by 1 s make 3 s");
        Near(Inspect.Mean(Inspect.FrameAt(output, fps / 2), 0, 0, 320, 240), 255, 0, 0).Should().BeTrue("before the transition: the red image");
        var middle = Inspect.Mean(Inspect.FrameAt(output, fps * 3 / 2), 0, 0, 320, 240);
        middle.R.Should().BeInRange(90, 170, "mid-transition the image and the video blend");
        middle.B.Should().BeInRange(90, 170);
        Near(Inspect.Mean(Inspect.FrameAt(output, fps * 5 / 2), 0, 0, 320, 240), 0, 0, 255).Should().BeTrue("after the transition: the blue video");
    }

    [Fact]
    public async Task Gain_zero_is_silent_and_gain_two_is_louder()
    {
        var clip = _media.ColourVideo("tone.mp4", "gray", 2, toneHz: 440);
        string Timeline(double gain) => $$"""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"{{clip}}","Effects":[{"Type":"Volume","Gain":{{gain}}}]}]}]}""";
        var muted = await LocalRender.RenderAsync(Timeline(0), _dir.Path, "muted.mp4");
        var normal = await LocalRender.RenderAsync(Timeline(1), _dir.Path, "normal.mp4");
        var louder = await LocalRender.RenderAsync(Timeline(2), _dir.Path, "louder.mp4");

        Inspect.MeanVolume(muted).Should().BeLessThan(-80, "Gain 0 mutes");
        var gainDb = Inspect.MeanVolume(louder) - Inspect.MeanVolume(normal);
        gainDb.Should().BeApproximately(6.0, 1.0, "Gain 2 doubles the amplitude (+6 dB)");
    }

    [Fact]
    public async Task A_subtitle_shows_exactly_on_the_frames_between_its_timeline_in_and_out()
    {
        var black = _media.ColourVideo("black.mp4", "black", 3);
        var json = $$"""
            {"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"{{black}}"}]}],
             "SubtitleTracks":[{"SubtitleTrackClips":[{"Type":"Text","Content":"HELLO 你好","TimelineIn":1,"TimelineOut":2,
               "Alignment":"CenterCenter","FontSize":48,"FontColor":"#FFFFFF"}]}]}
            """;
        var output = await LocalRender.RenderAsync(json, _dir.Path);

        // At 25 fps, TimelineIn 1 s is frame 25 and TimelineOut 2 s is frame 50 (the first frame without it).
        var frames = Inspect.AllFrames(output);
        double Brightness(int frame) { var m = Inspect.Mean(frames[frame], 0, 80, 320, 80); return m.R + m.G + m.B; }
        Brightness(24).Should().BeLessThan(3, "frame 24 is before TimelineIn");
        Brightness(25).Should().BeGreaterThan(15, "frame 25 is the first at TimelineIn");
        Brightness(49).Should().BeGreaterThan(15, "frame 49 is the last before TimelineOut");
        Brightness(50).Should().BeLessThan(3, "frame 50 is at TimelineOut");
    }

    /// <summary>The pixels of a frame region brighter than mid grey, as a set of (x, y).</summary>
    private static HashSet<(int X, int Y)> Lit((byte[] Rgb, int Width, int Height) frame, int x, int y, int w, int h)
    {
        var lit = new HashSet<(int, int)>();
        for (var yy = y; yy < y + h; yy++)
            for (var xx = x; xx < x + w; xx++)
            {
                var p = Inspect.Pixel(frame, xx, yy);
                if (p.R + p.G + p.B > 384) lit.Add((xx, yy));
            }
        return lit;
    }

    [Fact]
    public async Task Chinese_text_renders_as_its_own_glyphs_not_as_missing_glyph_boxes()
    {
        var black = _media.ColourVideo("black.mp4", "black", 2);
        string Text(string content, double from, double to) =>
            $$"""{"Type":"Text","Content":"{{content}}","TimelineIn":{{from}},"TimelineOut":{{to}},"Alignment":"CenterCenter","FontSize":80,"FontColor":"#FFFFFF"}""";
        var json = $$"""
            {"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"{{black}}"}]}],
             "SubtitleTracks":[{"SubtitleTrackClips":[{{Text("你好", 0, 1)}},{{Text("世界", 1, 2)}}]}]}
            """;
        var output = await LocalRender.RenderAsync(json, _dir.Path);

        var frames = Inspect.AllFrames(output);
        var hello = Lit(frames[12], 0, 40, 320, 160);
        var world = Lit(frames[37], 0, 40, 320, 160);
        hello.Count.Should().BeGreaterThan(300, "你好 is drawn");
        world.Count.Should().BeGreaterThan(300, "世界 is drawn");
        // Two strings of two characters each in one style: missing-glyph boxes would light the same pixels.
        var shared = hello.Intersect(world).Count();
        shared.Should().BeLessThan(Math.Min(hello.Count, world.Count) * 6 / 10, "different characters have different shapes");
    }

    [Fact]
    public async Task AutoWrap_keeps_text_within_TextWidth_on_several_lines()
    {
        var black = _media.ColourVideo("black.mp4", "black", 1);
        var json = $$"""
            {"Timeline":{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"{{black}}"}]}],
              "SubtitleTracks":[{"SubtitleTrackClips":[{"Type":"Text","Content":"WRAPPED WORDS MAKE SEVERAL LINES HERE","Alignment":"CenterCenter",
                "FontSize":28,"FontColor":"#FFFFFF","AdaptMode":"AutoWrap","TextWidth":0.5}]}]},
             "OutputMediaConfig":{"Width":320,"Height":240} }
            """;
        var output = await LocalRender.RenderAsync(json, _dir.Path);

        var lit = Lit(Inspect.FrameAt(output, 12), 0, 0, 320, 240);
        lit.Count.Should().BeGreaterThan(300, "the text is drawn");
        // TextWidth 0.5 of 320 px: the middle half, x 80..240 (a couple of pixels of antialiasing allowed).
        lit.Min(p => p.X).Should().BeGreaterThanOrEqualTo(78);
        lit.Max(p => p.X).Should().BeLessThanOrEqualTo(242);
        // Lines are bands of lit rows separated by unlit rows.
        var rows = lit.Select(p => p.Y).Distinct().Order().ToList();
        var bands = 1 + rows.Zip(rows.Skip(1)).Count(pair => pair.Second - pair.First > 2);
        bands.Should().BeGreaterThan(1, "the text is wrapped onto more than one line");
    }
}
