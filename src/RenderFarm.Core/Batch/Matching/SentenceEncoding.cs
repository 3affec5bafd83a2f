using System.Security.Cryptography;
using System.Text;

namespace RenderFarm.Core.Batch.Matching;

/// <summary>
/// A sentence encoder: text in, unit-length vector out, texts of like meaning close together (cosine). The
/// default is all-MiniLM-L6-v2 (RenderFarm.Onnx); RENDERFARM_EMBEDDING_MODEL replaces it with a larger one.
/// </summary>
public interface ISentenceEncoder
{
    /// <summary>Names the model (and its settings): stored vectors are keyed by it, so another encoder never reads them.</summary>
    string Name { get; }

    /// <summary>Cosine similarity at or below which a text counts as unrelated to a sentence (the model's scale).</summary>
    double MinSimilarity { get; }

    /// <summary>One unit-length vector per text, in order. Thread-safe.</summary>
    float[][] Embed(IReadOnlyList<string> texts, CancellationToken ct = default);
}

/// <summary>
/// What a media text is embedded as, and the key its stored vector is found by. The media library embeds
/// each entry's documents once, at analysis (<see cref="Library.LibraryTexts.Ranked"/>); rankers look the
/// vectors up by <see cref="Key"/> and embed only what is not stored (media given inline in a batch).
/// </summary>
public static class SentenceDocuments
{
    /// <summary>
    /// A medium's fields, one per line: title and tags first (the words chosen to name the content, so
    /// cutting to the model's length drops the wordier fields), then description, on-screen text and
    /// transcript. Empty when the medium has no text.
    /// </summary>
    public static string Of(MediaText text)
    {
        string?[] fields = [text.Title, text.Tags is { Count: > 0 } tags ? string.Join(", ", tags) : null, text.Description, text.OcrText, text.Transcript];
        return string.Join("\n", fields.Where(f => !string.IsNullOrWhiteSpace(f)).Select(f => f!.Trim()));
    }

    /// <summary>The stored vector's key: SHA-256 of the encoder's name and the document (32 hex digits).</summary>
    public static string Key(string encoder, string document) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(encoder + "\n" + document)))[..32];

    /// <summary>The vectors of <paramref name="documents"/> under <paramref name="encoder"/>, keyed by <see cref="Key"/>; empty documents are skipped.</summary>
    public static Dictionary<string, float[]> Embed(ISentenceEncoder encoder, IEnumerable<string> documents, CancellationToken ct = default)
    {
        var distinct = documents.Where(d => d.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var vectors = encoder.Embed(distinct, ct);
        return distinct.Select((d, i) => (Key: Key(encoder.Name, d), Vector: vectors[i]))
            .ToDictionary(x => x.Key, x => x.Vector, StringComparer.Ordinal);
    }
}
