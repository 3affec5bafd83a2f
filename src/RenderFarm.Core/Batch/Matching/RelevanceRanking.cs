namespace RenderFarm.Core.Batch.Matching;

/// <summary>
/// How media texts are ranked against a sentence in Image-Text Matching, library search and a batch's
/// MediaSearchInput: BM25F alone (<see cref="Lexical"/>), or BM25F fused with a sentence encoder
/// (<see cref="HybridRelevanceRanker"/>, the farm's default).
/// </summary>
public sealed class RelevanceRanking(ISentenceEncoder? encoder = null)
{
    public static readonly RelevanceRanking Lexical = new();

    public ISentenceEncoder? Encoder => encoder;

    /// <param name="known">Stored vectors (<see cref="SentenceDocuments.Key"/>); texts without one are embedded here.</param>
    public IRelevanceRanker Ranker(IReadOnlyList<MediaText> texts, IReadOnlyDictionary<string, float[]>? known = null, CancellationToken ct = default) =>
        encoder is null ? new TextRelevanceRanker(texts) : new HybridRelevanceRanker(texts, encoder, known, ct);
}
