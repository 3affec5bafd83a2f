using RenderFarm.Core.Json;

namespace RenderFarm.Core.Timelines;

/// <summary>ClipIds are unique and every ReferenceClipId names an existing clip.</summary>
internal static class ReferenceChecker
{
    public static void Check(Timeline timeline)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        var clips = timeline.VideoTracks.SelectMany(t => t.Clips).Select(c => (c.Path, c.ClipId, c.ReferenceClipId))
            .Concat(timeline.AudioTracks.SelectMany(t => t.Clips).Select(c => (c.Path, c.ClipId, c.ReferenceClipId)))
            .ToList();
        foreach (var (path, id, _) in clips)
        {
            if (id is null) continue;
            if (!ids.TryAdd(id, path))
                throw new RequestException($"{path}.ClipId", $"'{JsonObjectReader.Excerpt(id)}' is already used by {ids[id]}");
        }
        foreach (var (path, id, reference) in clips)
        {
            if (reference is null) continue;
            if (!ids.ContainsKey(reference))
                throw new RequestException($"{path}.ReferenceClipId", $"no clip has ClipId '{JsonObjectReader.Excerpt(reference)}'");
            if (reference == id)
                throw new RequestException($"{path}.ReferenceClipId", "a clip cannot reference itself");
        }
    }
}
