using System.Security.Cryptography;
using System.Text;

namespace RenderFarm.Cluster.Artifacts;

/// <summary>
/// Content-addressed results in a directory every node shares (a local path, or a mounted
/// volume in compose/Kubernetes). A result is named by the hash of the inputs that determine it,
/// appears atomically (written aside, then renamed), and is never produced twice.
/// </summary>
public sealed class ArtifactStore
{
    public string Root { get; }

    public ArtifactStore(string root)
    {
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(Root);
    }

    /// <summary>The key of a result: SHA-256 over its determining inputs, in order.</summary>
    public static string Key(params string[] inputs)
    {
        var joined = string.Join("\u001f", inputs);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(joined)));
    }

    /// <summary>Where the artifact lives (two-level fan-out keeps directories small).</summary>
    public string PathOf(string key, string extension) => Path.Combine(Root, key[..2], key + extension);

    /// <summary>Whether the artifact is there; if so it is marked used (a reused artifact is the last the cache evicts).</summary>
    public bool Exists(string key, string extension)
    {
        var path = PathOf(key, extension);
        if (!File.Exists(path)) return false;
        RenderFarm.Core.Housekeeping.DiskCache.MarkUsed(path);
        return true;
    }

    /// <summary>Scratch space on the same file system as the artifacts, so results move in by rename.</summary>
    public string TempDirectory => Directory.CreateDirectory(Path.Combine(Root, "tmp")).FullName;

    /// <summary>A temporary path to write the artifact before <see cref="Publish"/>.</summary>
    public string TempPathFor(string key, string extension) => Path.Combine(TempDirectory, $"{key}.{Guid.NewGuid():N}{extension}");

    /// <summary>Moves a finished temp file into place. If another node published first, its copy is kept.</summary>
    public string Publish(string tempPath, string key, string extension)
    {
        var target = PathOf(key, extension);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        try
        {
            File.Move(tempPath, target, overwrite: false);
        }
        catch (IOException) when (File.Exists(target))
        {
            File.Delete(tempPath);
        }
        return target;
    }
}
