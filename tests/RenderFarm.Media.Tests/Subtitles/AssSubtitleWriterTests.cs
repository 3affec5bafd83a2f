using System.Diagnostics;
using System.Text.RegularExpressions;
using FluentAssertions;
using RenderFarm.Core.Planning;
using RenderFarm.Core.Timelines;
using RenderFarm.Media.Subtitles;
using Xunit;

namespace RenderFarm.Media.Tests.Subtitles;

public sealed class AssSubtitleWriterTests
{
    private static readonly OutputFormat Portrait = new(1080, 1920, 30);
    private static readonly Rgba White = new(255, 255, 255);
    private static readonly Rgba Black = new(0, 0, 0);

    private static readonly TextStyle Plain = new(
        "SimSun", 40, White, 0, Black, 0, Black, TextAlignment.TopLeft, new Extent(0), new Extent(0),
        TextFit.None, null, false, false, false, 0, 0, null);

    // --- colours, times, text ---

    [Fact]
    public void Colours_are_AABBGGRR_with_the_alpha_inverted()
    {
        Rgba.TryParse("#990000", out var red).Should().BeTrue();
        AssFormat.Colour(red).Should().Be("&H00000099");
        AssFormat.Colour(red.WithAlpha(0.5)).Should().BeOneOf("&H7F000099", "&H80000099");
        AssFormat.Colour(new Rgba(0x12, 0x34, 0x56, 0)).Should().Be("&HFF563412");
    }

    [Fact]
    public void The_style_carries_font_colour_opacity()
    {
        var script = Write(Segment("x", Plain with { FontColour = new Rgba(0x99, 0, 0, 0.5) }));

        StyleLines(script).Single().Should().StartWith("Style: S1,Noto Sans CJK SC,40,&H80000099,");
    }

    [Theory]
    [InlineData(0, "0:00:00.00")]
    [InlineData(5999, "0:00:59.99")]
    [InlineData(361_234, "1:00:12.34")]
    public void Times_are_written_as_h_mm_ss_cc(long centiseconds, string expected) =>
        AssTime.Format(centiseconds).Should().Be(expected);

    [Fact]
    public void Event_bounds_fall_half_a_frame_before_the_first_frame_inside_and_outside()
    {
        AssTime.Span(0.5, 1.5, 30).Should().Be((48L, 148L));
        AssTime.Span(0.5, 1.5, 25).Should().Be((50L, 150L));
        AssTime.Span(0, 1, 25).Should().Be((0L, 98L));
        AssTime.Span(0.1, 0.2, 30).Should().Be((8L, 18L));
        AssTime.Span(0.51, 0.52, 30).Should().BeNull("no frame lies in [0.51, 0.52)");
    }

    [Theory]
    [InlineData(24)]
    [InlineData(25)]
    [InlineData(30)]
    [InlineData(50)]
    [InlineData(60)]
    public void Libass_shows_the_event_exactly_on_the_frames_between_start_and_end(int fps)
    {
        var random = new Random(fps);
        for (var i = 0; i < 500; i++)
        {
            // IMS times have 4 decimals.
            var start = random.Next(0, 40_000) / 10_000m;
            var end = start + random.Next(1, 40_000) / 10_000m;
            var span = AssTime.Span((double)start, (double)end, fps);
            for (long frame = 0; frame <= 8 * fps; frame++)
            {
                var expected = frame >= start * fps && frame < end * fps;
                // vf_subtitles passes pts * time_base * 1000 to libass, which takes whole milliseconds.
                var now = (long)(frame * (1.0 / fps) * 1000);
                var shown = span is var (s, e) && s * 10 <= now && now < e * 10;
                shown.Should().Be(expected, $"frame {frame} at {fps} fps for [{start}, {end})");
            }
        }
    }

