using FluentAssertions;
using Npgsql;
using RenderFarm.Cluster.Model;
using RenderFarm.Cluster.Store;
using RenderFarm.TestSupport.Servers;
using Xunit;

namespace RenderFarm.Cluster.Tests.Store;

/// <summary>The store contract on PostgreSQL: one throwaway server for the class, a fresh database per test.</summary>
public sealed class PostgresJobStoreTests(PostgresServer server) : JobStoreContractTests, IClassFixture<PostgresServer>
{
    private string _connectionString = "";

    protected override ValueTask PrepareAsync()
    {
        _connectionString = server.CreateDatabase("t_" + Guid.NewGuid().ToString("N"));
        return ValueTask.CompletedTask;
    }

    protected override SqlJobStore OpenStore() => SqlJobStore.Postgres(_connectionString);

    [Fact]
    public async Task Foreign_keys_are_enforced()
    {
        await FluentActions.Awaiting(() => Store.InsertTasksAsync([NewTask("no-such-job", "t")], null, Ct))
            .Should().ThrowAsync<PostgresException>().Where(e => e.SqlState == PostgresErrorCodes.ForeignKeyViolation);
        (await Store.GetTaskAsync("t", Ct)).Should().BeNull();
    }
}

/// <summary>A store outlives a restart of its server (its own server: the other tests keep theirs running).</summary>
public sealed class PostgresRestartTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Data_survives_a_server_restart_and_a_crash_and_the_same_store_works_again()
    {
        var connectionString = server.CreateDatabase("restart");
        await using var store = SqlJobStore.Postgres(connectionString);
        await store.InitializeAsync(Ct);
        var t0 = DateTimeOffset.FromUnixTimeMilliseconds(1_750_000_000_000);
        var job = new JobRecord("job-1", JobKind.Single, "tok", "{}", JobStatus.Queuing, 0, null, null, null, t0, t0, null, 0);
        (await store.InsertJobAsync(job, [], new HistoryEntry(0, "job-1", null, null, t0, "Submitted", null, null), Ct)).Should().BeTrue();
        // Several pooled connections to the old server.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => store.GetJobAsync("job-1", Ct)));

        server.Stop();
        server.Start();

        (await FirstCallAfterRestart(() => store.GetJobAsync("job-1", Ct))).Should().Be(job);
        (await store.UpdateJobAsync(job with { Status = JobStatus.Processing }, null, Ct)).Should().BeTrue();
        (await store.GetJobAsync("job-1", Ct))!.Version.Should().Be(1);
        (await store.GetHistoryAsync("job-1", Ct)).Should().ContainSingle();

        // A crash (postmaster killed) loses no committed transaction either.
        server.Kill();
        server.Start();
        (await FirstCallAfterRestart(() => store.GetJobAsync("job-1", Ct)))!.Status.Should().Be(JobStatus.Processing);
    }

    /// <summary>
    /// The first call may run on a pooled connection to the old server and fail (57P01 or an I/O
    /// error); the store then clears its pool, so a retry (a few at most) gets a fresh connection.
    /// </summary>
    private static async Task<T> FirstCallAfterRestart<T>(Func<Task<T>> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (NpgsqlException) when (attempt < 5)
            {
                await Task.Delay(100, Ct);
            }
        }
    }
}
