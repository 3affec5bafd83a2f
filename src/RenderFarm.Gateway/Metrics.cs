using Prometheus;
using RenderFarm.Cluster.Hosting;
using RenderFarm.Cluster.Model;
using RenderFarm.Cluster.Planning;

namespace RenderFarm.Gateway;

/// <summary>
/// /metrics through prometheus-net, one registry per node: what the read model knows (waiting and running tasks
/// per kind, task durations, render speed, nodes, jobs finished, worker utilisation) is read just before each
/// scrape; caches from housekeeping; the wait of each task in the work queue is observed as it is handed out
/// (on the gateway that runs the queue singleton).
/// </summary>
public sealed class Metrics
{
    private const int RecentSegments = 200;
    private readonly FarmNode _node;
    private readonly CollectorRegistry _registry = Prometheus.Metrics.NewCustomRegistry();
    private readonly Gauge _queueDepth, _running, _framesPerSecond, _nodes, _nodeRunning, _utilisation, _slots, _cacheBytes, _cacheMax;
    private readonly Counter _tasks, _jobsFinished, _evictions, _evictedBytes, _leftovers;
    private readonly Summary _duration;
    private readonly Histogram _wait;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    // Task durations are observed once per task: those finished since the last scrape (the watermark), the ids at it seen already.
    private DateTimeOffset _observedUntil = DateTimeOffset.MinValue;
    private HashSet<string> _observedAtWatermark = [];
    private readonly Queue<(long Frames, double Seconds)> _segments = new();

    public Metrics(FarmNode node)
    {
        _node = node;
        var f = Prometheus.Metrics.WithCustomRegistry(_registry);
        _queueDepth = f.CreateGauge("renderfarm_queue_depth", "Tasks waiting for a node (pending or dispatched), per kind.", "kind", "placement");
        _running = f.CreateGauge("renderfarm_tasks_running", "Tasks running now, per kind.", "kind");
        _tasks = f.CreateCounter("renderfarm_tasks_total", "Tasks that ended, per kind and outcome.", "kind", "state");
        _duration = f.CreateSummary("renderfarm_task_duration_seconds", "Wall time of finished tasks (claim to finish), per kind.",
            new SummaryConfiguration { LabelNames = ["kind"], Objectives = [] });
        _framesPerSecond = f.CreateGauge("renderfarm_render_frames_per_second", "Frames rendered per second of segment work (recent segments).");
        _nodes = f.CreateGauge("renderfarm_nodes", "Nodes by state (alive: heartbeat in the last 15 s).", "state", "alive");
        _cacheBytes = f.CreateGauge("renderfarm_cache_bytes", "Bytes held by each cache of this node at its last sweep.", "cache");
        _cacheMax = f.CreateGauge("renderfarm_cache_max_bytes", "The size cap of each cache (RENDERFARM_CACHE_MAX_MB).", "cache");
        _evictions = f.CreateCounter("renderfarm_cache_evictions_total", "Entries evicted (least recently used first) since the node started, per cache.", "cache");
        _evictedBytes = f.CreateCounter("renderfarm_cache_evicted_bytes_total", "Bytes freed by eviction since the node started, per cache.", "cache");
        _leftovers = f.CreateCounter("renderfarm_leftovers_removed_total", "Temporary files and work directories left by a crash, removed since the node started.");
        _wait = f.CreateHistogram("renderfarm_task_wait_seconds", "Time a task waited in the work queue for a free slot, per kind (observed by the gateway running the queue).",
            new HistogramConfiguration { LabelNames = ["kind"], Buckets = Histogram.ExponentialBuckets(0.05, 2, 14) });
        _utilisation = f.CreateGauge("renderfarm_worker_utilisation", "Running tasks over the slots of live active nodes, per kind (0 to 1).", "kind");
        _slots = f.CreateGauge("renderfarm_worker_slots", "Slots of live active nodes, per kind (with the task duration sum's rate: busy share between scrapes).", "kind");
        _nodeRunning = f.CreateGauge("renderfarm_node_running_tasks", "Tasks each live node runs now.", "node");
        _jobsFinished = f.CreateCounter("renderfarm_jobs_finished_total", "Jobs that ended, per kind and status (throughput: its rate).", "kind", "status");
        node.QueueWaits.Waited += (kind, waited) => _wait.WithLabels(TaskKinds.Name(kind)).Observe(waited.TotalSeconds);
        _registry.AddBeforeCollectCallback(RefreshAsync);
    }

    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public Task WriteAsync(Stream output, CancellationToken ct) => _registry.CollectAndExportAsTextAsync(output, ct);

