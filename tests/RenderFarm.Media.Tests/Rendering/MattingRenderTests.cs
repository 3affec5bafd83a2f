using RenderFarm.Core.Json;
using FluentAssertions;
using RenderFarm.Core.Planning;
using RenderFarm.Core.Timelines;
using RenderFarm.Media.Compilation;
using RenderFarm.Media.Rendering;
using RenderFarm.TestSupport;
using Xunit;

namespace RenderFarm.Media.Tests.Rendering;

/// <summary>
/// AI_Matting (green/blue screen key with spill suppression) and AI_RealMatting (a person matte
/// applied to the clip) composited over the track below, checked pixel by pixel on real renders.
/// Tolerance: a pixel "shows" a colour when each channel is within 40 of it (x264 at CRF 18 and the
/// screen's noise stay well inside that).
/// </summary>
public sealed class MattingRenderTests : IDisposable
{
    private static readonly (int, int, int) Yellow = (255, 255, 0);
    private static readonly (int, int, int) Red = (255, 0, 0);
    private static readonly (int, int, int) White = (255, 255, 255);
    private static readonly (int, int, int) Blue = (0, 0, 255);

    private readonly TempDir _dir = new();
    private readonly TestMedia _media;

    public MattingRenderTests() => _media = new TestMedia(_dir.Path);

    public void Dispose() => _dir.Dispose();

    /// <summary>A yellow lower track and the screen clip keyed above it, 320x240, 2 s.</summary>
    private string KeyedOverYellow(ScreenClip clip, string effect)
    {
        var lower = _media.ColourVideo("lower.mp4", "yellow", 2);
        return $$"""
            {"Timeline":{"VideoTracks":[
                {"VideoTrackClips":[{"MediaURL":"{{lower}}"}]},
                {"VideoTrackClips":[{"MediaURL":"{{clip.Path}}","Effects":[{{effect}}]}]}]},
             "OutputMediaConfig":{"Width":320,"Height":240,"Fps":25} }
            """;
    }

    [Fact]
    public async Task A_green_screen_shows_the_lower_track_and_its_foreground_keeps_its_colours()
    {
        var clip = ScreenClip.Write(_dir.File("green.mp4"), (0x00, 0xB1, 0x40), [Red, White, Blue]);
        var output = await LocalRender.RenderAsync(KeyedOverYellow(clip, """{"Type":"AI_Matting","Color":"green","Thres":10}"""), _dir.Path);

        foreach (var index in new[] { 5, 40 })
        {
            var (screen, foreground) = clip.Score(Inspect.FrameAt(output, index), Yellow);
            screen.Should().BeGreaterThan(0.99, $"the green screen is keyed out in frame {index}");
            foreground.Should().BeGreaterThan(0.99, $"red, white and blue stay as they are in frame {index}");
        }
    }

    [Fact]
    public async Task Green_spill_on_the_foreground_is_suppressed_and_stays_opaque()
    {
        var clip = ScreenClip.Write(_dir.File("green.mp4"), (0x00, 0xB1, 0x40), [Red, White, Blue]);
        var output = await LocalRender.RenderAsync(KeyedOverYellow(clip, """{"Type":"AI_Matting","Color":"green"}"""), _dir.Path);

        var band = SpillBand(clip.Boxes[1].Box);
        var source = Inspect.FrameAt(clip.Path, 10);
        var keyed = Inspect.FrameAt(output, 10);
        GreenExcess(source, band).Should().BeGreaterThan(15, "the white box's edge band carries green from the screen");
        GreenExcess(keyed, band).Should().BeLessThan(5, "despill cuts green back to the mean of red and blue");
        band.Count(p => ScreenClip.Near(Inspect.Pixel(keyed, p.X, p.Y), Yellow, 40)).Should().Be(0, "spilled foreground is not keyed out");
    }

    /// <summary>
    /// The spill band's inner half: its pixels share their 4:2:0 chroma only with band pixels (boxes
    /// start on even pixels), so what is measured is the band, not the edge beside it.
    /// </summary>
    private static List<(int X, int Y)> SpillBand(PixelBox b)
    {
        var inset = ScreenClip.SpillBand / 2;
        var points = new List<(int, int)>();
        for (var x = b.X + 4; x < b.X + b.Width - 4; x++) points.AddRange([(x, b.Y + inset), (x, b.Y + b.Height - 1 - inset)]);
        for (var y = b.Y + 4; y < b.Y + b.Height - 4; y++) points.AddRange([(b.X + inset, y), (b.X + b.Width - 1 - inset, y)]);
        return points;
    }

