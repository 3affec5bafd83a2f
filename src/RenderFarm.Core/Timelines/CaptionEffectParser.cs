using RenderFarm.Core.Json;

namespace RenderFarm.Core.Timelines;

/// <summary>Reads an AI_ASR effect: the caption style (the Text clip style fields) and the highlighting.</summary>
internal static class CaptionEffectParser
{
    /// <summary>Captions sit centred near the bottom and wrap unless the effect says otherwise.</summary>
    private static readonly TextClipParser.StyleDefaults CaptionDefaults = new(TextAlignment.BottomCenter, 0.08, TextFit.AutoWrap);

    public static CaptionEffect Read(JsonObjectReader effect, TimelineLimits limits)
    {
        var style = TextClipParser.ReadStyle(effect, CaptionDefaults);
        HighlightStyle? highlight = null;
        var wanted = effect.Bool("NeedHighlighting") ?? false;
        var styleReader = effect.Object("HighlightingStyle");
        if (wanted)
        {
            highlight = new HighlightStyle(
                Colour(styleReader, "FontColor", "#F6DD14"),
                Colour(styleReader, "OutlineColour", style.OutlineColour.Hex),
                styleReader?.Number("Outline", 0, 200) ?? Math.Max(style.Outline, 2));
        }
        else if (styleReader is not null)
        {
            effect.Warn("HighlightingStyle", "is used only with NeedHighlighting true; it was ignored");
            foreach (var name in new[] { "FontColor", "OutlineColour", "Outline" }) styleReader.Accept(name);
        }
        foreach (var name in new[] { "TimelineIn", "TimelineOut" })
            if (effect.Has(name)) effect.Warn(name, "captions follow the speech of their clip; it was ignored");
        return new CaptionEffect(effect.Path, style, highlight) { Motion = TextClipParser.ReadMotion(effect) };
    }

    private static Rgba Colour(JsonObjectReader? r, string name, string fallback)
    {
        var text = r?.String(name) ?? fallback;
        return Rgba.TryParse(text, out var colour) ? colour : throw r!.Error(name, $"must be a colour like #RRGGBB (got '{JsonObjectReader.Excerpt(text)}')");
    }
}
