using RenderFarm.Cluster.Model;

namespace RenderFarm.Cluster.Dispatch;

/// <summary>
/// The farm's waiting work and free slots, matched (pure; the WorkQueue actor runs it). Tasks wait per
/// kind in offer order; each worker says how many slots of each kind it has free; a task goes to the
/// worker with the most free slots of its kind, so no slot idles while work of its kind waits.
/// A busy worker may also take one task ahead (claimed now, started the moment a slot frees, so the
/// hand-over costs no round trip), but only while the backlog of that kind is at least one task per
/// worker that takes it: near the end of the work no task waits behind a busy node while another idles.
/// An offer for a task already waiting keeps one entry (the newer attempt). Within a kind, a task of smaller
/// Priority waits ahead of larger ones (ScheduleConfig.Priority of IProduction jobs); equal ones keep offer order.
/// </summary>
public sealed class WorkQueueState
{
    private readonly Dictionary<TaskKind, LinkedList<TaskAssignment>> _waiting = [];
    private readonly Dictionary<string, LinkedListNode<TaskAssignment>> _byTask = [];
    private readonly Dictionary<string, Dictionary<TaskKind, int>> _free = [];
    private readonly Dictionary<string, HashSet<TaskKind>> _ahead = [];
    private readonly Dictionary<string, DateTimeOffset> _offeredAt = [];

    public int Waiting(TaskKind kind) => _waiting.TryGetValue(kind, out var list) ? list.Count : 0;
    public IReadOnlyCollection<string> Workers => _free.Keys;

    /// <param name="at">When the task was offered: the first offer of an attempt starts its wait (<see cref="Waited"/>); repeats and declines keep it.</param>
    public void Offer(TaskAssignment task, bool front = false, DateTimeOffset? at = null)
    {
        if (_byTask.TryGetValue(task.TaskId, out var existing))
        {
            if (existing.Value.Attempt >= task.Attempt) return;
            existing.List!.Remove(existing);
            _offeredAt.Remove(task.TaskId);
        }
        if (at is { } offered) _offeredAt.TryAdd(task.TaskId, offered);
        if (!_waiting.TryGetValue(task.Kind, out var list)) _waiting[task.Kind] = list = new LinkedList<TaskAssignment>();
        if (front) { _byTask[task.TaskId] = list.AddFirst(task); return; }
        var later = list.First;
        while (later is not null && later.Value.Priority <= task.Priority) later = later.Next;
        _byTask[task.TaskId] = later is null ? list.AddLast(task) : list.AddBefore(later, task);
    }

    /// <summary>Drops a job's waiting tasks (it ended).</summary>
    public void Withdraw(string jobId)
    {
        foreach (var node in _byTask.Values.Where(n => n.Value.JobId == jobId).ToList())
        {
            node.List!.Remove(node);
            _byTask.Remove(node.Value.TaskId);
            _offeredAt.Remove(node.Value.TaskId);
        }
    }

    /// <summary>How long a task given by <see cref="Match"/> waited since its first offer (null when no time was given); asked once per task.</summary>
    public TimeSpan? Waited(string taskId, DateTimeOffset now) =>
        _offeredAt.Remove(taskId, out var at) ? now - at : null;

    /// <summary>A worker's own count of free slots (and the kinds it would take one task ahead of) replaces what the queue assumed.</summary>
    public void SetFree(string worker, IReadOnlyDictionary<TaskKind, int> free, IEnumerable<TaskKind>? ahead = null)
    {
        _free[worker] = free.ToDictionary();
        _ahead[worker] = ahead?.ToHashSet() ?? [];
    }

    public void RemoveWorker(string worker)
    {
        _free.Remove(worker);
        _ahead.Remove(worker);
    }

    /// <summary>Pairs waiting tasks with free slots, oldest task first, then with take-ahead places; what is given is counted as taken.</summary>
    public IReadOnlyList<(string Worker, TaskAssignment Task, bool Ahead)> Match()
    {
        var matches = new List<(string, TaskAssignment, bool)>();
        foreach (var (kind, list) in _waiting)
        {
            while (list.First is { } first)
            {
                var worker = _free.Where(w => w.Value.GetValueOrDefault(kind) > 0)
                    .OrderByDescending(w => w.Value[kind]).ThenBy(w => w.Key, StringComparer.Ordinal).Select(w => w.Key).FirstOrDefault();
                if (worker is null) break;
                _free[worker][kind]--;
                Take(list, first);
                matches.Add((worker, first.Value, false));
            }
        }
        foreach (var (kind, list) in _waiting)
        {
            var takers = _ahead.Where(a => a.Value.Contains(kind)).Select(a => a.Key).Order(StringComparer.Ordinal).ToList();
            if (takers.Count == 0 || list.Count < takers.Count) continue;
            foreach (var worker in takers)
            {
                if (list.First is not { } first) break;
                _ahead[worker].Clear(); // one task ahead per worker
                Take(list, first);
                matches.Add((worker, first.Value, true));
            }
        }
        return matches;
    }

    private void Take(LinkedList<TaskAssignment> list, LinkedListNode<TaskAssignment> node)
    {
        list.Remove(node);
        _byTask.Remove(node.Value.TaskId);
    }
}