    /// <summary>Mean of G - (R + B) / 2 over the points: how much greener than neutral they are.</summary>
    private static double GreenExcess((byte[] Rgb, int Width, int Height) frame, List<(int X, int Y)> points) =>
        points.Average(p => { var c = Inspect.Pixel(frame, p.X, p.Y); return c.G - (c.R + c.B) / 2.0; });

    [Fact]
    public async Task A_blue_screen_is_keyed_with_Color_blue()
    {
        var clip = ScreenClip.Write(_dir.File("blue.mp4"), (0x00, 0x47, 0xBB), [Red, White, (0, 200, 0)]);
        var output = await LocalRender.RenderAsync(KeyedOverYellow(clip, """{"Type":"AI_Matting","Color":"blue","Thres":10}"""), _dir.Path);

        var (screen, foreground) = clip.Score(Inspect.FrameAt(output, 25), Yellow);
        screen.Should().BeGreaterThan(0.99);
        foreground.Should().BeGreaterThan(0.99);
    }

    [Fact]
    public async Task An_explicit_key_colour_is_keyed()
    {
        var clip = ScreenClip.Write(_dir.File("magenta.mp4"), (200, 40, 200), [White, (0, 200, 0), (0, 0, 0)]);
        var output = await LocalRender.RenderAsync(KeyedOverYellow(clip, """{"Type":"AI_Matting","Color":"#C828C8","Thres":12}"""), _dir.Path);

        var (screen, foreground) = clip.Score(Inspect.FrameAt(output, 25), Yellow);
        screen.Should().BeGreaterThan(0.99);
        foreground.Should().BeGreaterThan(0.99);
    }

    [Fact]
    public async Task Auto_estimates_an_off_shade_screen_from_the_border_and_keys_it()
    {
        // A yellowish lime: about 0.16 from the nominal green in chroma, beyond what Thres 10 removes.
        (int R, int G, int B) lime = (120, 220, 40);
        var clip = ScreenClip.Write(_dir.File("lime.mp4"), lime, [Red, White, Blue]);
        var auto = KeyedOverYellow(clip, """{"Type":"AI_Matting","Color":"green","Auto":1,"Thres":10}""");

        var prepared = await LocalRender.PrepareAsync(auto, _dir.Path);
        var estimated = prepared.Assets.KeyColours.Should().ContainSingle().Which.Value;
        ScreenClip.Near((estimated.R, estimated.G, estimated.B), lime, 10).Should().BeTrue($"#{estimated.Hex} is the screen's colour");

        var keyed = await LocalRender.RenderAsync(auto, _dir.Path, "auto.mp4");
        var (screen, foreground) = clip.Score(Inspect.FrameAt(keyed, 25), Yellow);
        screen.Should().BeGreaterThan(0.99);
        foreground.Should().BeGreaterThan(0.99);

        var nominal = await LocalRender.RenderAsync(KeyedOverYellow(clip, """{"Type":"AI_Matting","Color":"green","Auto":0,"Thres":10}"""), _dir.Path, "nominal.mp4");
        clip.Score(Inspect.FrameAt(nominal, 25), Yellow).ScreenShowsLower.Should().BeLessThan(0.05, "without Auto the nominal green misses this screen");
    }

    [Fact]
    public async Task Auto_keeps_the_given_colour_and_warns_when_the_border_has_none_of_its_kind()
    {
        var red = _media.ColourVideo("red.mp4", "red", 1);
        var json = $$"""
            {"Timeline":{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"{{red}}","Effects":[{"Type":"AI_Matting","Color":"green","Auto":true}]}]}]},
             "OutputMediaConfig":{"Width":320,"Height":240,"Fps":25} }
            """;
        var prepared = await LocalRender.PrepareAsync(json, _dir.Path);

        prepared.Assets.KeyColours.Values.Should().Equal(ChromaKey.Green);
        prepared.Warnings.Should().ContainSingle(w => w.Path == "Timeline.VideoTracks[0].VideoTrackClips[0].Effects[0].Auto")
            .Which.Message.Should().Contain("#00B140");
    }

