using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;

namespace RenderFarm.TestSupport.Fuzz;

/// <summary>One mutated request: which seed it came from, what was done to it, and the body to send.</summary>
public sealed record Mutant(int Number, int SeedIndex, string Mutations, string Body)
{
    /// <summary>For a failure message: the mutations and the body, escaped so that control characters and lone surrogates show.</summary>
    public override string ToString() => $"mutant #{Number} of seed {SeedIndex} ({Mutations}):\n{Escape(Body, 4000)}";

    public static string Escape(string text, int max = int.MaxValue)
    {
        var builder = new StringBuilder();
        foreach (var c in text.Length > max ? text[..max] : text)
        {
            if (c < 0x20 || c == 0x7F || char.IsSurrogate(c)) builder.Append($"\\u{(int)c:X4}");
            else builder.Append(c);
        }
        if (text.Length > max) builder.Append($"... ({text.Length} characters)");
        return builder.ToString();
    }
}

/// <summary>What to do to a request: <see cref="Target"/> picks the place (a JSON value or a text position), <see cref="Variant"/> the new content.</summary>
public readonly record struct MutationStep(MutationKind Kind, int Target, int Variant);

public enum MutationKind
{
    DeleteField,
    ReplaceValue,
    ReplaceWithEdgeCase,
    CorruptString,
    DuplicateKey,
    OddKey,
    AddUnknownField,
    EmbedAsText,
    UnembedText,
    MutateEmbedded,
    DeepNesting,
    RepeatArrayItem,
    InsertComment,
    TrailingComma,
    Truncate,
    FlipCharacter,
}

/// <summary>
/// Random, reproducible mutations of valid request bodies for robustness tests of the request parsers
/// (and the HTTP endpoints in front of them). Each mutant applies one to three <see cref="MutationStep"/>s
/// to one seed body: deleted fields, values of another JSON type, edge-case numbers (1e999, 2^63, -0),
/// strings with NUL, lone surrogates, control characters, 10k characters or <c>file://[bad</c>, duplicate and
/// odd keys, objects sent as JSON text and back, nesting past 64 levels, arrays past their limits, comments,
/// trailing commas, truncation and flipped characters. The same seed, count and seed bodies always give
/// the same mutants. The plan of each mutant comes from FsCheck generators; the bodies are made lazily,
/// so a few thousand large mutants do not sit in memory together.
/// </summary>
/// <example><code>
/// foreach (var body in RequestMutations.Generate(seed: 42, count: 500, RequestSeeds.ProducingJobs))
///     await client.PostAsync("/jobs", new StringContent(body));
/// </code></example>
public static class RequestMutations
{
    /// <summary>The mutated bodies alone.</summary>
    public static IEnumerable<string> Generate(int seed, int count, IReadOnlyList<string> seeds) =>
        GenerateMutants(seed, count, seeds).Select(m => m.Body);

