using FluentAssertions;
using RenderFarm.Core.Planning;
using RenderFarm.Core.Timelines;
using Xunit;
using static RenderFarm.Core.Tests.TestTimelines;

namespace RenderFarm.Core.Tests;

/// <summary>Flower and bubble text, FontUrl, LineSpacing, BorderStyle, SubtitleEffects, banner Text effects and subtitle file clips as parsed.</summary>
public sealed class TextStyleFieldTests
{
    private const string OneClip = "\"VideoTracks\":[{\"VideoTrackClips\":[{\"MediaURL\":\"a.mp4\"}]}]";

    private static TextStyle StyleOf(string fields)
    {
        var parsed = Parse($$"""{{{OneClip}},"SubtitleTracks":[{"SubtitleTrackClips":[{"Type":"Text","Content":"hi",{{fields}}}]}]}""");
        parsed.Warnings.Should().BeEmpty();
        return parsed.Timeline.SubtitleTracks[0].Clips[0].Style;
    }

    private static string ErrorOf(string clip) =>
        ParseError($$"""{{{OneClip}},"SubtitleTracks":[{"SubtitleTrackClips":[{{clip}}]}]}""").Message;

    [Fact]
    public void Style_fields_are_read_without_warnings()
    {
        var style = StyleOf("""
            "FontSize":50,"FontUrl":"fonts/a.ttf","LineSpacing":12,"BorderStyle":3,
            "SubtitleEffects":[{"Type":"Outline","Bord":4,"Color":"#00FF00"},{"Type":"Shadow","XShadow":5,"YShadow":-3,"Color":"#FF0000","Opacity":0.5}]
            """);

        style.FontUrl.Should().Be("fonts/a.ttf");
        style.LineSpacing.Should().Be(12);
        style.OpaqueBox.Should().BeTrue();
        (style.Outline, style.OutlineColour).Should().Be((4, new Rgba(0, 255, 0)));
        style.ShadowOffset.Should().Be(new ShadowOffset(5, -3));
        style.BackColour.Should().Be(new Rgba(255, 0, 0, 0.5));
    }

    [Fact]
    public void Flower_and_bubble_ids_set_their_catalog_looks_in_proportion_to_the_font_size()
    {
        var flower = StyleOf("""
            "FontSize":100,"EffectColorStyle":"CS0001-000001"
            """);
        var look = TextStyleCatalog.Flower("CS0001-000001")!;
        (flower.FontColour, flower.OutlineColour, flower.Outline).Should().Be((look.Fill, look.Outline, look.OutlineEm * 100));

        var bubble = StyleOf("""
            "FontSize":40,"BubbleStyleId":"BS0001-000002"
            """);
        bubble.Box!.Colour.Should().Be(TextStyleCatalog.Bubble("BS0001-000002")!.Plate);
        bubble.Box.XBorder.Should().BeApproximately(14, 1e-9, "0.35 em of padding");
    }

    [Fact]
    public void Every_documented_flower_and_bubble_id_has_a_look_of_its_own()
    {
        var flowers = TextStyleCatalog.FlowerIds.Select(id => TextStyleCatalog.Flower(id)!).ToList();
        flowers.Should().OnlyHaveUniqueItems().And.HaveCount(TextStyleCatalog.FlowerIds.Length);
        TextStyleCatalog.BubbleIds.Select(id => TextStyleCatalog.Bubble(id)!).Should().OnlyHaveUniqueItems();
        TextStyleCatalog.Flower("CS0007-000123").Should().NotBeNull("an id of the documented form is never refused");
    }

    [Theory]
    [InlineData("""{"Type":"Text","Content":"x","EffectColorStyle":"red"}""", "SubtitleTracks[0].SubtitleTrackClips[0].EffectColorStyle: must be a flower text id like CS0001-000001 (got 'red')")]
    [InlineData("""{"Type":"Text","Content":"x","BubbleStyleId":"CS0001-000001"}""", "SubtitleTracks[0].SubtitleTrackClips[0].BubbleStyleId: must be a bubble text id like BS0001-000001 (got 'CS0001-000001')")]
    [InlineData("""{"Type":"Text","Content":"x","BorderStyle":2}""", "SubtitleTracks[0].SubtitleTrackClips[0].BorderStyle: must be 1 (outline and shadow) or 3 (opaque box) (got 2.0)")]
    [InlineData("""{"Type":"Text","Content":"x","FontUrl":" "}""", "SubtitleTracks[0].SubtitleTrackClips[0].FontUrl: is empty")]
    [InlineData("""{"Type":"Subtitle"}""", "SubtitleTracks[0].SubtitleTrackClips[0].FileURL: is required")]
    [InlineData("""{"Type":"Subtitle","FileURL":"a.srt","TimelineIn":3,"TimelineOut":2}""", "SubtitleTracks[0].SubtitleTrackClips[0].TimelineOut: must be greater than TimelineIn (3.0)")]
    public void Bad_text_fields_are_one_line_errors_naming_the_field(string clip, string message)
    {
        ErrorOf(clip).Should().StartWith(message);
    }

    [Fact]
    public void A_subtitle_file_clip_keeps_its_url_span_and_style()
    {
        var parsed = Parse($$"""{{{OneClip}},"SubtitleTracks":[{"SubtitleTrackClips":[{"Type":"Subtitle","FileURL":"a.srt","TimelineIn":1.5,"FontSize":30},{"Type":"Text","Content":"t"}]}]}""");

        parsed.Warnings.Should().BeEmpty();
        var track = parsed.Timeline.SubtitleTracks[0];
        track.Clips.Should().ContainSingle().Which.Content.Should().Be("t");
        var file = track.Files.Should().ContainSingle().Which;
        (file.FileUrl, file.TimelineIn, file.TimelineOut, file.Style.FontSize).Should().Be(("a.srt", 1.5, null, 30));
    }

    [Fact]
    public void A_banner_text_effect_spans_its_clip_unless_it_gives_its_own_times()
    {
        var media = new Dictionary<string, MediaFacts> { ["a.mp4"] = Video(4) };
        var schedule = Schedule("""
            {"VideoTracks":[{"VideoTrackClips":[
              {"MediaURL":"a.mp4","Out":2},
              {"MediaURL":"a.mp4","Out":2,"Effects":[{"Type":"Text","Content":"banner","FontSize":20},{"Type":"Text","Content":"late","TimelineIn":3.5}]}]}]}
            """, media);

        schedule.Texts.Select(t => (t.Clip.Content, t.Start, t.End)).Should().Equal(("banner", 2.0, 4.0), ("late", 3.5, 4.0));
    }
}
