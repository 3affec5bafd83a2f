namespace RenderFarm.Core.Housekeeping;

/// <summary>One evictable unit of a cache: its files (evicted together, e.g. a speech clip's .wav and .json), their size and when it was last used.</summary>
public sealed record CacheEntry(string Key, IReadOnlyList<string> Paths, long Bytes, DateTimeOffset LastUsed, bool Pinned = false);

/// <summary>
/// Which entries a size-capped cache deletes: least recently used first, until the rest fits under the cap.
/// An entry used within <c>inUse</c> of now, or pinned (e.g. an artifact of a job still running), is never
/// chosen: a cache may stay over its cap rather than pull a file from under a running task. Pure.
/// </summary>
public static class CacheEviction
{
    public static IReadOnlyList<CacheEntry> Choose(IReadOnlyList<CacheEntry> entries, long capBytes, DateTimeOffset now, TimeSpan inUse)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capBytes);
        var total = entries.Sum(e => e.Bytes);
        var chosen = new List<CacheEntry>();
        // Ties by key, so the same listing always gives the same choice.
        foreach (var entry in entries.OrderBy(e => e.LastUsed).ThenBy(e => e.Key, StringComparer.Ordinal))
        {
            if (total <= capBytes) break;
            if (entry.Pinned || now - entry.LastUsed < inUse) continue;
            chosen.Add(entry);
            total -= entry.Bytes;
        }
        return chosen;
    }
}

/// <summary>
/// Temporary files and work directories a crashed process leaves behind (written aside, then renamed into
/// place, so a leftover is never a result). Pure: names and times in, a decision out.
/// </summary>
public static class Leftovers
{
    /// <summary>Names of temporary files and directories of this program: downloads (*.part), renders (.x.partial-*.mp4, *.partial.mkv), *.tmp, work dirs.</summary>
    public static bool IsTemporaryName(string name) =>
        name.EndsWith(".part", StringComparison.Ordinal)
        || name.EndsWith(".tmp", StringComparison.Ordinal)
        || name.EndsWith(".partial.mkv", StringComparison.Ordinal)
        || name.EndsWith(".partial.mp4", StringComparison.Ordinal)
        || (name.StartsWith('.') && name.Contains(".partial-", StringComparison.Ordinal))
        || name.StartsWith(".renderfarm-work-", StringComparison.Ordinal);

    /// <summary>
    /// A leftover is last written before this process started (so no task of ours writes it) and, in a
    /// directory other nodes share, also before <paramref name="quiet"/> ago (another node's running task keeps writing its own).
    /// </summary>
    public static bool IsStale(DateTimeOffset lastWrite, DateTimeOffset processStart, DateTimeOffset now, TimeSpan quiet) =>
        lastWrite < processStart && lastWrite < now - quiet;
}
