using RenderFarm.Core.Batch.Matching;
using RenderFarm.Onnx.Embedding;

namespace RenderFarm.Onnx.Tests;

/// <summary>The meaning part of the hybrid ranker finds the media text that means what a sentence says, in English and Chinese.</summary>
public sealed class SentenceMeaningTests(TinyEncoder encoder)
{
    /// <summary>The hybrid ranker's meaning scores alone (no shared word needed).</summary>
    private sealed class Meaning(TextEmbedder embedder, IReadOnlyList<MediaText> texts) : IRelevanceRanker
    {
        private readonly HybridRelevanceRanker _ranker = new(texts, embedder);
        public IReadOnlyList<MediaText> Texts => texts;
        public double[] Scores(string sentence) => _ranker.Meaning(sentence);
    }

    private static readonly MediaText[] Library =
    [
        new("kitten.mp4", Title: "Kitten on the sofa", Tags: ["cat"]),
        new("puppy.mp4", Title: "Puppy in the park", Tags: ["dog"]),
        new("harbour.mp4", Title: "Harbour at dawn", Description: "boats in the port"),
        new("alps.jpg", Title: "Mountain peak"),
        new("bakery.mp4", Transcript: "fresh bread at the bakery"),
        new("unknown.mp4"),
    ];

    private static readonly (string Sentence, string Expected)[] Script =
    [
        ("The cats sleep.", "kitten.mp4"),
        ("A dog running in the park!", "puppy.mp4"),
        ("Ships at the harbour", "harbour.mp4"),
        ("小猫在睡觉", "kitten.mp4"),
        ("港口的船", "harbour.mp4"),
        ("山", "alps.jpg"),
        ("面包", "bakery.mp4"),
        ("狗", "puppy.mp4"),
    ];

    public static TheoryData<string, string> Sentences => new(Script);

    [Theory]
    [MemberData(nameof(Sentences))]
    public void The_text_that_shares_the_meaning_ranks_first(string sentence, string expected)
    {
        using var embedder = new TextEmbedder(encoder.TokenLevelModel, encoder.VocabularyPath);
        var ranker = new Meaning(embedder, Library);
        var scores = ranker.Scores(sentence);
        var best = Enumerable.Range(0, scores.Length).MaxBy(i => scores[i]);
        ranker.Texts[best].MediaUrl.Should().Be(expected);
        scores.Should().OnlyContain(s => s >= 0 && s <= 1);
        scores[^1].Should().Be(0, "a medium with no text matches nothing");
    }

    [Fact]
    public void The_pooled_model_ranks_the_same_way()
    {
        using var embedder = new TextEmbedder(encoder.PooledModel, encoder.VocabularyPath);
        var ranker = new Meaning(embedder, Library);
        foreach (var (sentence, expected) in new[] { ("Ships at the harbour", "harbour.mp4"), ("小猫", "kitten.mp4"), ("peak", "alps.jpg") })
        {
            var scores = ranker.Scores(sentence);
            ranker.Texts[Enumerable.Range(0, scores.Length).MaxBy(i => scores[i])].MediaUrl.Should().Be(expected, sentence);
        }
    }

    [Fact]
    public void Below_the_similarity_floor_a_text_scores_zero_like_a_text_with_no_common_word()
    {
        using var embedder = new TextEmbedder(encoder.TokenLevelModel, encoder.VocabularyPath);
        // Unrelated texts still share the filler direction ([CLS], [SEP], "the"), so their cosine is above 0;
        // a floor turns that into "no match" while the matching text keeps a positive score.
        var raw = new Meaning(embedder, Library).Scores("the mountain");
        using var withFloor = new TextEmbedder(encoder.TokenLevelModel, encoder.VocabularyPath, new EmbeddingOptions { MinSimilarity = 0.5 });
        raw[1].Should().BeGreaterThan(0);
        var floored = new Meaning(withFloor, Library).Scores("the mountain");
        floored[3].Should().BeGreaterThan(0).And.BeLessThan(raw[3], "scores are rescaled above the floor");
        floored.Where((_, i) => i != 3).Should().OnlyContain(s => s == 0);
    }

    [Fact]
    public void Title_and_tags_come_first_so_that_cutting_a_long_text_keeps_them()
    {
        var text = new MediaText("m", Title: "Harbour", Tags: ["boat", "ship"], Description: "d", OcrText: "o", Transcript: "t");
        SentenceDocuments.Of(text).Should().Be("Harbour\nboat, ship\nd\no\nt");
        using var embedder = new TextEmbedder(encoder.TokenLevelModel, encoder.VocabularyPath, new EmbeddingOptions { MaxSequenceLength = 8 });
        var bread = string.Join(' ', Enumerable.Repeat("bread", 200));
        var ranker = new Meaning(embedder,
        [
            new MediaText("titled", Title: "Harbour", Transcript: bread),
            new MediaText("said", Title: bread, Transcript: "harbour"),
        ]);
        var scores = ranker.Scores("port");
        scores[0].Should().BeGreaterThan(scores[1] + 0.1, "a title is kept when the text is cut to 8 tokens, a transcript after a long title is not");
    }

    [Fact]
    public void Concurrent_sentences_get_the_same_scores_as_one_at_a_time()
    {
        using var embedder = new TextEmbedder(encoder.TokenLevelModel, encoder.VocabularyPath);
        var ranker = new Meaning(embedder, Library);
        var sentences = Script.Select(s => s.Sentence).ToArray();
        var sequential = sentences.Select(ranker.Scores).ToArray();
        var parallel = new double[sentences.Length][];
        Parallel.For(0, sentences.Length * 8, i => parallel[i % sentences.Length] = ranker.Scores(sentences[i % sentences.Length]));
        for (var i = 0; i < sentences.Length; i++) parallel[i].Should().Equal(sequential[i]);
    }
}
