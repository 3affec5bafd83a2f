using System.Globalization;

namespace RenderFarm.Cluster.Hosting;

/// <summary>What a directory the node writes into looked like at a probe.</summary>
/// <param name="Role">data, artifact or output.</param>
/// <param name="Problem">null: there and writable; else why not (missing, or the error of a test write).</param>
/// <param name="FreeBytes">Free space of its file system for this process; null when unknown.</param>
public sealed record DirectoryProbe(string Role, string Path, string? Problem, long? FreeBytes);

/// <summary>Everything /readyz decides on, gathered by <see cref="FarmNode"/>.</summary>
/// <param name="MemberStatus">The cluster member's status; null before the actor system runs.</param>
/// <param name="StoreError">The last write to the store (the node's heartbeat row) failed with this; null when it succeeded.</param>
/// <param name="DatabaseProblems">Embedded SQLite files that are missing or not writable, one line each.</param>
public sealed record ReadinessFacts(
    string? MemberStatus,
    string? StoreError,
    IReadOnlyList<DirectoryProbe> Directories,
    IReadOnlyList<string> DatabaseProblems,
    IReadOnlyList<string> TakenOutKinds);

/// <summary>
/// The readiness decision, pure: every failing cause, one line each (empty: ready). Store, data directory
/// and disk causes also stop new submissions (<see cref="RefusesWrites"/>): accepting a job the node cannot
/// keep would lose it.
/// </summary>
public static class Readiness
{
    public const string MinFreeDiskVariable = "RENDERFARM_MIN_FREE_DISK_MB";
    public const long DefaultMinFreeDiskMb = 1024;

    public static IReadOnlyList<string> Causes(ReadinessFacts facts, long minFreeBytes)
    {
        var causes = new List<string>();
        if (facts.MemberStatus is null) return ["starting"];
        if (facts.MemberStatus != "Up") causes.Add($"cluster: member is {facts.MemberStatus}");
        if (facts.StoreError is { } store) causes.Add($"store: cannot write: {store}");
        foreach (var d in facts.Directories.Where(d => d.Problem is not null))
            causes.Add(d is { Role: "data", Problem: "missing" }
                ? $"data directory {d.Path}: missing (the databases lived there; not recreated: restore it, or restart the node to start empty)"
                : $"{d.Role} directory {d.Path}: {d.Problem}");
        foreach (var problem in facts.DatabaseProblems) causes.Add($"database: {problem}");
        // Directories on one file system report the same free space: one line per distinct (space, directory) is enough.
        foreach (var d in facts.Directories.Where(d => d.FreeBytes is { } free && free < minFreeBytes).DistinctBy(d => d.FreeBytes))
            causes.Add(string.Create(CultureInfo.InvariantCulture,
                $"disk: {d.FreeBytes / (1024 * 1024)} MB free for the {d.Role} directory {d.Path}, under the minimum of {minFreeBytes / (1024 * 1024)} MB ({MinFreeDiskVariable})"));
        if (facts.TakenOutKinds.Count > 0)
            causes.Add("kinds taken out after a fault of this node: " + string.Join("; ", facts.TakenOutKinds));
        return causes;
    }

    /// <summary>Causes that make the node refuse new work through its API (store, directories, disk).</summary>
    public static bool RefusesWrites(string cause) =>
        cause.StartsWith("store:", StringComparison.Ordinal) || cause.StartsWith("disk:", StringComparison.Ordinal) || cause.StartsWith("database:", StringComparison.Ordinal)
        || cause.Contains(" directory ", StringComparison.Ordinal) || cause.StartsWith("data directory", StringComparison.Ordinal);
}
