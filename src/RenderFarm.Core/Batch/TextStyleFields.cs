using System.Text.Json;
using RenderFarm.Core.Json;
using RenderFarm.Core.Timelines;

namespace RenderFarm.Core.Batch;

/// <summary>
/// A text style given in EditingConfig (TitleConfig, SpeechConfig.AsrConfig), checked with the same
/// rules as a Text clip and kept as the IMS fields so the planner can write them into the timeline
/// unchanged. Motion effects may be comma lists (IMS): one is picked per output.
/// </summary>
public sealed record TextStyleFields(
    IReadOnlyList<KeyValuePair<string, JsonElement>> Fields,
    IReadOnlyList<string> MotionIn,
    IReadOnlyList<string> MotionOut,
    IReadOnlyList<string> MotionLoop)
{
    private static readonly string[] StyleNames =
    [
        "Font", "FontSize", "FixedFontSize", "FontColor", "FontColorOpacity", "Outline", "OutlineColour", "Shadow",
        "BackColour", "Alignment", "X", "FixedX", "Y", "FixedY", "AdaptMode", "TextWidth", "FontFace", "Spacing",
        "Angle", "SubtitleEffects", "AaiMotionIn", "AaiMotionOut", "EffectColorStyle", "BubbleStyleId", "FontUrl", "LineSpacing",
        "BorderStyle", "Ratio",
    ];

    // A default is left out when the user set the field or its IMS alias.
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["FontSize"] = "FixedFontSize", ["X"] = "FixedX", ["Y"] = "FixedY",
    };

    /// <summary>Titles: centred near the top, wrapped to 90 % of the width.</summary>
    public const string TitleDefaults = """{"Alignment":"TopCenter","Y":0.1,"FontSize":64,"Outline":2,"AdaptMode":"AutoWrap","TextWidth":0.9}""";

    /// <summary>Captions of the voice-over: centred near the bottom.</summary>
    public const string CaptionDefaults = """{"Alignment":"BottomCenter","Y":0.12,"FontSize":48,"Outline":2,"AdaptMode":"AutoWrap","TextWidth":0.9}""";

    /// <summary>Reads and checks a style object; fields the user left out take <paramref name="defaultsJson"/>.</summary>
    public static TextStyleFields Read(JsonObjectReader? style, string defaultsJson)
    {
        var fields = new List<KeyValuePair<string, JsonElement>>();
        IReadOnlyList<string> motionIn = [], motionOut = [], motionLoop = [];
        if (style is not null)
        {
            TextClipParser.ReadStyle(style);
            style.Number("AaiMotionIn", 0.1, 10);
            style.Number("AaiMotionOut", 0.1, 10);
            style.Number("Ratio", 0.1, 10);
            foreach (var name in StyleNames)
                if (style.Raw(name) is { } value)
                    fields.Add(new(name, value.Clone()));
            motionIn = Choices(style, "AaiMotionInEffect", TextMotionCatalog.InNames);
            motionOut = Choices(style, "AaiMotionOutEffect", TextMotionCatalog.OutNames, partial: true);
            motionLoop = Choices(style, "AaiMotionLoopEffect", TextMotionCatalog.LoopNames, partial: true);
        }
        using var defaults = JsonDocument.Parse(defaultsJson);
        foreach (var property in defaults.RootElement.EnumerateObject())
        {
            var taken = fields.Any(f => f.Key.Equals(property.Name, StringComparison.OrdinalIgnoreCase)
                || (Aliases.TryGetValue(property.Name, out var alias) && f.Key.Equals(alias, StringComparison.OrdinalIgnoreCase)));
            if (!taken) fields.Add(new(property.Name, property.Value.Clone()));
        }
        return new TextStyleFields(fields, motionIn, motionOut, motionLoop);
    }

    /// <summary>
    /// A comma list of names, each in the catalog (matched case-insensitively). For a <paramref name="partial"/>
    /// catalog (exits and loops: the IMS lists could not be read in full) an unknown name is warned and left out.
    /// </summary>
    private static IReadOnlyList<string> Choices(JsonObjectReader style, string name, IReadOnlyList<string> catalog, bool partial = false)
    {
        if (style.String(name) is not { } text) return [];
        var names = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0) throw style.Error(name, "is empty");
        var known = new List<string>();
        foreach (var n in names)
        {
            if (catalog.FirstOrDefault(c => c.Equals(n, StringComparison.OrdinalIgnoreCase)) is { } match) known.Add(match);
            else if (partial) style.Warn(name, $"'{JsonObjectReader.Excerpt(n)}' is not one RenderFarm draws ({string.Join(", ", catalog)}); it is left out");
            else throw style.Error(name, $"unknown value '{JsonObjectReader.Excerpt(n)}'; supported: {string.Join(", ", catalog)}");
        }
        return known.Distinct().ToList();
    }
}
