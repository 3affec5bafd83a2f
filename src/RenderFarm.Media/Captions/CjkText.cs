using System.Text;

namespace RenderFarm.Media.Captions;

/// <summary>Character classes and spacing rules shared by sentence splitting, caption wrapping and highlighting.</summary>
public static class CjkText
{
    /// <summary>CJK ideographs, kana, CJK punctuation and full-width forms.</summary>
    public static bool IsCjk(char c) =>
        c is >= '\u4E00' and <= '\u9FFF' or >= '\u3400' and <= '\u4DBF' or >= '\uF900' and <= '\uFAFF'
            or >= '\u3000' and <= '\u30FF' or >= '\uFF00' and <= '\uFFEF';

    /// <summary>Collapses white space to single spaces, drops it between CJK characters, trims.</summary>
    public static string NormalizeSpace(string text)
    {
        var sb = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = sb.Length > 0;
                continue;
            }
            if (pendingSpace && !(IsCjk(c) && IsCjk(sb[^1]))) sb.Append(' ');
            pendingSpace = false;
            sb.Append(c);
        }
        return sb.ToString();
    }

}
