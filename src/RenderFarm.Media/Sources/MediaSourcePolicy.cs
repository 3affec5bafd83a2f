namespace RenderFarm.Media.Sources;

/// <summary>
/// Where media may come from. Local files must really (after symlinks) lie under one of
/// <see cref="AllowedRoots"/>; http(s) is only allowed to <see cref="AllowedHosts"/> ("host" matches
/// the scheme's default port only, "host:port" that port; empty = no downloads).
/// </summary>
public sealed record MediaSourcePolicy
{
    public const long DefaultMaxDownloadBytes = 2L * 1024 * 1024 * 1024;

    public IReadOnlyList<string> AllowedRoots { get; init; } = [];
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];
    public long MaxDownloadBytes { get; init; } = DefaultMaxDownloadBytes;
    public TimeSpan DownloadTimeout { get; init; } = TimeSpan.FromMinutes(10);
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);
    public string CacheDirectory { get; init; } = DefaultCacheDirectory;

    public static string DefaultCacheDirectory =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "renderfarm");

    /// <summary>
    /// RENDERFARM_ALLOWED_ROOTS (':'-separated absolute directories), RENDERFARM_ALLOWED_HOSTS
    /// (','-separated) and RENDERFARM_CACHE_DIR; <paramref name="baseDirectory"/> (the request's
    /// directory) is always an allowed root.
    /// </summary>
    public static MediaSourcePolicy FromEnvironment(string baseDirectory) =>
        FromEnvironment(baseDirectory, Environment.GetEnvironmentVariable);

    internal static MediaSourcePolicy FromEnvironment(string baseDirectory, Func<string, string?> getEnv)
    {
        var roots = new List<string> { Path.GetFullPath(baseDirectory) };
        foreach (var root in Split(getEnv("RENDERFARM_ALLOWED_ROOTS"), ':'))
        {
            // A relative root would silently depend on the working directory: refuse it loudly.
            if (!Path.IsPathFullyQualified(root))
                throw new InvalidOperationException($"RENDERFARM_ALLOWED_ROOTS entry '{root}' is not an absolute path");
            var full = Path.GetFullPath(root);
            if (!roots.Contains(full, StringComparer.Ordinal)) roots.Add(full);
        }
        var cache = getEnv("RENDERFARM_CACHE_DIR");
        return new MediaSourcePolicy
        {
            AllowedRoots = roots,
            AllowedHosts = Split(getEnv("RENDERFARM_ALLOWED_HOSTS"), ',').ToList(),
            CacheDirectory = string.IsNullOrWhiteSpace(cache) ? DefaultCacheDirectory : Path.GetFullPath(cache),
        };
    }

    private static IEnumerable<string> Split(string? value, char separator) =>
        (value ?? "").Split(separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
