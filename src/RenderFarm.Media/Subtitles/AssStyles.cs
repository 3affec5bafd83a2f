using RenderFarm.Core.Timelines;
using static RenderFarm.Media.Subtitles.AssFormat;

namespace RenderFarm.Media.Subtitles;

/// <summary>The [V4+ Styles] section: one style per distinct look, named S1, S2, ... in order of first use.</summary>
internal sealed class AssStyles(IReadOnlyDictionary<string, string> fontFamilies)
{
    public const string Format =
        "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, "
        + "Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, "
        + "MarginR, MarginV, Encoding";

    /// <summary>
    /// The fonts installed on the render hosts. IMS names (AlibabaPuHuiTi, SimSun, ...) are not, and would leave the
    /// face to fontconfig's fallback; every other name renders in the CJK-capable default.
    /// </summary>
    private static readonly string[] InstalledFonts = [TextClipParser.DefaultFont, "Noto Serif CJK SC", "DejaVu Sans"];

    private readonly Dictionary<string, string> nameByFields = [];
    private readonly List<string> lines = [];

    public IReadOnlyList<string> Lines => lines;

    public string NameFor(TextStyle style)
    {
        var fields = Fields(style);
        if (!nameByFields.TryGetValue(fields, out var name))
        {
            name = $"S{nameByFields.Count + 1}";
            nameByFields.Add(fields, name);
            lines.Add($"Style: {name},{fields}");
        }
        return name;
    }

    public static string FontName(string imsFont) =>
        InstalledFonts.FirstOrDefault(font => font.Equals(imsFont.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? TextClipParser.DefaultFont;

    /// <summary>The shadow colour, or the Box colour: BorderStyle 4 fills the box with BackColour.</summary>
    public static Rgba BackColour(TextStyle style) => style.Box?.Colour ?? style.BackColour;

    /// <summary>The alpha tags a text settles at; fades animate to and from them.</summary>
    public static string VisibleAlphas(TextStyle style) =>
        $@"\1a&H{Alpha(style.FontColour):X2}&\3a&H{Alpha(style.OutlineColour):X2}&\4a&H{Alpha(BackColour(style)):X2}&";

    /// <summary>
    /// A Box uses libass's BorderStyle 4: one box behind the whole text block, filled with BackColour and padded
    /// around the outlined text by the shadow offsets (the event sets \xshad/\yshad to XBord/YBord); the text keeps
    /// its outline. BorderStyle 3 would box each line separately in OutlineColour, drop the text outline and draw
    /// no box at zero padding. The box takes the shadow's place, so boxed text has no drop shadow.
    /// </summary>
    /// <remarks>
    /// BorderStyle 3 (<see cref="TextStyle.OpaqueBox"/>) boxes each line in OutlineColour, padded by Outline; at zero
    /// padding libass would draw no box, so such a text is padded by a tenth of its font size. A font from FontUrl is
    /// named by the family its file declares (<paramref name="fontFamilies"/>, by URL): libass finds it in the fonts
    /// directory by that name.
    /// </remarks>
    private string Fields(TextStyle s) => string.Join(',',
        s.FontUrl is { } url && fontFamilies.TryGetValue(url, out var family) ? family : FontName(s.Font), Number(s.FontSize),
        Colour(s.FontColour), Colour(s.FontColour), Colour(s.OutlineColour), Colour(BackColour(s)),
        Flag(s.Bold), Flag(s.Italic), Flag(s.Underline), Flag(false),
        100, 100, Number(s.Spacing), Number(s.Angle),
        s.Box is not null ? 4 : s.OpaqueBox ? 3 : 1,
        Number(s.OpaqueBox && s.Box is null && s.Outline == 0 ? s.FontSize / 10 : s.Outline),
        Number(s.Box is null && s.ShadowOffset is null ? s.Shadow : 0),
        TextPlacement.AnCode(s.Alignment), 0, 0, 0, 1);

    private static int Flag(bool on) => on ? -1 : 0;
}