    [Fact]
    public void User_braces_and_backslashes_cannot_inject_override_tags()
    {
        var text = UserText(Write(Segment(@"{\b1}bold\h{\pos(0,0)}")));

        text.Should().Be("\\{\\\u2060b1\\}bold\\\u2060h\\{\\\u2060pos(0,0)\\}");
        text.Replace(@"\{", "").Should().NotContain("{");
    }

    [Fact]
    public void Every_IMS_newline_form_becomes_an_ASS_hard_break()
    {
        UserText(Write(Segment("one\\ntwo\\Nthree\nfour\r\nfive"))).Should().Be(@"one\Ntwo\Nthree\Nfour\Nfive");
    }

    [Fact]
    public void Control_characters_cannot_end_the_event_line()
    {
        UserText(Write(Segment("a\tb\u0085c\0d"))).Should().Be("a b c d");
    }

    [Fact]
    public void Chinese_text_is_kept_as_is()
    {
        var script = Write(Segment("你好，世界！字幕"));

        UserText(script).Should().Be("你好，世界！字幕");
    }

    // --- fonts and box ---

    [Theory]
    [InlineData("AlibabaPuHuiTi", "Noto Sans CJK SC")]
    [InlineData("SimSun", "Noto Sans CJK SC")]
    [InlineData("Noto Serif CJK SC", "Noto Serif CJK SC")]
    [InlineData("dejavu sans", "DejaVu Sans")]
    [InlineData("Evil,Font", "Noto Sans CJK SC")]
    public void Fonts_that_are_not_installed_render_in_the_default(string imsFont, string expected) =>
        AssStyles.FontName(imsFont).Should().Be(expected);

    [Fact]
    public void Identical_looks_share_one_style()
    {
        var bold = Plain with { Bold = true };
        var script = Write(Segment("a"), Segment("b", bold), Segment("c"));

        StyleLines(script).Should().HaveCount(2);
        Dialogues(script).Select(d => Fields(d)[3]).Should().Equal("S1", "S2", "S1");
        StyleLines(script)[1].Split(',')[7].Should().Be("-1", "Bold is -1 in ASS");
    }

    [Fact]
    public void A_box_is_one_BackColour_box_padded_by_XBord_and_YBord()
    {
        var boxed = Plain with { Outline = 2, Shadow = 3, Box = new TextBox(new Rgba(0x11, 0x22, 0x33, 0.5), 12, 6) };
        var script = Write(Segment("boxed", boxed));

        var style = StyleLines(script).Single().Split(',');
        style[6].Should().Be("&H80332211", "BackColour fills the box");
        style[15].Should().Be("4", "libass BorderStyle 4 boxes the whole text");
        style[16].Should().Be("2", "the text keeps its outline");
        style[17].Should().Be("0", "the shadow offsets pad the box instead");
        Dialogues(script).Single().Should().Contain(@"\xshad12\yshad6");
    }

    // --- placement and fitting ---

    [Theory]
    [InlineData(TextAlignment.TopLeft, 0.1, 0.05, @"\an7", @"\pos(108,96)")]
    [InlineData(TextAlignment.TopCenter, 20, 100, @"\an8", @"\pos(560,100)")]
    [InlineData(TextAlignment.TopRight, 0.05, 0, @"\an9", @"\pos(1026,0)")]
    [InlineData(TextAlignment.CenterLeft, 30, 0.1, @"\an4", @"\pos(30,1152)")]
    [InlineData(TextAlignment.CenterCenter, 0, 0, @"\an5", @"\pos(540,960)")]
    [InlineData(TextAlignment.CenterRight, 50, 0, @"\an6", @"\pos(1030,960)")]
    [InlineData(TextAlignment.BottomLeft, 0, 0.1, @"\an1", @"\pos(0,1728)")]
    [InlineData(TextAlignment.BottomCenter, 0, 0.1, @"\an2", @"\pos(540,1728)")]
    [InlineData(TextAlignment.BottomRight, 0.05, 100, @"\an3", @"\pos(1026,1820)")]
    public void Alignment_picks_the_anchor_and_X_Y_are_margins_from_its_edges(
        TextAlignment alignment, double x, double y, string an, string pos)
    {
        var style = Plain with { Alignment = alignment, X = new Extent(x), Y = new Extent(y) };

        Dialogues(Write(Segment("text", style))).Single().Should().Contain("{" + an + @"\q2" + pos + "}");
    }

