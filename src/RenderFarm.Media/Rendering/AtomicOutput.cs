namespace RenderFarm.Media.Rendering;

/// <summary>
/// A file that appears at its final path only when complete: written under a hidden temporary
/// name in the same directory (so the rename is atomic) and removed if the work fails.
/// </summary>
public sealed class AtomicOutput : IDisposable
{
    private bool _committed;

    public string FinalPath { get; }
    public string TempPath { get; }

    /// <summary>
    /// Makes the directory and claims the temporary file at once, so an output that cannot be written fails here, before
    /// any work, with an <see cref="IOException"/> naming <paramref name="finalPath"/> (never the temporary name).
    /// </summary>
    public AtomicOutput(string finalPath)
    {
        FinalPath = Path.GetFullPath(finalPath);
        var directory = Path.GetDirectoryName(FinalPath)!;
        TempPath = Path.Combine(directory, $".{Path.GetFileNameWithoutExtension(FinalPath)}.partial-{Guid.NewGuid():N}{Path.GetExtension(FinalPath)}");
        try
        {
            if (Directory.Exists(FinalPath)) throw new IOException("it is a directory");
            Directory.CreateDirectory(directory);
            using (File.Create(TempPath)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unwritable(FinalPath, TempPath, e);
        }
    }

    /// <summary>
    /// Whether <paramref name="finalPath"/> could be written, checked without leaving anything behind: the nearest existing
    /// directory on its path must take a new file. Throws as the constructor would.
    /// </summary>
    public static void CheckWritable(string finalPath)
    {
        var full = Path.GetFullPath(finalPath);
        if (Directory.Exists(full)) throw Unwritable(full, "", new IOException("it is a directory"));
        var existing = Path.GetDirectoryName(full);
        while (existing is not null && !Directory.Exists(existing))
        {
            if (File.Exists(existing)) throw Unwritable(full, "", new IOException($"'{existing}' is a file, not a directory"));
            existing = Path.GetDirectoryName(existing);
        }
        if (existing is null) throw Unwritable(full, "", new IOException("no directory on its path exists"));
        var probe = Path.Combine(existing, $".{Path.GetFileNameWithoutExtension(full)}.partial-{Guid.NewGuid():N}{Path.GetExtension(full)}");
        try
        {
            using (File.Create(probe, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unwritable(full, probe, e);
        }
    }

    private static IOException Unwritable(string finalPath, string tempPath, Exception e)
    {
        var reason = e is UnauthorizedAccessException ? "permission denied"
            : tempPath.Length > 0 ? e.Message.Replace(tempPath, finalPath, StringComparison.Ordinal) : e.Message;
        return new IOException($"output '{finalPath}' cannot be written: {reason}", e);
    }

    /// <summary>Writes a whole text file atomically (e.g. the SRT beside a render).</summary>
    public static async Task WriteTextAsync(string finalPath, string text, CancellationToken ct)
    {
        using var output = new AtomicOutput(finalPath);
        await File.WriteAllTextAsync(output.TempPath, text, ct);
        output.Commit();
    }

    public void Commit()
    {
        File.Move(TempPath, FinalPath, overwrite: true);
        _committed = true;
    }

    public void Dispose()
    {
        if (!_committed && File.Exists(TempPath)) File.Delete(TempPath);
    }
}
