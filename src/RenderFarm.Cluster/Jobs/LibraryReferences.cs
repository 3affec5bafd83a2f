using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RenderFarm.Cluster.ReadModel;
using RenderFarm.Core.Batch;
using RenderFarm.Core.Json;
using RenderFarm.Core.Library;

namespace RenderFarm.Cluster.Jobs;

/// <summary>
/// Resolves a batch request's media library references before it is planned: a media entry that is a
/// library MediaId (IMS lists media by id) becomes that medium's InputURL, and MediaSearchInput adds the
/// library media it selects (<see cref="LibraryMediaSelection"/>) to MediaArray. What cannot be resolved is
/// an error naming the field, so nothing is stored.
/// </summary>
public static partial class LibraryReferences
{
    public static async Task<BatchRequest> ResolveAsync(BatchRequest request, IMediaLibraryStore? library, CancellationToken ct)
    {
        var input = request.Input;
        if (library is null)
        {
            if (input.MediaSearch is { } search) throw new RequestException(search.Path, "this node has no media library to search");
            return request;
        }

        async Task<MediaRef> Resolve(MediaRef media)
        {
            if (!MediaIdShape().IsMatch(media.Url)) return media;
            var entry = await library.GetMediaAsync(media.Url, ct)
                ?? throw new RequestException(media.Path, $"'{media.Url}' is not the MediaId of a medium in the media library");
            return media with { Url = entry.InputUrl };
        }
        async Task<IReadOnlyList<MediaRef>> All(IReadOnlyList<MediaRef> list)
        {
            var resolved = new List<MediaRef>(list.Count);
            foreach (var media in list) resolved.Add(await Resolve(media));
            return resolved;
        }

        var groups = new List<MediaGroup>();
        foreach (var group in input.MediaGroups) groups.Add(group with { Media = await All(group.Media) });
        var stickers = new List<Sticker>();
        foreach (var sticker in input.Stickers) stickers.Add(sticker with { Media = await Resolve(sticker.Media) });
        var media = (await All(input.Media)).ToList();
        if (input.MediaSearch is { } query && request.Mode.Mode is BatchMode.ImageTextMatchingGlobal or BatchMode.ImageTextMatchingStoryboard)
        {
            var listed = media.Select(m => m.Url).ToHashSet(StringComparer.Ordinal);
            var room = Math.Max(0, BatchLimits.Default.MaxMediaArrayItems - media.Count);
            var found = LibraryMediaSelection.Select(await library.AllMediaAsync(LibrarySearch.MaxRankedEntries, ct), query, room + listed.Count,
                BatchPlanning.Ranking, query.SearchText is null ? null : await library.TextVectorsAsync(null, ct));
            media.AddRange(found.Where(f => listed.Add(f.Url)).Take(room));
        }
        return request with
        {
            Input = input with
            {
                MediaGroups = groups,
                Media = media,
                Stickers = stickers,
                BackgroundMusic = await All(input.BackgroundMusic),
                BackgroundImages = await All(input.BackgroundImages),
            },
        };
    }

    /// <summary>
    /// Replaces the library ids a timeline's clips name (<see cref="TimelineMediaIds"/>) by the media's stored
    /// MediaURL; an id the library does not hold is an error naming its field. Without a library the ids stay,
    /// and the timeline parser names the first one.
    /// </summary>
    public static async Task ResolveTimelineAsync(JsonObject timeline, string path, IMediaLibraryStore? library, CancellationToken ct)
    {
        var references = TimelineMediaIds.Find(timeline, path);
        if (references.Count == 0 || library is null) return;
        var urls = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var id in references.Select(r => r.Id).Distinct(StringComparer.Ordinal))
            urls[id] = (await library.GetMediaAsync(id, ct))?.InputUrl;
        TimelineMediaIds.Replace(references, id => urls[id]);
    }

    /// <summary>MediaIds are 32 lower-case hex characters (<see cref="JobIds"/>), as IMS's are.</summary>
    [GeneratedRegex("^[0-9a-f]{32}$")]
    internal static partial Regex MediaIdShape();
}