    /// <summary>
    /// A blue lower track for 2 s and, from 0.4 s (frame 10), <paramref name="clip"/> with AI_RealMatting
    /// entered at In 0.5: the matte's frame n must apply to the clip's frame n, not to timeline frame n.
    /// </summary>
    private string MattedOverBlue(string clip, string clipFields = "\"In\":0.5,\"Out\":1.7", string thres = "")
    {
        var lower = _media.ColourVideo("lower.mp4", "blue", 2);
        return $$"""
            {"Timeline":{"VideoTracks":[
                {"VideoTrackClips":[{"MediaURL":"{{lower}}"}]},
                {"VideoTrackClips":[{"MediaURL":"{{clip}}","TimelineIn":0.4,{{clipFields}},"Effects":[{"Type":"AI_RealMatting"{{thres}}}]}]}]},
             "OutputMediaConfig":{"Width":320,"Height":240,"Fps":25} }
            """;
    }

    /// <summary>30 frames of a disc of radius 40 (source pixels) moving 4 px right per frame from x = 60, at half the source size.</summary>
    private string Disc(int background = 0) => Mattes.MovingDisc(_dir.File($"matte-{background}.mp4"), 30, 160, 120, 30, 60, 20, 2, background);

    private static (int X, int Y) DiscCentre(int clipFrame) => (60 + 4 * clipFrame, 120);

    /// <summary>Shares of pixels inside the disc (radius 34) showing <paramref name="inside"/> and outside it (radius 46 and more) showing <paramref name="outside"/>.</summary>
    private static (double Inside, double Outside) DiscScore((byte[] Rgb, int Width, int Height) frame, (int X, int Y) centre,
        (int, int, int) inside, (int, int, int) outside)
    {
        int inCount = 0, inOk = 0, outCount = 0, outOk = 0;
        for (var y = 0; y < frame.Height; y++)
            for (var x = 0; x < frame.Width; x++)
            {
                var d = Math.Sqrt((x - centre.X) * (x - centre.X) + (y - centre.Y) * (y - centre.Y));
                var p = Inspect.Pixel(frame, x, y);
                if (d <= 34) { inCount++; if (ScreenClip.Near(p, inside, 40)) inOk++; }
                else if (d >= 46) { outCount++; if (ScreenClip.Near(p, outside, 40)) outOk++; }
            }
        return ((double)inOk / inCount, (double)outOk / outCount);
    }

    [Fact]
    public async Task A_person_matte_shows_the_clip_inside_and_the_lower_track_outside_frame_by_frame()
    {
        var red = _media.ColourVideo("red.mp4", "red", 2);
        var matte = Disc();
        var output = await Mattes.RenderAsync(MattedOverBlue(red), _dir.Path, _ => matte);

        Inspect.Probe(output).VideoFrames.Should().Be(50);
        Inspect.Mean(Inspect.FrameAt(output, 5), 0, 0, 320, 240).B.Should().BeGreaterThan(250, "before the clip starts only the blue track shows");
        foreach (var clipFrame in new[] { 0, 13, 29 })
        {
            var (inside, outside) = DiscScore(Inspect.FrameAt(output, 10 + clipFrame), DiscCentre(clipFrame), Red, Blue);
            inside.Should().BeGreaterThan(0.99, $"the clip shows inside the disc of its frame {clipFrame}");
            outside.Should().BeGreaterThan(0.99, $"the blue track shows outside the disc of clip frame {clipFrame}");
        }
    }

    [Fact]
    public async Task A_person_matte_on_an_image_clip_follows_the_matte_frame_by_frame()
    {
        var image = _media.ColourImage("red.png", "red", 320, 240);
        var matte = Disc();
        var output = await Mattes.RenderAsync(MattedOverBlue(image, "\"Type\":\"Image\",\"Duration\":1.2"), _dir.Path, _ => matte);

        foreach (var clipFrame in new[] { 0, 20 })
        {
            var (inside, outside) = DiscScore(Inspect.FrameAt(output, 10 + clipFrame), DiscCentre(clipFrame), Red, Blue);
            inside.Should().BeGreaterThan(0.99);
            outside.Should().BeGreaterThan(0.99);
        }
    }

    [Fact]
    public async Task Thres_turns_matte_values_up_to_it_into_background()
    {
        var red = _media.ColourVideo("red.mp4", "red", 2);
        var matte = Disc(background: 60);

        var loose = await Mattes.RenderAsync(MattedOverBlue(red), _dir.Path, _ => matte, "loose.mp4");
        var strict = await Mattes.RenderAsync(MattedOverBlue(red, thres: ",\"Thres\":80"), _dir.Path, _ => matte, "strict.mp4");

        Inspect.Mean(Inspect.FrameAt(loose, 20), 280, 10, 30, 30).R.Should().BeInRange(40, 80, "a matte value of 60 lets about a quarter of the clip through");
        Inspect.Mean(Inspect.FrameAt(strict, 20), 280, 10, 30, 30).R.Should().BeLessThan(10, "Thres 80 makes a matte value of 60 background");
        DiscScore(Inspect.FrameAt(strict, 20), DiscCentre(10), Red, Blue).Inside.Should().BeGreaterThan(0.99, "the person stays opaque");
    }

