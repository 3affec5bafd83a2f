using RenderFarm.Cluster.Model;

namespace RenderFarm.Cluster.Planning;

/// <summary>
/// Which encoder a video's segments use (pure), fixed once when its render stage is planned: the
/// assemble task joins segments with the concat demuxer without re-encoding, which needs every segment
/// of a video from the same encoder with the same settings. libx264 segments are encode-segment tasks
/// (any cpu node); h264_nvenc segments are encode-segment-nvenc tasks, which only gpu nodes whose nvenc
/// check passed at start offer slots for, so the work queue never gives them to another node.
/// </summary>
public static class EncoderChoice
{
    /// <summary>
    /// libx264 unless live nodes (active, seen within <paramref name="liveWithin"/>, the kind not taken out)
    /// offer nvenc slots: a farm without them plans exactly as before. With both, videos are spread in
    /// proportion to the slots, libx264 first, so a lone video keeps its segments spread over the cpu nodes.
    /// </summary>
    public static TaskKind SegmentKind(int videoIndex, IEnumerable<NodeRecord> nodes, DateTimeOffset now, TimeSpan liveWithin)
    {
        var live = nodes.Where(n => n.State == NodeState.Active && now - n.LastSeen <= liveWithin).ToList();
        var nvenc = Slots(live, TaskKind.EncodeSegmentNvenc);
        if (nvenc == 0) return TaskKind.EncodeSegment;
        var x264 = Slots(live, TaskKind.EncodeSegment);
        return videoIndex % (x264 + nvenc) < x264 ? TaskKind.EncodeSegment : TaskKind.EncodeSegmentNvenc;
    }

    private static int Slots(IEnumerable<NodeRecord> nodes, TaskKind kind)
    {
        var name = TaskKinds.Name(kind);
        return nodes.Where(n => !n.DisabledKinds.Any(d => d.StartsWith(name + ":", StringComparison.Ordinal)))
            .Sum(n => Math.Max(0, n.Slots.GetValueOrDefault(name)));
    }
}
