namespace RenderFarm.Cluster.ReadModel;

/// <summary>
/// A task's progress (a fraction 0..1) written to the read model as a percentage below 100, at most once per
/// 5 points and without waiting for the store: a slow store never slows the work, a failed write is dropped.
/// </summary>
internal sealed class PercentProgress(Func<int, Task> write) : IProgress<double>
{
    private int _last = -5;

    public void Report(double value)
    {
        var percent = (int)Math.Clamp(value * 100, 0, 99);
        if (percent < Volatile.Read(ref _last) + 5) return;
        Volatile.Write(ref _last, percent);
        _ = write(percent).ContinueWith(t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
    }
}