    [Fact]
    public async Task Segmented_renders_of_matted_and_keyed_clips_equal_the_single_pass()
    {
        var pattern = _media.PatternVideo("pattern.mp4", 3, 320, 240, fps: 30);
        var matte = Disc();
        var screen = ScreenClip.Write(_dir.File("green.mp4"), (0x00, 0xB1, 0x40), [Red, White, Blue], 160, 120);
        var lower = _media.ColourVideo("lower.mp4", "blue", 2);
        var json = $$"""
            {"Timeline":{"VideoTracks":[
                {"VideoTrackClips":[{"MediaURL":"{{lower}}"}]},
                {"VideoTrackClips":[{"MediaURL":"{{pattern}}","TimelineIn":0.4,"In":0.5,"Out":1.7,"Effects":[{"Type":"AI_RealMatting","Thres":8}]}]},
                {"VideoTrackClips":[{"MediaURL":"{{screen.Path}}","X":0.5,"Y":0.5,"Width":0.5,"Height":0.5,"Effects":[{"Type":"AI_Matting","Auto":1}]}]}]},
             "OutputMediaConfig":{"Width":320,"Height":240,"Fps":25} }
            """;
        var single = await Mattes.RenderAsync(json, _dir.Path, _ => matte, "single.mp4");
        var segmented = await Mattes.RenderAsync(json, _dir.Path, _ => matte, "segmented.mp4", new RenderOptions(SegmentSeconds: 0.5, Parallelism: 2));

        var one = Inspect.AllFrames(single);
        var many = Inspect.AllFrames(segmented);
        one.Should().HaveCount(50);
        many.Should().HaveCount(50);
        for (var frame = 0; frame < 50; frame++)
            Inspect.Psnr(one[frame], many[frame]).Should().BeGreaterThan(35, $"frame {frame} shows the same matte frame and key");
        DiscScore(one[10 + 20], DiscCentre(20), (0, 0, 0), Blue).Outside.Should().BeGreaterThan(0.7, "the pattern is matted (outside the disc and the keyed quarter: blue)");
    }

    [Fact]
    public async Task An_AI_RealMatting_clip_without_a_matte_is_a_clear_error()
    {
        var red = _media.ColourVideo("red.mp4", "red", 2);
        var noEngine = () => LocalRender.PrepareAsync(MattedOverBlue(red), _dir.Path);
        (await noEngine.Should().ThrowAsync<RequestException>()).Which.Message.Should().Be(
            "Timeline.VideoTracks[1].VideoTrackClips[0].Effects[0].Type: person matting (AI_RealMatting) is not available on this node");

        var prepared = await Mattes.WithMattesAsync(MattedOverBlue(red), _dir.Path, _ => Disc());
        var withoutMatte = prepared with { Assets = prepared.Assets with { MattePaths = new Dictionary<string, string>() } };
        var compile = () => new TimelineCompiler(withoutMatte.Schedule, withoutMatte.LocalPaths, LocalRender.Encoder, withoutMatte.Assets)
            .SinglePass(_dir.File("out.mp4"), _dir.File("graph.txt"), null);

        compile.Should().Throw<InvalidOperationException>().WithMessage(
            "Timeline.VideoTracks[1].VideoTrackClips[0].Effects[0]: AI_RealMatting needs a person matte*");
    }

    [Fact]
    public async Task The_matte_engine_is_asked_for_exactly_the_frames_the_clip_shows()
    {
        var red = _media.ColourVideo("red.mp4", "red", 2);
        var requests = new List<RenderFarm.Media.Ai.MatteRequest>();
        await Mattes.WithMattesAsync(MattedOverBlue(red), _dir.Path, request => { requests.Add(request); return Disc(); });

        var request = requests.Should().ContainSingle().Subject;
        (request.SourceStart, request.Speed, request.Fps, request.Frames, request.SourceWidth, request.SourceHeight).Should().Be((0.5, 1.0, 25, 30L, 320, 240), "In 0.5 to Out 1.7 is 30 frames at 25 fps");
        request.SourcePath.Should().Be(red);
    }
}
