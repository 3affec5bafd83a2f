using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RenderFarm.Core.Json;
using RenderFarm.Core.Timelines;

namespace RenderFarm.Core.Templates;

/// <summary>What a placeholder stands for, from the field it fills (IMS writes the same "$Name" for all).</summary>
public enum PlaceholderKind
{
    /// <summary>In MediaId or MediaURL: a media URL/path or a media library MediaId.</summary>
    Media,
    /// <summary>In Content: the text of a subtitle or voice-over clip.</summary>
    Text,
    /// <summary>Any other field (X, FontSize, FontColor, ...): the JSON value is put in as given; the timeline parser judges it.</summary>
    Value,
    /// <summary>Sys_ArrayObject of a Sys_Type ArrayItems element: a list, one Sys_Template copy per item.</summary>
    Array,
}

/// <summary>A placeholder: its name (without the $), its kind and the first place (JSON path in the Config) that uses it.</summary>
public sealed record TemplatePlaceholder(string Name, PlaceholderKind Kind, string Path);

/// <summary>
/// A regular (Type Timeline) IMS template: a Timeline object whose values may be placeholders, a whole
/// string "$Name" (IMS: "the parameter fields in Config start with $"). An element
/// {"Sys_Type":"ArrayItems","Sys_ArrayObject":"$VideoArray","Sys_Template":{...}} of a JSON array stands
/// for one copy of Sys_Template per item of the list ClipsParam.VideoArray. Parsing checks the Config
/// is a timeline once every placeholder holds a stand-in, so a template that cannot render is refused
/// when it is created, not when it is used.
/// </summary>
public sealed partial class TimelineTemplate
{
    /// <summary>Limits of one template: its Config's size and how many placeholders and list items it takes.</summary>
    public const int MaxConfigBytes = 256 * 1024, MaxPlaceholders = 100, MaxArrayItems = 100;

    private TimelineTemplate(JsonObject config, IReadOnlyList<TemplatePlaceholder> placeholders)
    {
        Config = config;
        Placeholders = placeholders;
    }

    /// <summary>The Config, normalised (compact, first of duplicate names kept).</summary>
    public JsonObject Config { get; }

    /// <summary>The placeholders in the order they first appear.</summary>
    public IReadOnlyList<TemplatePlaceholder> Placeholders { get; }

    /// <summary>
    /// The placeholders in IMS's ClipsParam form, as GetTemplate answers it: each name with what it takes
    /// ("mediaId", "text", "value", or a list ["mediaId"] / [{"Name":"mediaId"}] for an ArrayItems list).
    /// </summary>
    public string ClipsParamForm()
    {
        var form = new JsonObject();
        foreach (var p in Placeholders)
            form[p.Name] = p.Kind == PlaceholderKind.Array ? new JsonArray(ArrayItemForm(p.Name)) : KindWord(p.Kind);
        return form.ToJsonString();
    }

    private JsonNode ArrayItemForm(string name)
    {
        var inner = ItemPlaceholders(FindArrayTemplate(Config, name)!);
        if (inner.Count == 1) return KindWord(inner[0].Kind);
        var item = new JsonObject();
        foreach (var p in inner) item[p.Name] = KindWord(p.Kind);
        return item;
    }

    /// <summary>The names of the media placeholders in list <paramref name="arrayName"/>'s Sys_Template.</summary>
    public IReadOnlyList<string> ItemMediaNames(string arrayName) =>
        FindArrayTemplate(Config, arrayName) is { } t
            ? ItemPlaceholders(t).Where(p => p.Kind == PlaceholderKind.Media).Select(p => p.Name).ToList()
            : [];

    private static string KindWord(PlaceholderKind kind) => kind switch
    {
        PlaceholderKind.Media => "mediaId",
        PlaceholderKind.Text => "text",
        _ => "value",
    };

