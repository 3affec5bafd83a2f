using FluentAssertions;
using RenderFarm.Core.Timelines;
using Xunit;
using static RenderFarm.Core.Tests.TestTimelines;

namespace RenderFarm.Core.Tests;

/// <summary>Filter SubTypes and a Filter's ExtParams grade as the parser reads them.</summary>
public sealed class FilterGradeTests
{
    private static string Timeline(string item) => $$"""
        {"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4"}]}],"EffectTracks":[{"EffectTrackItems":[{{item}}]}]}
        """;

    private static string Filter(string subType, string extParams) =>
        Timeline($$"""{"Type":"Filter","SubType":"{{subType}}","ExtParams":"{{extParams}}"}""");

    private const string ItemPath = "EffectTracks[0].EffectTrackItems[0]";

    [Fact]
    public void Every_documented_filter_name_validates()
    {
        foreach (var name in FilterCatalog.Names.Where(n => n != FilterCatalog.Color))
            Parse(Timeline($$"""{"Type":"Filter","SubType":"{{name.ToUpperInvariant()}}"}""")).Timeline.EffectItems.Single().SubType.Should().Be(name);
        FilterCatalog.Names.Where(n => n != FilterCatalog.Color && n != "cool").Should().HaveCount(58, "IMS's filter examples list 58 names");
    }

    [Fact]
    public void ExtParams_are_read_as_a_grade_without_warnings()
    {
        var parsed = Parse(Filter("m1", "brightness=40, Contrast=-20,saturation=-100,kelvin_temperature=3500,temperature_ratio=80,dark_corner_ratio=50"));

        parsed.Warnings.Should().BeEmpty();
        parsed.Timeline.EffectItems.Single().Grade.Should().Be(new ColorGrade(40, -20, -100, 3500, 80, 50));
    }

    [Fact]
    public void Missing_keys_take_their_neutral_values()
    {
        Parse(Filter("color", "saturation=30")).Timeline.EffectItems.Single().Grade.Should().Be(new ColorGrade(0, 0, 30, null, 100, 0));
        Parse(Timeline("""{"Type":"Filter","SubType":"warm"}""")).Timeline.EffectItems.Single().Grade.Should().BeNull();
    }

    [Theory]
    [InlineData("brightness=300", "brightness must be a number in -255..255, not '300'")]
    [InlineData("contrast=high", "contrast must be a number in -100..100, not 'high'")]
    [InlineData("kelvin_temperature=500", "kelvin_temperature must be a number in 1000..40000, not '500'")]
    [InlineData("saturation", "'saturation' is not key=value")]
    [InlineData("saturation=1,saturation=2", "saturation is given twice")]
    [InlineData("sharpness=3", "holds no grading key; supported: brightness, contrast, saturation, kelvin_temperature, temperature_ratio, dark_corner_ratio")]
    public void A_bad_ExtParams_value_names_the_field_and_the_key(string extParams, string reason)
    {
        var error = ParseError(Filter("pf4", extParams));

        error.Path.Should().Be($"{ItemPath}.ExtParams");
        error.Reason.Should().Be(reason);
    }

    [Fact]
    public void Color_requires_ExtParams()
    {
        var error = ParseError(Timeline("""{"Type":"Filter","SubType":"color"}"""));

        error.Path.Should().Be($"{ItemPath}.ExtParams");
        error.Reason.Should().StartWith("is required for SubType color");
    }

    [Fact]
    public void An_unknown_key_and_a_ratio_without_a_temperature_are_warned_about()
    {
        var parsed = Parse(Filter("a5", "brightness=10,sharpness=3,temperature_ratio=50"));

        parsed.Timeline.EffectItems.Single().Grade!.Brightness.Should().Be(10);
        parsed.Warnings.Select(w => w.ToString()).Should().BeEquivalentTo(
            $"{ItemPath}.ExtParams: 'sharpness' is not a grading key and was ignored; supported: brightness, contrast, saturation, kelvin_temperature, temperature_ratio, dark_corner_ratio",
            $"{ItemPath}.ExtParams: temperature_ratio without kelvin_temperature changes nothing and was ignored");
    }

    [Fact]
    public void ExtParams_on_a_VFX_item_are_not_read_as_a_grade_and_are_warned_about()
    {
        var parsed = Parse(Timeline("""{"Type":"VFX","SubType":"black","ExtParams":"brightness=10"}"""));

        parsed.Timeline.EffectItems.Single().Grade.Should().BeNull();
        parsed.Warnings.Should().Contain(w => w.Path == $"{ItemPath}.ExtParams");
    }
}
