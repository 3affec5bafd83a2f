using FluentAssertions;
using RenderFarm.Core.Json;
using RenderFarm.Core.Library;
using Xunit;

namespace RenderFarm.Core.Tests.Library;

/// <summary>RegisterMediaInfo requests: IMS field names, limits, and one-line errors naming the field.</summary>
public sealed class MediaRegistrationTests
{
    [Fact]
    public void A_request_with_every_field_is_read_with_IMS_names()
    {
        var r = MediaRegistrationParser.Parse("""{"InputURL":" https://cdn.example/a/clip.mp4 ","MediaType":"Video","Title":"Beach","Description":"Waves at dawn","Tags":"sea, beach,,sea"}""");

        r.InputUrl.Should().Be("https://cdn.example/a/clip.mp4");
        r.MediaType.Should().Be("video");
        r.Title.Should().Be("Beach");
        r.Description.Should().Be("Waves at dawn");
        r.Tags.Should().Equal("sea", "beach");
    }

    [Theory]
    [InlineData("/media/photo.JPG", "image")]
    [InlineData("https://cdn.example/voice.mp3?sig=1", "audio")]
    [InlineData("/media/clip.mov", "video")]
    public void Without_MediaType_the_type_follows_the_extension(string url, string type) =>
        MediaRegistrationParser.Parse($$"""{"InputURL":"{{url}}"}""").MediaType.Should().Be(type);

    [Fact]
    public void Tags_may_be_an_array() =>
        MediaRegistrationParser.Parse("""{"InputURL":"a.mp4","Tags":["熊猫","panda"]}""").Tags.Should().Equal("熊猫", "panda");

    [Theory]
    [InlineData("""{}""", "InputURL", "is required")]
    [InlineData("""{"InputURL":"a.mp4","MediaType":"text"}""", "MediaType", "unknown value 'text'; supported: video, audio, image")]
    [InlineData("""{"InputURL":"a.mp4","Tags":[1]}""", "Tags[0]", "must be a string")]
    [InlineData("""{"InputURL":"a\u0007.mp4"}""", "InputURL", "must not contain control characters")]
    public void Bad_fields_are_refused_naming_them(string body, string field, string reason)
    {
        var e = Assert.Throws<RequestException>(() => MediaRegistrationParser.Parse(body));
        e.Path.Should().Be(field);
        e.Message.Should().StartWith($"{field}: {reason}");
    }

    [Fact]
    public void Every_text_field_has_its_limit()
    {
        string Body(string field, string value) => $$"""{"InputURL":"a.mp4","{{field}}":"{{value}}"}""";

        MediaRegistrationParser.Parse(Body("Title", new string('t', 128))).Title.Should().HaveLength(128);
        Refused(Body("Title", new string('t', 129))).Should().Be("Title: at most 128 characters are allowed (got 129)");
        MediaRegistrationParser.Parse(Body("Description", new string('d', 1024))).Description.Should().HaveLength(1024);
        Refused(Body("Description", new string('d', 1025))).Should().Be("Description: at most 1024 characters are allowed (got 1025)");
        Refused($$"""{"InputURL":"/{{new string('u', 2048)}}"}""").Should().Be("InputURL: at most 2048 characters are allowed (got 2049)");
        var sixteen = string.Join(",", Enumerable.Range(1, 16).Select(i => $"t{i}"));
        MediaRegistrationParser.Parse(Body("Tags", sixteen)).Tags.Should().HaveCount(16);
        Refused(Body("Tags", sixteen + ",t17")).Should().Be("Tags: at most 16 tags are allowed (got 17)");
        MediaRegistrationParser.Parse(Body("Tags", new string('g', 32))).Tags.Single().Should().HaveLength(32);
        Refused(Body("Tags", "ok," + new string('g', 33))).Should().StartWith("Tags: each tag may have at most 32 characters");
    }

    private static string Refused(string body) => Assert.Throws<RequestException>(() => MediaRegistrationParser.Parse(body)).Message;
}
