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

    public AtomicOutput(string finalPath)
    {
        FinalPath = Path.GetFullPath(finalPath);
        var directory = Path.GetDirectoryName(FinalPath)!;
        Directory.CreateDirectory(directory);
        TempPath = Path.Combine(directory, $".{Path.GetFileNameWithoutExtension(FinalPath)}.partial-{Guid.NewGuid():N}{Path.GetExtension(FinalPath)}");
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
