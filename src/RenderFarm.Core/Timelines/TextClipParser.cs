using RenderFarm.Core.Json;

namespace RenderFarm.Core.Timelines;

/// <summary>Reads SubtitleTrackClips of Type Text (and the same style fields wherever IMS reuses them).</summary>
public sealed class TextClipParser(TimelineLimits limits)
{
    /// <summary>IMS names a font the farm does not ship; every such name renders in the CJK-capable default.</summary>
    public const string DefaultFont = "Noto Sans CJK SC";

    public static readonly string[] MotionInNames = TextMotionCatalog.InNames;
    public static readonly string[] MotionOutNames = TextMotionCatalog.OutNames;

    public TextClip Read(JsonObjectReader clip)
    {
        var type = clip.OneOf("Type", ["Text", "Subtitle", "AI_ASR"]) ?? "Text";
        if (type != "Text")
            throw clip.Error("Type", $"{type} subtitle clips are not supported yet; supported: Text");
        var content = clip.RequiredString("Content");
        if (content.Length > limits.MaxTextLength)
            throw clip.Error("Content", $"at most {limits.MaxTextLength} characters are allowed (got {content.Length})");
        var timelineIn = clip.Number("TimelineIn", 0, limits.MaxDurationSeconds) ?? 0;
        var timelineOut = clip.Number("TimelineOut", 0, limits.MaxDurationSeconds);
        if (timelineOut is { } o && o <= timelineIn)
            throw clip.Error("TimelineOut", $"must be greater than TimelineIn ({JsonObjectReader.Format(timelineIn)})");
        var style = ReadStyle(clip);
        var motion = ReadMotion(clip);
        return new TextClip(clip.Path, content, timelineIn, timelineOut, style, motion);
    }

    /// <summary>What a style is when the JSON does not say: Text clips and captions differ in where they sit.</summary>
    public sealed record StyleDefaults(TextAlignment Alignment, double Y, TextFit Fit)
    {
        public static readonly StyleDefaults Text = new(TextAlignment.TopLeft, 0, TextFit.None);
    }

    /// <summary>Style fields shared by Text clips and AI_ASR caption effects.</summary>
    public static TextStyle ReadStyle(JsonObjectReader r, StyleDefaults? defaults = null)
    {
        defaults ??= StyleDefaults.Text;
        var font = r.String("Font") ?? DefaultFont;
        var fontSize = r.Number("FontSize", 1, 2000) ?? r.Number("FixedFontSize", 1, 2000) ?? 40;
        var fontColour = Colour(r, "FontColor", "#FFFFFF").WithAlpha(r.Number("FontColorOpacity", 0, 1) ?? 1);
        var outline = r.Number("Outline", 0, 200) ?? 0;
        var outlineColour = Colour(r, "OutlineColour", "#000000");
        var shadow = r.Number("Shadow", 0, 200) ?? 0;
        var backColour = Colour(r, "BackColour", "#000000");
        var alignment = Enum.Parse<TextAlignment>(r.OneOf("Alignment", Enum.GetNames<TextAlignment>()) ?? defaults.Alignment.ToString());
        var x = new Extent(r.Number("X", 0, 8192) ?? r.Number("FixedX", 0, 8192) ?? 0);
        var y = new Extent(r.Number("Y", 0, 8192) ?? r.Number("FixedY", 0, 8192) ?? defaults.Y);
        var fit = r.OneOf("AdaptMode", ["AutoWrap", "AutoScale", "AutoWrapAtSpaces"]) switch
        {
            "AutoWrap" or "AutoWrapAtSpaces" => TextFit.AutoWrap,
            "AutoScale" => TextFit.AutoScale,
            _ => defaults.Fit,
        };
        var textWidth = r.Number("TextWidth", 0, 8192);
        if (textWidth is 0) throw r.Error("TextWidth", "must be greater than 0");
        var face = r.Object("FontFace");
        var bold = face?.Bool("Bold") ?? false;
        var italic = face?.Bool("Italic") ?? false;
        var underline = face?.Bool("Underline") ?? false;
        var spacing = r.Number("Spacing", -100, 500) ?? 0;
        var angle = r.Number("Angle", 0, 360) ?? 0;
        TextBox? box = null;
        foreach (var effect in r.Objects("SubtitleEffects"))
        {
            var effectType = effect.OneOf("Type", ["Box", "Outline", "Shadow"]) ?? throw effect.Error("Type", "is required");
            if (effectType == "Box")
                box = new TextBox(Colour(effect, "Color", "#000000").WithAlpha(effect.Number("Opacity", 0, 1) ?? 1),
                    effect.Number("XBord", 0, 500) ?? 0, effect.Number("YBord", 0, 500) ?? 0);
            else
                effect.Warn("Type", $"SubtitleEffects {effectType} is not supported yet; use the Outline/Shadow fields");
        }
        return new TextStyle(font, fontSize, fontColour, outline, outlineColour, shadow, backColour, alignment, x, y,
            fit, textWidth, bold, italic, underline, spacing, angle, box);
    }

    internal static TextMotion ReadMotion(JsonObjectReader r)
    {
        var @in = r.OneOf("AaiMotionInEffect", MotionInNames);
        var inSeconds = r.Number("AaiMotionIn", 0.1, 10) ?? 0.5;
        var @out = r.OneOf("AaiMotionOutEffect", MotionOutNames);
        var outSeconds = r.Number("AaiMotionOut", 0.1, 10) ?? 0.5;
        if (r.String("AaiMotionLoopEffect") is { } loop)
            r.Warn("AaiMotionLoopEffect", $"loop animations are not supported yet; '{loop}' was ignored");
        r.Accept("Ratio");
        return new TextMotion(@in, @in is null ? 0 : inSeconds, @out, @out is null ? 0 : outSeconds);
    }

    private static Rgba Colour(JsonObjectReader r, string name, string fallback)
    {
        var text = r.String(name) ?? fallback;
        return Rgba.TryParse(text, out var colour) ? colour : throw r.Error(name, $"must be a colour like #RRGGBB (got '{JsonObjectReader.Excerpt(text)}')");
    }
}
