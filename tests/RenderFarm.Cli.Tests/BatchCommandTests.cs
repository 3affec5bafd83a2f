using System.Text.Json.Nodes;
using FluentAssertions;
using RenderFarm.TestSupport;
using RenderFarm.TestSupport.Farm;
using Xunit;

namespace RenderFarm.Cli.Tests;

/// <summary>`farm batch submit` against an embedded farm node: follows every output video, and refuses bad requests with the field.</summary>
public sealed class BatchCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private Dictionary<string, string> NodeEnvironment(string media) => new()
    {
        ["RENDERFARM_DATA_DIR"] = Path.Combine(_dir.Path, "node"),
        ["RENDERFARM_OPERATOR_TOKEN"] = FarmProcess.Token,
        ["RENDERFARM_ARTIFACTS"] = Path.Combine(_dir.Path, "artifacts"),
        ["RENDERFARM_OUTPUT_DIR"] = Path.Combine(_dir.Path, "outputs"),
        ["RENDERFARM_ALLOWED_ROOTS"] = media,
        ["RENDERFARM_SEGMENT_SECONDS"] = "2",
        ["RENDERFARM_ENCODER_THREADS"] = "1",
        ["RENDERFARM_CACHE_DIR"] = Path.Combine(_dir.Path, "node", "cache"),
    };

    private string RequestFile(TestMedia media, int count, string voice = "andy")
    {
        var request = new JsonObject
        {
            ["InputConfig"] = new JsonObject
            {
                ["MediaGroupArray"] = new JsonArray(
                    new JsonObject { ["GroupName"] = "a", ["MediaArray"] = new JsonArray(media.ColourVideo("a1.mp4", "navy", 2), media.ColourVideo("a2.mp4", "teal", 2)) },
                    new JsonObject { ["GroupName"] = "b", ["MediaArray"] = new JsonArray(media.ColourVideo("b1.mp4", "olive", 2), media.ColourVideo("b2.mp4", "maroon", 2)) }),
                ["SpeechTextArray"] = new JsonArray("Hello there.", "Good morning."),
            },
            ["EditingConfig"] = new JsonObject { ["SpeechConfig"] = new JsonObject { ["Voice"] = voice } },
            // IMS sends OutputConfig as a JSON string.
            ["OutputConfig"] = new JsonObject { ["MediaURL"] = "cli/v_{index}.mp4", ["Count"] = count, ["Width"] = 320, ["Height"] = 568 }.ToJsonString(),
        };
        var file = _dir.File($"batch-{voice}.json");
        File.WriteAllText(file, request.ToJsonString());
        return file;
    }

    [Fact]
    public async Task Submit_with_wait_reports_each_output_video_and_prints_their_files()
    {
        var media = new TestMedia(_dir.File("media"));
        var file = RequestFile(media, 2);
        using var node = await FarmNodeProcess.StartAsync("cli", "gateway,cpu", NodeEnvironment(media.Directory));

        var result = FarmProcess.Run(_dir.Path, "batch", "submit", file, "--wait", "--gateway", node.Url);

        result.ExitCode.Should().Be(0, result.Stderr + node.Log);
        result.Stderr.Should().Contain("mode: Script-to-Video, Global Scripts");
        result.StderrLines.Should().Contain("video 1: 100% Success").And.Contain("video 2: 100% Success");
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(3, "the JobId, then one file per video");
        foreach (var video in lines.Skip(1))
        {
            video.Should().MatchRegex(@"cli/v_[12]\.mp4$");
            Inspect.Probe(video).Height.Should().Be(568);
        }
    }

    [Fact]
    public async Task An_unknown_voice_exits_2_naming_the_field()
    {
        var media = new TestMedia(_dir.File("media"));
        var file = RequestFile(media, 2, voice: "nobody");
        using var node = await FarmNodeProcess.StartAsync("cli", "gateway,cpu", NodeEnvironment(media.Directory));

        var result = FarmProcess.Run(_dir.Path, "batch", "submit", file, "--wait", "--gateway", node.Url);

        result.ExitCode.Should().Be(2);
        result.Errors.Should().ContainSingle().Which.Should().StartWith("error: EditingConfig.SpeechConfig.Voice: unknown voice 'nobody'");
    }

    [Theory]
    [InlineData("""{"OutputConfig":{"Count":3}}""")]
    [InlineData("""{"OutputConfig":"{\"Count\":3}"}""")]
    public void Preview_sets_GeneratePreviewOnly_in_either_form_of_OutputConfig(string body)
    {
        var root = JsonNode.Parse(BatchVerb.AsPreview(body))!.AsObject();
        var output = root["OutputConfig"] is JsonValue text ? JsonNode.Parse(text.GetValue<string>())!.AsObject() : root["OutputConfig"]!.AsObject();
        output["GeneratePreviewOnly"]!.GetValue<bool>().Should().BeTrue();
        output["Count"]!.GetValue<int>().Should().Be(3);
    }
}
