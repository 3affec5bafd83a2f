using System.Runtime.InteropServices;

namespace RenderFarm.Cluster.Hosting;

/// <summary>The I/O behind <see cref="Readiness"/>: does a directory exist, take a file, how much space is free; are the databases there and writable.</summary>
public static class DirectoryProbes
{
    public static DirectoryProbe Probe(string role, string path)
    {
        if (!Directory.Exists(path)) return new DirectoryProbe(role, path, "missing", null);
        long? free = null;
        try { free = new DriveInfo(path).AvailableFreeSpace; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException) { }
        // A real write (create, then delete): permissions, read-only mounts, immutable directories and a full disk all show.
        var probe = Path.Combine(path, $".readyz-{Environment.ProcessId}.tmp");
        try
        {
            using (new FileStream(probe, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
            return new DirectoryProbe(role, path, null, free);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new DirectoryProbe(role, path, $"not writable ({e.Message})", free);
        }
    }

    /// <summary>
    /// Embedded SQLite files that are missing (<paramref name="journalExpected"/>: the journal, once the actor
    /// system started) or that this process may not write. Checked with access(2), never opened: closing another
    /// descriptor of a database file would drop SQLite's POSIX locks on it.
    /// </summary>
    public static IReadOnlyList<string> DatabaseFiles(string dataDirectory, bool journalExpected)
    {
        var problems = new List<string>();
        foreach (var name in new[] { "renderfarm.db", "journal.db" })
        {
            var path = Path.Combine(dataDirectory, name);
            if (!File.Exists(path))
            {
                if (name == "renderfarm.db" || journalExpected) problems.Add($"{path} is missing (not recreated: a new empty database would silently forget every job)");
                continue;
            }
            if (OperatingSystem.IsWindows()) continue;
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
                if (File.Exists(file) && Access(file, WriteOk) != 0)
                    problems.Add($"{file} is not writable ({Marshal.GetLastPInvokeErrorMessage()})");
        }
        return problems;
    }

    private const int WriteOk = 2;

    [DllImport("libc", EntryPoint = "access", SetLastError = true)]
    private static extern int Access([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int mode);
}
