using System.Text;

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

    public static string Join(IEnumerable<string> lines) => string.Join(@"\N", lines.Select(Escape));

    /// <summary>
    /// '{' would open an override block, so braces are written as libass's literal-brace escapes \{ and \}.
    /// Control characters would end the line (or the C string) in the script file and become spaces.
    /// </summary>
    public static string Escape(string line)
    {
        var escaped = new StringBuilder(line.Length);
        foreach (var c in line)
        {
            escaped.Append(c switch
            {
                '\\' => @"\" + WordJoiner,
                '{' => @"\{",
                '}' => @"\}",
                _ when char.IsControl(c) => " ",
                _ => c.ToString(),
            });
        }
        return escaped.ToString();
    }
}
