using FluentAssertions;
using RenderFarm.Core.Planning;
using RenderFarm.Core.Timelines;
using RenderFarm.Media.Ai;
using RenderFarm.Media.Captions;
using RenderFarm.Media.Subtitles;
using Xunit;

namespace RenderFarm.Media.Tests.Captions;

/// <summary>From spoken sentences to timed, styled, highlighted caption clips and their ASS and SRT forms (pure).</summary>
public sealed class CaptionBuilderTests
{
    private static readonly OutputFormat Output = new(1280, 720, 25);

    private static TextStyle Style(TextFit fit = TextFit.AutoWrap) => new(TextClipParser.DefaultFont, 40, new Rgba(255, 255, 255), 1,
        new Rgba(0, 0, 0), 0, new Rgba(0, 0, 0), TextAlignment.BottomCenter, new Extent(0), new Extent(0.08), fit, null,
        false, false, false, 0, 0, null);

    private static CaptionEffect Effect(HighlightStyle? highlight = null) => new("AudioTracks[0].AudioTrackClips[0].Effects[0]", Style(), highlight);

    [Fact]
    public void Sentence_times_move_from_the_source_clock_to_the_timeline_and_are_cut_at_the_clip_edges()
    {
        // The clip shows source 2..8 s at double speed from timeline 10 s: source t is timeline 10 + (t - 2) / 2.
        var sentences = new[] { new TimedSentence("Before.", 0, 1.5), new TimedSentence("Across the start.", 1.5, 4), new TimedSentence("Inside.", 4, 6), new TimedSentence("Across the end.", 6, 9) };
        var captions = CaptionBuilder.Build(Effect(), sentences, new ClipPlacement(10, 3, 2, 2), Output);

        captions.Select(c => (c.Clip.Content, c.Start, c.End)).Should().Equal(
            ("Across the start.", 10, 11), ("Inside.", 11, 12), ("Across the end.", 12, 13));
        captions.Should().OnlyContain(c => c.Clip.TimelineIn == c.Start && c.Clip.TimelineOut == c.End && c.Clip.Path == Effect(null).Path);
    }

    [Fact]
    public void Highlighted_words_are_marked_and_become_colour_tags_that_restore_the_style()
    {
        var highlight = new HighlightStyle(new Rgba(0xF6, 0xDD, 0x14), new Rgba(0x87, 0x36, 0x00), 4);
        var captions = CaptionBuilder.Build(Effect(highlight), [new TimedSentence("It grew 45% in 2026.", 0, 2)], new ClipPlacement(0, 2, 0, 1), Output);

        captions.Single().Clip.Content.Should().Be($"It grew {HighlightMarks.Open}45%{HighlightMarks.Close} in {HighlightMarks.Open}2026{HighlightMarks.Close}.");
        var ass = AssSubtitleWriter.Write(captions, Output);
        ass.Should().Contain(@"It grew {\1c&H14DDF6&\3c&H003687&\bord4}45%{\1c&HFFFFFF&\3c&H000000&\bord1} in {\1c&H14DDF6&\3c&H003687&\bord4}2026{\1c&HFFFFFF&\3c&H000000&\bord1}.");
    }

    [Fact]
    public void Marks_in_user_text_are_removed_and_never_reach_the_script()
    {
        var hostile = $"A {HighlightMarks.Open}fake{HighlightMarks.Close} mark {{\\b1}}.";
        var captions = CaptionBuilder.Build(Effect(), [new TimedSentence(hostile, 0, 2)], new ClipPlacement(0, 2, 0, 1), Output);

        captions.Single().Clip.Content.Should().Be("A fake mark {\\b1}.");
        var ass = AssSubtitleWriter.Write(captions, Output);
        ass.Should().NotContain("\uE000").And.NotContain("\uE001").And.NotContain(@"\1c").And.Contain(@"\{\" + "\u2060" + @"b1\}");
    }

    [Fact]
    public void A_long_sentence_is_cut_into_captions_of_two_lines_that_fit_the_width()
    {
        var text = string.Join(' ', Enumerable.Repeat("The render farm keeps every finished segment.", 4));
        var captions = CaptionBuilder.Build(Effect(), [new TimedSentence(text, 0, 12)], new ClipPlacement(0, 12, 0, 1), Output);

        captions.Should().HaveCountGreaterThan(1);
        captions.Should().OnlyContain(c => c.Clip.Content.Split('\n').Length <= 2);
        string.Join(' ', captions.Select(c => c.Clip.Content.Replace('\n', ' '))).Should().Be(text);
        captions[0].Start.Should().Be(0);
        captions[^1].End.Should().Be(12);
    }

    [Fact]
    public void Srt_numbers_cues_in_time_order_with_millisecond_times_and_no_marks()
    {
        var highlight = new HighlightStyle(new Rgba(255, 255, 0), new Rgba(0, 0, 0), 2);
        var captions = CaptionBuilder.Build(Effect(highlight), [new TimedSentence("Second 2026.", 3661.5, 3663.25), new TimedSentence("First.", 0.2, 1)],
            new ClipPlacement(0, 4000, 0, 1), Output);

        SrtWriter.Write(captions).Should().Be("1\n00:00:00,200 --> 00:00:01,000\nFirst.\n\n2\n01:01:01,500 --> 01:01:03,250\nSecond 2026.\n\n");
    }
}
