using Microsoft.Extensions.Logging;
using RenderFarm.Core.Housekeeping;

namespace RenderFarm.Cluster.Hosting;

/// <summary>Cache caps, from RENDERFARM_CACHE_MAX_MB (each cache; default 10240) and RENDERFARM_CACHE_MAX_MB_&lt;NAME&gt; (one cache).</summary>
public sealed record CacheLimits
{
    public const long DefaultMaxMb = 10240;
    public static readonly IReadOnlyList<string> Names = ["downloads", "probe", "speech", "transcripts", "mattes", "artifacts"];

    public long MaxBytes { get; init; } = DefaultMaxMb * 1024 * 1024;
    /// <summary>Per-cache caps that replace <see cref="MaxBytes"/>, by cache name.</summary>
    public IReadOnlyDictionary<string, long> Overrides { get; init; } = new Dictionary<string, long>();
    /// <summary>How often caches are swept and leftovers removed after the start-up pass.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(5);

    public long CapOf(string name) => Overrides.TryGetValue(name, out var cap) ? cap : MaxBytes;
}

/// <summary>
/// A node's housekeeping: at start it removes what a crash left (temporary renders, downloads, work
/// directories) from its directories, then every <see cref="CacheLimits.Interval"/> it does that again and
/// shrinks each cache to its cap, least recently used first. Caches: downloads and probe results (the media
/// cache directory), speech, transcripts and mattes (ARTIFACTS/ai), and rendered artifacts (segments, audio
/// mixes), where an artifact of a job not yet settled is kept whatever its age.
/// </summary>
public sealed class Housekeeping
{
    /// <summary>A leftover in a directory other nodes share is removed only after this long untouched (their running tasks write theirs).</summary>
    public static readonly TimeSpan SharedQuiet = TimeSpan.FromHours(1);

    private readonly NodeSettings _settings;
    private readonly string _mediaCache;
    private readonly DateTimeOffset _processStart;
    private readonly Func<CancellationToken, Task<IReadOnlySet<string>>> _activeArtifacts;
    private readonly ILogger _log;
    private long _leftoversRemoved;

    public Housekeeping(NodeSettings settings, string mediaCacheDirectory, DateTimeOffset processStart,
        Func<CancellationToken, Task<IReadOnlySet<string>>> activeArtifactKeys, ILogger log)
    {
        _settings = settings;
        _mediaCache = Path.GetFullPath(mediaCacheDirectory);
        _processStart = processStart;
        _activeArtifacts = activeArtifactKeys;
        _log = log;
        var limits = settings.Caches;
        var ai = Path.Combine(settings.ArtifactDirectory, "ai");
        Caches =
        [
            new DiskCache("downloads", Path.Combine(_mediaCache, "downloads"), limits.CapOf("downloads")),
            new DiskCache("probe", Path.Combine(_mediaCache, "probe"), limits.CapOf("probe")),
            new DiskCache("speech", Path.Combine(ai, "tts"), limits.CapOf("speech")),
            new DiskCache("transcripts", Path.Combine(ai, "asr"), limits.CapOf("transcripts")),
            new DiskCache("mattes", Path.Combine(ai, "matte"), limits.CapOf("mattes")),
            // Only the files of the two-character fan-out (segments, audio); analysis results are directories the media library owns.
            new DiskCache("artifacts", settings.ArtifactDirectory, limits.CapOf("artifacts"), include: IsArtifactFile),
        ];
    }

    public IReadOnlyList<DiskCache> Caches { get; }

    /// <summary>Leftovers removed since the node started.</summary>
    public long LeftoversRemoved => Interlocked.Read(ref _leftoversRemoved);

    private static bool IsArtifactFile(string relative)
    {
        var parts = relative.Split(Path.DirectorySeparatorChar);
        return parts.Length == 2 && parts[0].Length == 2 && parts[0].All(Uri.IsHexDigit) && parts[1].StartsWith(parts[0], StringComparison.Ordinal);
    }

    /// <summary>Removes stale temporary files and work directories from the node's directories.</summary>
    public void RemoveLeftovers()
    {
        var now = DateTimeOffset.UtcNow;
        var roots = new[] { _settings.DataDirectory, _settings.ArtifactDirectory, _settings.OutputDirectory, _mediaCache }
            .Select(Path.GetFullPath).Distinct(StringComparer.Ordinal)
            // A root inside another is walked with it.
            .ToList();
        roots = roots.Where(r => !roots.Any(o => o != r && IsUnder(r, o))).ToList();
        foreach (var root in roots)
        {
            // The data directory is this node's own: anything from before this process started is a leftover.
            var quiet = IsUnder(root, _settings.DataDirectory) ? TimeSpan.Zero : SharedQuiet;
            var removed = LeftoverSweep.Run(root, _processStart, now, quiet);
            Interlocked.Add(ref _leftoversRemoved, removed.Count);
            if (removed.Count > 0) _log.LogInformation("removed {Count} leftover temporary file(s)/dir(s) under {Root}", removed.Count, root);
        }
    }

    private static bool IsUnder(string path, string root)
    {
        var relative = Path.GetRelativePath(Path.GetFullPath(root), path);
        return relative == "." || (!relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative));
    }

    /// <summary>Shrinks every cache to its cap. Artifacts are skipped when the store cannot say which jobs are unsettled.</summary>
    public async Task SweepCachesAsync(CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var cache in Caches)
        {
            Func<string, bool>? pinned = null;
            if (cache.Name == "artifacts")
            {
                try
                {
                    var active = await _activeArtifacts(ct);
                    pinned = active.Contains;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    _log.LogWarning("artifact cache not swept: unsettled jobs unknown ({Error})", e.Message);
                    continue;
                }
            }
            var evicted = cache.Sweep(now, pinned);
            if (evicted.Count > 0)
                _log.LogInformation("cache {Cache}: evicted {Count} least recently used entr(ies), {Bytes} bytes; {Left} bytes left (cap {Cap})",
                    cache.Name, evicted.Count, evicted.Sum(e => e.Bytes), cache.Bytes, cache.CapBytes);
            else if (cache.Bytes > cache.CapBytes)
                _log.LogWarning("cache {Cache}: {Bytes} bytes, over its cap of {Cap}, but every entry is in use", cache.Name, cache.Bytes, cache.CapBytes);
        }
    }

    /// <summary>The periodic pass, until <paramref name="ct"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Run(RemoveLeftovers, ct);
                await SweepCachesAsync(ct);
            }
            catch (Exception e) when (e is not OperationCanceledException) { _log.LogWarning("housekeeping failed: {Error}", e.Message); }
            try { await Task.Delay(_settings.Caches.Interval, ct); }
            catch (OperationCanceledException) { return; }
        }
    }
}
