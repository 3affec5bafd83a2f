using System.Globalization;
using System.Text.Json.Nodes;
using RenderFarm.Core.Batch;
using RenderFarm.Core.Batch.Matching;
using RenderFarm.Core.Planning;
using RenderFarm.Onnx.Embedding;
using RenderFarm.TestSupport.Matching;

namespace RenderFarm.Onnx.Tests;

/// <summary>
/// The farm's default ranking (BM25F fused with all-MiniLM-L6-v2) on the matching sets
/// (tests/RenderFarm.TestSupport/Matching/matching-sets.json): paraphrases found where BM25F alone cannot,
/// today's English and Chinese sentences still found, unrelated sentences still no match, stored vectors used.
/// MiniLM is opened once per process (MiniLm.Encoder) and the set's shots embedded once here.
/// </summary>
public sealed class MatchingSetTests(ITestOutputHelper log)
{
    private static readonly Lazy<HybridRelevanceRanker> OnParaphrases = new(() => new HybridRelevanceRanker(MatchingSets.Paraphrase.Texts, MiniLm.Encoder()));

    [Fact]
    public void The_paraphrase_set_has_30_sentences_each_describing_its_own_shot_with_no_content_word_in_common()
    {
        var set = MatchingSets.Paraphrase;
        set.Shots.Should().HaveCountGreaterThanOrEqualTo(30);
        set.Sentences.Should().HaveCountGreaterThanOrEqualTo(30);
        set.Sentences.Select(s => s.Shot).Should().OnlyHaveUniqueItems().And.BeSubsetOf(set.Shots.Select(s => s.Id));
        foreach (var sentence in set.Sentences)
        {
            var shot = set.Shots.Single(s => s.Id == sentence.Shot);
            var shotTerms = TextTerms.Of(SentenceDocuments.Of(shot.Text)).ToHashSet(StringComparer.Ordinal);
            TextTerms.Of(sentence.Text).Where(shotTerms.Contains).Should().BeEmpty($"'{sentence.Text}' must not share a (stemmed) content word with shot {shot.Id}");
        }
    }

    [Fact]
    public void The_default_ranker_finds_at_least_80_percent_of_the_paraphrases_and_BM25F_alone_fewer()
    {
        var set = MatchingSets.Paraphrase;
        var fused = MatchingSets.Rank(set, OnParaphrases.Value);
        var bm25 = MatchingSets.Rank(set, new TextRelevanceRanker(set.Texts));
        foreach (var r in fused)
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{(r.Hit ? "ok  " : "MISS")} {r.Sentence.Shot,-12} top {r.Top ?? "none",-12} {r.TopScore:0.000}: {r.Sentence.Text}"));
        log.WriteLine($"top-1: default {MatchingSets.Accuracy(fused):P0}, BM25F alone {MatchingSets.Accuracy(bm25):P0} of {set.Sentences.Count}");
        MatchingSets.Accuracy(fused).Should().BeGreaterThanOrEqualTo(0.8);
        MatchingSets.Accuracy(bm25).Should().BeLessThan(MatchingSets.Accuracy(fused));
    }

    [Fact]
    public void English_and_Chinese_sentences_that_share_words_with_their_shot_rank_at_least_as_well_as_with_BM25F_alone()
    {
        var set = MatchingSets.Lexical;
        var fused = MatchingSets.Rank(set, new HybridRelevanceRanker(set.Texts, MiniLm.Encoder()));
        var bm25 = MatchingSets.Rank(set, new TextRelevanceRanker(set.Texts));
        foreach (var chinese in new[] { false, true })
        {
            double Of(IEnumerable<SentenceResult> results) => MatchingSets.Accuracy(results.Where(r => r.Sentence.Chinese == chinese));
            log.WriteLine($"{(chinese ? "Chinese" : "English")}: default {Of(fused):P0}, BM25F alone {Of(bm25):P0}");
            Of(fused).Should().BeGreaterThanOrEqualTo(Of(bm25)).And.BeGreaterThanOrEqualTo(7 / 8.0, "today's matching tests find 7 of 8");
        }
    }

    [Theory]
    [InlineData("The stock exchange closed lower on fears about interest rates.")]
    [InlineData("The committee will vote on the amended budget next Tuesday.")]
    public void A_sentence_sharing_neither_words_nor_meaning_with_any_shot_matches_nothing(string sentence)
    {
        MatchingSets.Unrelated.Should().Contain(sentence);
        var ranker = new HybridRelevanceRanker([.. MatchingSets.Paraphrase.Texts, .. MatchingSets.Lexical.Texts], MiniLm.Encoder());
        ranker.Scores(sentence).Should().OnlyContain(s => s == 0);
    }

