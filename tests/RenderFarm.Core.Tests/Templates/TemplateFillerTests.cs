using System.Text.Json.Nodes;
using FluentAssertions;
using RenderFarm.Core.Json;
using RenderFarm.Core.Templates;
using RenderFarm.Core.Timelines;
using Xunit;

namespace RenderFarm.Core.Tests.Templates;

/// <summary>
/// A regular IMS template (a Timeline with "$Name" placeholders) is checked when it is created and filled by a
/// ClipsParam into the timeline that renders; every bad ClipsParam is a one-line error naming ClipsParam.Name.
/// </summary>
public sealed class TemplateFillerTests
{
    /// <summary>Two video clips one after the other and a title over them: three placeholders.</summary>
    public const string TwoClipsAndTitle = """
        {"VideoTracks":[{"VideoTrackClips":[{"MediaId":"$Video1","Out":1},{"MediaURL":"$Video2","Out":1}]}],
         "SubtitleTracks":[{"SubtitleTrackClips":[{"Type":"Text","Content":"$Title","TimelineIn":0,"TimelineOut":2,"FontSize":"$Size"}]}]}
        """;

    private static TimelineTemplate Template(string config = TwoClipsAndTitle) => TimelineTemplate.Parse(config, TimelineLimits.Default);

    private static FilledTemplate Fill(string clipsParam, string config = TwoClipsAndTitle) =>
        TemplateFiller.Fill(Template(config), clipsParam, TimelineLimits.Default);

    [Fact]
    public void Placeholders_are_listed_in_order_with_their_kind_and_in_ClipsParam_form()
    {
        var template = Template();

        template.Placeholders.Select(p => (p.Name, p.Kind, p.Path)).Should().Equal(
            ("Video1", PlaceholderKind.Media, "VideoTracks[0].VideoTrackClips[0].MediaId"),
            ("Video2", PlaceholderKind.Media, "VideoTracks[0].VideoTrackClips[1].MediaURL"),
            ("Title", PlaceholderKind.Text, "SubtitleTracks[0].SubtitleTrackClips[0].Content"),
            ("Size", PlaceholderKind.Value, "SubtitleTracks[0].SubtitleTrackClips[0].FontSize"));
        template.ClipsParamForm().Should().Be("""{"Video1":"mediaId","Video2":"mediaId","Title":"text","Size":"value"}""");
    }

    [Fact]
    public void A_filled_template_is_the_timeline_with_each_value_in_its_field_and_media_in_MediaURL()
    {
        var filled = Fill("""{"Video1":"a.mp4","Video2":"b.mp4","Title":"Hello","Size":40}""");

        filled.Warnings.Should().BeEmpty();
        var timeline = new TimelineParser(TimelineLimits.Default).Parse(filled.TimelineJson).Timeline;
        timeline.VideoTracks[0].Clips.Select(c => c.MediaUrl).Should().Equal("a.mp4", "b.mp4");
        var clip = JsonNode.Parse(filled.TimelineJson)!["VideoTracks"]![0]!["VideoTrackClips"]![0]!.AsObject();
        clip.Select(p => p.Key).Should().Equal("MediaURL", "Out");
        var title = JsonNode.Parse(filled.TimelineJson)!["SubtitleTracks"]![0]!["SubtitleTrackClips"]![0]!;
        ((string?)title["Content"]).Should().Be("Hello");
        ((int)title["FontSize"]!).Should().Be(40);
    }

    [Fact]
    public void ClipsParam_as_JSON_text_holding_a_number_for_a_text_fills_the_text()
    {
        var filled = Fill("""{"Video1":"a.mp4","Video2":"b.mp4","Title":2026,"Size":"40"}""");

        ((string?)JsonNode.Parse(filled.TimelineJson)!["SubtitleTracks"]![0]!["SubtitleTrackClips"]![0]!["Content"]).Should().Be("2026");
    }