    /// <summary>
    /// Reads and checks a Config (JSON text). Errors name the JSON path under <paramref name="path"/>
    /// (e.g. Config.VideoTracks[0].VideoTrackClips[0].In) and the reason.
    /// </summary>
    /// <exception cref="RequestException">The Config is not JSON, too large, or no timeline once filled with stand-ins.</exception>
    public static TimelineTemplate Parse(string configJson, TimelineLimits limits, string path = "Config")
    {
        if (string.IsNullOrWhiteSpace(configJson)) throw new RequestException(path, "is required: a Timeline object with $placeholders");
        var bytes = System.Text.Encoding.UTF8.GetByteCount(configJson);
        if (bytes > MaxConfigBytes) throw new RequestException(path, $"at most {MaxConfigBytes / 1024} KiB are allowed (got {bytes / 1024} KiB)");
        var config = RequestJson.Normalise(configJson, path);
        var placeholders = new List<TemplatePlaceholder>();
        Collect(config, "", placeholders, path, insideItem: false);
        if (placeholders.Count > MaxPlaceholders)
            throw new RequestException(path, $"at most {MaxPlaceholders} placeholders are allowed (got {placeholders.Count})");
        var template = new TimelineTemplate(config, placeholders);
        template.CheckWithStandIns(limits, path);
        return template;
    }

