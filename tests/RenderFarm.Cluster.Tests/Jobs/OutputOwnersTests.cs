using FluentAssertions;
using RenderFarm.Cluster.Model;
using RenderFarm.Cluster.ReadModel;
using Xunit;

namespace RenderFarm.Cluster.Tests.Jobs;

/// <summary>An output file belongs to the job that claimed it; a failed or cancelled owner lets it go.</summary>
public sealed class OutputOwnersTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "renderfarm-owners-" + Guid.NewGuid().ToString("N")[..12]);
    private ReadModelStore _store = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _store = ReadModelStore.Sqlite(Path.Combine(_directory, "farm.db"));
        await _store.InitializeAsync(Ct);
    }

    public ValueTask DisposeAsync()
    {
        _store.Dispose();
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }

    private Task Job(string id, JobStatus status) => _store.ProjectAsync([new JobProjection(
        new JobRecord(id, JobKind.Single, null, "{}", status, 0, null, null, null, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, null), [], [], [])], Ct);

    [Fact]
    public async Task A_path_is_one_jobs_and_all_of_a_jobs_claims_succeed_or_none()
    {
        await Job("a", JobStatus.Processing);
        (await _store.ClaimAsync("a", ["/o/1.mp4", "/o/2.mp4"], Ct)).Should().BeNull();
        (await _store.ClaimAsync("a", ["/o/1.mp4"], Ct)).Should().BeNull("the owner may claim again (a repeated ClientToken)");
        (await _store.ClaimAsync("b", ["/o/3.mp4", "/o/2.mp4"], Ct)).Should().Be(("/o/2.mp4", "a"));
        (await _store.ClaimAsync("c", ["/o/3.mp4"], Ct)).Should().BeNull("b's refused request kept none of its claims");
    }

    [Theory]
    [InlineData(JobStatus.Failed, true)]
    [InlineData(JobStatus.Cancelled, true)]
    [InlineData(JobStatus.Success, false)]
    [InlineData(JobStatus.Queuing, false)]
    public async Task Only_an_owner_that_wrote_nothing_gives_its_output_up(JobStatus status, bool released)
    {
        await Job("a", status);
        await _store.ClaimAsync("a", ["/o/film.mp4"], Ct);
        var taken = await _store.ClaimAsync("b", ["/o/film.mp4"], Ct);
        (taken is null).Should().Be(released);
    }
}
