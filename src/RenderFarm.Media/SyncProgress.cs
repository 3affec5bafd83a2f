namespace RenderFarm.Media;

/// <summary>
/// An <see cref="IProgress{T}"/> that runs its handler on the reporting thread, before
/// <see cref="Report"/> returns, one report at a time. <see cref="Progress{T}"/> instead posts each
/// report to the captured context or the thread pool, so handlers run later, possibly out of order,
/// and the last report may not have run when the work completes. Reporters that share
/// <paramref name="gate"/> are serialised together (several ffmpeg processes feeding one total).
/// </summary>
public sealed class SyncProgress<T>(Action<T> handler, object? gate = null) : IProgress<T>
{
    private readonly object _gate = gate ?? new object();

    public void Report(T value)
    {
        lock (_gate) handler(value);
    }
}
