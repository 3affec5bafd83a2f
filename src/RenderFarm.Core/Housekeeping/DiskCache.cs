namespace RenderFarm.Core.Housekeeping;

/// <summary>
/// The I/O side of one size-capped cache directory: lists its entries (files grouped by the name before
/// the first dot, so a result and its sidecar go together), lets <see cref="CacheEviction"/> choose and
/// deletes what it chose. Temporary files and scratch directories (tmp/, .work/, dot-names) are not entries:
/// <see cref="LeftoverSweep"/> handles those. Counters feed the node's metrics.
/// </summary>
public sealed class DiskCache
{
    /// <summary>The default time a used entry is safe from eviction (a task that resolved a file keeps using it for a while).</summary>
    public static readonly TimeSpan DefaultInUse = TimeSpan.FromMinutes(30);

    private readonly Func<string, bool> _include;
    private long _bytes;
    private long _evictions;
    private long _evictedBytes;

    /// <param name="name">The metric label (downloads, probe, speech, ...).</param>
    /// <param name="include">Which files belong to this cache, by path relative to <paramref name="root"/> (default: all).</param>
    public DiskCache(string name, string root, long capBytes, TimeSpan? inUse = null, Func<string, bool>? include = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capBytes);
        Name = name;
        Root = Path.GetFullPath(root);
        CapBytes = capBytes;
        InUse = inUse ?? DefaultInUse;
        _include = include ?? (_ => true);
    }

    public string Name { get; }
    public string Root { get; }
    public long CapBytes { get; }
    public TimeSpan InUse { get; }

    /// <summary>Bytes held after the last sweep.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);
    public long Evictions => Interlocked.Read(ref _evictions);
    public long EvictedBytes => Interlocked.Read(ref _evictedBytes);

    /// <summary>Marks a cached file used now (its access time), so LRU order does not depend on the file system's atime policy (relatime updates it about once a day).</summary>
    public static void MarkUsed(string path)
    {
        try { File.SetLastAccessTimeUtc(path, DateTime.UtcNow); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // the cache is an optimisation: never fail a task for it
    }

    /// <summary>The cache's entries now. <paramref name="pinned"/> says which keys must stay (null: none).</summary>
    public IReadOnlyList<CacheEntry> List(Func<string, bool>? pinned = null)
    {
        if (!Directory.Exists(Root)) return [];
        var files = new List<FileInfo>();
        Walk(new DirectoryInfo(Root), files);
        return files
            .GroupBy(f => Path.Combine(f.DirectoryName!, Stem(f.Name)), StringComparer.Ordinal)
            .Select(g =>
            {
                var key = Stem(Path.GetFileName(g.Key));
                var lastUsed = g.Max(f => f.LastAccessTimeUtc > f.LastWriteTimeUtc ? f.LastAccessTimeUtc : f.LastWriteTimeUtc);
                return new CacheEntry(key, g.Select(f => f.FullName).ToList(), g.Sum(f => f.Length),
                    new DateTimeOffset(lastUsed, TimeSpan.Zero), pinned?.Invoke(key) ?? false);
            })
            .ToList();
    }

    /// <summary>Deletes least recently used entries until the cache fits its cap (entries in use or pinned stay); returns what was deleted.</summary>
    public IReadOnlyList<CacheEntry> Sweep(DateTimeOffset now, Func<string, bool>? pinned = null)
    {
        var entries = List(pinned);
        var chosen = CacheEviction.Choose(entries, CapBytes, now, InUse);
        long freed = 0;
        var evicted = new List<CacheEntry>();
        foreach (var entry in chosen)
        {
            try
            {
                foreach (var path in entry.Paths) File.Delete(path);
                freed += entry.Bytes;
                evicted.Add(entry);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // kept; tried again next sweep
        }
        Interlocked.Exchange(ref _bytes, entries.Sum(e => e.Bytes) - freed);
        Interlocked.Add(ref _evictions, evicted.Count);
        Interlocked.Add(ref _evictedBytes, freed);
        return evicted;
    }

    private void Walk(DirectoryInfo directory, List<FileInfo> files)
    {
        IEnumerable<FileSystemInfo> children;
        try { children = directory.EnumerateFileSystemInfos().ToList(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return; }
        foreach (var child in children)
        {
            if (child.Name.StartsWith('.') || Leftovers.IsTemporaryName(child.Name)) continue;
            if (child is DirectoryInfo sub)
            {
                if (sub.Name != "tmp" && (sub.Attributes & FileAttributes.ReparsePoint) == 0) Walk(sub, files);
            }
            else if (child is FileInfo file && _include(Path.GetRelativePath(Root, file.FullName))) files.Add(file);
        }
    }

    private static string Stem(string name) => name.IndexOf('.') is var dot and > 0 ? name[..dot] : name;
}

/// <summary>
/// Start-up (and periodic) removal of what a crashed process left: temporary files and work directories
/// (<see cref="Leftovers.IsTemporaryName"/>) and everything inside scratch directories named tmp or .work,
/// once <see cref="Leftovers.IsStale"/>.
/// </summary>
public static class LeftoverSweep
{
    /// <summary>Removes stale leftovers under <paramref name="root"/>; returns the paths removed.</summary>
    public static IReadOnlyList<string> Run(string root, DateTimeOffset processStart, DateTimeOffset now, TimeSpan quiet)
    {
        var removed = new List<string>();
        if (Directory.Exists(root)) Walk(new DirectoryInfo(root), inScratch: false, processStart, now, quiet, removed);
        return removed;
    }

    private static void Walk(DirectoryInfo directory, bool inScratch, DateTimeOffset start, DateTimeOffset now, TimeSpan quiet, List<string> removed)
    {
        IEnumerable<FileSystemInfo> children;
        try { children = directory.EnumerateFileSystemInfos().ToList(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return; }
        foreach (var child in children)
        {
            var link = (child.Attributes & FileAttributes.ReparsePoint) != 0;
            if (inScratch || Leftovers.IsTemporaryName(child.Name))
            {
                if (!Leftovers.IsStale(LastWrite(child), start, now, quiet)) continue;
                try
                {
                    if (child is DirectoryInfo d && !link) d.Delete(recursive: true);
                    else child.Delete();
                    removed.Add(child.FullName);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
            }
            else if (child is DirectoryInfo sub && !link)
                Walk(sub, inScratch: sub.Name is "tmp" or ".work", start, now, quiet, removed);
        }
    }

    /// <summary>A directory's newest write anywhere inside it: a work directory whose task still writes is not stale.</summary>
    private static DateTimeOffset LastWrite(FileSystemInfo entry)
    {
        var newest = entry.LastWriteTimeUtc;
        if (entry is DirectoryInfo d && (d.Attributes & FileAttributes.ReparsePoint) == 0)
        {
            try
            {
                foreach (var inner in d.EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
                    if (inner.LastWriteTimeUtc > newest) newest = inner.LastWriteTimeUtc;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        return new DateTimeOffset(newest, TimeSpan.Zero);
    }
}
