using System.Text.Json;
using System.Text.Json.Nodes;
using RenderFarm.Core.Json;

namespace RenderFarm.Cli;

/// <summary>
/// Makes a request file mean on the farm what it means to `farm render`, before `farm submit` / `farm batch submit` send it:
/// <list type="bullet">
/// <item>every relative local MediaURL (no scheme, not absolute) becomes an absolute path against the file's directory;
/// the node then checks it against its media roots (DATA/media, --media-root / RENDERFARM_ALLOWED_ROOTS);</item>
/// <item>a relative output MediaURL (OutputMediaConfig / OutputConfig) is a path under the node's output directory
/// (--output-dir / RENDERFARM_OUTPUT_DIR): it is normalised and leading "../" steps are dropped ("../out/a.mp4" is written
/// as out/a.mp4 there), with a note on stderr; absolute paths and file:// URLs are sent as they are (the node accepts them
/// only inside its output directory);</item>
/// <item>a bare timeline is sent as {"Timeline": ...}.</item>
/// </list>
/// Timeline, OutputMediaConfig and the batch configs may be objects or JSON strings (as IMS sends them); strings stay strings.
/// </summary>
public static class SubmitRequest
{
    private static readonly string[] OutputKeys = ["OutputMediaConfig", "OutputConfig"];

    /// <summary>Batch fields that list media as plain strings (MediaURLs or library MediaIds).</summary>
    private static readonly string[] MediaListKeys = ["MediaArray", "BackgroundMusicArray", "BackgroundMusic", "BackgroundImageArray"];

    /// <summary>A relative local file in a media list; a library MediaId (no directory, no extension) stays as it is.</summary>
    private static bool IsRelativeFile(string entry) => IsRelativeLocal(entry) && (entry.Contains('/') || entry.Contains('.'));

    public static string Prepare(string body, string baseDirectory, string? output, Action<string> note)
    {
        JsonObject root;
        try { root = JsonNode.Parse(body) as JsonObject ?? throw new RequestException("", "the request must be a JSON object"); }
        catch (JsonException e) { throw new RequestException("", $"the request is not valid JSON: {e.Message}"); }
        if (Key(root, "Timeline") is null && Key(root, "InputConfig") is null && (Key(root, "VideoTracks") ?? Key(root, "AudioTracks")) is not null)
            root = new JsonObject { ["Timeline"] = root };

        foreach (var (key, value) in root.ToList())
        {
            if (OutputKeys.Contains(key, StringComparer.OrdinalIgnoreCase)) continue;
            var rewritten = Rewrite(value, baseDirectory);
            if (!ReferenceEquals(rewritten, value)) root[key] = rewritten;
        }

        var outputKey = OutputKeys.Select(k => Key(root, k)).FirstOrDefault(k => k is not null);
        if (output is not null)
        {
            outputKey ??= Key(root, "InputConfig") is null ? "OutputMediaConfig" : "OutputConfig";
            Replace(root, outputKey, Edit(root[outputKey], o => o[Key(o, "MediaURL") ?? "MediaURL"] = output));
        }
        else if (outputKey is not null)
        {
            Replace(root, outputKey, Edit(root[outputKey], o =>
            {
                if (Key(o, "MediaURL") is not { } urlKey || o[urlKey] is not JsonValue v || !v.TryGetValue<string>(out var url)) return;
                if (OnNode(url) is { } kept && kept != url)
                {
                    note($"{outputKey}.MediaURL '{url}' is written as '{kept}' under the node's output directory (RENDERFARM_OUTPUT_DIR; `farm node --output-dir DIR`)");
                    o[urlKey] = kept;
                }
            }));
        }
        return root.ToJsonString();
    }

