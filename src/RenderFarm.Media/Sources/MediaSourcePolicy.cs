using RenderFarm.Media.Outbound;

namespace RenderFarm.Media.Sources;

/// <summary>
/// Where media may come from. Local files must really (after symlinks) lie under one of
/// <see cref="AllowedRoots"/>; http(s) downloads follow <see cref="Outbound"/> (allowed hosts,
/// no internal addresses, timeouts), the same policy as every other outbound call.
/// </summary>
public sealed record MediaSourcePolicy
{
    public const long DefaultMaxDownloadBytes = 2L * 1024 * 1024 * 1024;

    public IReadOnlyList<string> AllowedRoots { get; init; } = [];
    public OutboundPolicy Outbound { get; init; } = new();
    public long MaxDownloadBytes { get; init; } = DefaultMaxDownloadBytes;
    public string CacheDirectory { get; init; } = DefaultCacheDirectory;

    public static string DefaultCacheDirectory =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "renderfarm");

    /// <summary>
    /// RENDERFARM_ALLOWED_ROOTS (':'-separated absolute directories), RENDERFARM_CACHE_DIR and the
    /// outbound settings (<see cref="OutboundPolicy.FromEnvironment"/>); <paramref name="baseDirectory"/> (the request's
    /// directory) is always an allowed root.
    /// </summary>
    public static MediaSourcePolicy FromEnvironment(string baseDirectory) =>
        FromEnvironment(baseDirectory, Environment.GetEnvironmentVariable);

    /// <summary>
    /// As <see cref="FromEnvironment(string)"/>, but the extra roots are <paramref name="roots"/> (a node's
    /// --media-root flags, or RENDERFARM_ALLOWED_ROOTS as the node read it) instead of RENDERFARM_ALLOWED_ROOTS.
    /// </summary>
    public static MediaSourcePolicy FromEnvironment(string baseDirectory, IReadOnlyList<string> roots) =>
        FromEnvironment(baseDirectory, Environment.GetEnvironmentVariable, roots);

    /// <summary>':'-separated root lists as one list, each checked to be absolute (<paramref name="source"/> names where they came from).</summary>
    public static IReadOnlyList<string> ParseRoots(IEnumerable<string> values, string source)
    {
        var roots = new List<string>();
        foreach (var root in values.SelectMany(v => Split(v, ':')))
        {
            // A relative root would silently depend on the working directory: refuse it loudly.
            if (!Path.IsPathFullyQualified(root))
                throw new ArgumentException($"{source} entry '{root}' is not an absolute path");
            var full = Path.GetFullPath(root);
            if (!roots.Contains(full, StringComparer.Ordinal)) roots.Add(full);
        }
        return roots;
    }

    internal static MediaSourcePolicy FromEnvironment(string baseDirectory, Func<string, string?> getEnv, IReadOnlyList<string>? extraRoots = null)
    {
        var roots = new List<string> { Path.GetFullPath(baseDirectory) };
        foreach (var root in extraRoots ?? Split(getEnv("RENDERFARM_ALLOWED_ROOTS"), ':').ToList())
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
            Outbound = OutboundPolicy.FromEnvironment(getEnv),
            CacheDirectory = string.IsNullOrWhiteSpace(cache) ? DefaultCacheDirectory : Path.GetFullPath(cache),
        };
    }

    private static IEnumerable<string> Split(string? value, char separator) =>
        (value ?? "").Split(separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