    [Theory]
    [InlineData(0.8, 0, 108, 108)]
    [InlineData(600.0, 0, 240, 240)]
    [InlineData(null, 0.1, 108, 108)]
    [InlineData(null, 45, 45, 45)]
    public void AutoWrap_margins_make_the_wrap_width_TextWidth(double? textWidth, double x, int left, int right)
    {
        var style = Plain with { Fit = TextFit.AutoWrap, TextWidth = textWidth, X = new Extent(x) };

        var fields = Fields(Dialogues(Write(Segment("wrapping text", style))).Single());
        (fields[5], fields[6]).Should().Be((left.ToString(), right.ToString()));
        fields[9].Should().NotContain(@"\q2");
    }

    [Fact]
    public void Texts_that_do_not_wrap_opt_out_of_libass_wrapping()
    {
        var fields = Fields(Dialogues(Write(Segment("a long line that must stay one line"))).Single());

        (fields[5], fields[6]).Should().Be(("0", "0"));
        fields[9].Should().Contain(@"\q2");
    }

    [Fact]
    public void AutoWrap_breaks_CJK_text_between_characters_which_libass_cannot()
    {
        var style = Plain with { Fit = TextFit.AutoWrap, FontSize = 100, TextWidth = 500 };

        UserText(Write(Segment("一二三四五六七八九十", style))).Should().Be(@"一二三四五\N六七八九十");
        UserText(Write(Segment("一二三四五。六七", style))).Should().Be(@"一二三四五。\N六七", "。 may not start a line");
    }

    [Fact]
    public void AutoWrap_breaks_Latin_text_at_spaces()
    {
        // 0.6 em per Latin character: 30 px at size 50, so 10 characters per 300 px line.
        var style = Plain with { Fit = TextFit.AutoWrap, FontSize = 50, TextWidth = 300 };

        UserText(Write(Segment("aaaa bbbb cccc", style))).Should().Be(@"aaaa bbbb\Ncccc");
        UserText(Write(Segment("averyveryverylongword x", style))).Should().Be(@"averyveryverylongword\Nx");
    }

    [Fact]
    public void AutoScale_shrinks_the_font_until_the_longest_line_fits()
    {
        var style = Plain with { Fit = TextFit.AutoScale, FontSize = 100, TextWidth = 300 };

        // Ten capitals are estimated at 0.62 em each: 6.2 em must fit 300 px, so 300 / 6.2 = 48.39.
        var text = Fields(Dialogues(Write(Segment("ABCDEFGHKL\\nshort", style))).Single())[9];
        text.Should().Contain(@"\q2\fs48.39");
        Fields(Dialogues(Write(Segment("ABC", style))).Single())[9].Should().NotContain(@"\fs");
    }

    // --- motion ---

    public static TheoryData<string> InNames => new(TextMotionCatalog.InNames);
    public static TheoryData<string> OutNames => new(TextMotionCatalog.OutNames);

    [Theory]
    [MemberData(nameof(InNames))]
    public void Every_entry_motion_is_animated(string name)
    {
        var tags = OverrideBlock(Write(Segment("motion", Plain, new TextMotion(name, 0.5, null, 0))));

        tags.Should().MatchRegex(@"\\t\(0,\d+,|\\move\([^)]*,0,\d+\)");
    }

    [Theory]
    [MemberData(nameof(OutNames))]
    public void Every_exit_motion_is_animated_over_the_last_seconds(string name)
    {
        // [1, 3) at 30 fps is written 0:00:00.98 to 0:00:02.98: 2000 ms.
        var tags = OverrideBlock(Write(Segment("motion", Plain, new TextMotion(null, 0, name, 0.5))));

        tags.Should().MatchRegex(@"\\t\(1500,2000,|\\move\([^)]*,1500,2000\)");
    }

