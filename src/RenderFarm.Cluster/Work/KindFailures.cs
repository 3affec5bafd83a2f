using System.Collections.Concurrent;
using RenderFarm.Cluster.Model;

namespace RenderFarm.Cluster.Work;

/// <summary>Consecutive failures per task kind on this node; a success resets the count.</summary>
public sealed class KindFailures(int limit)
{
    private readonly ConcurrentDictionary<TaskKind, int> _counts = new();

    /// <summary>Records a failure; true when the kind has now failed <c>limit</c> times in a row.</summary>
    public bool Failed(TaskKind kind) => _counts.AddOrUpdate(kind, 1, (_, n) => n + 1) >= limit;

    /// <summary>True once the kind has failed <c>limit</c> times in a row (until <see cref="Clear"/>).</summary>
    public bool IsDisabled(TaskKind kind) => _counts.TryGetValue(kind, out var n) && n >= limit;

    public void Succeeded(TaskKind kind) => _counts[kind] = 0;

    public void Clear(TaskKind kind) => _counts.TryRemove(kind, out _);
}
