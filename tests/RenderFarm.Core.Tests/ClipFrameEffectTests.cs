using FluentAssertions;
using RenderFarm.Core.Planning;
using RenderFarm.Core.Timelines;
using Xunit;
using static RenderFarm.Core.Tests.TestTimelines;

namespace RenderFarm.Core.Tests;

/// <summary>
/// VFX and Filter effects in a clip's Effects and VFX SubType choices: a comma list or "random"
/// validates and is picked per render by seed, an unknown name is refused. 25 fps: 1 s = 25 frames.
/// </summary>
public sealed class ClipFrameEffectTests
{
    private static readonly Dictionary<string, MediaFacts> Media = new()
    {
        ["a.mp4"] = Video(4),
        ["b.mp4"] = Video(6),
    };

    private static string OnSecondClip(string effects) => $$"""
        {"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4"},{"MediaURL":"b.mp4","Effects":{{effects}}}]},
                        {"VideoTrackClips":[{"MediaURL":"a.mp4"}]}]}
        """;

    [Fact]
    public void A_clip_effect_spans_its_clip_and_belongs_to_its_layer_only()
    {
        var s = Schedule(OnSecondClip("""[{"Type":"VFX","SubType":"zoom"},{"Type":"Filter","SubType":"warm"}]"""), Media);

        var second = s.Layers.Single(l => l.Clip.Path == "VideoTracks[0].VideoTrackClips[1]");
        second.Effects.Select(e => (e.Item.Type, e.Item.SubType, e.StartFrame, e.EndFrame))
            .Should().Equal(("VFX", "zoom", 100L, 250L), ("Filter", "warm", 100L, 250L));
        s.Layers.Where(l => l != second).SelectMany(l => l.Effects).Should().BeEmpty("the clips around and above it carry none");
        s.Effects.Should().BeEmpty("a clip's effects are not effect-track effects");
    }

    [Fact]
    public void A_clip_effect_s_times_count_from_the_clip_s_start_and_stop_at_its_end()
    {
        var s = Schedule(OnSecondClip("""
            [{"Type":"VFX","SubType":"shock","TimelineIn":1,"Duration":2},
             {"Type":"Filter","SubType":"cool","TimelineIn":5,"TimelineOut":9}]
            """), Media);

        s.Layers.Single(l => l.Clip.Path == "VideoTracks[0].VideoTrackClips[1]").Effects
            .Select(e => (e.Item.SubType, e.StartFrame, e.EndFrame)).Should().Equal(("shock", 125L, 175L), ("cool", 225L, 250L));
    }

    [Theory]
    [InlineData("random")]
    [InlineData("open, Zoom ,heartbeat")]
    public void A_vfx_choice_is_the_same_for_the_same_seed_and_varies_across_seeds(string subType)
    {
        var json = OnSecondClip($$"""[{"Type":"VFX","SubType":"{{subType}}"}]""");
        var allowed = subType == "random" ? VfxCatalog.Names : ["open", "zoom", "heartbeat"];

        string Pick(int seed) => Schedule(json, Media, seed: seed).Layers.SelectMany(l => l.Effects).Single().Item.SubType;
        var picks = Enumerable.Range(0, 12).Select(Pick).ToList();

        picks.Should().OnlyContain(n => allowed.Contains(n));
        picks.Distinct().Should().HaveCountGreaterThanOrEqualTo(2);
        Enumerable.Range(0, 12).Select(Pick).Should().Equal(picks, "the pick depends on the seed only");
    }

    [Fact]
    public void An_effect_track_vfx_takes_a_comma_list_too()
    {
        var json = """
            {"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4"}]}],
             "EffectTracks":[{"EffectTrackItems":[{"Type":"VFX","SubType":"snow,rainy","TimelineIn":1}]}]}
            """;

        var picks = Enumerable.Range(0, 12).Select(seed => Schedule(json, Media, seed: seed).Effects.Single().Item.SubType).ToList();

        picks.Should().OnlyContain(n => n == "snow" || n == "rainy");
        picks.Distinct().Should().HaveCount(2);
    }

    [Fact]
    public void A_region_stays_only_with_a_picked_name_that_takes_one()
    {
        var json = OnSecondClip("""[{"Type":"VFX","SubType":"mosaic_rect,zoom","X":0.1,"Width":0.2}]""");

        var picks = Enumerable.Range(0, 12).Select(seed => Schedule(json, Media, seed: seed).Layers.SelectMany(l => l.Effects).Single().Item).ToList();

        picks.Select(p => p.SubType).Distinct().Should().HaveCount(2);
        picks.Should().OnlyContain(p => (p.SubType == "mosaic_rect") == (p.Region != null));
    }

    [Fact]
    public void An_unknown_vfx_name_in_a_clip_is_refused_naming_the_field_and_the_supported_names()
    {
        var error = ParseError(OnSecondClip("""[{"Type":"VFX","SubType":"open,sparkles"}]"""));

        error.Path.Should().Be("VideoTracks[0].VideoTrackClips[1].Effects[0].SubType");
        error.Reason.Should().Contain("'sparkles'").And.Contain("random");
        error.Reason.Should().ContainAll(VfxCatalog.Names);
    }

    [Fact]
    public void Every_documented_vfx_name_validates_on_a_clip_and_on_an_effect_track()
    {
        VfxCatalog.Names.Should().HaveCount(117, "the IMS effect examples document 117 VFX SubTypes");
        foreach (var name in VfxCatalog.Names)
        {
            var parsed = Parse($$"""
                {"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4","Effects":[{"Type":"VFX","SubType":"{{name}}"}]}]}],
                 "EffectTracks":[{"EffectTrackItems":[{"Type":"VFX","SubType":"{{name}}"}]}]}
                """);
            parsed.Timeline.VideoTracks[0].Clips[0].Effects.FrameEffects.Single().SubType.Should().Be(name);
            parsed.Timeline.EffectItems.Single().SubType.Should().Be(name);
        }
    }
}
