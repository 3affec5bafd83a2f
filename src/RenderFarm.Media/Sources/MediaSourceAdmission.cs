using RenderFarm.Core.Json;

namespace RenderFarm.Media.Sources;

public sealed partial class MediaSourceResolver
{
    /// <summary>
    /// The checks of <see cref="ResolveAsync"/> that need no download, also run alone at submission: a local
    /// file must exist inside an allowed root (its real path is returned), a URL must use an accepted scheme and
    /// name an allowed host (null is returned: it is downloaded when needed). A request that passes may still
    /// fail later (a download that times out), but not for its policy.
    /// </summary>
    public string? Admit(string mediaUrl, string jsonPath, string baseDirectory)
    {
        if (string.IsNullOrWhiteSpace(mediaUrl)) throw Refuse(jsonPath, "MediaURL is empty");
        if (mediaUrl.Contains('\0')) throw Refuse(jsonPath, $"MediaURL {Quote(mediaUrl)} contains a NUL character");
        switch (SchemeOf(mediaUrl))
        {
            case null:
                return ResolveLocal(mediaUrl, Path.Combine(Path.GetFullPath(baseDirectory), mediaUrl), jsonPath);
            case "file":
                return ResolveLocal(mediaUrl, FileUrlPath(mediaUrl, jsonPath), jsonPath);
            case "http" or "https":
                if (!Uri.TryCreate(mediaUrl, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
                    throw Refuse(jsonPath, $"MediaURL {Quote(mediaUrl)} is not a valid URL");
                CheckHttpTarget(uri, jsonPath, redirected: false);
                return null;
            case var scheme:
                throw Refuse(jsonPath, $"MediaURL {Quote(mediaUrl)} uses scheme {scheme}; supported: local paths, file://, http(s)://");
        }
    }
}
