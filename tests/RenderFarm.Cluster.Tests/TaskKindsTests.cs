using FluentAssertions;
using RenderFarm.Cluster.Model;
using Xunit;

namespace RenderFarm.Cluster.Tests;

public sealed class TaskKindsTests
{
    [Fact]
    public void Every_kind_has_a_distinct_name_that_parses_back()
    {
        TaskKinds.All.Select(TaskKinds.Name).Should().OnlyHaveUniqueItems();
        foreach (var kind in TaskKinds.All) TaskKinds.Parse(TaskKinds.Name(kind)).Should().Be(kind);
        TaskKinds.IsGpu(TaskKind.Matte).Should().BeTrue();
        TaskKinds.IsGpu(TaskKind.EncodeSegment).Should().BeFalse();
        TaskKinds.IsGpu(TaskKind.EncodeSegmentNvenc).Should().BeTrue("only gpu nodes take nvenc segments");
        TaskKinds.All.Where(TaskKinds.IsSegment).Should().Equal(TaskKind.EncodeSegment, TaskKind.EncodeSegmentNvenc);
    }
}
