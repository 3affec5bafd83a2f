using System.Text.Json.Nodes;
using RenderFarm.Core.Json;
using RenderFarm.Core.Timelines;

namespace RenderFarm.Core.Templates;

/// <summary>A template filled by a ClipsParam: the Timeline JSON to render, and what was ignored.</summary>
public sealed record FilledTemplate(string TimelineJson, IReadOnlyList<Warning> Warnings);

/// <summary>
/// Fills a <see cref="TimelineTemplate"/> with a ClipsParam (IMS: a JSON object, often sent as JSON text,
/// mapping placeholder names to media URLs/MediaIds, texts, values or lists) into a Timeline, then parses
/// that timeline so every bad value is refused here. Errors name ClipsParam.&lt;name&gt;: a placeholder
/// with no value, a value of the wrong type (a medium or text that is no string, a list that is no list,
/// a value the timeline field refuses). A key the template has no placeholder for is ignored by IMS; here
/// it is a warning naming it. A medium goes into MediaURL (a MediaId placeholder's field is renamed), so the
/// caller resolves library MediaIds to their URLs before filling.
/// </summary>
public static class TemplateFiller
{
    public static FilledTemplate Fill(TimelineTemplate template, string? clipsParamJson, TimelineLimits limits, string path = "ClipsParam")
    {
        var clipsParam = string.IsNullOrWhiteSpace(clipsParamJson) ? new JsonObject() : RequestJson.Normalise(clipsParamJson, path);
        return Fill(template, clipsParam, limits, path);
    }

    public static FilledTemplate Fill(TimelineTemplate template, JsonObject clipsParam, TimelineLimits limits, string path = "ClipsParam")
    {
        var warnings = new List<Warning>();
        var values = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (key, value) in clipsParam)
        {
            var placeholder = template.Placeholders.FirstOrDefault(p => p.Name.Equals(key, StringComparison.OrdinalIgnoreCase));
            if (placeholder is null)
            {
                warnings.Add(new Warning(Join(path, key), $"the template has no placeholder ${key}; ignored"));
                continue;
            }
            values[placeholder.Name] = Checked(template, placeholder, value, Join(path, key));
        }
        if (template.Placeholders.FirstOrDefault(p => !values.ContainsKey(p.Name)) is { } missing)
            throw new RequestException(Join(path, missing.Name), $"is required: the template uses ${missing.Name} at {missing.Path}");

        var timeline = Substitute(template.Config, values);
        var json = timeline.ToJsonString();
        try
        {
            new TimelineParser(limits).Parse(json);
        }
        catch (RequestException e)
        {
            // The filled timeline's error at a placeholder's field is that ClipsParam value's fault.
            if (template.Placeholders.FirstOrDefault(p => TimelineTemplate.FilledPath(p.Path) == e.Path) is { } culprit)
                throw new RequestException(Join(path, culprit.Name), e.Reason);
            throw;
        }
        return new FilledTemplate(json, warnings);
    }

    private static JsonNode? Checked(TimelineTemplate template, TemplatePlaceholder placeholder, JsonNode? value, string path)
    {
        switch (placeholder.Kind)
        {
            case PlaceholderKind.Media:
                return value is JsonValue m && m.TryGetValue<string>(out var media) && media.Trim().Length > 0
                    ? value : throw new RequestException(path, $"must be a media URL or MediaId (text), not {Kind(value)}");
            case PlaceholderKind.Text:
                if (value is JsonValue t && (t.TryGetValue<string>(out _) || t.TryGetValue<double>(out _))) return JsonValue.Create(t.ToString());
                throw new RequestException(path, $"must be a text, not {Kind(value)}");
            case PlaceholderKind.Array:
                if (value is not JsonArray items) throw new RequestException(path, $"must be a list, not {Kind(value)}");
                if (items.Count == 0) throw new RequestException(path, "must hold at least one item");
                if (items.Count > TimelineTemplate.MaxArrayItems)
                    throw new RequestException(path, $"at most {TimelineTemplate.MaxArrayItems} items are allowed (got {items.Count})");
                var inner = TimelineTemplate.ItemPlaceholders(TimelineTemplate.FindArrayTemplate(template.Config, placeholder.Name)!);
                for (var i = 0; i < items.Count; i++)
                {
                    var itemPath = $"{path}[{i}]";
                    if (items[i] is JsonObject item)
                    {
                        foreach (var p in inner)
                            if (item.FirstOrDefault(f => f.Key.Equals(p.Name, StringComparison.OrdinalIgnoreCase)) is not { Key: not null })
                                throw new RequestException(Join(itemPath, p.Name), $"is required: the list's Sys_Template uses ${p.Name}");
                    }
                    else if (inner.Count > 1)
                        throw new RequestException(itemPath, $"must be an object with {string.Join(", ", inner.Select(p => p.Name))} (the Sys_Template has {inner.Count} placeholders)");
                    else if (items[i] is not JsonValue)
                        throw new RequestException(itemPath, $"must be a media URL, MediaId or value, not {Kind(items[i])}");
                }
                return value;
            default:
                return value;
        }
    }

    private static string Kind(JsonNode? value) => value switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "a list",
        _ => value.GetValueKind().ToString().ToLowerInvariant(),
    };

    /// <summary>
    /// A copy of <paramref name="config"/> with each placeholder replaced by its value and each ArrayItems element
    /// expanded into one filled Sys_Template per list item. A medium in a MediaId field moves to MediaURL.
    /// </summary>
    internal static JsonObject Substitute(JsonObject config, IReadOnlyDictionary<string, JsonNode?> values) =>
        (JsonObject)Replace(config, values)!;

    private static JsonNode? Replace(JsonNode? node, IReadOnlyDictionary<string, JsonNode?> values)
    {
        switch (node)
        {
            case JsonObject o:
                var copy = new JsonObject();
                foreach (var (name, value) in o)
                {
                    if (value is JsonValue v && v.TryGetValue<string>(out var text) && TimelineTemplate.PlaceholderName(text) is { } p && values.TryGetValue(p, out var filled))
                    {
                        var field = name.Equals("MediaId", StringComparison.OrdinalIgnoreCase) ? "MediaURL" : name;
                        copy[field] = filled?.DeepClone();
                    }
                    else
                        copy[name] = Replace(value, values);
                }
                return copy;
            case JsonArray list:
                var items = new JsonArray();
                foreach (var element in list)
                {
                    if (element is JsonObject o && TimelineTemplate.ArrayItems(o) is { } array)
                    {
                        if (values.TryGetValue(array.Name, out var given) && given is JsonArray entries)
                            foreach (var entry in entries) items.Add(Replace(array.Template, ItemValues(array.Template, entry)));
                    }
                    else
                        items.Add(Replace(element, values));
                }
                return items;
            default:
                return node?.DeepClone();
        }
    }

    /// <summary>One list item's values: an object names them; a single value fills every placeholder of the Sys_Template.</summary>
    private static Dictionary<string, JsonNode?> ItemValues(JsonObject sysTemplate, JsonNode? entry)
    {
        var values = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var p in TimelineTemplate.ItemPlaceholders(sysTemplate))
            values[p.Name] = entry is JsonObject item ? item.FirstOrDefault(f => f.Key.Equals(p.Name, StringComparison.OrdinalIgnoreCase)).Value : entry;
        return values;
    }

    private static string Join(string path, string name) => TimelineTemplate.Join(path, name);
}
