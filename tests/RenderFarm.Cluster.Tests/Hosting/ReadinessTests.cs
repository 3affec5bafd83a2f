using FluentAssertions;
using RenderFarm.Cluster.Hosting;
using Xunit;

namespace RenderFarm.Cluster.Tests.Hosting;

public sealed class ReadinessTests
{
    private const long Gb = 1024L * 1024 * 1024;

    private static ReadinessFacts Healthy() => new("Up", null,
        [new("data", "/d", null, 50 * Gb), new("artifact", "/a", null, 50 * Gb), new("output", "/o", null, 50 * Gb)], [], []);

    [Fact]
    public void A_healthy_node_is_ready() => Readiness.Causes(Healthy(), Gb).Should().BeEmpty();

    [Fact]
    public void Every_failing_cause_is_named_on_a_line_of_its_own()
    {
        var facts = Healthy() with
        {
            StoreError = "attempt to write a readonly database",
            Directories = [new("data", "/d", "missing", null), new("artifact", "/a", null, 100L * 1024 * 1024), new("output", "/o", "missing", null)],
            DatabaseProblems = ["/d/journal.db is missing"],
            TakenOutKinds = ["matte: no GPU"],
        };
        var causes = Readiness.Causes(facts, Gb);
        causes.Should().HaveCount(6);
        causes[0].Should().Be("store: cannot write: attempt to write a readonly database");
        causes.Should().Contain(c => c.StartsWith("data directory /d: missing") && c.Contains("not recreated"));
        causes.Should().Contain("output directory /o: missing");
        causes.Should().Contain("database: /d/journal.db is missing");
        causes.Should().Contain(c => c.StartsWith("disk: 100 MB free for the artifact directory /a") && c.Contains("RENDERFARM_MIN_FREE_DISK_MB"));
        causes.Should().Contain(c => c.StartsWith("kinds taken out"));
        causes.Where(Readiness.RefusesWrites).Should().HaveCount(5, "all but the taken-out kind stop new jobs");
    }

    [Fact]
    public void Before_the_actor_system_runs_the_node_is_starting() =>
        Readiness.Causes(Healthy() with { MemberStatus = null }, Gb).Should().Equal("starting");
}
