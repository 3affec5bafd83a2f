namespace RenderFarm.Core.Batch.Matching;

/// <summary>
/// The weights of <see cref="HybridRelevanceRanker"/>'s fusion (defaults measured by `scripts/bench-matching.sh`).
/// </summary>
/// <param name="LexicalWeight">What BM25F's best match adds at most, against 1 for a perfect meaning match.</param>
/// <param name="LexicalHalf">The BM25F score at which its best match earns half of <paramref name="LexicalWeight"/>: one shared rare word scores about 2-3, a sentence naming a shot well 5-15.</param>
public sealed record FusionWeights(double LexicalWeight = 0.25, double LexicalHalf = 10.0)
{
    public static readonly FusionWeights Default = new();
}

/// <summary>
/// BM25F (<see cref="TextRelevanceRanker"/>: exact terms, stems, Chinese n-grams) fused with a sentence
/// encoder's cosine similarity, so a sentence finds the shot that says the same thing in other words.
/// Each part stays on a scale where 0 means no evidence:
/// meaning: <c>max(0, (cos - floor) / (1 - floor))</c>, the encoder's floor making unrelated texts 0;
/// words: <c>W * bm25 / (best bm25 + H)</c>, the share of the best lexical match damped by how confident that
/// match is (one weak shared word adds little; a strong exact or Chinese match adds nearly W).
/// The score is their sum: 0 when neither finds anything (no match), and the 15% window of the shot
/// matcher then compares shots by both.
/// </summary>
public sealed class HybridRelevanceRanker : IRelevanceRanker
{
    private readonly TextRelevanceRanker _lexical;
    private readonly ISentenceEncoder _encoder;
    private readonly FusionWeights _weights;
    private readonly float[]?[] _vectors; // null: a text with no words

    public HybridRelevanceRanker(IReadOnlyList<MediaText> texts, ISentenceEncoder encoder, IReadOnlyDictionary<string, float[]>? known = null,
        CancellationToken ct = default, FusionWeights? weights = null)
    {
        Texts = texts;
        _encoder = encoder;
        _weights = weights ?? FusionWeights.Default;
        _lexical = new TextRelevanceRanker(texts);
        var documents = texts.Select(SentenceDocuments.Of).ToArray();
        var keys = documents.Select(d => SentenceDocuments.Key(encoder.Name, d)).ToArray();
        // Stored vectors first (library shots, embedded at analysis); the rest (inline media) are embedded now, once per distinct text.
        var missing = documents.Where((d, i) => d.Length > 0 && known?.ContainsKey(keys[i]) != true);
        var embedded = SentenceDocuments.Embed(encoder, missing, ct);
        _vectors = documents.Select((d, i) => d.Length == 0 ? null
            : known is not null && known.TryGetValue(keys[i], out var v) ? v : embedded[keys[i]]).ToArray();
    }

    public IReadOnlyList<MediaText> Texts { get; }

    public double[] Scores(string sentence)
    {
        var scores = new double[Texts.Count];
        if (string.IsNullOrWhiteSpace(sentence)) return scores;
        var meaning = Meaning(sentence);
        var words = _lexical.Scores(sentence);
        var best = words.DefaultIfEmpty(0).Max();
        for (var i = 0; i < scores.Length; i++)
            scores[i] = meaning[i] + (best > 0 ? _weights.LexicalWeight * words[i] / (best + _weights.LexicalHalf) : 0);
        return scores;
    }

    /// <summary>The meaning part alone: cosine similarity above the encoder's floor, rescaled to (0, 1]; 0 at or below it.</summary>
    public double[] Meaning(string sentence)
    {
        var scores = new double[Texts.Count];
        if (string.IsNullOrWhiteSpace(sentence)) return scores;
        var query = _encoder.Embed([sentence])[0];
        var floor = _encoder.MinSimilarity;
        for (var i = 0; i < scores.Length; i++)
        {
            if (_vectors[i] is not { } v) continue;
            double cosine = 0;
            for (var d = 0; d < v.Length; d++) cosine += (double)v[d] * query[d]; // both unit length
            scores[i] = cosine <= floor ? 0 : Math.Min(1, (cosine - floor) / (1 - floor));
        }
        return scores;
    }
}