    private async Task RefreshAsync(CancellationToken ct)
    {
        await _refresh.WaitAsync(ct);
        try
        {
            var queues = await AdminApi.Queues(_node, ct);
            foreach (var q in queues)
            {
                _queueDepth.WithLabels(q.Kind, q.Placement).Set(q.Waiting);
                _running.WithLabels(q.Kind).Set(q.Running);
                _tasks.WithLabels(q.Kind, "succeeded").IncTo(q.Succeeded);
                _tasks.WithLabels(q.Kind, "failed").IncTo(q.Failed);
            }
            await ObserveFinishedTasksAsync(ct);

            var now = DateTimeOffset.UtcNow;
            var nodes = await _node.ReadModel.GetNodesAsync(ct);
            Replace(_nodes, nodes.GroupBy(n => (n.State, Alive: now - n.LastSeen < TimeSpan.FromSeconds(15)))
                .ToDictionary(g => new[] { g.Key.State.ToString(), g.Key.Alive ? "true" : "false" }, g => (double)g.Count()));
            var live = nodes.Where(n => n.State == NodeState.Active && now - n.LastSeen < TimeSpan.FromSeconds(15)).ToList();
            Replace(_nodeRunning, live.ToDictionary(n => new[] { n.NodeId }, n => (double)n.RunningTasks));
            foreach (var q in queues)
            {
                var slots = live.Sum(n => n.Slots.GetValueOrDefault(q.Kind));
                _slots.WithLabels(q.Kind).Set(slots);
                _utilisation.WithLabels(q.Kind).Set(slots == 0 ? 0 : Math.Min(1.0, (double)q.Running / slots));
            }
            foreach (var (kind, status, count) in await _node.ReadModel.CountJobsAsync(ct))
                if (status is JobStatus.Success or JobStatus.Failed or JobStatus.Cancelled)
                    _jobsFinished.WithLabels(kind.ToString(), status.ToString()).IncTo(count);

            foreach (var c in _node.Housekeeping.Caches)
            {
                _cacheBytes.WithLabels(c.Name).Set(c.Bytes);
                _cacheMax.WithLabels(c.Name).Set(c.CapBytes);
                _evictions.WithLabels(c.Name).IncTo(c.Evictions);
                _evictedBytes.WithLabels(c.Name).IncTo(c.EvictedBytes);
            }
            _leftovers.IncTo(_node.Housekeeping.LeftoversRemoved);
        }
        finally { _refresh.Release(); }
    }

    private async Task ObserveFinishedTasksAsync(CancellationToken ct)
    {
        var finished = await _node.ReadModel.GetTasksFinishedSinceAsync(_observedUntil, 2000, ct);
        foreach (var t in finished)
        {
            if (t.FinishedAt is not { } end || t.StartedAt is not { } start || _observedAtWatermark.Contains(t.TaskId)) continue;
            if (end > _observedUntil) { _observedUntil = end; _observedAtWatermark = []; }
            _observedAtWatermark.Add(t.TaskId);
            if (t.Reused) continue;
            var seconds = (end - start).TotalSeconds;
            _duration.WithLabels(TaskKinds.Name(t.Kind)).Observe(seconds);
            if (!TaskKinds.IsSegment(t.Kind)) continue;
            var w = TaskInputJson.Read<SegmentInput>(t.InputJson);
            _segments.Enqueue((w.EndFrame - w.StartFrame, seconds));
            while (_segments.Count > RecentSegments) _segments.Dequeue();
        }
        var total = _segments.Sum(s => s.Seconds);
        _framesPerSecond.Set(total > 0 ? _segments.Sum(s => s.Frames) / total : 0);
    }

    /// <summary>Sets a gauge's series to <paramref name="values"/>, dropping the series that no longer occur.</summary>
    private static void Replace(Gauge gauge, Dictionary<string[], double> values)
    {
        var keep = values.Keys.Select(k => string.Join('\u001f', k)).ToHashSet();
        foreach (var labels in gauge.GetAllLabelValues().ToList())
            if (!keep.Contains(string.Join('\u001f', labels))) gauge.RemoveLabelled(labels);
        foreach (var (labels, value) in values) gauge.WithLabels(labels).Set(value);
    }
}
