using System.Text.Json.Nodes;
using RenderFarm.Core.Json;

namespace RenderFarm.Core.Library;

/// <summary>
/// The media library ids a timeline names in place of a MediaURL: MediaId on video, audio and image track
/// clips, and ImageId on the clips of IMS's deprecated ImageTracks. A farm node looks each one up and
/// <see cref="Replace"/> writes the stored MediaURL in its place, so the timeline that is stored and
/// rendered names files only. A clip giving both keeps its MediaURL (the parser accepts the id).
/// </summary>
public static class TimelineMediaIds
{
    /// <summary>One id: the clip that names it, the id field's JSON path and name, and the id.</summary>
    public sealed record Reference(JsonObject Clip, string Path, string Field, string Id);

    private static readonly (string Tracks, string Clips, string[] IdFields)[] Places =
    [
        ("VideoTracks", "VideoTrackClips", ["MediaId"]),
        ("AudioTracks", "AudioTrackClips", ["MediaId"]),
        ("ImageTracks", "ImageTrackClips", ["ImageId", "MediaId"]),
    ];

    /// <summary>Every clip of <paramref name="timeline"/> (JSON path <paramref name="path"/>) that names a library id and no MediaURL.</summary>
    public static IReadOnlyList<Reference> Find(JsonObject timeline, string path)
    {
        var found = new List<Reference>();
        foreach (var (tracksName, clipsName, idFields) in Places)
        {
            if (Field(timeline, tracksName) is not JsonArray tracks) continue;
            for (var t = 0; t < tracks.Count; t++)
            {
                if (tracks[t] is not JsonObject track || Field(track, clipsName) is not JsonArray clips) continue;
                for (var c = 0; c < clips.Count; c++)
                {
                    if (clips[c] is not JsonObject clip || Field(clip, "MediaURL") is not null) continue;
                    foreach (var idField in idFields)
                        if (Field(clip, idField) is JsonValue v && v.TryGetValue<string>(out var id) && id.Trim().Length > 0)
                        {
                            found.Add(new Reference(clip, Join(path, $"{tracksName}[{t}].{clipsName}[{c}].{idField}"), idField, id.Trim()));
                            break;
                        }
                }
            }
        }
        return found;
    }

    /// <summary>
    /// Writes each reference's MediaURL (<paramref name="urlOf"/>: the library's stored URL, null for an id the
    /// library does not hold, which is an error naming the field) and removes the id.
    /// </summary>
    public static void Replace(IReadOnlyList<Reference> references, Func<string, string?> urlOf)
    {
        foreach (var reference in references)
        {
            var url = urlOf(reference.Id)
                ?? throw new RequestException(reference.Path, $"'{JsonObjectReader.Excerpt(reference.Id)}' is not the MediaId of a medium in the media library");
            var key = reference.Clip.First(p => string.Equals(p.Key, reference.Field, StringComparison.OrdinalIgnoreCase)).Key;
            reference.Clip.Remove(key);
            reference.Clip["MediaURL"] = url;
        }
    }

    private static string Join(string path, string rest) => path.Length == 0 ? rest : $"{path}.{rest}";

    /// <summary>A field by case-insensitive name (IMS field names are case-insensitive).</summary>
    private static JsonNode? Field(JsonObject o, string name) =>
        o.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}
