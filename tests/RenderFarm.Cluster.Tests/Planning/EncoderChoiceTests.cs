using FluentAssertions;
using RenderFarm.Cluster.Model;
using RenderFarm.Cluster.Planning;
using Xunit;

namespace RenderFarm.Cluster.Tests.Planning;

/// <summary>Which encoder each video's segments get, from the nodes as they last reported (pure).</summary>
public sealed class EncoderChoiceTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Live = TimeSpan.FromSeconds(6);

    private static NodeRecord Node(string id, int x264 = 0, int nvenc = 0, double secondsAgo = 1, NodeState state = NodeState.Active, string[]? disabled = null)
    {
        var slots = new Dictionary<string, int>();
        if (x264 > 0) slots["encode-segment"] = x264;
        if (nvenc > 0) slots["encode-segment-nvenc"] = nvenc;
        return new NodeRecord(id, nvenc > 0 ? ["gpu"] : ["cpu"], slots, state, Now.AddHours(-1), Now.AddSeconds(-secondsAgo),
            disabled ?? [], 0, nvenc > 0 ? "nvidia (1 GPU)" : "cpu (8 cores, no GPU driver)", $"akka.tcp://renderfarm@{id}:4053");
    }

    private static IEnumerable<TaskKind> Kinds(IReadOnlyList<NodeRecord> nodes, int videos) =>
        Enumerable.Range(0, videos).Select(i => EncoderChoice.SegmentKind(i, nodes, Now, Live));

    [Fact]
    public void A_farm_without_nvenc_plans_every_video_for_libx264()
    {
        Kinds([Node("a", x264: 4), Node("b", x264: 2)], 20).Should().AllBeEquivalentTo(TaskKind.EncodeSegment);
        Kinds([], 3).Should().AllBeEquivalentTo(TaskKind.EncodeSegment);
    }

    [Fact]
    public void Videos_are_spread_over_libx264_and_nvenc_by_their_slots_libx264_first()
    {
        var nodes = new[] { Node("cpu", x264: 3), Node("gpu", nvenc: 1) };

        Kinds(nodes, 8).Should().Equal(
            TaskKind.EncodeSegment, TaskKind.EncodeSegment, TaskKind.EncodeSegment, TaskKind.EncodeSegmentNvenc,
            TaskKind.EncodeSegment, TaskKind.EncodeSegment, TaskKind.EncodeSegment, TaskKind.EncodeSegmentNvenc);
    }

    [Fact]
    public void Only_nvenc_nodes_take_every_video()
    {
        Kinds([Node("gpu", nvenc: 2)], 4).Should().AllBeEquivalentTo(TaskKind.EncodeSegmentNvenc);
    }

    [Fact]
    public void An_nvenc_node_that_is_silent_draining_or_has_nvenc_taken_out_does_not_count()
    {
        var cpu = Node("cpu", x264: 1);

        Kinds([cpu, Node("gpu", nvenc: 4, secondsAgo: 30)], 6).Should().AllBeEquivalentTo(TaskKind.EncodeSegment, "its last report is too old");
        Kinds([cpu, Node("gpu", nvenc: 4, state: NodeState.Draining)], 6).Should().AllBeEquivalentTo(TaskKind.EncodeSegment);
        Kinds([cpu, Node("gpu", nvenc: 4, disabled: ["encode-segment-nvenc: 3 faults in a row"])], 6).Should().AllBeEquivalentTo(TaskKind.EncodeSegment);
    }
}
