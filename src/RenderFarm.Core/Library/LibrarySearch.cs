using RenderFarm.Core.Batch.Matching;

namespace RenderFarm.Core.Library;

/// <summary>One search result: the entry, its score (higher is better; 0 is never returned) and the shot that scored best (null: the medium as a whole).</summary>
public sealed record LibraryHit(LibraryEntry Entry, double Score, AnalysedShot? BestShot);

/// <summary>
/// Ranks library entries for a free-text query with the ranking Image-Text Matching uses (<see cref="RelevanceRanking"/>:
/// BM25F over title, tags, description, OCR text and transcript, Chinese by character n-grams, English by
/// stems; on the farm fused with a sentence encoder whose vectors of the entries were stored at analysis, so
/// only the query is embedded). The records are <see cref="LibraryTexts.SearchRecords"/>; an entry scores as
/// its best record. Ties keep the newest entry first.
/// </summary>
public static class LibrarySearch
{
    public const int MaxQueryLength = 512;

    /// <summary>How many library entries (newest first) a search ranks: the API's search and a batch's MediaSearchInput.</summary>
    public const int MaxRankedEntries = 10_000;

    /// <param name="ranking">Default: BM25F alone.</param>
    /// <param name="vectors">Stored sentence vectors (<see cref="SentenceDocuments.Key"/>); records without one are embedded.</param>
    public static IReadOnlyList<LibraryHit> Rank(IReadOnlyList<LibraryEntry> entries, string query, RelevanceRanking? ranking = null,
        IReadOnlyDictionary<string, float[]>? vectors = null)
    {
        var records = entries.SelectMany((e, i) => LibraryTexts.SearchRecords(e).Select(r => (Entry: i, r.Shot, r.Text))).ToList();
        var scores = (ranking ?? RelevanceRanking.Lexical).Ranker(records.Select(r => r.Text).ToList(), vectors).Scores(query);
        return records.Select((r, k) => (r.Entry, r.Shot, Score: scores[k]))
            .Where(r => r.Score > 0)
            .GroupBy(r => r.Entry)
            .Select(g => g.OrderByDescending(r => r.Score).ThenBy(r => r.Shot is null ? 0 : 1).First())
            .Select(r => new LibraryHit(entries[r.Entry], r.Score, r.Shot))
            .OrderByDescending(h => h.Score).ThenByDescending(h => h.Entry.CreateTime).ThenBy(h => h.Entry.MediaId, StringComparer.Ordinal)
            .ToList();
    }
}
