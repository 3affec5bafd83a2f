using System.Text.Json;
using System.Text.Json.Nodes;

namespace RenderFarm.Core.Json;

/// <summary>
/// A request body as it is stored and handed on: parsed the way <see cref="JsonObjectReader"/> reads it
/// (comments and trailing commas allowed, the first of duplicate names kept, names compared
/// case-insensitively) and written back compact, so what is kept is the request, not its padding. Anything
/// JSON cannot carry on (a lone surrogate, nesting deeper than <see cref="MaxDepth"/>) is a
/// <see cref="RequestException"/> naming the field.
/// </summary>
public static class RequestJson
{
    public const int MaxDepth = 64;

    private static readonly JsonDocumentOptions Options = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
        MaxDepth = MaxDepth,
    };

    /// <summary>The body as a normalised object; <paramref name="rootPath"/> prefixes the paths in errors.</summary>
    public static JsonObject Normalise(string json, string rootPath = "")
    {
        JsonDocument document;
        try { document = JsonDocument.Parse(json, Options); }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $"line {line + 1}, column {e.BytePositionInLine + 1}" : "unknown position";
            throw new RequestException(rootPath, $"malformed JSON at {where}");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new RequestException(rootPath, $"must be a JSON object, not {document.RootElement.ValueKind.ToString().ToLowerInvariant()}");
            return (JsonObject)Copy(document.RootElement, rootPath)!;
        }
    }

    /// <summary>A JSON text field (IMS sends Timeline and OutputMediaConfig as strings) normalised in place: compact text again.</summary>
    public static string NormaliseText(string json, string path) => Normalise(json, path).ToJsonString();

    private static JsonNode? Copy(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var copy = new JsonObject(new JsonNodeOptions { PropertyNameCaseInsensitive = false });
                var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                foreach (var property in element.EnumerateObject())
                {
                    var name = Text(() => property.Name, path, "a field name");
                    var child = Join(path, name);
                    // The reader keeps the first of duplicate names (and warns); keep the same one here.
                    if (!seen.Add(name)) continue;
                    copy[name] = Copy(property.Value, child);
                }
                return copy;
            case JsonValueKind.Array:
                var array = new JsonArray();
                var i = 0;
                foreach (var item in element.EnumerateArray()) array.Add(Copy(item, $"{path}[{i++}]"));
                return array;
            case JsonValueKind.String:
                return JsonValue.Create(Text(element.GetString, path, "the value"));
            case JsonValueKind.Null:
                return null;
            default:
                return JsonValue.Create(element.Clone());
        }
    }

    /// <summary>System.Text.Json refuses to decode a lone surrogate (\uD800 alone): that is the caller's error, at this field.</summary>
    private static string Text(Func<string?> read, string path, string what)
    {
        try { return read() ?? ""; }
        catch (InvalidOperationException) { throw new RequestException(path, $"{what} holds an invalid Unicode escape (a lone surrogate such as \\uD800)"); }
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";
}
