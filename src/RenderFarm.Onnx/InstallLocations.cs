namespace RenderFarm.Onnx;

/// <summary>
/// Where scripts/setup-models.sh puts ONNX Runtime and the models: <c>.tools/ml</c> and
/// <c>.models</c> in the repository. Found by walking up from the application's directory, so
/// tests, the benchmark and the CLI built inside the repository find them without configuration;
/// installations elsewhere set the environment variables instead.
/// </summary>
public static class InstallLocations
{
    public const string Script = "scripts/setup-models.sh";

    /// <summary>The first existing file at <paramref name="relativePath"/> under the app directory or one of its ancestors, else null.</summary>
    public static string? FindAbove(string relativePath, string? start = null)
    {
        for (var dir = new DirectoryInfo(start ?? AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relativePath);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
