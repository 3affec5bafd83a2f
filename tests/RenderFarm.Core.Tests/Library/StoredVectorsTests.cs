using System.Text.Json.Nodes;
using FluentAssertions;
using RenderFarm.Core.Batch;
using RenderFarm.Core.Batch.Matching;
using RenderFarm.Core.Library;
using RenderFarm.Core.Tests.Batch;
using Xunit;
using static RenderFarm.Core.Tests.Library.LibraryFixture;

namespace RenderFarm.Core.Tests.Library;

/// <summary>
/// The vectors stored at analysis (of <see cref="LibraryTexts.Ranked"/>) are the ones library search and
/// Image-Text Matching look up: with them stored, only the query or the script's sentences are embedded.
/// </summary>
public sealed class StoredVectorsTests
{
    private static readonly LibraryEntry[] Library =
    [
        Entry("beach", "lib/beach.mp4", "Sunny beach", "Waves rolling onto the sand", ["sea", "summer"],
            Video(6, "the surf is up today", Shot(0, 3, "", "the surf is up"), Shot(3, 6, "LIFEGUARD ON DUTY", "today")), minute: 1),
        Entry("bakery", "lib/bakery.mp4", "Morning bakery", "A baker pulls fresh bread from the oven", ["bread", "food"],
            Video(8, null, Shot(0, 5, "FRESH BREAD DAILY"), Shot(5, 8, "CROISSANTS 2 EUR")), minute: 2),
    ];

    private static (CountingEncoder Encoder, Dictionary<string, float[]> Stored) Analysed()
    {
        var encoder = new CountingEncoder();
        var stored = Library.SelectMany(e => SentenceDocuments.Embed(encoder, LibraryTexts.Ranked(e).Select(SentenceDocuments.Of)))
            .ToDictionary(kv => kv.Key, kv => kv.Value);
        encoder.Texts.Clear();
        return (encoder, stored);
    }

    [Fact]
    public void A_search_embeds_only_its_query()
    {
        var (encoder, stored) = Analysed();
        LibrarySearch.Rank(Library, "lifeguard", new RelevanceRanking(encoder), stored).Should().NotBeEmpty();
        encoder.Texts.Should().Equal("lifeguard");
    }

    [Fact]
    public void Image_text_matching_embeds_only_the_scripts_sentences()
    {
        var (encoder, stored) = Analysed();
        var media = Library.ToDictionary(e => e.InputUrl, e => TestTimelines.Video(e.Analysis!.DurationSeconds));
        var facts = new MatchingFacts(new BatchFacts(media, line => 1.0), Library.SelectMany(LibraryTexts.For), stored);
        var request = BatchFixture.Parse(new JsonObject
        {
            ["InputConfig"] = new JsonObject
            {
                ["MediaArray"] = new JsonArray(Library.Select(e => (JsonNode)e.InputUrl!).ToArray()),
                ["SpeechTextArray"] = new JsonArray("Fresh bread. Surf's up."),
            }.ToJsonString(),
            ["OutputConfig"] = new JsonObject { ["MediaURL"] = "out/{index}.mp4", ["Count"] = 1, ["Width"] = 720, ["Height"] = 1280 },
        });
        new ImageTextMatchingPlanner(new RelevanceRanking(encoder)).Plan(request, facts).Outputs.Should().ContainSingle();
        encoder.Texts.Should().BeEquivalentTo("Fresh bread.", "Surf's up.");
    }

    /// <summary>A stand-in encoder recording what it embeds: a text's vector is its length and 1, normalised.</summary>
    private sealed class CountingEncoder : ISentenceEncoder
    {
        public List<string> Texts { get; } = [];
        public string Name => "counting";
        public double MinSimilarity => 0;

        public float[][] Embed(IReadOnlyList<string> texts, CancellationToken ct = default)
        {
            lock (Texts) Texts.AddRange(texts);
            return texts.Select(t => { var n = MathF.Sqrt(t.Length * t.Length + 1); return new[] { t.Length / n, 1 / n }; }).ToArray();
        }
    }
}