    [Fact]
    public void A_missing_placeholder_is_an_error_naming_it_and_where_the_template_uses_it()
    {
        var act = () => Fill("""{"Video1":"a.mp4","Title":"Hello","Size":40}""");

        act.Should().Throw<RequestException>().Which.Message.Should()
            .Be("ClipsParam.Video2: is required: the template uses $Video2 at VideoTracks[0].VideoTrackClips[1].MediaURL");
    }

    [Fact]
    public void An_unknown_key_is_a_warning_naming_it_as_IMS_ignores_it()
    {
        var filled = Fill("""{"Video1":"a.mp4","Video2":"b.mp4","Title":"Hello","Size":40,"Logo":"x.png"}""");

        filled.Warnings.Select(w => w.ToString()).Should().Equal("ClipsParam.Logo: the template has no placeholder $Logo; ignored");
    }

    [Theory]
    [InlineData("""{"Video1":42,"Video2":"b.mp4","Title":"T","Size":40}""", "ClipsParam.Video1: must be a media URL or MediaId (text), not number")]
    [InlineData("""{"Video1":"a.mp4","Video2":"b.mp4","Title":{"x":1},"Size":40}""", "ClipsParam.Title: must be a text, not an object")]
    [InlineData("""{"Video1":"a.mp4","Video2":"b.mp4","Title":"T","Size":"big"}""", "ClipsParam.Size: must be a number")]
    [InlineData("""{"Video1":"a.mp4","Video2":"b.mp4","Title":"T","Size":-3}""", "ClipsParam.Size: must be between")]
    public void A_value_of_the_wrong_type_is_an_error_naming_the_ClipsParam_key(string clipsParam, string expected)
    {
        var act = () => Fill(clipsParam);

        act.Should().Throw<RequestException>().Which.Message.Should().StartWith(expected);
    }

    [Fact]
    public void ArrayItems_expand_into_one_clip_per_list_item()
    {
        const string merge = """
            {"VideoTracks":[{"VideoTrackClips":[{"Sys_Type":"ArrayItems","Sys_ArrayObject":"$VideoArray","Sys_Template":{"MediaId":"$MediaId"}}]}]}
            """;
        var template = Template(merge);
        template.ClipsParamForm().Should().Be("""{"VideoArray":["mediaId"]}""");

        var filled = TemplateFiller.Fill(template, """{"VideoArray":["a.mp4","b.mp4","c.mp4"]}""", TimelineLimits.Default);

        new TimelineParser(TimelineLimits.Default).Parse(filled.TimelineJson).Timeline.VideoTracks[0].Clips
            .Select(c => c.MediaUrl).Should().Equal("a.mp4", "b.mp4", "c.mp4");
        var act = () => TemplateFiller.Fill(template, """{"VideoArray":"a.mp4"}""", TimelineLimits.Default);
        act.Should().Throw<RequestException>().Which.Message.Should().Be("ClipsParam.VideoArray: must be a list, not string");
    }

    [Theory]
    [InlineData("""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"$V","In":"$Start","Out":1}]}],"Bogus":[}""", "Config: malformed JSON")]
    [InlineData("""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"$V","Out":-1}]}]}""", "Config.VideoTracks[0].VideoTrackClips[0].Out: must be between")]
    [InlineData("""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"$V","Type":"$Kind"}]}]}""", "Config.VideoTracks[0].VideoTrackClips[0].Type: ")]
    [InlineData("""{"VideoTracks":[{"VideoTrackClips":["$V"]}]}""", "Config.VideoTracks[0].VideoTrackClips[0]: a placeholder must be the value of a field")]
    public void A_Config_that_is_no_timeline_once_filled_with_stand_ins_is_refused_naming_the_JSON_path(string config, string expected)
    {
        var act = () => Template(config);

        act.Should().Throw<RequestException>().Which.Message.Should().StartWith(expected);
    }

    [Fact]
    public void A_Config_over_the_size_limit_is_refused()
    {
        var config = $$"""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"$V","Title":"{{new string('x', TimelineTemplate.MaxConfigBytes)}}"}]}]}""";

        var act = () => Template(config);

        act.Should().Throw<RequestException>().Which.Message.Should().StartWith("Config: at most 256 KiB are allowed");
    }
}
