using FluentAssertions;
using RenderFarm.Core.Timelines;
using Xunit;
using static RenderFarm.Core.Tests.TestTimelines;

namespace RenderFarm.Core.Tests;

/// <summary>The IMS transition names and the ffmpeg xfade transitions they render as.</summary>
public sealed class CatalogTests
{
    /// <summary>The xfade transitions of ffmpeg 5.1 (the oldest ffmpeg the farm supports).</summary>
    private static readonly HashSet<string> Xfade51 =
    [
        "fade", "wipeleft", "wiperight", "wipeup", "wipedown", "slideleft", "slideright", "slideup", "slidedown",
        "circlecrop", "rectcrop", "distance", "fadeblack", "fadewhite", "radial", "smoothleft", "smoothright",
        "smoothup", "smoothdown", "circleopen", "circleclose", "vertopen", "vertclose", "horzopen", "horzclose",
        "dissolve", "pixelize", "diagtl", "diagtr", "diagbl", "diagbr", "hlslice", "hrslice", "vuslice", "vdslice",
        "hblur", "fadegrays", "wipetl", "wipetr", "wipebl", "wipebr", "squeezeh", "squeezev", "zoomin", "fadefast", "fadeslow",
    ];

    /// <summary>The official IMS transition SubType list (spec §5.1), in its order and spelling.</summary>
    private static readonly string[] ImsTransitions =
    [
        "directional", "displacement", "windowslice", "bowTieVertical", "bowTieHorizontal", "simplezoom", "linearblur",
        "waterdrop", "glitchmemories", "polka", "perlin", "directionalwarp", "bounce_up", "bounce_down", "wiperight",
        "wipeleft", "wipedown", "wipeup", "morph", "colordistance", "circlecrop", "swirl", "dreamy", "gridflip",
        "zoomincircles", "radial", "mosaic", "undulatingburnout", "crosshatch", "crazyparametricfun", "kaleidoscope",
        "windowblinds", "hexagonalize", "glitchdisplace", "dreamyzoom", "doomscreentransition_up",
        "doomscreentransition_down", "ripple", "pinwheel", "angular", "burn", "circle", "circleopen", "colorphase",
        "crosswarp", "cube", "directionalwipe", "doorway", "fade", "fadecolor", "fadegrayscale", "flyeye", "heart",
        "luma", "multiplyblend", "pixelize", "polarfunction", "randomsquares", "rotatescalefade", "squareswire",
        "squeeze", "swap", "wind",
    ];

    [Fact]
    public void Every_transition_renders_as_an_xfade_that_ffmpeg_5_1_has_or_a_custom_expression()
    {
        TransitionCatalog.Entries.Should().NotBeEmpty();
        TransitionCatalog.Entries.Where(e => e.Expression is null ? !Xfade51.Contains(e.Xfade) : e.Xfade is not ("custom" or "overlay"))
            .Select(e => $"{e.Ims} -> {e.Xfade}").Should().BeEmpty();
        TransitionCatalog.Entries.Where(e => e.Expression is { } x && (x.Contains("st(") || x.Contains("ld(")))
            .Select(e => e.Ims).Should().BeEmpty("xfade evaluates one expression on several threads, so st/ld would race");
    }

    [Fact]
    public void Mask_transitions_are_the_ones_that_only_weigh_the_two_pictures()
    {
        // Drawn as a small grey mask and maskedmerge: only right for expressions that neither read the plane nor sample.
        TransitionCatalog.Entries.Where(e => e.Mask).Select(e => e.Ims).Should().BeEquivalentTo(
            "windowslice", "bowTieVertical", "bowTieHorizontal", "polka", "perlin", "crosshatch", "windowblinds", "pinwheel",
            "angular", "directionalwipe", "heart", "polarfunction", "randomsquares", "squareswire", "wind");
        TransitionCatalog.LookOf("bounce_up").Should().Match<TransitionLook>(e => e.Xfade == "overlay" && !e.Mask);
        TransitionCatalog.LookOf("displacement").Mask.Should().BeFalse("it samples the pictures elsewhere");
        TransitionCatalog.LookOf("circle").Mask.Should().BeFalse("it paints grey in each plane's own value");
    }

    [Fact]
    public void No_two_transitions_share_a_look_and_each_says_whether_it_is_its_own()
    {
        TransitionCatalog.Entries.GroupBy(e => (e.Xfade, e.Expression)).Where(g => g.Count() > 1)
            .Select(g => string.Join(" = ", g.Select(e => e.Ims))).Should().BeEmpty();
        TransitionCatalog.Entries.Should().OnlyContain(e => e.Look == "own" || e.Look.StartsWith("closest: "));
    }

    [Fact]
    public void Transition_names_are_unique_ignoring_case()
    {
        TransitionCatalog.ImsNames.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key)
            .Should().BeEmpty();
        TransitionCatalog.ImsNames.Should().NotContain(n => n.Equals("random", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Every_official_IMS_transition_name_is_known_with_its_IMS_spelling()
    {
        TransitionCatalog.ImsNames.Should().BeEquivalentTo(ImsTransitions);
        foreach (var name in ImsTransitions)
        {
            TransitionCatalog.Canonical(name).Should().Be(name);
            TransitionCatalog.Canonical(name.ToUpperInvariant()).Should().Be(name);
        }
        TransitionCatalog.Canonical("nope").Should().BeNull();
    }

    [Fact]
    public void Every_transition_name_is_accepted_in_a_timeline()
    {
        var list = string.Join(",", ImsTransitions);
        var transition = Parse($$"""
            {"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4","Effects":[{"Type":"Transition","SubType":"{{list}}"}]},{"MediaURL":"b.mp4"}]}]}
            """).Timeline.VideoTracks[0].Clips[0].Effects.Transition!;

        transition.Choices.Should().Equal(ImsTransitions);
        transition.Duration.Should().Be(1); // the IMS default
    }

    [Fact]
    public void Transitions_whose_name_is_an_xfade_name_render_as_themselves()
    {
        TransitionCatalog.ImsNames.Where(Xfade51.Contains).Should().OnlyContain(n => TransitionCatalog.XfadeFor(n) == n);
    }
}