    /// <summary>Fills every placeholder with a stand-in of its kind and parses the result as a timeline.</summary>
    private void CheckWithStandIns(TimelineLimits limits, string path)
    {
        // A Value placeholder may stand for a number or a text: try a number, and text where the parser wants one.
        var asText = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var values = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
            foreach (var p in Placeholders)
                values[p.Name] = p.Kind == PlaceholderKind.Array ? new JsonArray(StandInItem(p.Name)) : StandIn(p, asText);
            var filled = TemplateFiller.Substitute(Config, values);
            try
            {
                new TimelineParser(limits).Parse(filled.ToJsonString(), path);
                return;
            }
            catch (RequestException e)
            {
                var culprit = Placeholders.FirstOrDefault(p => p.Kind == PlaceholderKind.Value && Join(path, FilledPath(p.Path)) == e.Path && !asText.Contains(p.Name));
                if (culprit is null) throw;
                asText.Add(culprit.Name);
            }
        }
    }

    private JsonNode StandInItem(string arrayName)
    {
        var inner = ItemPlaceholders(FindArrayTemplate(Config, arrayName)!);
        var item = new JsonObject();
        foreach (var p in inner) item[p.Name] = StandIn(p, null);
        return item;
    }

    private static JsonNode StandIn(TemplatePlaceholder p, HashSet<string>? asText) => p.Kind switch
    {
        PlaceholderKind.Media => JsonValue.Create("stand-in.mp4"),
        PlaceholderKind.Text => JsonValue.Create("text"),
        _ when asText?.Contains(p.Name) == true => JsonValue.Create("1"),
        _ => JsonValue.Create(1),
    };

    /// <summary>The placeholders of one ArrayItems element's Sys_Template (filled per item).</summary>
    internal static IReadOnlyList<TemplatePlaceholder> ItemPlaceholders(JsonObject sysTemplate)
    {
        var inner = new List<TemplatePlaceholder>();
        Collect(sysTemplate, "Sys_Template", inner, "", insideItem: true);
        return inner;
    }

    internal static JsonObject? FindArrayTemplate(JsonNode? node, string arrayName) => node switch
    {
        JsonObject o when ArrayItems(o) is { } a && a.Name == arrayName => a.Template,
        JsonObject o => o.Select(p => FindArrayTemplate(p.Value, arrayName)).FirstOrDefault(t => t is not null),
        JsonArray list => list.Select(n => FindArrayTemplate(n, arrayName)).FirstOrDefault(t => t is not null),
        _ => null,
    };

    /// <summary>The list name and item template of a Sys_Type ArrayItems element, or null when <paramref name="o"/> is none.</summary>
    internal static (string Name, JsonObject Template)? ArrayItems(JsonObject o)
    {
        if (o["Sys_Type"] is not JsonValue type || !type.TryGetValue<string>(out var t) || t != "ArrayItems") return null;
        var name = o["Sys_ArrayObject"] is JsonValue v && v.TryGetValue<string>(out var s) ? PlaceholderName(s) : null;
        return name is not null && o["Sys_Template"] is JsonObject template ? (name, template) : null;
    }

    private static void Collect(JsonNode? node, string at, List<TemplatePlaceholder> found, string root, bool insideItem)
    {
        switch (node)
        {
            case JsonObject o when !insideItem && o["Sys_Type"] is not null:
                if (ArrayItems(o) is not { } items)
                    throw new RequestException(Join(root, at), "an element with Sys_Type must be {\"Sys_Type\":\"ArrayItems\",\"Sys_ArrayObject\":\"$Name\",\"Sys_Template\":{...}}");
                if (!at.EndsWith(']')) throw new RequestException(Join(root, at), "Sys_Type ArrayItems may only stand as an element of a list");
                Add(found, new TemplatePlaceholder(items.Name, PlaceholderKind.Array, Join(at, "Sys_ArrayObject")), root);
                break;
            case JsonObject o:
                foreach (var (name, value) in o)
                {
                    var child = Join(at, name);
                    if (value is JsonValue v && v.TryGetValue<string>(out var text) && PlaceholderName(text) is { } placeholder)
                        Add(found, new TemplatePlaceholder(placeholder, KindOf(name), child), root);
                    else
                        Collect(value, child, found, root, insideItem);
                }
                break;
            case JsonArray list:
                for (var i = 0; i < list.Count; i++)
                {
                    if (list[i] is JsonValue v && v.TryGetValue<string>(out var text) && PlaceholderName(text) is not null)
                        throw new RequestException(Join(root, $"{at}[{i}]"), "a placeholder must be the value of a field, not a list element (use Sys_Type ArrayItems for lists)");
                    Collect(list[i], $"{at}[{i}]", found, root, insideItem);
                }
                break;
        }
    }

    private static void Add(List<TemplatePlaceholder> found, TemplatePlaceholder placeholder, string root)
    {
        if (found.FirstOrDefault(p => p.Name == placeholder.Name) is not { } earlier)
        {
            found.Add(placeholder);
            return;
        }
        // One name may fill several fields of one kind (the same video twice); a list and a value cannot share it.
        if ((earlier.Kind == PlaceholderKind.Array) != (placeholder.Kind == PlaceholderKind.Array) ||
            (earlier.Kind == PlaceholderKind.Media) != (placeholder.Kind == PlaceholderKind.Media))
            throw new RequestException(Join(root, placeholder.Path), $"${placeholder.Name} is used as {Describe(earlier.Kind)} at {Join(root, earlier.Path)}; one name fills one kind of field");
    }

    private static string Describe(PlaceholderKind kind) => kind switch
    {
        PlaceholderKind.Media => "a medium",
        PlaceholderKind.Array => "a list",
        _ => "a value",
    };

    private static PlaceholderKind KindOf(string field) =>
        field.Equals("MediaId", StringComparison.OrdinalIgnoreCase) || field.Equals("MediaURL", StringComparison.OrdinalIgnoreCase) ? PlaceholderKind.Media
        : field.Equals("Content", StringComparison.OrdinalIgnoreCase) ? PlaceholderKind.Text
        : PlaceholderKind.Value;

    /// <summary>The name in "$Name" (letters, digits, underscore), or null when the text is no placeholder.</summary>
    public static string? PlaceholderName(string text) => PlaceholderShape().Match(text) is { Success: true } m ? m.Groups[1].Value : null;

    [GeneratedRegex("^\\$([A-Za-z_][A-Za-z0-9_]{0,63})$")]
    private static partial Regex PlaceholderShape();

    /// <summary>Where a placeholder's value lands in the filled timeline: a medium in a MediaId field goes to MediaURL.</summary>
    internal static string FilledPath(string path) =>
        path.EndsWith("MediaId", StringComparison.OrdinalIgnoreCase) && (path.Length == 7 || path[^8] == '.') ? path[..^7] + "MediaURL" : path;

    internal static string Join(string path, string name) => path.Length == 0 ? name : name.Length == 0 ? path : $"{path}.{name}";
}
