using System.Text.Json.Nodes;
using FluentAssertions;
using RenderFarm.Core.Jobs;
using Xunit;
using static RenderFarm.Core.Tests.Batch.BatchFixture;

namespace RenderFarm.Core.Tests.Batch;

/// <summary>BackgroundMusicConfig.Ducking: each output's music clip carries a Duck effect of that depth (none without it).</summary>
public sealed class MusicDuckingTests
{
    private static IEnumerable<RenderFarm.Core.Timelines.AudioClip> Music(JsonObject request) =>
        Plan(request).Outputs.Select(o => ProducingJobRequest.Parse(o.ProducingJobJson).Timeline.AudioTracks.SelectMany(t => t.Clips).Single(c => c.Loop));

    [Fact]
    public void Ducking_puts_a_Duck_effect_on_the_music_of_every_output_and_is_off_by_default()
    {
        var ducked = Edit(GlobalRequest(count: 3), "EditingConfig", e => e["BackgroundMusicConfig"] = new JsonObject { ["Volume"] = 0.3, ["Ducking"] = 12 });
        Music(ducked).Should().HaveCount(3).And.OnlyContain(m => m.Effects.DuckDb == 12 && m.Effects.Gain == 0.3);
        Music(GlobalRequest(count: 3)).Should().OnlyContain(m => m.Effects.DuckDb == 0);
    }

    [Fact]
    public void Ducking_deeper_than_40_dB_is_refused_naming_the_field()
    {
        ParseError(Edit(GlobalRequest(), "EditingConfig", e => e["BackgroundMusicConfig"] = new JsonObject { ["Ducking"] = 50 }))
            .Path.Should().Be("EditingConfig.BackgroundMusicConfig.Ducking");
    }
}
