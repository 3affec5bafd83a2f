using System.Text;
using RenderFarm.Core.Timelines;
using RenderFarm.Media.Captions;

namespace RenderFarm.Media.Subtitles;

/// <summary>User text in a Dialogue line: IMS newlines to \N, and nothing libass could read as a tag or an escape.</summary>
internal static class AssText
{
    // U+2060 WORD JOINER: invisible, no break opportunity. After a user backslash it stops libass reading
    // \N, \n, \h, \{ or \} as an escape, so the backslash renders as itself.
    private const string WordJoiner = "\u2060";

    /// <summary>IMS writes line breaks in Content as a literal \n or \N, or as real newlines.</summary>
    public static string[] SplitLines(string content) =>
        content.Replace("\r\n", "\n").Replace('\r', '\n').Replace(@"\n", "\n").Replace(@"\N", "\n").Split('\n');

    public static string Join(IEnumerable<string> lines, HighlightTags? highlight = null, string lineBreak = @"\N") =>
        string.Join(lineBreak, lines.Select(line => Escape(line, highlight)));

    /// <summary>
    /// '{' would open an override block, so braces are written as libass's literal-brace escapes \{ and \}.
    /// Control characters would end the line (or the C string) in the script file and become spaces.
    /// </summary>
    /// <summary>
    /// Highlight marks (<see cref="HighlightMarks"/>) become the highlight's override tags, or nothing
    /// when the text has no highlight style.
    /// </summary>
    public static string Escape(string line, HighlightTags? highlight = null)
    {
        var escaped = new StringBuilder(line.Length);
        foreach (var c in line)
        {
            escaped.Append(c switch
            {
                '\\' => @"\" + WordJoiner,
                '{' => @"\{",
                '}' => @"\}",
                HighlightMarks.Open => highlight?.Open ?? "",
                HighlightMarks.Close => highlight?.Close ?? "",
                _ when char.IsControl(c) => " ",
                _ => c.ToString(),
            });
        }
        return escaped.ToString();
    }
}

/// <summary>The override blocks that switch a caption to its highlight look and back to its own style.</summary>
internal sealed record HighlightTags(string Open, string Close)
{
    public static HighlightTags? For(TextStyle style, HighlightStyle? highlight) => highlight is null ? null : new(
        Tags(highlight.FontColour, highlight.OutlineColour, highlight.Outline),
        Tags(style.FontColour, style.OutlineColour, style.Outline));

    // \1c and \3c take &HBBGGRR& (the alpha stays the style's).
    private static string Tags(Rgba font, Rgba outline, double border) =>
        $@"{{\1c&H{font.B:X2}{font.G:X2}{font.R:X2}&\3c&H{outline.B:X2}{outline.G:X2}{outline.R:X2}&\bord{AssFormat.Number(border)}}}";
}
