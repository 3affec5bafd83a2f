using System.Text;
using RenderFarm.Media.Captions;
using RenderFarm.Core.Timelines;

namespace RenderFarm.Media.Subtitles;

/// <summary>The lines of a text and its font size once IMS AdaptMode has been applied.</summary>
internal sealed record TextLayout(IReadOnlyList<string> Lines, double FontSize)
{
    public static TextLayout For(string content, TextStyle style, double fitWidth)
    {
        var lines = AssText.SplitLines(content);
        return style.Fit switch
        {
            TextFit.AutoWrap => new(
                lines.SelectMany(line => TextWidthEstimate.Wrap(line, style.FontSize, style.Spacing, fitWidth)).ToList(),
                style.FontSize),
            TextFit.AutoScale => new(lines, TextWidthEstimate.FontSizeToFit(lines, style.FontSize, style.Spacing, fitWidth)),
            _ => new(lines, style.FontSize),
        };
    }
}

/// <summary>
/// Text width without opening the font: 1 em per CJK character (exact for the ideographs of the shipped CJK
/// fonts); Latin glyphs by class (narrow, wide, capitals, others), close to Noto Sans's proportional widths
/// and on the narrow side, because libass re-wraps a Latin line that is really wider (at spaces, within the
/// margins) while a line broken too early cannot be joined again. Spacing is added after each character.
/// </summary>
internal static class TextWidthEstimate
{
    private const double WideEm = 1.0;

    // Closing punctuation that may not begin a line (CJK line-breaking rules).
    private const string NoLineStart = "，。、；：？！）」』》】〉…,.;:?!)]}%";

    public static double Width(string text, double fontSize, double spacing) =>
        Ems(text) * fontSize + text.EnumerateRunes().Count() * spacing;

    /// <summary>The font size at which the widest line is <paramref name="width"/> wide; never larger than the given size.</summary>
    public static double FontSizeToFit(IEnumerable<string> lines, double fontSize, double spacing, double width)
    {
        var fitting = lines.Where(line => line.Length > 0)
            .Select(line => (width - line.EnumerateRunes().Count() * spacing) / Ems(line))
            .DefaultIfEmpty(fontSize)
            .Min();
        return Math.Clamp(fitting, 1, fontSize);
    }

    /// <summary>
    /// Greedy line breaking at spaces and between CJK characters. libass breaks only at spaces, so a Chinese
    /// line would never wrap; the breaks are made here and libass's own wrapping remains as a backstop for
    /// Latin lines the estimate found narrower than they are.
    /// </summary>
    public static IReadOnlyList<string> Wrap(string text, double fontSize, double spacing, double maxWidth)
    {
        var lines = new List<string>();
        var line = new StringBuilder();
        var width = 0.0;
        var hasText = false;
        foreach (var token in Tokens(text))
        {
            var tokenWidth = Width(token, fontSize, spacing);
            var isSpace = token == " ";
            // A line breaks before a word or CJK character, never before a space: spaces end up trailing and are trimmed.
            if (!isSpace && hasText && width + tokenWidth > maxWidth && !NoLineStart.Contains(token[0]))
            {
                lines.Add(line.ToString().TrimEnd(' '));
                line.Clear();
                width = 0;
            }
            line.Append(token);
            width += tokenWidth;
            hasText |= !isSpace;
        }
        lines.Add(line.ToString());
        return lines;
    }

    /// <summary>Break units: single spaces, single CJK characters and runs of anything else (words).</summary>
    private static IEnumerable<string> Tokens(string text)
    {
        var word = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value != ' ' && !IsWide(rune))
            {
                word.Append(rune.ToString());
                continue;
            }
            if (word.Length > 0)
            {
                yield return word.ToString();
                word.Clear();
            }
            yield return rune.ToString();
        }
        if (word.Length > 0) yield return word.ToString();
    }

    private static double Ems(string text) => text.EnumerateRunes().Sum(Em);

    private static double Em(Rune rune) => rune.Value switch
    {
        _ when IsWide(rune) => WideEm,
        HighlightMarks.Open or HighlightMarks.Close => 0,
        ' ' => 0.22,
        'i' or 'j' or 'l' or 'f' or 't' or 'I' or '.' or ',' or ';' or ':' or '!' or '\'' or '|' => 0.27,
        'm' or 'w' or 'M' or 'W' => 0.8,
        >= 'A' and <= 'Z' => 0.62,
        >= '0' and <= '9' => 0.55,
        _ => 0.5,
    };

    private static bool IsWide(Rune rune) => rune.Value is
        >= 0x1100 and <= 0x115F      // Hangul Jamo
        or >= 0x2E80 and <= 0x303F   // CJK radicals, symbols and punctuation
        or >= 0x3040 and <= 0x33FF   // kana, bopomofo, CJK compatibility
        or >= 0x3400 and <= 0x4DBF   // CJK extension A
        or >= 0x4E00 and <= 0x9FFF   // CJK unified ideographs
        or >= 0xAC00 and <= 0xD7AF   // Hangul syllables
        or >= 0xF900 and <= 0xFAFF   // CJK compatibility ideographs
        or >= 0xFF00 and <= 0xFF60   // fullwidth forms
        or >= 0xFFE0 and <= 0xFFE6
        or >= 0x20000 and <= 0x3FFFF; // CJK extensions B and later
}