    [Fact]
    public void An_exact_rare_term_wins_over_shots_that_only_mean_something_close()
    {
        MediaText[] texts =
        [
            new("a.mp4", Title: "Blender crushing ice", Tags: ["kitchen", "appliance"]),
            new("b.mp4", Title: "Product shot on a white table", OcrText: "VORTEX-900"),
            new("c.mp4", Title: "Mixer whisking cream", Tags: ["kitchen", "appliance"]),
        ];
        var scores = new HybridRelevanceRanker(texts, MiniLm.Encoder()).Scores("Meet the Vortex-900.");
        scores[1].Should().Be(scores.Max(), "only b shows the product's name; a and c are only kitchen appliances like it");
    }

    [Fact]
    public void Stored_vectors_are_used_so_only_the_sentence_is_embedded()
    {
        var encoder = new CountingEncoder(MiniLm.Encoder());
        var texts = MatchingSets.Paraphrase.Texts;
        var stored = SentenceDocuments.Embed(encoder, texts.Select(SentenceDocuments.Of), TestContext.Current.CancellationToken);
        encoder.Texts = 0;
        var ranker = new HybridRelevanceRanker(texts, encoder, stored);
        var sentence = MatchingSets.Paraphrase.Sentences[0].Text;
        var scores = ranker.Scores(sentence);
        encoder.Texts.Should().Be(1, "the shots' vectors were stored; only the sentence is embedded");
        scores.Should().Equal(OnParaphrases.Value.Scores(sentence));
    }

    [Fact]
    public void The_planner_shows_each_paraphrase_over_the_shot_it_describes()
    {
        var set = MatchingSets.Paraphrase;
        var media = set.Texts.ToDictionary(t => t.MediaUrl, _ => new MediaFacts(4, 640, 360, HasVideo: true, HasAudio: false, IsStill: false));
        var facts = new MatchingFacts(new BatchFacts(media, line => 1 + 0.02 * line.Text.Length), set.Texts);
        var request = BatchRequestParser.Parse(new JsonObject
        {
            ["InputConfig"] = new JsonObject
            {
                ["MediaArray"] = new JsonArray(media.Keys.Select(k => (JsonNode)k!).ToArray()),
                // A script holds at most 1000 characters: two scripts of half the sentences, one per output.
                ["SpeechTextArray"] = new JsonArray(set.Sentences.Chunk((set.Sentences.Count + 1) / 2).Select(half => (JsonNode)string.Join(" ", half.Select(s => s.Text))!).ToArray()),
            }.ToJsonString(),
            ["EditingConfig"] = new JsonObject { ["ProcessConfig"] = new JsonObject { ["SingleShotDuration"] = 4 } },
            ["OutputConfig"] = new JsonObject { ["MediaURL"] = "out/{index}.mp4", ["Count"] = 2, ["Width"] = 720, ["Height"] = 1280 },
            ["Seed"] = 5,
        }.ToJsonString());

        var outputs = new ImageTextMatchingPlanner(new RelevanceRanking(MiniLm.Encoder())).Plan(request, facts).Outputs;
        outputs.Should().HaveCount(2);
        outputs.Sum(o => o.Speech.Count).Should().Be(set.Sentences.Count);
        var right = 0;
        foreach (var output in outputs)
        foreach (var speech in output.Speech)
        {
            var first = output.Shots.First(s => s.TimelineIn >= speech.TimelineIn - 1e-9);
            var hit = first.MediaUrl == $"lib/{set.Sentences.Single(s => s.Text == speech.Text).Shot}.mp4";
            if (hit) right++;
            log.WriteLine($"{(hit ? "ok  " : "MISS")} {first.MediaUrl,-22} <- {speech.Text}");
        }
        log.WriteLine($"{right} of {set.Sentences.Count} sentences over the shot they describe");
        ((double)right / set.Sentences.Count).Should().BeGreaterThanOrEqualTo(0.8);
    }

    private sealed class CountingEncoder(ISentenceEncoder inner) : ISentenceEncoder
    {
        public int Texts;
        public string Name => inner.Name;
        public double MinSimilarity => inner.MinSimilarity;

        public float[][] Embed(IReadOnlyList<string> texts, CancellationToken ct = default)
        {
            Interlocked.Add(ref Texts, texts.Count);
            return inner.Embed(texts, ct);
        }
    }
}
