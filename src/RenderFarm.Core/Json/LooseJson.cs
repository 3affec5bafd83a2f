using System.Text;

namespace RenderFarm.Core.Json;

/// <summary>
/// IMS's non-strict JSON (JobParams such as <c>{fps:10,sep:false,roi:[[0.5, 1], [0, 1]]}</c>) rewritten as
/// JSON: bare names and bare words are quoted, single-quoted strings become double-quoted; numbers,
/// true, false and null stay as they are. Comments and trailing commas are left for the JSON reader,
/// which skips them. Text that is JSON already comes back unchanged.
/// </summary>
public static class LooseJson
{
    public static string ToJson(string text)
    {
        var output = new StringBuilder(text.Length + 16);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '"') i = CopyString(text, i, output);
            else if (c == '\'') i = SingleQuoted(text, i, output);
            else if (c == '/' && i + 1 < text.Length && text[i + 1] is '/' or '*') i = CopyComment(text, i, output);
            else if (IsWordStart(c))
            {
                var start = i;
                while (i < text.Length && IsWordPart(text[i])) i++;
                var word = text[start..i];
                if (word is "true" or "false" or "null") output.Append(word);
                else output.Append('"').Append(word).Append('"');
            }
            else if (c == '-' || char.IsAsciiDigit(c))
            {
                // A number, or a bare word that starts like one ("16x9"): the JSON reader judges the number.
                var start = i;
                i++;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '.' or '+' or '-' or '_')) i++;
                var token = text[start..i];
                output.Append(token.Any(char.IsAsciiLetter) && !IsExponent(token) ? $"\"{token}\"" : token);
            }
            else
            {
                output.Append(c);
                i++;
            }
        }
        return output.ToString();
    }

    private static bool IsWordStart(char c) => char.IsLetter(c) || c is '_' or '$';
    private static bool IsWordPart(char c) => char.IsLetterOrDigit(c) || c is '_' or '$' or '-' or '.';

    private static bool IsExponent(string token) =>
        double.TryParse(token, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _);

    private static int CopyString(string text, int i, StringBuilder output)
    {
        output.Append('"');
        for (i++; i < text.Length; i++)
        {
            output.Append(text[i]);
            if (text[i] == '\\' && i + 1 < text.Length) output.Append(text[++i]);
            else if (text[i] == '"') return i + 1;
        }
        return i; // unterminated: the JSON reader reports where
    }

    private static int SingleQuoted(string text, int i, StringBuilder output)
    {
        output.Append('"');
        for (i++; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length)
            {
                var next = text[++i];
                output.Append(next == '\'' ? "'" : $"\\{next}");
            }
            else if (c == '\'') { output.Append('"'); return i + 1; }
            else if (c == '"') output.Append("\\\"");
            else output.Append(c);
        }
        return i;
    }

    private static int CopyComment(string text, int i, StringBuilder output)
    {
        var end = text[i + 1] == '/' ? text.IndexOf('\n', i) : text.IndexOf("*/", i + 2, StringComparison.Ordinal);
        end = end < 0 ? text.Length : text[i + 1] == '/' ? end : end + 2;
        output.Append(text, i, end - i);
        return end;
    }
}