    /// <summary>A relative output path as it is kept under the node's output directory: normalised, leading ".." dropped; null if not relative.</summary>
    public static string? OnNode(string url)
    {
        if (url.Length == 0 || IsUrl(url) || Path.IsPathRooted(url)) return null;
        var parts = new List<string>();
        foreach (var part in url.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".") continue;
            if (part == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); continue; }
            parts.Add(part);
        }
        return parts.Count == 0 ? url : string.Join('/', parts);
    }

    /// <summary>The node with relative local MediaURLs made absolute; the same node when nothing changed.</summary>
    private static JsonNode? Rewrite(JsonNode? node, string baseDirectory)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o.ToList())
                {
                    if (key.Equals("MediaURL", StringComparison.OrdinalIgnoreCase) && value is JsonValue v && v.TryGetValue<string>(out var url)
                        && IsRelativeLocal(url))
                        o[key] = Path.GetFullPath(url, baseDirectory);
                    else if (MediaListKeys.Contains(key, StringComparer.OrdinalIgnoreCase) && value is JsonValue one && one.TryGetValue<string>(out var single))
                    {
                        if (IsRelativeFile(single)) o[key] = Path.GetFullPath(single, baseDirectory);
                    }
                    else if (MediaListKeys.Contains(key, StringComparer.OrdinalIgnoreCase) && value is JsonArray list)
                    {
                        for (var i = 0; i < list.Count; i++)
                        {
                            if (list[i] is JsonValue item && item.TryGetValue<string>(out var entry))
                            {
                                if (IsRelativeFile(entry)) list[i] = Path.GetFullPath(entry, baseDirectory);
                            }
                            else Rewrite(list[i], baseDirectory); // an object with its own MediaURL
                        }
                    }
                    else if (!OutputKeys.Contains(key, StringComparer.OrdinalIgnoreCase))
                    {
                        var rewritten = Rewrite(value, baseDirectory);
                        if (!ReferenceEquals(rewritten, value)) o[key] = rewritten;
                    }
                }
                return o;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    var rewritten = Rewrite(a[i], baseDirectory);
                    if (!ReferenceEquals(rewritten, a[i])) a[i] = rewritten;
                }
                return a;
            case JsonValue s when s.TryGetValue<string>(out var text) && text.TrimStart() is ['{' or '[', ..]:
                // IMS passes Timeline (and the batch configs) as JSON text: rewrite inside, keep it text.
                JsonNode? inner;
                try { inner = JsonNode.Parse(text); }
                catch (JsonException) { return node; }
                var before = inner?.ToJsonString();
                Rewrite(inner, baseDirectory);
                return inner?.ToJsonString() is { } after && after != before ? JsonValue.Create(after) : node;
            default:
                return node;
        }
    }

    /// <summary>Applies <paramref name="edit"/> to an object, or to the object inside a JSON string (kept a string).</summary>
    private static JsonNode Edit(JsonNode? node, Action<JsonObject> edit)
    {
        switch (node)
        {
            case JsonObject o:
                edit(o);
                return o;
            case JsonValue v when v.TryGetValue<string>(out var text) && JsonNode.Parse(text) is JsonObject parsed:
                edit(parsed);
                return JsonValue.Create(parsed.ToJsonString());
            case null:
                var fresh = new JsonObject();
                edit(fresh);
                return fresh;
            default:
                return node;
        }
    }

    private static void Replace(JsonObject o, string key, JsonNode node)
    {
        if (!ReferenceEquals(o[key], node)) o[key] = node;
    }

    private static bool IsRelativeLocal(string url) => url.Length > 0 && !IsUrl(url) && !Path.IsPathRooted(url) && !url.Any(char.IsControl);

    private static string? Key(JsonObject o, string name) => o.Select(p => p.Key).FirstOrDefault(k => k.Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>"scheme:..." with a scheme of two or more letters (file:, http:, ...).</summary>
    private static bool IsUrl(string text)
    {
        var colon = text.IndexOf(':');
        if (colon < 2 || !char.IsAsciiLetter(text[0])) return false;
        for (var i = 1; i < colon; i++)
            if (!(char.IsAsciiLetterOrDigit(text[i]) || text[i] is '+' or '-' or '.')) return false;
        return true;
    }
}
