using RenderFarm.Core.Batch.Matching;

namespace RenderFarm.Core.Library;

/// <summary>One search result: the entry, its score (higher is better; 0 is never returned) and the shot that scored best (null: the medium as a whole).</summary>
public sealed record LibraryHit(LibraryEntry Entry, double Score, AnalysedShot? BestShot);

/// <summary>
/// Ranks library entries for a free-text query with the relevance ranker Image-Text Matching uses
/// (BM25F over title, tags, description, OCR text and transcript; Chinese by character n-grams, English
/// by stems). Each shot is scored with its medium's title, description and tags added, as a shot of a
/// video is described by them too, and with its own transcript (the whole-medium record then leaves the
/// transcript out); an entry scores as its best record. Ties keep the newest entry first.
/// </summary>
public static class LibrarySearch
{
    public const int MaxQueryLength = 512;

    /// <summary>How many library entries (newest first) a search ranks: the API's search and a batch's MediaSearchInput.</summary>
    public const int MaxRankedEntries = 10_000;

    public static IReadOnlyList<LibraryHit> Rank(IReadOnlyList<LibraryEntry> entries, string query)
    {
        var records = new List<(int Entry, AnalysedShot? Shot, MediaText Text)>();
        for (var i = 0; i < entries.Count; i++)
        {
            var texts = LibraryTexts.For(entries[i]);
            var whole = texts.FirstOrDefault(t => !t.IsShot) ?? new MediaText(entries[i].InputUrl);
            var shotTexts = texts.Where(t => t.IsShot).ToList();
            // With shots, the spoken words are ranked where they are spoken: in the shots.
            if (shotTexts.Count > 0) whole = whole with { Transcript = null };
            records.Add((i, null, whole));
            var shots = entries[i].Analysis?.Shots ?? [];
            foreach (var text in shotTexts)
                records.Add((i, shots.FirstOrDefault(s => s.In == text.In && s.Out == text.Out), text.With(whole)));
        }
        var scores = new TextRelevanceRanker(records.Select(r => r.Text).ToList()).Scores(query);
        return records.Select((r, k) => (r.Entry, r.Shot, Score: scores[k]))
            .Where(r => r.Score > 0)
            .GroupBy(r => r.Entry)
            .Select(g => g.OrderByDescending(r => r.Score).ThenBy(r => r.Shot is null ? 0 : 1).First())
            .Select(r => new LibraryHit(entries[r.Entry], r.Score, r.Shot))
            .OrderByDescending(h => h.Score).ThenByDescending(h => h.Entry.CreateTime).ThenBy(h => h.Entry.MediaId, StringComparer.Ordinal)
            .ToList();
    }
}
