using RenderFarm.Core.Batch;
using RenderFarm.Core.Batch.Matching;
using RenderFarm.Core.Json;

namespace RenderFarm.Core.Library;

/// <summary>
/// The library media an Image-Text Matching request's MediaSearchInput selects: analysed (Normal) entries
/// only, because matching needs their texts; with a SearchText the entries it matches, best first
/// (<see cref="LibrarySearch"/>), without one every analysed entry, newest first; at most <c>max</c>.
/// Selecting nothing is an error naming SearchText (or MediaSearchInput).
/// </summary>
public static class LibraryMediaSelection
{
    public static IReadOnlyList<MediaRef> Select(IReadOnlyList<LibraryEntry> entries, MediaSearch search, int max,
        RelevanceRanking? ranking = null, IReadOnlyDictionary<string, float[]>? vectors = null)
    {
        var analysed = entries.Where(e => e.State == MediaState.Normal).ToList();
        var picked = search.SearchText is { } query
            ? LibrarySearch.Rank(analysed, query, ranking, vectors).Select(hit => hit.Entry)
            : analysed.OrderByDescending(e => e.CreateTime).ThenBy(e => e.MediaId, StringComparer.Ordinal);
        var refs = picked.Take(max).Select(e => new MediaRef(search.Path, e.InputUrl)).ToList();
        if (refs.Count > 0) return refs;
        if (analysed.Count == 0)
            throw new RequestException(search.Path, "the media library holds no analysed medium: register media (farm media add, RegisterMediaInfo) and let their analysis finish");
        throw new RequestException($"{search.Path}.LibSearchCondition.SearchText",
            $"no analysed medium of the media library matches '{search.SearchText}' (its title, description, tags, on-screen text or speech)");
    }
}
