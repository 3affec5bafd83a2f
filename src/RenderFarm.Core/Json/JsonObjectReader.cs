using System.Globalization;
using System.Text.Json;

namespace RenderFarm.Core.Json;

/// <summary>
/// Reads one JSON object the way IMS accepts requests: field names are case-insensitive,
/// numbers and booleans may arrive as strings, every error names the JSON path of the field.
/// Fields that no reader asked for are reported by <see cref="ReportUnread"/> as warnings,
/// so nothing a user wrote is dropped silently.
/// </summary>
public sealed class JsonObjectReader
{
    private readonly Dictionary<string, JsonElement> _fields = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _spelling = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _read = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<JsonObjectReader> _children = [];

    public string Path { get; }
    public Diagnostics Diagnostics { get; }

    private JsonObjectReader(JsonElement element, string path, Diagnostics diagnostics)
    {
        Path = path;
        Diagnostics = diagnostics;
        if (element.ValueKind != JsonValueKind.Object)
            throw new RequestException(path, $"must be a JSON object, not {Describe(element)}");
        foreach (var property in element.EnumerateObject())
        {
            if (_fields.ContainsKey(property.Name))
            {
                diagnostics.Warn(FieldPath(property.Name), $"duplicate field (names are case-insensitive); the first '{_spelling[property.Name]}' is used");
                continue;
            }
            _fields[property.Name] = property.Value;
            _spelling[property.Name] = property.Name;
        }
    }