    [Fact]
    public void A_motion_outside_the_catalog_is_refused()
    {
        var act = () => Write(Segment("x", Plain, new TextMotion("spin_in", 0.5, null, 0)));

        act.Should().Throw<NotSupportedException>().WithMessage("*spin_in*");
    }

    [Fact]
    public void Fades_animate_the_alphas_to_and_from_the_style_opacity()
    {
        var translucent = Plain with { FontColour = White.WithAlpha(0.5) };
        var tags = OverrideBlock(Write(Segment("x", translucent, new TextMotion("fade_in", 0.5, "fade_out", 0.25))));

        tags.Should().Be(@"\an7\q2\pos(0,0)\1a&HFF&\3a&HFF&\4a&HFF&\t(0,500,\1a&H80&\3a&H00&\4a&H00&)"
            + @"\t(1750,2000,\1a&HFF&\3a&HFF&\4a&HFF&)");
    }

    [Fact]
    public void Entry_and_exit_moves_go_to_two_back_to_back_events()
    {
        var style = Plain with { Alignment = TextAlignment.BottomCenter, Y = new Extent(100) };
        var script = Write(Segment("x", style, new TextMotion("scroll_left_in", 0.5, "slide_down_out", 0.5)));

        var events = Dialogues(script).Select(Fields).ToList();
        events.Select(e => (e[1], e[2])).Should().Equal(("0:00:00.98", "0:00:01.48"), ("0:00:01.48", "0:00:02.98"));
        events[0][9].Should().Contain(@"\move(1620,1820,540,1820,0,500)");
        events[1][9].Should().Contain(@"\move(540,1820,540,3740,1000,1500)");
    }

    [Fact]
    public void Motions_longer_than_the_event_are_shortened_in_proportion()
    {
        var tags = OverrideBlock(Write(Segment("x", Plain, new TextMotion("zoom_in", 3, "zoom_out", 1), start: 1, end: 3)));

        tags.Should().Contain(@"\t(0,1500,\fscx100\fscy100)").And.Contain(@"\t(1500,2000,\fscx0\fscy0)");
    }

