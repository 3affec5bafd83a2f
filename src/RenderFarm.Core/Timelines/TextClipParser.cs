using RenderFarm.Core.Json;

namespace RenderFarm.Core.Timelines;

/// <summary>Reads SubtitleTrackClips of Type Text (and the same style fields wherever IMS reuses them).</summary>
public sealed class TextClipParser(TimelineLimits limits)
{
    /// <summary>IMS names a font the farm does not ship; every such name renders in the CJK-capable default.</summary>
    public const string DefaultFont = "Noto Sans CJK SC";

    public static readonly string[] MotionInNames = TextMotionCatalog.InNames;
    public static readonly string[] MotionOutNames = TextMotionCatalog.OutNames;
    public static readonly string[] MotionLoopNames = TextMotionCatalog.LoopNames;

    /// <summary>Limits on a Type=Subtitle clip's file, checked when it is read.</summary>
    public const int MaxSubtitleFileBytes = 2 * 1024 * 1024;
    public const int MaxSubtitleCues = 5000;

    /// <summary>A subtitle track: its Type=Text clips and its Type=Subtitle (file) clips.</summary>
    public SubtitleTrack ReadTrack(string path, IReadOnlyList<JsonObjectReader> clips)
    {
        var texts = new List<TextClip>();
        var files = new List<SubtitleFileClip>();
        foreach (var clip in clips)
        {
            if (clip.OneOf("Type", ["Text", "Subtitle", "AI_ASR"]) == "Subtitle") files.Add(ReadFile(clip));
            else texts.Add(Read(clip));
        }
        return new SubtitleTrack(path, texts) { Files = files };
    }

    public TextClip Read(JsonObjectReader clip)
    {
        var type = clip.OneOf("Type", ["Text", "Subtitle", "AI_ASR"]) ?? "Text";
        if (type != "Text")
            throw clip.Error("Type", $"{type} subtitle clips are not supported here; supported: Text, Subtitle");
        var content = clip.RequiredString("Content");
        if (content.Length > limits.MaxTextLength)
            throw clip.Error("Content", $"at most {limits.MaxTextLength} characters are allowed (got {content.Length})");
        var (timelineIn, timelineOut) = Span(clip);
        var style = ReadStyle(clip);
        var motion = ReadMotion(clip);
        return new TextClip(clip.Path, content, timelineIn ?? 0, timelineOut, style, motion);
    }

    /// <summary>A banner Text effect inside a video clip's Effects: a Text clip whose span defaults to the clip's.</summary>
    public BannerText ReadBanner(JsonObjectReader effect)
    {
        var content = effect.RequiredString("Content");
        if (content.Length > limits.MaxTextLength)
            throw effect.Error("Content", $"at most {limits.MaxTextLength} characters are allowed (got {content.Length})");
        var (timelineIn, timelineOut) = Span(effect);
        var text = new TextClip(effect.Path, content, 0, null, ReadStyle(effect), ReadMotion(effect));
        return new BannerText(text, timelineIn, timelineOut);
    }

    private SubtitleFileClip ReadFile(JsonObjectReader clip)
    {
        var url = clip.RequiredString("FileURL");
        if (url.Trim().Length == 0) throw clip.Error("FileURL", "is empty");
        var (timelineIn, timelineOut) = Span(clip);
        return new SubtitleFileClip(clip.Path, url, timelineIn ?? 0, timelineOut, ReadStyle(clip), ReadMotion(clip));
    }