    /// <summary>The mutants with what was done to each (print one to reproduce a failure).</summary>
    public static IEnumerable<Mutant> GenerateMutants(int seed, int count, IReadOnlyList<string> seeds)
    {
        if (seeds.Count == 0) throw new ArgumentException("at least one seed body is needed", nameof(seeds));
        var plans = Plans(seeds.Count);
        for (var i = 0; i < count; i++)
        {
            // One generator state per mutant: mutant i is the same whatever count is asked for.
            var (seedIndex, steps) = plans.Sample(50, new Rnd(unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)i)), 1)[0];
            yield return new Mutant(i, seedIndex, string.Join(", ", steps), Apply(seeds[seedIndex], steps));
        }
    }

    /// <summary>An FsCheck generator of mutants, for <c>Prop.ForAll(RequestMutations.Mutants(seeds).ToArbitrary(), ...)</c>.</summary>
    public static Gen<Mutant> Mutants(IReadOnlyList<string> seeds) =>
        Plans(seeds.Count).Select(p => new Mutant(0, p.SeedIndex, string.Join(", ", p.Steps), Apply(seeds[p.SeedIndex], p.Steps)));

    /// <summary>Which seed and which one to three steps.</summary>
    public static Gen<(int SeedIndex, MutationStep[] Steps)> Plans(int seedCount) =>
        from seedIndex in Gen.Choose(0, seedCount - 1)
        from length in Gen.Frequency((6, Gen.Constant(1)), (3, Gen.Constant(2)), (1, Gen.Constant(3)))
        from steps in Gen.ArrayOf(Steps, length)
        select (seedIndex, steps);

    private static readonly Gen<MutationStep> Steps =
        from kind in Gen.Elements(Enum.GetValues<MutationKind>())
        from target in Gen.Choose(0, int.MaxValue)
        from variant in Gen.Choose(0, int.MaxValue)
        select new MutationStep(kind, target, variant);

    /// <summary>Applies the steps in order; a structural step on text that is no longer JSON flips a character instead.</summary>
    public static string Apply(string body, IEnumerable<MutationStep> steps) =>
        steps.Aggregate(body, (text, step) => Apply(text, step));

    public static string Apply(string text, MutationStep step) => step.Kind switch
    {
        MutationKind.InsertComment => InsertAtBoundary(text, step, Comments[step.Variant % Comments.Length]),
        MutationKind.TrailingComma => InsertAtBoundary(text, step, ",", before: "}]"),
        MutationKind.Truncate => text.Length == 0 ? text : text[..(step.Target % text.Length)],
        MutationKind.FlipCharacter => Flip(text, step),
        _ => Structural(text, step),
    };

    // ------------------------------------------------------------------ catalogues

    /// <summary>Values of every JSON type, and a few that are not JSON at all (NaN, Infinity).</summary>
    private static readonly string[] AnyValues =
    [
        "null", "true", "false", "0", "1", "-1", "0.5", "\"\"", "\"text\"", "[]", "{}", "[null]", "[1,2,3]", "[\"a\",\"b\"]",
        "[{}]", "{\"a\":1}", "[[[]]]", "NaN", "Infinity", "-Infinity", "\"{\"", "\"[1]\"", "\"null\"", "\"{}\"",
    ];

    private static readonly string LongText = new('x', 10_000);

    /// <summary>Edge cases: numbers at and past double/int/long range, strings that break paths, URLs and encodings.</summary>
    private static readonly string[] EdgeValues =
    [
        "-0", "1e308", "-1e308", "1e999", "-1e999", "1e-400", "2147483647", "2147483648", "-2147483649", "4294967296",
        "9223372036854775808", "-9223372036854775809", "123456789012345678901234567890", "0.1e1", "5e-324", "1.0000000000000002",
        "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "\"1e999\"", "\"0x10\"", "\" 12 \"", "\"1,5\"", "\"true\"", "\"1\"", "\"0\"", "\"yes\"",
        "\"   \"", "\"\\u0000\"", "\"a\\u0000b.mp4\"", "\"\\uD800\"", "\"\\uDC00x\"", "\"a\\uD800\\uD800b\"", "\"\\uDBFF\\u0041\"",
        "\"\\u0001\\u001f\\u007f\"", "\"\\t\\n\\r\"", "\"line1\\nline2\"", $"\"{LongText}\"",
        $"\"{string.Concat(Enumerable.Repeat("视频😀", 2500))}\"", "\"😀\"", "\"\\u202Eevil\"", "\"\\uFEFF\"",
        "\"file://[bad\"", "\"file://[bad{index}.mp4\"", "\"file:///tmp/a\\u0000.mp4\"", "\"file://\"", "\"file:\"", "\"file://host/share/a.mp4\"",
        "\"http://\"", "\"http://example.com/a.mp4\"", "\"https://[::1]:99999/x\"", "\"oss://bucket/a.mp4\"", "\"../../etc/passwd\"",
        "\"/etc/passwd\"", "\"C:\\\\x\\\\y.mp4\"", "\"\\\\\\\\server\\\\share\\\\a.mp4\"", "\"{index}\"", "\"{index}{index}.mp4\"", "\"%00\"",
        "\"a.mp4?x=%00\"", "\"视频.mp4\"", "\"#GGGGGG\"", "\"#\"", "\"#FFF\"", "\"#FFFFFFFFFF\"", "\"random,,,\"", "\",\"", "\"tts:x\"",
    ];

    /// <summary>Raw escapes and characters put at either end of an existing string.</summary>
    private static readonly string[] StringPieces =
        ["\\u0000", "\\uD800", "\\uDFFF", "\\u0001", "\\n", "\\r\\n", "😀", "\\\\", "\\\"", "{index}", "..", "/", "%", "\\u0085", "\\u2028", "\u00e9"];

    private static readonly string[] OddKeys =
        ["", " ", "\\u0000", "\\uD800", "VideoTracks\\u0000", "a.b", "[0]", "\\n", "$ref", "__proto__", "😀", LongText];

    private static readonly string[] Comments = ["/* c */", "// c\n", "/**/", "/* unterminated", "//", "/* */ /* */", "#"];

    private static readonly int[] NestingDepths = [10, 63, 64, 65, 100, 1000, 10_000];

    private static readonly int[] Repeats = [2, 41, 51, 101, 201, 1001, 5000];

    private static readonly char[] FlipCharacters =
        ['{', '}', '[', ']', '"', ',', ':', '\\', '\0', '\uD800', '\uDC00', '\uFFFF', '0', '9', '-', '.', 'e', ' ', '\n', '/', 'x', '\u00e9', '\u0085'];

    // ------------------------------------------------------------------ structural steps

    private sealed record Place(JsonNode? Parent, string? Key, int Index, JsonNode? Value);

    private const string Marker = "\u0001mutation-marker\u0001";

    private static string Structural(string text, MutationStep step)
    {
        try
        {
            var root = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 256 });
            var places = new List<Place> { new(null, null, -1, root) };
            Walk(root, places);
            var candidates = places.Where(p => Fits(step.Kind, p)).ToList();
            if (candidates.Count == 0) return Flip(text, step);
            var place = candidates[step.Target % candidates.Count];
            var replacement = Replacement(step, place);
            return replacement is null ? Flip(text, step) : Substitute(root, place, replacement);
        }
        // Earlier steps left no JSON, duplicate keys (JsonObject refuses them), "\uD800" escapes (no string
        // reads them) or nesting past 256 levels: the step becomes a flipped character.
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            return Flip(text, step);
        }
    }

    private static void Walk(JsonNode? node, List<Place> places)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    places.Add(new(o, key, -1, value));
                    Walk(value, places);
                }
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    places.Add(new(a, null, i, a[i]));
                    Walk(a[i], places);
                }
                break;
        }
    }

    private static bool Fits(MutationKind kind, Place p) => kind switch
    {
        MutationKind.DeleteField or MutationKind.DuplicateKey => p.Key is not null,
        MutationKind.CorruptString => p.Value is JsonValue v && v.GetValueKind() == JsonValueKind.String,
        MutationKind.OddKey or MutationKind.AddUnknownField => p.Value is JsonObject,
        MutationKind.EmbedAsText => p.Value is JsonObject or JsonArray && p.Parent is not null,
        MutationKind.UnembedText or MutationKind.MutateEmbedded => EmbeddedJson(p.Value) is not null,
        MutationKind.RepeatArrayItem => p.Value is JsonArray { Count: > 0 },
        _ => true,
    };

    private static string? EmbeddedJson(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is { } s && s.TrimStart().StartsWith('{') ? s : null;

    /// <summary>The raw JSON text to put in the place of <paramref name="place"/>'s value (null: nothing to do there).</summary>
    private static string? Replacement(MutationStep step, Place place)
    {
        var value = place.Value;
        var raw = value?.ToJsonString(Output) ?? "null";
        switch (step.Kind)
        {
            case MutationKind.DeleteField:
                return ""; // Substitute drops the property.
            case MutationKind.ReplaceValue:
                return AnyValues[step.Variant % AnyValues.Length];
            case MutationKind.ReplaceWithEdgeCase:
                return EdgeValues[step.Variant % EdgeValues.Length];
            case MutationKind.CorruptString:
                var piece = StringPieces[step.Variant % StringPieces.Length];
                return step.Variant / StringPieces.Length % 2 == 0 ? raw.Insert(1, piece) : raw.Insert(raw.Length - 1, piece);
            case MutationKind.DuplicateKey:
                // The same name again (in another case half the time) with another value; Substitute writes "Key": <this>.
                var key = step.Variant % 2 == 0 ? place.Key! : Recase(place.Key!);
                return $"{raw},{JsonSerializer.Serialize(key)}:{AnyValues[step.Variant / 2 % AnyValues.Length]}";
            case MutationKind.OddKey:
                var odd = OddKeys[step.Variant % OddKeys.Length];
                var inner = raw.TrimStart('{');
                return $"{{\"{odd}\":{AnyValues[step.Variant / OddKeys.Length % AnyValues.Length]}{(inner.StartsWith('}') ? "" : ",")}{inner}";
            case MutationKind.AddUnknownField:
                var obj = (JsonObject)value!.DeepClone();
                obj[$"Unknown{step.Variant % 100}"] = JsonNode.Parse(AnyValues[step.Variant % 12]);
                return obj.ToJsonString(Output);
            case MutationKind.EmbedAsText:
                return JsonSerializer.Serialize(raw);
            case MutationKind.UnembedText:
                return EmbeddedJson(value);
            case MutationKind.MutateEmbedded:
                var nested = new MutationStep(Enum.GetValues<MutationKind>()[step.Variant % Enum.GetValues<MutationKind>().Length], step.Target / 7, step.Variant / 17);
                return JsonSerializer.Serialize(Apply(EmbeddedJson(value)!, nested));
            case MutationKind.DeepNesting:
                var depth = NestingDepths[step.Variant % NestingDepths.Length];
                return step.Variant / NestingDepths.Length % 2 == 0
                    ? new string('[', depth) + raw + new string(']', depth)
                    : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + raw + new string('}', depth);
            case MutationKind.RepeatArrayItem:
                var array = (JsonArray)value!;
                var item = array[step.Variant % array.Count]?.ToJsonString(Output) ?? "null";
                var times = Repeats[step.Variant / array.Count % Repeats.Length];
                return "[" + string.Join(",", Enumerable.Repeat(item, times)) + "]";
            default:
                return null;
        }
    }

    private static string Recase(string key) =>
        key.Any(char.IsLower) ? key.ToUpperInvariant() : key.ToLowerInvariant();

    /// <summary>Puts a marker where the value was, serializes, and swaps the marker for the raw text (which may be no JSON at all).</summary>
    private static string Substitute(JsonNode? root, Place place, string replacement)
    {
        if (place.Parent is null) return replacement.Length == 0 ? "" : replacement;
        var markerJson = JsonSerializer.Serialize(Marker, Output);
        switch (place.Parent)
        {
            case JsonObject o when replacement.Length == 0:
                o.Remove(place.Key!);
                return root!.ToJsonString(Output);
            case JsonObject o:
                o[place.Key!] = Marker;
                break;
            case JsonArray a:
                a[place.Index] = Marker;
                break;
        }
        return root!.ToJsonString(Output).Replace(markerJson, replacement, StringComparison.Ordinal);
    }

    // Keeps non-ASCII text as it is, so a mutant reads like what a client sends.
    private static readonly JsonSerializerOptions Output = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, MaxDepth = 256 };

    // ------------------------------------------------------------------ text steps

    private static string Flip(string text, MutationStep step)
    {
        if (text.Length == 0) return FlipCharacters[step.Variant % FlipCharacters.Length].ToString();
        var at = step.Target % text.Length;
        var c = step.Variant % 4 == 0 ? (char)(step.Variant / 4 % 0x10000) : FlipCharacters[step.Variant / 4 % FlipCharacters.Length];
        return step.Variant / 4 % 3 == 0 ? text.Insert(at, c.ToString()) : text.Remove(at, 1).Insert(at, c.ToString());
    }

    /// <summary>Inserts at a structural character outside strings (before one of <paramref name="before"/>, or any).</summary>
    private static string InsertAtBoundary(string text, MutationStep step, string insert, string before = "{}[],:")
    {
        var positions = new List<int>();
        var inString = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                if (c == '\\') i++;
                else if (c == '"') inString = false;
            }
            else if (c == '"') inString = true;
            else if (before.Contains(c)) positions.Add(i);
        }
        if (positions.Count == 0) return text + insert;
        var at = positions[step.Target % positions.Count];
        return text.Insert(step.Variant % 2 == 0 || before == "}]" ? at : at + 1, insert);
    }
}