    /// <summary>Parses <paramref name="json"/>; malformed JSON becomes a <see cref="RequestException"/> with its position.</summary>
    public static JsonObjectReader Parse(string json, Diagnostics diagnostics, string rootPath = "")
    {
        // JsonDocument would throw ArgumentException while transcoding such text to UTF-8.
        if (RequestException.LoneSurrogateAt(json) is var at and >= 0)
            throw new RequestException(rootPath, $"the JSON text is not valid Unicode: an unpaired UTF-16 surrogate at character {at}");
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $"line {line + 1}, column {e.BytePositionInLine + 1}" : "unknown position";
            throw new RequestException(rootPath, $"malformed JSON at {where}");
        }
        return FromElement(root, diagnostics, rootPath);
    }

    public static JsonObjectReader FromElement(JsonElement element, Diagnostics diagnostics, string path = "")
    {
        CheckText(element, path);
        return new(element, path, diagnostics);
    }

    /// <summary>
    /// Refuses strings and field names that are escapes of unpaired surrogates ("\uD800"): JSON allows
    /// them, but they are no text, and GetString would throw InvalidOperationException wherever a
    /// reader later touched them. Checked once, up front, so every field and Raw value is safe to read.
    /// </summary>
    private static void CheckText(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                if (!IsText(element)) throw new RequestException(path, UnpairedSurrogate);
                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try { name = property.Name; }
                    catch (InvalidOperationException) { throw new RequestException(path, $"a field name is not valid text: {UnpairedSurrogate}"); }
                    CheckText(property.Value, path.Length == 0 ? name : $"{path}.{name}");
                }
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray()) CheckText(item, $"{path}[{i++}]");
                break;
        }
    }

    private const string UnpairedSurrogate = "is not valid text: it holds an unpaired UTF-16 surrogate (a \\uD800-\\uDFFF escape without its pair)";

    private static bool IsText(JsonElement s)
    {
        try
        {
            s.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    public bool Has(string name) => _fields.TryGetValue(name, out var v) && v.ValueKind != JsonValueKind.Null;

    public string FieldPath(string name) => Path.Length == 0 ? name : $"{Path}.{name}";

    public RequestException Error(string name, string reason) => new(FieldPath(name), reason);

    public void Warn(string name, string message) => Diagnostics.Warn(FieldPath(name), message);

    /// <summary>Marks a field as understood without reading it (e.g. a field that is deliberately ignored).</summary>
    public void Accept(string name) => _read.Add(name);

    private bool TryGet(string name, out JsonElement value)
    {
        _read.Add(name);
        if (_fields.TryGetValue(name, out value) && value.ValueKind != JsonValueKind.Null) return true;
        value = default;
        return false;
    }

    public string? String(string name)
    {
        if (!TryGet(name, out var v)) return null;
        return v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            _ => throw Error(name, $"must be a string, not {Describe(v)}"),
        };
    }

    public string RequiredString(string name) =>
        String(name) is { Length: > 0 } s ? s : throw Error(name, "is required");

    public double? Number(string name)
    {
        if (!TryGet(name, out var v)) return null;
        double result;
        if (v.ValueKind == JsonValueKind.Number) result = v.GetDouble();
        else if (v.ValueKind == JsonValueKind.String && double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)) result = parsed;
        else throw Error(name, $"must be a number, not {Describe(v)}");
        if (double.IsNaN(result) || double.IsInfinity(result)) throw Error(name, "must be a finite number");
        return result;
    }

    /// <summary>A number within [min, max]; the error states the range.</summary>
    public double? Number(string name, double min, double max)
    {
        var value = Number(name);
        if (value is { } x && (x < min || x > max))
            throw Error(name, $"must be between {Format(min)} and {Format(max)} (got {Format(x)})");
        return value;
    }

    /// <summary>A whole number within [min, max]; a whole-number field states its range without decimals.</summary>
    public int? Integer(string name, int min, int max)
    {
        var value = Number(name);
        if (value is not { } x) return null;
        if (x != Math.Floor(x)) throw Error(name, $"must be a whole number (got {Format(x)})");
        if (x < min || x > max)
            throw Error(name, $"must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)} (got {x.ToString("0", CultureInfo.InvariantCulture)})");
        return (int)x;
    }

    public bool? Bool(string name)
    {
        if (!TryGet(name, out var v)) return null;
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when v.TryGetDouble(out var d) && d is 0 or 1 => d == 1,
            JsonValueKind.String when bool.TryParse(v.GetString(), out var b) => b,
            JsonValueKind.String when v.GetString() is "0" or "1" => v.GetString() == "1",
            _ => throw Error(name, $"must be true or false, not {Describe(v)}"),
        };
    }

    public JsonObjectReader? Object(string name)
    {
        if (!TryGet(name, out var v)) return null;
        return Child(new JsonObjectReader(v, FieldPath(name), Diagnostics));
    }

    /// <summary>An object field that IMS may also send as a string holding JSON (Timeline, OutputMediaConfig, Video).</summary>
    public JsonObjectReader? ObjectOrJsonText(string name)
    {
        if (!TryGet(name, out var v)) return null;
        return Child(v.ValueKind == JsonValueKind.String
            ? Parse(v.GetString()!, Diagnostics, FieldPath(name))
            : new JsonObjectReader(v, FieldPath(name), Diagnostics));
    }

    /// <summary>An array of objects; each element gets its own reader with path <c>Name[i]</c>.</summary>
    public IReadOnlyList<JsonObjectReader> Objects(string name)
    {
        if (!TryGet(name, out var v)) return [];
        if (v.ValueKind != JsonValueKind.Array) throw Error(name, $"must be an array, not {Describe(v)}");
        var list = new List<JsonObjectReader>();
        var i = 0;
        foreach (var item in v.EnumerateArray())
            list.Add(Child(new JsonObjectReader(item, $"{FieldPath(name)}[{i++}]", Diagnostics)));
        return list;
    }

    /// <summary>An array of strings; a single string is accepted as a one-element list.</summary>
    public IReadOnlyList<string> Strings(string name)
    {
        if (!TryGet(name, out var v)) return [];
        if (v.ValueKind == JsonValueKind.String) return [v.GetString()!];
        if (v.ValueKind != JsonValueKind.Array) throw Error(name, $"must be an array of strings, not {Describe(v)}");
        var list = new List<string>();
        var i = 0;
        foreach (var item in v.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
                throw new RequestException($"{FieldPath(name)}[{i}]", $"must be a string, not {Describe(item)}");
            list.Add(item.GetString()!);
            i++;
        }
        return list;
    }

    /// <summary>The raw element, for fields whose shape depends on another field.</summary>
    public JsonElement? Raw(string name) => TryGet(name, out var v) ? v : null;

    /// <summary>
    /// Matches a string against a closed set of names, case-insensitively, and returns the
    /// canonical spelling. An unknown value is an error that lists the supported ones.
    /// </summary>
    public string? OneOf(string name, IEnumerable<string> allowed)
    {
        var value = String(name);
        if (value is null) return null;
        var names = allowed as IReadOnlyCollection<string> ?? allowed.ToList();
        return names.FirstOrDefault(a => string.Equals(a, value, StringComparison.OrdinalIgnoreCase))
            ?? throw Error(name, $"unknown value '{Excerpt(value)}'; supported: {string.Join(", ", names)}");
    }

    /// <summary>
    /// Like <see cref="OneOf"/> for a set RenderFarm knows only in part (names IMS may document beyond it): an
    /// unknown value is a warning naming the field, the known names and <paramref name="consequence"/>, and reads as absent.
    /// </summary>
    public string? KnownOrWarned(string name, IEnumerable<string> known, string consequence)
    {
        var value = String(name);
        if (value is null) return null;
        var names = known as IReadOnlyCollection<string> ?? known.ToList();
        var match = names.FirstOrDefault(a => string.Equals(a, value, StringComparison.OrdinalIgnoreCase));
        if (match is null) Warn(name, $"'{Excerpt(value)}' is not one RenderFarm draws ({string.Join(", ", names)}); {consequence}");
        return match;
    }

    /// <summary>Warns about every field of this object and its children that no reader asked for.</summary>
    public void ReportUnread()
    {
        foreach (var (name, _) in _fields)
            if (!_read.Contains(name))
                Diagnostics.Warn(FieldPath(_spelling[name]), "field is not supported and was ignored");
        foreach (var child in _children) child.ReportUnread();
    }

    private JsonObjectReader Child(JsonObjectReader child)
    {
        _children.Add(child);
        return child;
    }

    /// <summary>A number in a message: at least one and at most three decimals ("4.0", "2.5", "1.235"), invariant.</summary>
    public static string Format(double value) => value.ToString("0.0##", CultureInfo.InvariantCulture);

    private static string Describe(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{Excerpt(v.GetString()!)}\"",
        JsonValueKind.Number => $"the number {v.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {v.GetRawText()}",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "null",
    };

    /// <summary>A value quoted in a message: at most 40 characters (a 10k-character value would bury the reason).</summary>
    public static string Excerpt(string s) => s.Length <= 40 ? s : s[..(char.IsHighSurrogate(s[39]) ? 39 : 40)] + "...";
}
