using System.Collections.Concurrent;

namespace RenderFarm.Cluster.Work;

/// <summary>The tasks this node runs now, each with the token that stops it (cancel, lost lease, shutdown).</summary>
public sealed class RunningTasks
{
    private readonly ConcurrentDictionary<string, (string JobId, CancellationTokenSource Stop)> _tasks = new();

    public int Count => _tasks.Count;

    public CancellationTokenSource Register(string taskId, string jobId, CancellationToken outer)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(outer);
        _tasks[taskId] = (jobId, stop);
        return stop;
    }

    public void Unregister(string taskId)
    {
        if (_tasks.TryRemove(taskId, out var entry)) entry.Stop.Dispose();
    }

    /// <summary>Stops every task of a job running here; returns how many.</summary>
    public int CancelJob(string jobId)
    {
        var count = 0;
        foreach (var (_, entry) in _tasks.Where(t => t.Value.JobId == jobId))
        {
            try { entry.Stop.Cancel(); count++; }
            catch (ObjectDisposedException) { }
        }
        return count;
    }
}
