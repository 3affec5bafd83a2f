using FluentAssertions;
using RenderFarm.Core.Batch;
using RenderFarm.Core.Jobs;
using RenderFarm.Core.Json;
using Xunit;

namespace RenderFarm.Core.Tests.Fuzz;

/// <summary>The inputs that once escaped the parsers as 500s: each is now accepted, or refused naming its field in one line.</summary>
public sealed class RequestRegressionTests
{
    private const string Clip = """{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4"}]}]}""";

    [Fact]
    public void Comments_trailing_commas_and_duplicate_keys_are_accepted()
    {
        var request = ProducingJobRequest.Parse("""
            {
              // the timeline
              "Timeline": {"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4", /* first */ "MediaURL":"b.mp4",},],},]},
              "Seed": 1,
            }
            """);

        request.Timeline.VideoTracks[0].Clips[0].MediaUrl.Should().Be("a.mp4");
        request.Warnings.Should().ContainSingle(w => w.Path == "Timeline.VideoTracks[0].VideoTrackClips[0].MediaURL");
    }

    [Theory]
    [InlineData("""{"Timeline":{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a\uD800.mp4"}]}]}}""", "Timeline.VideoTracks[0].VideoTrackClips[0].MediaURL")]
    [InlineData("""{"Timeline":{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4","AdaptMode":"\uDC00"}]}]}}""", "Timeline.VideoTracks[0].VideoTrackClips[0].AdaptMode")]
    [InlineData("""{"Timeline":{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4","\uD800":1}]}]}}""", "Timeline.VideoTracks[0].VideoTrackClips[0]")]
    [InlineData("""{"Timeline":"{\"VideoTracks\":[{\"VideoTrackClips\":[{\"MediaURL\":\"\\uD800\"}]}]}"}""", "Timeline.VideoTracks[0].VideoTrackClips[0].MediaURL")]
    [InlineData("""{"Timeline":{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4"}]}]},"UserData":{"k":"\uD800"}}""", "UserData.k")]
    public void An_unpaired_surrogate_escape_is_refused_naming_its_field(string json, string path)
    {
        var error = Refused(() => ProducingJobRequest.Parse(json));

        error.Path.Should().Be(path);
        error.Reason.Should().Contain("unpaired UTF-16 surrogate");
    }

    [Fact]
    public void Text_that_is_not_UTF16_is_refused()
    {
        Refused(() => ProducingJobRequest.Parse("{\"Timeline\":\"\uD800\"}")).Reason.Should().Contain("not valid Unicode");
    }

    [Theory]
    [InlineData("file://[bad", "not a valid file URL")]
    [InlineData("out/a\u0000.mp4", "control characters (U+0000 at character 5)")]
    [InlineData("out/a\n.mp4", "control characters (U+000A at character 5)")]
    public void An_output_URL_no_resolver_can_take_apart_is_refused(string url, string reason)
    {
        var json = $$"""{"Timeline":{{Clip}},"OutputMediaConfig":{"MediaURL":""" + System.Text.Json.JsonSerializer.Serialize(url) + "}}";

        var error = Refused(() => ProducingJobRequest.Parse(json));

        error.Path.Should().Be("OutputMediaConfig.MediaURL");
        error.Reason.Should().Contain(reason);
    }

    [Fact]
    public void A_file_URL_that_parses_is_still_accepted()
    {
        ProducingJobRequest.Parse($$"""{"Timeline":{{Clip}},"OutputMediaConfig":{"MediaURL":"file:///srv/out/a.mp4"}""" + "}")
            .Output.MediaUrl.Should().Be("file:///srv/out/a.mp4");
    }

    [Fact]
    public void A_NUL_in_a_clip_or_batch_media_path_is_refused_naming_it()
    {
        Refused(() => ProducingJobRequest.Parse("""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a\u0000.mp4"}]}]}"""))
            .Path.Should().Be("VideoTracks[0].VideoTrackClips[0].MediaURL");
        Refused(() => BatchRequestParser.Parse("""{"InputConfig":{"MediaGroupArray":[{"MediaArray":["a.mp4","b\u0000.mp4"]}]},"OutputConfig":{"MediaURL":"o.mp4"}}"""))
            .Path.Should().Be("InputConfig.MediaGroupArray[0].MediaArray[1]");
        Refused(() => BatchRequestParser.Parse("""{"InputConfig":{"MediaGroupArray":[{"MediaArray":["a.mp4"]}]},"OutputConfig":{"MediaURL":"file://[bad{index}.mp4","Count":2}}"""))
            .Path.Should().Be("OutputConfig.MediaURL");
    }

    [Theory]
    [InlineData("1e999")]
    [InlineData("-1e999")]
    [InlineData("123456789012345678901234567890")]
    public void A_number_past_double_range_is_a_request_error(string number)
    {
        var error = Refused(() => ProducingJobRequest.Parse($$"""{"VideoTracks":[{"MainTrack":{{number}},"VideoTrackClips":[{"MediaURL":"a.mp4","In":{{number}}}]}]}"""));

        error.Path.Should().StartWith("VideoTracks[0].");
    }

    [Fact]
    public void Nesting_past_64_levels_is_malformed_JSON_not_a_stack_overflow()
    {
        var deep = new string('[', 10_000) + new string(']', 10_000);

        Refused(() => ProducingJobRequest.Parse($$"""{"Timeline":{{Clip}},"UserData":{{deep}}}""")).Reason.Should().StartWith("malformed JSON");
    }

    [Fact]
    public void A_quoted_value_is_shortened_and_kept_on_one_line()
    {
        var error = Refused(() => ProducingJobRequest.Parse($$"""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4","AdaptMode":"a\nb{{new string('x', 10_000)}}"}]}]}"""));

        error.Message.Should().NotContain("\n").And.Contain("a\\u000Abxxx");
        error.Message.Length.Should().BeLessThan(300);
    }

    private static RequestException Refused(Action parse)
    {
        var error = parse.Should().Throw<RequestException>().Which;
        TestTimelines.ShouldBeOneLine(error);
        return error;
    }
}
