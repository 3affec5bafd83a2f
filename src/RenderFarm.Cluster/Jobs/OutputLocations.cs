using RenderFarm.Core.Json;

namespace RenderFarm.Cluster.Jobs;

/// <summary>
/// Where a job's videos are written: under one output directory shared by the nodes. A MediaURL
/// may name a relative path (with {index} for batches) or an absolute path inside that directory;
/// without one the video goes to &lt;output&gt;/&lt;JobId&gt;/&lt;index&gt;.mp4. Uploads to URLs are refused.
/// </summary>
public sealed class OutputLocations(string outputDirectory)
{
    public string Root { get; } = Path.GetFullPath(outputDirectory);

    public string Resolve(string? mediaUrl, string jobId, int index, string jsonPath)
    {
        if (string.IsNullOrWhiteSpace(mediaUrl)) return Path.Combine(Root, jobId, $"{index}.mp4");
        var text = mediaUrl.Replace("{index}", index.ToString(), StringComparison.OrdinalIgnoreCase);
        if (text.StartsWith("file://", StringComparison.OrdinalIgnoreCase)) text = new Uri(text).LocalPath;
        else if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && !uri.IsFile)
            throw new RequestException(jsonPath, $"'{mediaUrl}' is a URL; uploads are not supported, give a path under the output directory {Root}");
        var full = Path.GetFullPath(text, Root);
        if (!full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new RequestException(jsonPath, $"'{mediaUrl}' is outside the output directory {Root}");
        if (!full.EndsWith(".mp4", StringComparison.OrdinalIgnoreCase))
            throw new RequestException(jsonPath, "the output must be an .mp4 file");
        return full;
    }
}