    [Theory]
    [InlineData(1.0, 2, 1000)]
    [InlineData(2.0, 4, 500)]
    public void A_loop_repeats_its_period_over_the_whole_event_at_the_Ratio_pace(double ratio, int beats, int periodMs)
    {
        // [1, 3) at 30 fps is 2000 ms; a heartbeat's strong beat peaks at 15 % of its period.
        var tags = OverrideBlock(Write(Segment("x", Plain, TextMotion.None with { Loop = "heartbeat_display", LoopSpeed = ratio })));

        var peaks = Regex.Matches(tags, @"\\t\((\d+),(\d+),\\fscx120\\fscy120\)").Select(m => (int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value)));
        peaks.Should().Equal(Enumerable.Range(0, beats).Select(i => (i * periodMs, i * periodMs + periodMs * 15 / 100)));
        tags.Should().StartWith(@"\an7\q2\pos(0,0)\t(0,");
    }

    [Fact]
    public void Entry_loop_and_exit_play_one_after_another()
    {
        var motion = new TextMotion("fade_in", 0.5, "fade_out", 0.5) { Loop = "rainbrush_display" };
        var events = Dialogues(Write(Segment("x", Plain, motion))).Select(Fields).ToList();

        events.Select(e => (e[1], e[2])).Should().Equal(("0:00:00.98", "0:00:01.48"), ("0:00:01.48", "0:00:02.48"), ("0:00:02.48", "0:00:02.98"));
        events[0][9].Should().Contain(@"\t(0,500,").And.NotContain(@"\frz");
        // A 1200 ms wiper swing cut at 1000 ms goes back to rest there, where the exit starts from.
        events[1][9].Should().Contain(@"\t(0,300,\frz15)\t(300,900,\frz-15)\t(900,1000,\frz0)");
        events[2][9].Should().Contain(@"\t(0,500,\1a&HFF&\3a&HFF&\4a&HFF&)").And.NotContain(@"\frz");
    }

    [Fact]
    public void A_long_loop_is_cut_into_events_of_whole_periods()
    {
        var events = Dialogues(Write(Segment("x", Plain, TextMotion.None with { Loop = "heartbeat_display" }, start: 1, end: 41)))
            .Select(Fields).ToList();

        events.Select(e => (e[1], e[2])).Should().Equal(("0:00:00.98", "0:00:16.98"), ("0:00:16.98", "0:00:32.98"), ("0:00:32.98", "0:00:40.98"));
        events.Select(e => Regex.Matches(e[9], @"\\fscx120").Count).Should().Equal(AssMotion.PeriodsPerEvent, AssMotion.PeriodsPerEvent, 8);
        events.Should().AllSatisfy(e => e[9].Should().Contain(@"\pos(0,0)\t(0,150,\fscx120\fscy120)"));
    }

    [Fact]
    public void The_normal_display_loop_draws_the_text_still()
    {
        OverrideBlock(Write(Segment("x", Plain, TextMotion.None with { Loop = "normal_display" })))
            .Should().Be(OverrideBlock(Write(Segment("x", Plain))));
    }

    // --- document shape ---

    [Fact]
    public void The_script_has_the_header_and_well_formed_styles_and_events()
    {
        var script = Write(
            Segment("commas, in, text", Plain with { Fit = TextFit.AutoWrap }),
            Segment("moving", Plain, new TextMotion("slingshot_in", 0.5, "scroll_right_out", 0.5)),
            Segment("never shown", Plain, start: 0.51, end: 0.52));

        var lines = script.Split('\n');
        lines.Should().StartWith(["[Script Info]", "ScriptType: v4.00+", "PlayResX: 1080", "PlayResY: 1920", "WrapStyle: 0",
            "ScaledBorderAndShadow: yes", "YCbCr Matrix: None"]);
        var styleFormat = FormatFields(lines, "[V4+ Styles]");
        styleFormat.Should().HaveCount(23).And.StartWith(["Name", "Fontname"]);
        StyleLines(script).Should().AllSatisfy(s => s["Style: ".Length..].Split(',').Should().HaveCount(styleFormat.Length));
        var eventFormat = FormatFields(lines, "[Events]");
        eventFormat.Should().Equal("Layer", "Start", "End", "Style", "Name", "MarginL", "MarginR", "MarginV", "Effect", "Text");
        var events = Dialogues(script).Select(d => d["Dialogue: ".Length..].Split(',', eventFormat.Length)).ToList();
        events.Should().HaveCount(3, "the moving text takes two events, the sub-frame one none");
        events.Should().AllSatisfy(e => e.Should().HaveCount(eventFormat.Length));
        events[0][9].Should().EndWith("}commas, in, text");
    }

    // --- rendering ---

    [Fact]
    public async Task Libass_burns_the_text_in_only_from_TimelineIn_to_TimelineOut()
    {
        var output = new OutputFormat(320, 240, 30);
        var style = Plain with { FontSize = 60, Alignment = TextAlignment.CenterCenter };
        var script = AssSubtitleWriter.Write([new TextSegment(Clip("HELLO", style, TextMotion.None, 0.5, 1.5), 0.5, 1.5)], output);
        var path = Path.Combine(Path.GetTempPath(), $"rf-ass-{Guid.NewGuid():N}.ass");
        // The path goes into the filter graph as it is; until the project's FilterGraph escaping exists it must be plain.
        path.Should().MatchRegex("^[A-Za-z0-9/._-]+$");
        await File.WriteAllTextAsync(path, script, TestContext.Current.CancellationToken);
        try
        {
            const int seconds = 2;
            var frames = await RenderFrames(path, output, seconds);

            frames.Should().HaveCount(seconds * output.Fps).And.AllSatisfy(f => f.Should().HaveCount(output.Width * output.Height * 3));
            int WhiteAt(double t) => WhitePixels(frames[(int)Math.Round(t * output.Fps)]);
            WhiteAt(0.5).Should().BeGreaterThan(100, "HELLO is drawn from TimelineIn");
            WhiteAt(1.0).Should().BeGreaterThan(100);
            WhiteAt(44 / 30.0).Should().BeGreaterThan(100, "the last frame before TimelineOut shows the text");
            WhiteAt(14 / 30.0).Should().Be(0, "the frame before TimelineIn is clean");
            WhiteAt(1.5).Should().Be(0, "TimelineOut is exclusive");
            WhiteAt(0.2).Should().Be(0);
            WhiteAt(1.8).Should().Be(0);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Every frame of a black clip with the script burnt in, as rgb24 bytes read from ffmpeg's stdout.</summary>
    private static async Task<List<byte[]>> RenderFrames(string scriptPath, OutputFormat output, int seconds)
    {
        var start = new ProcessStartInfo("/usr/bin/ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
        {
            "-nostdin", "-v", "error",
            "-f", "lavfi", "-i", $"color=c=black:s={output.Width}x{output.Height}:r={output.Fps}:d={seconds}",
            "-vf", $"subtitles=filename={scriptPath}",
            "-f", "rawvideo", "-pix_fmt", "rgb24", "-",
        })
        {
            start.ArgumentList.Add(argument);
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(1));
        using var ffmpeg = Process.Start(start)!;
        try
        {
            var stderr = ffmpeg.StandardError.ReadToEndAsync(timeout.Token);
            using var video = new MemoryStream();
            await ffmpeg.StandardOutput.BaseStream.CopyToAsync(video, timeout.Token);
            await ffmpeg.WaitForExitAsync(timeout.Token);
            ffmpeg.ExitCode.Should().Be(0, await stderr);
            return video.ToArray().Chunk(output.Width * output.Height * 3).ToList();
        }
        catch (OperationCanceledException)
        {
            ffmpeg.Kill(entireProcessTree: true);
            throw;
        }
    }

    /// <summary>Near-white pixels of an rgb24 frame.</summary>
    private static int WhitePixels(byte[] frame) => frame.Chunk(3).Count(p => p.All(channel => channel > 200));

    // --- helpers ---

    private static TextClip Clip(string content, TextStyle style, TextMotion motion, double start, double end) =>
        new("$.Timeline.SubtitleTracks[0].SubtitleTrackClips[0]", content, start, end, style, motion);

    private static TextSegment Segment(string content, TextStyle? style = null, TextMotion? motion = null, double start = 1, double end = 3) =>
        new(Clip(content, style ?? Plain, motion ?? TextMotion.None, start, end), start, end);

    private static string Write(params TextSegment[] texts) => AssSubtitleWriter.Write(texts, Portrait);

    private static string[] Dialogues(string script) => script.Split('\n').Where(l => l.StartsWith("Dialogue: ")).ToArray();

    private static string[] StyleLines(string script) => script.Split('\n').Where(l => l.StartsWith("Style: ")).ToArray();

    private static string[] Fields(string dialogue) => dialogue["Dialogue: ".Length..].Split(',', 10);

    private static string OverrideBlock(string script)
    {
        var text = Fields(Dialogues(script).Single())[9];
        return text[1..text.IndexOf('}')];
    }

    private static string UserText(string script)
    {
        var text = Fields(Dialogues(script).Single())[9];
        return text[(text.IndexOf('}') + 1)..];
    }

    private static string[] FormatFields(string[] lines, string section)
    {
        var format = lines.SkipWhile(l => l != section).First(l => l.StartsWith("Format: "));
        return format["Format: ".Length..].Split(", ");
    }
}
