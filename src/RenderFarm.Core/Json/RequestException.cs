using System.Text;

namespace RenderFarm.Core.Json;

/// <summary>
/// A request that cannot be accepted. <see cref="Path"/> is the JSON path of the offending
/// field (IMS spelling, e.g. <c>VideoTracks[0].VideoTrackClips[2].Out</c>); the message is the
/// one line a user sees: "path: reason". Control characters and lone surrogates that a reason
/// quotes from the request are written as \uXXXX, so the line stays one line and any JSON writer takes it.
/// </summary>
public sealed class RequestException(string path, string reason)
    : Exception(OneLine(path).Length == 0 ? OneLine(reason) : $"{OneLine(path)}: {OneLine(reason)}")
{
    public string Path { get; } = OneLine(path);
    public string Reason { get; } = OneLine(reason);

    /// <summary><paramref name="text"/> with line breaks, other control characters and unpaired surrogates escaped as \uXXXX.</summary>
    public static string OneLine(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        if (!text.Any(NeedsEscape) && LoneSurrogateAt(text) < 0) return text;
        var builder = new StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
                continue;
            }
            if (NeedsEscape(c) || char.IsSurrogate(c)) builder.Append($"\\u{(int)c:X4}");
            else builder.Append(c);
        }
        return builder.ToString();
    }

    // U+0085, U+2028 and U+2029 break lines too.
    private static bool NeedsEscape(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';

    /// <summary>The index of the first surrogate without its pair, or -1: such text is no Unicode and no JSON writer takes it.</summary>
    public static int LoneSurrogateAt(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            else if (char.IsSurrogate(text[i])) return i;
        }
        return -1;
    }
}
