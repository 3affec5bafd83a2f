using FluentAssertions;
using RenderFarm.Core.Json;
using RenderFarm.Core.Timelines;
using Xunit;

namespace RenderFarm.Core.Tests.Requests;

/// <summary>What is stored is the request, normalised; what JSON cannot carry is an error at its field; the render cost is bounded.</summary>
public sealed class RequestJsonTests
{
    [Fact]
    public void Comments_trailing_commas_padding_and_duplicates_normalise_to_compact_JSON_keeping_the_first_name()
    {
        var text = "{ /* note */ \"A\" : 1 ,\n\n   \"b\": [1, 2, ],  \"a\": 2, // second A\n \"C\": {\"x\": \"y\",} , }";
        RequestJson.Normalise(text).ToJsonString().Should().Be("""{"A":1,"b":[1,2],"C":{"x":"y"}}""");
    }

    [Theory]
    [InlineData("""{"Timeline":{"Clips":[{"Id":"\uD800"}]}}""", "Timeline.Clips[0].Id")]
    [InlineData("""{"Timeline":{"\uDC00":1}}""", "Timeline")]
    [InlineData("""{"a":""", "")]
    [InlineData("[1]", "")]
    [InlineData("", "")]
    public void What_JSON_cannot_carry_is_an_error_at_its_field(string text, string path)
    {
        var parse = () => RequestJson.Normalise(text);
        var error = parse.Should().Throw<RequestException>().Which;
        error.Path.Should().Be(path);
        error.Message.Should().NotContain("\n");
    }

    [Fact]
    public void Nesting_deeper_than_64_levels_is_refused_not_a_stack_overflow()
    {
        var deep = "{\"a\":" + new string('[', 100) + new string(']', 100) + "}";
        var parse = () => RequestJson.Normalise(deep);
        parse.Should().Throw<RequestException>().WithMessage("*malformed JSON*");
    }

    private static string Timeline(int tracks, int clips) =>
        $$"""{"VideoTracks":[{{string.Join(",", Enumerable.Range(0, tracks).Select(_ =>
            $$"""{"VideoTrackClips":[{{string.Join(",", Enumerable.Repeat("""{"MediaURL":"a.mp4"}""", clips))}}]}"""))}}]}""";

    [Fact]
    public void A_timeline_over_the_clip_budget_is_refused_with_the_limit_named()
    {
        new TimelineParser(TimelineLimits.Default).Parse(Timeline(2, 1000)).Timeline.VideoTracks.Should().HaveCount(2);
        var tooMany = () => new TimelineParser(TimelineLimits.Default).Parse(Timeline(10, 1000));
        var error = tooMany.Should().Throw<RequestException>().Which;
        error.Path.Should().Be("Timeline");
        error.Message.Should().Contain("10000 clips").And.Contain("at most 2000");
    }

    [Fact]
    public void The_filter_graph_estimate_grows_with_clips_and_effects_and_has_its_own_limit()
    {
        var plain = new TimelineParser(TimelineLimits.Default).Parse(Timeline(1, 10)).Timeline;
        RenderCost.Clips(plain).Should().Be(10);
        RenderCost.FilterGraphNodes(plain).Should().Be(50);
        var small = () => new TimelineParser(TimelineLimits.Default with { MaxFilterGraphNodes = 40 }).Parse(Timeline(1, 10));
        small.Should().Throw<RequestException>().WithMessage("*about 50 filters; at most 40*");
    }
}
