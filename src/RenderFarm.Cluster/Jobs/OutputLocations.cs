using System.Text;
using RenderFarm.Core.Json;

namespace RenderFarm.Cluster.Jobs;

/// <summary>
/// Where a job's videos are written: under one output directory shared by the nodes. A MediaURL
/// may name a relative path (with {index} for batches), an absolute path or a file:// URL inside that
/// directory; without one the video goes to &lt;output&gt;/&lt;JobId&gt;/&lt;index&gt;.mp4. Uploads to URLs
/// are refused. The name must be one the filesystem takes (checked here, so a job cannot fail at its
/// last step for a name and take the assemble kind out of service with it), and messages quote only
/// what the caller sent: the output directory's own path is never shown.
/// </summary>
public sealed class OutputLocations(string outputDirectory)
{
    /// <summary>
    /// Linux NAME_MAX and PATH_MAX, in bytes of the UTF-8 name. The video's own name has less: the renderer
    /// writes it first under a temporary name beside it (".NAME.partial-&lt;32 hex&gt;.mp4", 42 bytes longer).
    /// </summary>
    public const int MaxNameBytes = 255, MaxFileNameBytes = 200, MaxPathBytes = 4000;

    public string Root { get; } = Path.GetFullPath(outputDirectory);

    /// <param name="extensions">What the output may be (lower case, with the dot; the first names a default output); null: an MP4 video.</param>
    public string Resolve(string? mediaUrl, string jobId, int index, string jsonPath, IReadOnlyList<string>? extensions = null)
    {
        extensions ??= [".mp4"];
        if (string.IsNullOrWhiteSpace(mediaUrl)) return Path.Combine(Root, jobId, $"{index}{extensions[0]}");
        var text = mediaUrl.Replace("{index}", index.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.OrdinalIgnoreCase);
        if (text.Any(char.IsControl)) throw Refuse(jsonPath, mediaUrl, "contains a control character (NUL, newline, ...)");
        if (text.StartsWith("file:", StringComparison.OrdinalIgnoreCase)) text = FileUrlPath(text, mediaUrl, jsonPath);
        else if (IsUrl(text))
            throw Refuse(jsonPath, mediaUrl, "is a URL; uploads are not supported, give a path under the output directory (relative, e.g. \"renders/out.mp4\")");
        var full = Path.GetFullPath(text, Root);
        if (!full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw Refuse(jsonPath, mediaUrl, "is outside the output directory (RENDERFARM_OUTPUT_DIR; `farm node --output-dir DIR`); give a path relative to it");
        if (!extensions.Any(e => full.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
            throw Refuse(jsonPath, mediaUrl, extensions.Count == 1 ? $"must name an {extensions[0]} file" : $"must name a file ending in one of {string.Join(", ", extensions)}");
        var parts = full[(Root.Length + 1)..].Split(Path.DirectorySeparatorChar);
        for (var i = 0; i < parts.Length; i++)
        {
            var (bytes, max) = (Encoding.UTF8.GetByteCount(parts[i]), i == parts.Length - 1 ? MaxFileNameBytes : MaxNameBytes);
            if (bytes > max)
                throw Refuse(jsonPath, mediaUrl, $"has a {(i == parts.Length - 1 ? "file" : "directory")} name of {bytes} bytes; at most {max} are allowed");
        }
        if (Encoding.UTF8.GetByteCount(full) > MaxPathBytes)
            throw Refuse(jsonPath, mediaUrl, $"is longer than the {MaxPathBytes} bytes a path may have");
        return full;
    }

    /// <summary>The output as the caller would name it: relative to the output directory.</summary>
    public string Describe(string fullPath) =>
        fullPath.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? fullPath[(Root.Length + 1)..] : Path.GetFileName(fullPath);

    /// <summary>file:/p, file:///p or file://localhost/p, percent-decoded; anything else is refused, never thrown as a parse error.</summary>
    private static string FileUrlPath(string text, string mediaUrl, string jsonPath)
    {
        var rest = text["file:".Length..];
        if (rest.StartsWith("//", StringComparison.Ordinal))
        {
            var slash = rest.IndexOf('/', 2);
            var host = slash < 0 ? rest[2..] : rest[2..slash];
            if (host.Length > 0 && !host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
                throw Refuse(jsonPath, mediaUrl, "names a host; a file:// output must be local");
            rest = slash < 0 ? "" : rest[slash..];
        }
        if (!rest.StartsWith('/')) throw Refuse(jsonPath, mediaUrl, "is not a file URL with an absolute path");
        if (rest.IndexOfAny(['?', '#']) >= 0) throw Refuse(jsonPath, mediaUrl, "has a query or fragment");
        string path;
        try { path = Uri.UnescapeDataString(rest); }
        catch (UriFormatException) { throw Refuse(jsonPath, mediaUrl, "is not a valid file URL"); }
        if (path.Any(char.IsControl)) throw Refuse(jsonPath, mediaUrl, "contains a control character (NUL, newline, ...)");
        return path;
    }

    /// <summary>"scheme:..." with a scheme of two or more letters (one letter would be a Windows drive, not a URL).</summary>
    private static bool IsUrl(string text)
    {
        var colon = text.IndexOf(':');
        if (colon < 2 || !char.IsAsciiLetter(text[0])) return false;
        for (var i = 1; i < colon; i++)
            if (!(char.IsAsciiLetterOrDigit(text[i]) || text[i] is '+' or '-' or '.')) return false;
        return true;
    }

    private static RequestException Refuse(string jsonPath, string mediaUrl, string reason) =>
        new(jsonPath, $"{Quote(mediaUrl)} {reason}");

    private static string Quote(string text)
    {
        var clean = new string(text.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return $"'{(clean.Length > 120 ? clean[..120] + "…" : clean)}'";
    }
}
