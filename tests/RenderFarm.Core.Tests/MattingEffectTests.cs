using FluentAssertions;
using RenderFarm.Core.Planning;
using RenderFarm.Core.Timelines;
using Xunit;
using static RenderFarm.Core.Tests.TestTimelines;

namespace RenderFarm.Core.Tests;

/// <summary>AI_Matting and AI_RealMatting as typed effects: fields, ranges, errors, warnings, and their effect on opacity.</summary>
public sealed class MattingEffectTests
{
    private static string Clip(string effects) =>
        $$"""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4","Effects":[{{effects}}]}]}]}""";

    private static ParsedTimeline ParseClip(string effects) => Parse(Clip(effects));

    private static MattingEffect? MattingOf(string effects) => ParseClip(effects).Timeline.VideoTracks[0].Clips[0].Effects.Matting;

    [Fact]
    public void The_IMS_green_screen_example_is_a_chroma_key_with_Auto_and_Thres()
    {
        var parsed = ParseClip("""{"Type":"AI_Matting","Color":"green","Auto":1,"Thres":10}""");

        parsed.Warnings.Should().BeEmpty();
        var key = parsed.Timeline.VideoTracks[0].Clips[0].Effects.Matting.Should().BeOfType<ChromaKey>().Subject;
        key.Should().Be(new ChromaKey("VideoTracks[0].VideoTrackClips[0].Effects[0]", ChromaKey.Green, true, 10));
        key.Similarity.Should().Be(0.1, "Thres is a percentage of the largest chroma distance");
    }

    [Theory]
    [InlineData("\"Color\":\"blue\"", 0x00, 0x47, 0xBB)]
    [InlineData("\"Color\":\"GREEN\"", 0x00, 0xB1, 0x40)]
    [InlineData("\"Color\":\"#C828C8\"", 0xC8, 0x28, 0xC8)]
    [InlineData("\"Color\":\"20e040\"", 0x20, 0xE0, 0x40)]
    [InlineData("\"Thres\":0", 0x00, 0xB1, 0x40)]
    public void Color_takes_green_blue_or_an_explicit_colour(string field, int r, int g, int b)
    {
        var key = (ChromaKey)MattingOf($$"""{"Type":"AI_Matting",{{field}}}""")!;

        key.Colour.Should().Be(new Rgba((byte)r, (byte)g, (byte)b));
    }

    [Fact]
    public void Defaults_are_green_without_Auto_at_Thres_10()
    {
        var key = (ChromaKey)MattingOf("""{"Type":"AI_Matting"}""")!;

        (key.Colour, key.Auto, key.Threshold).Should().Be((ChromaKey.Green, false, 10.0));
    }

    [Fact]
    public void Thres_0_keys_only_the_key_colour_itself()
    {
        ((ChromaKey)MattingOf("""{"Type":"AI_Matting","Thres":0}""")!).Similarity.Should().Be(0.01, "chromakey's smallest similarity");
        ((ChromaKey)MattingOf("""{"Type":"AI_Matting","Thres":100}""")!).Similarity.Should().Be(1);
    }

    [Theory]
    [InlineData("\"Color\":\"red-ish\"", "Color", "must be green, blue or a colour like #RRGGBB (got 'red-ish')")]
    [InlineData("\"Color\":\"#00FF0080\"", "Color", "must be green, blue or a colour like #RRGGBB (got '#00FF0080')")]
    [InlineData("\"Thres\":101", "Thres", "must be between 0.0 and 100.0 (got 101.0)")]
    [InlineData("\"Thres\":\"high\"", "Thres", "must be a number, not the string \"high\"")]
    [InlineData("\"Auto\":2", "Auto", "must be true or false, not the number 2")]
    public void Bad_AI_Matting_fields_are_one_line_errors_naming_the_field(string field, string name, string reason)
    {
        var error = ParseError(Clip($$"""{"Type":"AI_Matting",{{field}}}"""));

        error.Path.Should().Be($"VideoTracks[0].VideoTrackClips[0].Effects[0].{name}");
        error.Reason.Should().Be(reason);
    }

    [Fact]
    public void AI_RealMatting_reads_Thres_on_the_matte_scale()
    {
        MattingOf("""{"Type":"AI_RealMatting","Thres":8}""").Should().Be(new PersonMatte("VideoTracks[0].VideoTrackClips[0].Effects[0]", 8));
        MattingOf("""{"Type":"AI_RealMatting"}""").Should().BeOfType<PersonMatte>().Which.Threshold.Should().Be(0);

        var error = ParseError(Clip("""{"Type":"AI_RealMatting","Thres":255}"""));
        error.Message.Should().Be("VideoTracks[0].VideoTrackClips[0].Effects[0].Thres: must be between 0.0 and 254.0 (got 255.0)");
    }

    [Fact]
    public void Unknown_matting_fields_and_a_second_matting_effect_are_warned_about()
    {
        var parsed = ParseClip("""
            {"Type":"AI_Matting","Color":"blue","Feather":3},{"Type":"AI_RealMatting","Thres":8}
            """);

        ((ChromaKey)parsed.Timeline.VideoTracks[0].Clips[0].Effects.Matting!).Colour.Should().Be(ChromaKey.Blue, "the first matting effect is used");
        parsed.Warnings.Select(w => w.ToString()).Should().BeEquivalentTo(
            "VideoTracks[0].VideoTrackClips[0].Effects[0].Feather: field is not supported and was ignored",
            "VideoTracks[0].VideoTrackClips[0].Effects[1].Type: a clip takes one AI_Matting/AI_RealMatting effect; the first (VideoTracks[0].VideoTrackClips[0].Effects[0]) is used and this one was ignored");
    }

    [Fact]
    public void Matting_sits_beside_the_other_effects_of_the_clip()
    {
        var effects = ParseClip("""
            {"Type":"AI_RealMatting","Thres":8},{"Type":"Crop","X":0.25,"Width":0.5},{"Type":"Volume","Gain":0}
            """).Timeline.VideoTracks[0].Clips[0].Effects;

        effects.Matting.Should().BeOfType<PersonMatte>();
        effects.Crop.Should().NotBeNull();
        effects.Audio.Muted.Should().BeTrue();
    }

    [Theory]
    [InlineData("{\"Type\":\"AI_Matting\"}")]
    [InlineData("{\"Type\":\"AI_RealMatting\"}")]
    public void A_matted_clip_is_never_opaque_so_it_gets_an_alpha_plane(string effect)
    {
        var clip = Parse($$"""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4","AdaptMode":"Cover","Effects":[{{effect}},{"Type":"Background","SubType":"Color","Color":"#000000"}]}]}]}""")
            .Timeline.VideoTracks[0].Clips[0];

        var geometry = LayerGeometry.Of(clip, Video(10), Small);
        geometry.Box.Covers(Small.Width, Small.Height).Should().BeTrue();
        geometry.Opaque.Should().BeFalse();
        geometry.FullFrame(Small).Should().BeFalse();
        LayerGeometry.Of(clip with { Effects = clip.Effects with { Matting = null } }, Video(10), Small).Opaque.Should().BeTrue();
    }
}
