using System.Globalization;
using System.Text;
using RenderFarm.Cluster.Model;
using RenderFarm.Cluster.Hosting;
using RenderFarm.Cluster.Planning;

namespace RenderFarm.Gateway;

/// <summary>/metrics in the Prometheus text format: queue depth and running tasks per kind, task durations, render speed, nodes.</summary>
public static class Metrics
{
    public static async Task<string> RenderAsync(FarmNode node, CancellationToken ct)
    {
        var text = new StringBuilder();
        void Line(string s) => text.Append(s).Append('\n');
        string N(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

        var queues = await AdminApi.Queues(node, ct);
        Line("# HELP renderfarm_queue_depth Tasks waiting for a node (pending or dispatched), per kind.");
        Line("# TYPE renderfarm_queue_depth gauge");
        foreach (var q in queues) Line($"renderfarm_queue_depth{{kind=\"{q.Kind}\",placement=\"{q.Placement}\"}} {q.Waiting}");
        Line("# HELP renderfarm_tasks_running Tasks running now, per kind.");
        Line("# TYPE renderfarm_tasks_running gauge");
        foreach (var q in queues) Line($"renderfarm_tasks_running{{kind=\"{q.Kind}\"}} {q.Running}");
        Line("# HELP renderfarm_tasks_total Tasks that ended, per kind and outcome.");
        Line("# TYPE renderfarm_tasks_total counter");
        foreach (var q in queues)
        {
            Line($"renderfarm_tasks_total{{kind=\"{q.Kind}\",state=\"succeeded\"}} {q.Succeeded}");
            Line($"renderfarm_tasks_total{{kind=\"{q.Kind}\",state=\"failed\"}} {q.Failed}");
        }

        var finished = await node.ReadModel.GetTasksInStateAsync(TaskState.Succeeded, 2000, ct);
        Line("# HELP renderfarm_task_duration_seconds Wall time of recent finished tasks (claim to finish), per kind.");
        Line("# TYPE renderfarm_task_duration_seconds summary");
        double frames = 0, seconds = 0;
        foreach (var group in finished.Where(t => t.StartedAt is not null && t.FinishedAt is not null && !t.Reused).GroupBy(t => t.Kind))
        {
            var durations = group.Select(t => (t.FinishedAt!.Value - t.StartedAt!.Value).TotalSeconds).ToList();
            Line($"renderfarm_task_duration_seconds_sum{{kind=\"{TaskKinds.Name(group.Key)}\"}} {N(durations.Sum())}");
            Line($"renderfarm_task_duration_seconds_count{{kind=\"{TaskKinds.Name(group.Key)}\"}} {durations.Count}");
            if (group.Key != TaskKind.EncodeSegment) continue;
            foreach (var t in group)
            {
                var w = TaskInputJson.Read<SegmentInput>(t.InputJson);
                frames += w.EndFrame - w.StartFrame;
                seconds += (t.FinishedAt!.Value - t.StartedAt!.Value).TotalSeconds;
            }
        }
        Line("# HELP renderfarm_render_frames_per_second Frames rendered per second of segment work (recent segments).");
        Line("# TYPE renderfarm_render_frames_per_second gauge");
        Line($"renderfarm_render_frames_per_second {N(seconds > 0 ? frames / seconds : 0)}");

        var now = DateTimeOffset.UtcNow;
        var nodes = await node.ReadModel.GetNodesAsync(ct);
        Line("# HELP renderfarm_nodes Nodes by state (alive: heartbeat in the last 15 s).");
        Line("# TYPE renderfarm_nodes gauge");
        foreach (var group in nodes.GroupBy(n => (n.State, Alive: now - n.LastSeen < TimeSpan.FromSeconds(15))))
            Line($"renderfarm_nodes{{state=\"{group.Key.State}\",alive=\"{(group.Key.Alive ? "true" : "false")}\"}} {group.Count()}");

        Line("# HELP renderfarm_cache_bytes Bytes held by each cache of this node at its last sweep.");
        Line("# TYPE renderfarm_cache_bytes gauge");
        foreach (var c in node.Housekeeping.Caches) Line($"renderfarm_cache_bytes{{cache=\"{c.Name}\"}} {c.Bytes}");
        Line("# HELP renderfarm_cache_max_bytes The size cap of each cache (RENDERFARM_CACHE_MAX_MB).");
        Line("# TYPE renderfarm_cache_max_bytes gauge");
        foreach (var c in node.Housekeeping.Caches) Line($"renderfarm_cache_max_bytes{{cache=\"{c.Name}\"}} {c.CapBytes}");
        Line("# HELP renderfarm_cache_evictions_total Entries evicted (least recently used first) since the node started, per cache.");
        Line("# TYPE renderfarm_cache_evictions_total counter");
        foreach (var c in node.Housekeeping.Caches) Line($"renderfarm_cache_evictions_total{{cache=\"{c.Name}\"}} {c.Evictions}");
        Line("# HELP renderfarm_cache_evicted_bytes_total Bytes freed by eviction since the node started, per cache.");
        Line("# TYPE renderfarm_cache_evicted_bytes_total counter");
        foreach (var c in node.Housekeeping.Caches) Line($"renderfarm_cache_evicted_bytes_total{{cache=\"{c.Name}\"}} {c.EvictedBytes}");
        Line("# HELP renderfarm_leftovers_removed_total Temporary files and work directories left by a crash, removed since the node started.");
        Line("# TYPE renderfarm_leftovers_removed_total counter");
        Line($"renderfarm_leftovers_removed_total {node.Housekeeping.LeftoversRemoved}");
        return text.ToString();
    }
}
