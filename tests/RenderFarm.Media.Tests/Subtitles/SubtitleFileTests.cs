using FluentAssertions;
using RenderFarm.Core.Timelines;
using RenderFarm.Media.Subtitles.Files;
using Xunit;

namespace RenderFarm.Media.Tests.Subtitles;

/// <summary>Subtitle files of Type=Subtitle clips and FontUrl font files, read without rendering.</summary>
public sealed class SubtitleFileTests
{
    private static readonly TextStyle Style = TextClipParser.ReadStyle(Core.Json.JsonObjectReader.Parse("{}", new Core.Json.Diagnostics()));

    [Fact]
    public void Srt_cues_are_shifted_by_the_clip_and_cut_at_its_end()
    {
        var srt = (SrtSubtitleFile)SubtitleFile.Parse("\uFEFF1\r\n00:00:00,500 --> 00:00:01,000\r\n<i>one</i>\r\nline\r\n\r\n2\r\n00:00:02.000 --> 00:00:04,000\r\ntwo\r\n\r\n3\r\n00:00:09,000 --> 00:00:10,000\r\nlate\r\n");
        var clip = new SubtitleFileClip("S", "a.srt", 1, 4, Style, TextMotion.None);

        srt.Segments(clip, duration: 20).Select(s => (s.Clip.Content, s.Start, s.End))
            .Should().Equal(("one\nline", 1.5, 2.0), ("two", 3.0, 4.0));
    }

    [Theory]
    [InlineData("hello world")]
    [InlineData("[Script Info]\n[Events]\nDialogue: 0,0:00:00.00,0:00:01.00,Default,,0,0,0,,x")]
    public void A_file_that_is_neither_srt_nor_ass_is_refused_with_one_line(string text)
    {
        var act = () => SubtitleFile.Parse(text);

        act.Should().Throw<FormatException>().Which.Message.Should().NotContain("\n");
    }

    [Fact]
    public void Ass_events_move_by_the_shift_and_keep_commas_in_their_text()
    {
        var ass = (AssSubtitleFile)SubtitleFile.Parse("""
            [Script Info]
            PlayResX: 384

            [Events]
            Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text
            Dialogue: 0,0:00:00.50,0:00:01.00,Default,,0,0,0,,a, b, c
            Dialogue: 0,0:00:05.00,0:00:06.00,Default,,0,0,0,,gone
            """);

        var shifted = ass.Shifted(2, until: 3).Split('\n');

        shifted.Should().Contain("Dialogue: 0,0:00:02.50,0:00:03.00,Default,,0,0,0,,a, b, c").And.Contain("PlayResX: 384");
        shifted.Should().NotContain(l => l.Contains("gone"));
    }

    [Fact]
    public void A_font_files_family_is_read_and_a_non_font_is_refused()
    {
        FontFile.FamilyName(File.ReadAllBytes("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"), out _).Should().Be("DejaVu Serif");
        FontFile.FamilyName("not a font at all, just text"u8, out var reason).Should().BeNull();
        reason.Should().Be("not a TrueType/OpenType font (ttf, otf or ttc)");
    }
}
