using FluentAssertions;
using RenderFarm.Core.Json;
using RenderFarm.Media.Ffmpeg;
using RenderFarm.Media.Rendering;
using RenderFarm.TestSupport;
using Xunit;

namespace RenderFarm.Media.Tests.Rendering;

/// <summary>
/// What a viewer sees of subtitle files, banner texts and the text style fields: two tiny renders (192x128,
/// 10 fps), each checking several things at their times and places.
/// </summary>
public sealed class TextStyleRenderTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly TestMedia _media;

    public TextStyleRenderTests() => _media = new TestMedia(_dir.Path);

    public void Dispose() => _dir.Dispose();

    private static int Count((byte[] Rgb, int Width, int Height) frame, int y0, int y1, Func<(int R, int G, int B), bool> which)
    {
        var n = 0;
        for (var y = y0; y < y1; y++)
            for (var x = 0; x < frame.Width; x++)
                if (which(Inspect.Pixel(frame, x, y))) n++;
        return n;
    }

    private static bool White((int R, int G, int B) p) => p.R > 200 && p.G > 200 && p.B > 200;
    private static bool Yellow((int R, int G, int B) p) => p.R > 170 && p.G > 170 && p.B < 90;
    private static bool Green((int R, int G, int B) p) => p.G > 150 && p.R < 110 && p.B < 110;
    private static bool Red((int R, int G, int B) p) => p.R > 150 && p.G < 90 && p.B < 90;
    private static bool Blue((int R, int G, int B) p) => p.B > 150 && p.R < 90 && p.G < 140;

    [Fact]
    public async Task Srt_and_ass_lines_show_at_their_times_and_a_banner_only_during_its_clip()
    {
        var grey = _media.ColourVideo("grey.mp4", "0x404040", 2, 192, 128, 10);
        File.WriteAllText(_dir.File("lines.srt"), "1\n00:00:00,000 --> 00:00:01,000\nONE\n\n2\n00:00:01,500 --> 00:00:02,500\nTWO\n");
        File.WriteAllText(_dir.File("own.ass"), """
            [Script Info]
            ScriptType: v4.00+
            PlayResX: 384
            PlayResY: 256

            [V4+ Styles]
            Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding
            Style: Own,DejaVu Sans,44,&H0000FFFF,&H0000FFFF,&H00000000,&H00000000,-1,0,0,0,100,100,0,0,1,0,0,2,0,0,10,1

            [Events]
            Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text
            Dialogue: 0,0:00:00.00,0:00:01.00,Own,,0,0,0,,ASS
            """);
        var json = $$$"""
            {"Timeline":{
              "VideoTracks":[{"VideoTrackClips":[{"MediaURL":"{{{grey}}}"},
                {"MediaURL":"{{{grey}}}","Effects":[{"Type":"Text","Content":"BAN","X":60,"Y":44,"FontSize":30,"FontColor":"#00FF00"}]}]}],
              "SubtitleTracks":[{"SubtitleTrackClips":[
                {"Type":"Subtitle","FileURL":"lines.srt","TimelineIn":0.5,"X":4,"Y":2,"FontSize":30},
                {"Type":"Subtitle","FileURL":"own.ass","TimelineIn":1}]}]},
             "OutputMediaConfig":{"Width":192,"Height":128,"Fps":10}}
            """;

        var frames = Inspect.AllFrames(await LocalRender.RenderAsync(json, _dir.Path));

        frames.Should().HaveCount(40);
        int Srt(double t) => Count(frames[(int)Math.Round(t * 10)], 0, 40, White);
        int Ass(double t) => Count(frames[(int)Math.Round(t * 10)], 88, 128, Yellow);
        int Banner(double t) => Count(frames[(int)Math.Round(t * 10)], 40, 88, Green);
        // SRT cues at [0,1) and [1.5,2.5) of the file, shifted by TimelineIn 0.5.
        new[] { Srt(0.4), Srt(0.5), Srt(1.4), Srt(1.5), Srt(1.9), Srt(2.0), Srt(2.9), Srt(3.0) }
            .Select(n => n > 30).Should().Equal(false, true, true, false, false, true, true, false);
        // The ASS event at [0,1) of its file, shifted by 1, drawn in its own yellow style at the bottom.
        new[] { Ass(0.9), Ass(1.0), Ass(1.9), Ass(2.0) }.Select(n => n > 30).Should().Equal(false, true, true, false);
        // The banner belongs to the second clip (2-4 s).
        new[] { Banner(1.9), Banner(2.0), Banner(3.9) }.Select(n => n > 30).Should().Equal(false, true, true);
    }

    [Fact]
    public async Task Style_fields_change_the_text_as_a_viewer_expects()
    {
        var grey = _media.ColourVideo("grey2.mp4", "0x404040", 2, 192, 128, 10);
        File.Copy("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", _dir.File("serif.ttf"));
        string Text(int slot, string fields, string content = "Hg") => $$"""
            {"Type":"Text","Content":"{{content}}","X":20,"Y":10,"FontSize":32,"TimelineIn":{{slot * 0.2:0.0}},"TimelineOut":{{slot * 0.2 + 0.2:0.0}}{{fields}}}
            """;
        var clips = string.Join(",",
            Text(0, ""),
            Text(1, ""","BorderStyle":3,"Outline":6,"OutlineColour":"#0000FF" """),
            Text(2, ""","SubtitleEffects":[{"Type":"Shadow","XShadow":6,"YShadow":6,"Color":"#FF0000"}]"""),
            Text(3, ""","SubtitleEffects":[{"Type":"Outline","Bord":4,"Color":"#00FF00"}]"""),
            Text(4, "", "Hg\\nHg"),
            Text(5, ""","LineSpacing":24""", "Hg\\nHg"),
            Text(6, ""","FontUrl":"serif.ttf" """),
            Text(7, ""","EffectColorStyle":"CS0001-000001" """),
            Text(8, ""","BubbleStyleId":"BS0001-000002" """));
        var json = $$$"""
            {"Timeline":{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"{{{grey}}}"}]}],"SubtitleTracks":[{"SubtitleTrackClips":[{{{clips}}}]}]},
             "OutputMediaConfig":{"Width":192,"Height":128,"Fps":10}}
            """;

        var prepared = await LocalRender.PrepareAsync(json, _dir.Path);
        prepared.Warnings.Should().BeEmpty();
        var output = _dir.File("styles.mp4");
        await new TimelineRenderer(new FfmpegRunner(), LocalRender.Encoder).RenderAsync(prepared, output, new RenderOptions(), null, CancellationToken.None);
        var frames = Inspect.AllFrames(output);
        (byte[] Rgb, int Width, int Height) Slot(int slot) => frames[slot * 2 + 1];
        int All(int slot, Func<(int R, int G, int B), bool> which) => Count(Slot(slot), 0, 128, which);

        All(0, White).Should().BeGreaterThan(80, "the plain text is drawn");
        All(0, p => Blue(p) || Red(p) || Green(p)).Should().Be(0);
        All(1, Blue).Should().BeGreaterThan(1500, "BorderStyle 3 puts the text on an opaque box in OutlineColour");
        All(2, Red).Should().BeGreaterThan(60, "the shadow is drawn in its colour");
        Centroid(Slot(2), Red).Should().BeGreaterThan(Centroid(Slot(0), White) + 3, "the shadow is offset down");
        All(3, Green).Should().BeGreaterThan(60, "the outline is drawn in its colour and width");
        Height(Slot(5)).Should().BeGreaterThan(Height(Slot(4)) + 15, "LineSpacing moves the second line down");
        Difference(Slot(0), Slot(6)).Should().BeGreaterThan(40, "the FontUrl font draws other glyphs than the default");
        All(7, Red).Should().BeGreaterThan(60, "CS0001-000001 outlines its white text in red");
        All(8, Blue).Should().BeGreaterThan(1000, "BS0001-000002 puts the text on a blue plate");
    }

    /// <summary>The mean row of the pixels of a colour.</summary>
    private static double Centroid((byte[] Rgb, int Width, int Height) frame, Func<(int R, int G, int B), bool> which)
    {
        var rows = new List<int>();
        for (var y = 0; y < frame.Height; y++)
            for (var x = 0; x < frame.Width; x++)
                if (which(Inspect.Pixel(frame, x, y))) rows.Add(y);
        return rows.Average();
    }

    /// <summary>From the first to the last row holding white text.</summary>
    private static int Height((byte[] Rgb, int Width, int Height) frame)
    {
        var rows = Enumerable.Range(0, frame.Height).Where(y => Enumerable.Range(0, frame.Width).Any(x => White(Inspect.Pixel(frame, x, y)))).ToList();
        return rows[^1] - rows[0];
    }

    /// <summary>Pixels that are white text in one frame and not in the other.</summary>
    private static int Difference((byte[] Rgb, int Width, int Height) a, (byte[] Rgb, int Width, int Height) b)
    {
        var n = 0;
        for (var y = 0; y < a.Height; y++)
            for (var x = 0; x < a.Width; x++)
                if (White(Inspect.Pixel(a, x, y)) != White(Inspect.Pixel(b, x, y))) n++;
        return n;
    }

    [Fact]
    public async Task A_bad_subtitle_file_or_font_is_a_one_line_error_naming_its_field()
    {
        var grey = _media.ColourVideo("grey3.mp4", "0x404040", 0.5, 64, 64, 10);
        File.WriteAllText(_dir.File("notes.txt"), "just some words, no cues");
        string Json(string clip) => $$$"""
            {"Timeline":{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"{{{grey}}}"}]}],"SubtitleTracks":[{"SubtitleTrackClips":[{{{clip}}}]}]}}
            """;

        async Task<string> Error(string clip) =>
            (await FluentActions.Awaiting(() => LocalRender.PrepareAsync(Json(clip), _dir.Path)).Should().ThrowAsync<RequestException>()).Which.Message;

        (await Error("""{"Type":"Subtitle","FileURL":"notes.txt"}""")).Should().StartWith(
            "Timeline.SubtitleTracks[0].SubtitleTrackClips[0].FileURL: not an SRT file with timed cues").And.NotContain("\n");
        (await Error("""{"Type":"Subtitle","FileURL":"missing.srt"}""")).Should().StartWith("Timeline.SubtitleTracks[0].SubtitleTrackClips[0].FileURL: ");
        (await Error("""{"Type":"Text","Content":"x","FontUrl":"notes.txt"}""")).Should().Be(
            "Timeline.SubtitleTracks[0].SubtitleTrackClips[0].FontUrl: not a TrueType/OpenType font (ttf, otf or ttc)");
    }
}
