using RenderFarm.Core.Batch.Matching;

namespace RenderFarm.Onnx.Embedding;

/// <summary>
/// Ranks media texts by meaning: each text is embedded once, at construction, and a sentence scores each
/// text by cosine similarity. Scores keep the scale <see cref="IRelevanceRanker"/> users rely on: 0 means
/// no match (a similarity at or below <see cref="EmbeddingOptions.MinSimilarity"/>, or a text with nothing
/// in it), anything above is a match, rescaled to (0, 1] above that floor; never negative.
/// </summary>
public sealed class OnnxEmbeddingRanker : IRelevanceRanker
{
    private readonly TextEmbedder _embedder;
    private readonly float[]?[] _vectors; // null: a text with no words
    private readonly double _floor;

    public OnnxEmbeddingRanker(TextEmbedder embedder, IReadOnlyList<MediaText> texts, double minSimilarity = 0, CancellationToken ct = default)
    {
        if (!(minSimilarity >= 0 && minSimilarity <= EmbeddingOptions.MaxMinSimilarity))
            throw new ArgumentOutOfRangeException(nameof(minSimilarity), minSimilarity, $"minSimilarity must be between 0 and {EmbeddingOptions.MaxMinSimilarity}");
        _embedder = embedder;
        _floor = minSimilarity;
        Texts = texts;
        var documents = texts.Select(DocumentOf).ToArray();
        // Shots of one video often share their text: each distinct text is embedded once.
        var distinct = documents.Where(d => d.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var embedded = embedder.Embed(distinct, ct);
        var byText = distinct.Select((d, i) => (d, embedded[i])).ToDictionary(x => x.d, x => x.Item2, StringComparer.Ordinal);
        _vectors = documents.Select(d => d.Length == 0 ? null : byText[d]).ToArray();
    }

    public IReadOnlyList<MediaText> Texts { get; }

    public double[] Scores(string sentence)
    {
        var scores = new double[Texts.Count];
        if (string.IsNullOrWhiteSpace(sentence)) return scores;
        var query = _embedder.Embed([sentence])[0];
        for (var i = 0; i < scores.Length; i++)
        {
            if (_vectors[i] is not { } v) continue;
            double cosine = 0;
            for (var d = 0; d < v.Length; d++) cosine += (double)v[d] * query[d]; // both unit length
            scores[i] = cosine <= _floor ? 0 : Math.Min(1, (cosine - _floor) / (1 - _floor));
        }
        return scores;
    }

    /// <summary>
    /// The text a medium is embedded as: title and tags first (the words chosen to name the content, so
    /// truncation to the model's length cuts the wordier fields), then description, on-screen text and
    /// transcript, one per line. Empty when the medium has no text.
    /// </summary>
    public static string DocumentOf(MediaText text)
    {
        string?[] fields = [text.Title, text.Tags is { Count: > 0 } tags ? string.Join(", ", tags) : null, text.Description, text.OcrText, text.Transcript];
        return string.Join("\n", fields.Where(f => !string.IsNullOrWhiteSpace(f)).Select(f => f!.Trim()));
    }
}
