using System.Text.Json.Nodes;
using RenderFarm.Core.Batch;
using RenderFarm.Core.Batch.Matching;
using RenderFarm.Core.Planning;
using RenderFarm.Onnx.Embedding;

namespace RenderFarm.Onnx.Tests;

/// <summary>The Image-Text Matching planner given a sentence encoder: the hybrid scores drive the shot choice, across languages too.</summary>
public sealed class PlannerWithEmbeddingsTests(TinyEncoder encoder)
{
    private static readonly MediaText[] Texts =
    [
        new("lib/kitten.jpg", Title: "Kitten on the sofa", Tags: ["cat"]),
        new("lib/puppy.jpg", Title: "Puppy in the park"),
        new("lib/harbour.jpg", Title: "Harbour at dawn", Description: "boats in the port"),
        new("lib/alps.jpg", Title: "Mountain peak"),
        new("lib/bakery.jpg", Transcript: "fresh bread at the bakery"),
    ];

    [Fact]
    public void Each_sentence_is_shown_over_the_image_that_means_the_same_even_across_languages()
    {
        var media = Texts.ToDictionary(t => t.MediaUrl, _ => new MediaFacts(0, 640, 480, HasVideo: true, HasAudio: false, IsStill: true));
        var facts = new MatchingFacts(new BatchFacts(media, line => 1 + 0.1 * line.Text.Length), Texts);
        var input = new JsonObject
        {
            ["MediaArray"] = new JsonArray(media.Keys.Select(k => (JsonNode)k!).ToArray()),
            // Chinese sentences about English-labelled images: no word in common, only meaning.
            ["SpeechTextArray"] = new JsonArray("Ships at the harbour. 小猫在睡觉。 山。 A puppy running! 面包。"),
        };
        var request = BatchRequestParser.Parse(new JsonObject
        {
            ["InputConfig"] = input.ToJsonString(),
            ["OutputConfig"] = new JsonObject { ["MediaURL"] = "out/{index}.mp4", ["Count"] = 1, ["Width"] = 720, ["Height"] = 1280 },
            ["Seed"] = 3,
        }.ToJsonString());

        using var embedder = new TextEmbedder(encoder.TokenLevelModel, encoder.VocabularyPath);
        var planner = new ImageTextMatchingPlanner(new RelevanceRanking(embedder));
        var output = planner.Plan(request, facts).Outputs.Should().ContainSingle().Subject;

        string[] expected = ["lib/harbour.jpg", "lib/kitten.jpg", "lib/alps.jpg", "lib/puppy.jpg", "lib/bakery.jpg"];
        output.Speech.Should().HaveCount(expected.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var speech = output.Speech[i];
            var first = output.Shots.First(s => s.TimelineIn >= speech.TimelineIn - 1e-9);
            first.MediaUrl.Should().Be(expected[i], speech.Text);
        }
    }
}
