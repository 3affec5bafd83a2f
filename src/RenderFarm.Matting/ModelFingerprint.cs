using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace RenderFarm.Matting;

/// <summary>The sha256 of a model file, computed once per file version (path, size, modification time).</summary>
internal static class ModelFingerprint
{
    private static readonly ConcurrentDictionary<(string, long, DateTime), string> Known = new();

    public static string Sha256(string path)
    {
        var file = new FileInfo(path);
        return Known.GetOrAdd((file.FullName, file.Length, file.LastWriteTimeUtc), _ =>
        {
            using var stream = file.OpenRead();
            return Convert.ToHexStringLower(SHA256.HashData(stream));
        });
    }
}