    private (double? In, double? Out) Span(JsonObjectReader clip)
    {
        var timelineIn = clip.Number("TimelineIn", 0, limits.MaxDurationSeconds);
        var timelineOut = clip.Number("TimelineOut", 0, limits.MaxDurationSeconds);
        if (timelineOut is { } o && o <= (timelineIn ?? 0))
            throw clip.Error("TimelineOut", $"must be greater than TimelineIn ({JsonObjectReader.Format(timelineIn ?? 0)})");
        return (timelineIn, timelineOut);
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
        ShadowOffset? shadowOffset = null;
        foreach (var effect in r.Objects("SubtitleEffects"))
        {
            var effectType = effect.OneOf("Type", ["Box", "Outline", "Shadow"]) ?? throw effect.Error("Type", "is required");
            var effectColour = Colour(effect, "Color", "#000000").WithAlpha(effect.Number("Opacity", 0, 1) ?? 1);
            switch (effectType)
            {
                case "Box":
                    box = new TextBox(effectColour, effect.Number("XBord", 0, 500) ?? 0, effect.Number("YBord", 0, 500) ?? 0);
                    break;
                case "Outline":
                    outline = effect.Number("Bord", 0, 200) ?? 1;
                    outlineColour = effectColour;
                    break;
                default:
                    shadowOffset = new ShadowOffset(effect.Number("XShadow", -200, 200) ?? 2, effect.Number("YShadow", -200, 200) ?? 2);
                    backColour = effectColour;
                    break;
            }
        }
        var borderStyle = r.Number("BorderStyle", 1, 3);
        if (borderStyle is { } b && b != 1 && b != 3)
            throw r.Error("BorderStyle", $"must be 1 (outline and shadow) or 3 (opaque box) (got {JsonObjectReader.Format(b)})");
        var fontUrl = r.String("FontUrl");
        if (fontUrl is not null && fontUrl.Trim().Length == 0) throw r.Error("FontUrl", "is empty");
        var style = new TextStyle(font, fontSize, fontColour, outline, outlineColour, shadow, backColour, alignment, x, y,
            fit, textWidth, bold, italic, underline, spacing, angle, box)
        {
            FontUrl = fontUrl,
            LineSpacing = r.Number("LineSpacing", 0, 1000) ?? 0,
            OpaqueBox = borderStyle == 3,
            ShadowOffset = shadowOffset,
        };
        return WithCatalogLook(r, style);
    }

    /// <summary>
    /// EffectColorStyle (flower text) sets fill, outline and shadow; BubbleStyleId puts the text on a plate.
    /// Sizes in the catalog are ems of the font size, so a look keeps its proportions at any size.
    /// </summary>
    private static TextStyle WithCatalogLook(JsonObjectReader r, TextStyle style)
    {
        if (r.String("EffectColorStyle") is { } flowerId)
        {
            var look = TextStyleCatalog.Flower(flowerId)
                ?? throw r.Error("EffectColorStyle", $"must be a flower text id like CS0001-000001 (got '{JsonObjectReader.Excerpt(flowerId)}'); documented: {string.Join(", ", TextStyleCatalog.FlowerIds)}");
            style = style with
            {
                FontColour = look.Fill.WithAlpha(style.FontColour.Alpha),
                Outline = look.OutlineEm * style.FontSize,
                OutlineColour = look.Outline,
                Shadow = look.ShadowEm * style.FontSize,
                BackColour = look.ShadowColour,
            };
        }
        if (r.String("BubbleStyleId") is { } bubbleId)
        {
            var look = TextStyleCatalog.Bubble(bubbleId)
                ?? throw r.Error("BubbleStyleId", $"must be a bubble text id like BS0001-000001 (got '{JsonObjectReader.Excerpt(bubbleId)}'); documented: {string.Join(", ", TextStyleCatalog.BubbleIds)}");
            var padding = look.PaddingEm * style.FontSize;
            style = style with
            {
                FontColour = look.Text,
                Outline = 0.04 * style.FontSize,
                OutlineColour = look.Rim,
                Box = new TextBox(look.Plate, padding, padding * 0.6),
            };
        }
        return style;
    }

    internal static TextMotion ReadMotion(JsonObjectReader r)
    {
        var @in = r.OneOf("AaiMotionInEffect", MotionInNames);
        var inSeconds = r.Number("AaiMotionIn", 0.1, 10) ?? 0.5;
        // The exit and loop lists of the IMS page could not be read in full: a name beyond ours is warned, not refused.
        var @out = r.KnownOrWarned("AaiMotionOutEffect", MotionOutNames, "the text leaves without an exit motion");
        var outSeconds = r.Number("AaiMotionOut", 0.1, 10) ?? 0.5;
        // IMS's editor offers a loop only without in/out; given all three, the loop plays between them.
        var loop = r.KnownOrWarned("AaiMotionLoopEffect", MotionLoopNames, "the text is shown without a loop");
        var speed = r.Number("Ratio", 0.1, 10) ?? 1;
        return new TextMotion(@in, @in is null ? 0 : inSeconds, @out, @out is null ? 0 : outSeconds) { Loop = loop, LoopSpeed = speed };
    }

    private static Rgba Colour(JsonObjectReader r, string name, string fallback)
    {
        var text = r.String(name) ?? fallback;
        return Rgba.TryParse(text, out var colour) ? colour : throw r.Error(name, $"must be a colour like #RRGGBB (got '{JsonObjectReader.Excerpt(text)}')");
    }
}
