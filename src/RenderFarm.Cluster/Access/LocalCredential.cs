using System.Security.Cryptography;

namespace RenderFarm.Cluster.Access;

/// <summary>
/// The embedded default's operator token: created once in the data directory (mode 0600) when
/// RENDERFARM_OPERATOR_TOKEN is not set, and found there by the CLI, so a fresh install works with no
/// setup and no route is open to other local users.
/// </summary>
public static class LocalCredential
{
    public const string FileName = "operator.token";

    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, FileName);

    public static string LoadOrCreate(string dataDirectory)
    {
        var path = PathIn(dataDirectory);
        if (TryRead(dataDirectory) is { } existing) return existing;
        Directory.CreateDirectory(dataDirectory);
        var token = "rfo_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite; // readable by its owner only
        using (var file = new FileStream(temp, options))
        using (var writer = new StreamWriter(file)) writer.Write(token);
        // Another node process started on the same data dir at the same moment keeps whichever landed first.
        try { File.Move(temp, path, overwrite: false); }
        catch (IOException) { File.Delete(temp); }
        return TryRead(dataDirectory)!;
    }

    public static string? TryRead(string dataDirectory)
    {
        try { return File.ReadAllText(PathIn(dataDirectory)).Trim() is { Length: > 0 } token ? token : null; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }
}
