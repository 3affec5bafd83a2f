using System.Text.Json.Nodes;
using FluentAssertions;
using Xunit;

namespace RenderFarm.Cli.Tests;

/// <summary>The rewriting `farm submit` does so a request file means on the farm what it means to `farm render`.</summary>
public sealed class SubmitRequestTests
{
    private const string Base = "/home/user/project";

    private static (JsonObject Root, List<string> Notes) Prepare(string body, string? output = null)
    {
        var notes = new List<string>();
        return (JsonNode.Parse(SubmitRequest.Prepare(body, Base, output, notes.Add))!.AsObject(), notes);
    }

    [Fact]
    public void Relative_local_MediaURLs_become_absolute_against_the_file_and_others_stay_as_they_are()
    {
        var (root, notes) = Prepare("""
            {"Timeline":{"VideoTracks":[{"VideoTrackClips":[
              {"MediaURL":"media/a.mp4"},{"MediaURL":"../shared/b.mp4"},{"MediaURL":"/abs/c.mp4"},
              {"MediaURL":"https://example.com/d.mp4"},{"MediaURL":"file:///e.mp4"}]}]}}
            """);
        var urls = root["Timeline"]!["VideoTracks"]![0]!["VideoTrackClips"]!.AsArray().Select(c => (string)c!["MediaURL"]!).ToList();
        urls.Should().Equal("/home/user/project/media/a.mp4", "/home/user/shared/b.mp4", "/abs/c.mp4", "https://example.com/d.mp4", "file:///e.mp4");
        notes.Should().BeEmpty();
    }

    [Fact]
    public void Batch_media_lists_are_read_against_the_file_but_library_MediaIds_stay()
    {
        var (root, _) = Prepare("""
            {"InputConfig":{"MediaGroupArray":[{"GroupName":"g","MediaArray":["media/a.png","0123456789abcdef0123456789abcdef","https://x.test/b.mp4"]}],
             "BackgroundMusicArray":["media/m.m4a"],"BackgroundImageArray":["bg.jpg"]}}
            """);
        var input = root["InputConfig"]!;
        input["MediaGroupArray"]![0]!["MediaArray"]!.AsArray().Select(n => (string)n!).Should()
            .Equal("/home/user/project/media/a.png", "0123456789abcdef0123456789abcdef", "https://x.test/b.mp4");
        ((string)input["BackgroundMusicArray"]![0]!).Should().Be("/home/user/project/media/m.m4a");
        ((string)input["BackgroundImageArray"]![0]!).Should().Be("/home/user/project/bg.jpg");
    }

    [Fact]
    public void A_Timeline_given_as_JSON_text_stays_text_and_a_bare_timeline_is_wrapped()
    {
        var (text, _) = Prepare("""{"Timeline":"{\"VideoTracks\":[{\"VideoTrackClips\":[{\"MediaURL\":\"a.mp4\"}]}]}"}""");
        var inner = JsonNode.Parse((string)text["Timeline"]!)!;
        ((string)inner["VideoTracks"]![0]!["VideoTrackClips"]![0]!["MediaURL"]!).Should().Be("/home/user/project/a.mp4");

        var (bare, _) = Prepare("""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4"}]}]}""");
        ((string)bare["Timeline"]!["VideoTracks"]![0]!["VideoTrackClips"]![0]!["MediaURL"]!).Should().Be("/home/user/project/a.mp4");
    }

    [Theory]
    [InlineData("../out/showcase.mp4", "out/showcase.mp4")]
    [InlineData("./renders/../x.mp4", "x.mp4")]
    [InlineData("renders/x.mp4", "renders/x.mp4")]
    [InlineData("/srv/outputs/x.mp4", "/srv/outputs/x.mp4")]
    [InlineData("file:///srv/outputs/x.mp4", "file:///srv/outputs/x.mp4")]
    public void A_relative_output_is_kept_under_the_node_output_directory(string given, string sent)
    {
        var (root, notes) = Prepare($$$"""{"Timeline":{"VideoTracks":[]},"OutputMediaConfig":{"MediaURL":"{{{given}}}"}}""");
        ((string)root["OutputMediaConfig"]!["MediaURL"]!).Should().Be(sent);
        if (given != sent) notes.Should().ContainSingle().Which.Should().Contain("RENDERFARM_OUTPUT_DIR").And.Contain("--output-dir");
        else notes.Should().BeEmpty();
    }

    [Fact]
    public void Output_option_replaces_the_output_MediaURL_and_batch_media_are_rewritten_too()
    {
        var (root, _) = Prepare("""{"Timeline":{"VideoTracks":[]},"OutputMediaConfig":"{\"MediaURL\":\"a.mp4\",\"Width\":320}"}""", output: "b/c.mp4");
        var config = JsonNode.Parse((string)root["OutputMediaConfig"]!)!;
        ((string)config["MediaURL"]!).Should().Be("b/c.mp4");
        ((int)config["Width"]!).Should().Be(320);

        var (batch, _) = Prepare("""{"InputConfig":{"MediaArray":[{"MediaURL":"m/1.mp4"}]},"OutputConfig":{"MediaURL":"out/v_{index}.mp4"}}""");
        ((string)batch["InputConfig"]!["MediaArray"]![0]!["MediaURL"]!).Should().Be("/home/user/project/m/1.mp4");
        ((string)batch["OutputConfig"]!["MediaURL"]!).Should().Be("out/v_{index}.mp4");
    }
}
