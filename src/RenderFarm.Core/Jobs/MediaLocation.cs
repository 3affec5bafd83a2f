using RenderFarm.Core.Json;

namespace RenderFarm.Core.Jobs;

/// <summary>
/// Checks a MediaURL as text, before anything resolves it: no path or URL holds control characters
/// (a NUL makes the path APIs throw), and a file:// URL must parse, as the output and media resolvers
/// take it apart with <see cref="Uri"/>. A refusal here names the field; the same input later would be a 500.
/// </summary>
public static class MediaLocation
{
    public static string Check(string path, string url)
    {
        for (var i = 0; i < url.Length; i++)
            if (char.IsControl(url[i]))
                throw new RequestException(path, $"must not contain control characters (U+{(int)url[i]:X4} at character {i})");
        // {index} stands for the output's number in batch patterns; braces are no valid URL characters.
        if (url.StartsWith("file:", StringComparison.OrdinalIgnoreCase)
            && !(Uri.TryCreate(url.Replace("{index}", "0", StringComparison.OrdinalIgnoreCase), UriKind.Absolute, out var uri) && uri.IsFile))
            throw new RequestException(path, $"'{JsonObjectReader.Excerpt(url)}' is not a valid file URL; give file:///absolute/path or a plain path");
        return url;
    }
}
