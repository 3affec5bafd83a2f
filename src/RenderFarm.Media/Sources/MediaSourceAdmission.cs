using RenderFarm.Core.Json;

namespace RenderFarm.Media.Sources;

public sealed partial class MediaSourceResolver
{
    /// <summary>
    /// The checks of <see cref="ResolveAsync"/> that need no download, for admission at submission: a local
    /// file must exist inside an allowed root, a URL must use an accepted scheme and name an allowed host.
    /// A request that passes may still fail later (a download that times out), but not for its policy.
    /// </summary>
    public void Admit(string mediaUrl, string jsonPath, string baseDirectory)
    {
        if (string.IsNullOrWhiteSpace(mediaUrl)) throw Refuse(jsonPath, "MediaURL is empty");
        if (mediaUrl.Contains('\0')) throw Refuse(jsonPath, $"MediaURL {Quote(mediaUrl)} contains a NUL character");
        switch (SchemeOf(mediaUrl))
        {
            case null:
                ResolveLocal(mediaUrl, Path.Combine(Path.GetFullPath(baseDirectory), mediaUrl), jsonPath);
                break;
            case "file":
                ResolveLocal(mediaUrl, FileUrlPath(mediaUrl, jsonPath), jsonPath);
                break;
            case "http" or "https":
                if (!Uri.TryCreate(mediaUrl, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
                    throw Refuse(jsonPath, $"MediaURL {Quote(mediaUrl)} is not a valid URL");
                CheckHttpTarget(uri, jsonPath, redirected: false);
                break;
            case var scheme:
                throw Refuse(jsonPath, $"MediaURL {Quote(mediaUrl)} uses scheme {scheme}; supported: local paths, file://, http(s)://");
        }
    }
}
