namespace RenderFarm.Core.Json;

/// <summary>
/// A request that cannot be accepted. <see cref="Path"/> is the JSON path of the offending
/// field (IMS spelling, e.g. <c>VideoTracks[0].VideoTrackClips[2].Out</c>); the message is the
/// one line a user sees: "path: reason".
/// </summary>
public sealed class RequestException(string path, string reason)
    : Exception(path.Length == 0 ? reason : $"{path}: {reason}")
{
    public string Path { get; } = path;
    public string Reason { get; } = reason;
}
