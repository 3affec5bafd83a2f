namespace RenderFarm.Media.Rendering;

/// <summary>
/// A scratch directory beside the output (same file system, so results move by rename), removed
/// afterwards unless RENDERFARM_KEEP_WORK=1 (to inspect filter graphs and segments).
/// </summary>
public sealed class WorkDirectory : IDisposable
{
    public string Path { get; }

    public WorkDirectory(string parent)
    {
        Path = System.IO.Path.Combine(parent, $".renderfarm-work-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("RENDERFARM_KEEP_WORK") == "1") return;
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}
