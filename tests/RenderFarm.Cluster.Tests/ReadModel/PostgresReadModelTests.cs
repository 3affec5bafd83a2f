using FluentAssertions;
using Npgsql;
using RenderFarm.Cluster.Model;
using RenderFarm.Cluster.ReadModel;
using RenderFarm.TestSupport.Servers;
using Xunit;

namespace RenderFarm.Cluster.Tests.ReadModel;

/// <summary>The read model contract on PostgreSQL: one throwaway server for the class, a fresh database per test.</summary>
public sealed class PostgresReadModelTests(PostgresServer server) : ReadModelContractTests, IClassFixture<PostgresServer>
{
    private string _connectionString = "";

    protected override ValueTask PrepareAsync()
    {
        _connectionString = server.CreateDatabase("t_" + Guid.NewGuid().ToString("N"));
        return ValueTask.CompletedTask;
    }

    protected override ReadModelStore OpenStore() => ReadModelStore.Postgres(_connectionString);

    protected override async Task<ReadModelStore> LegacyStoreAsync()
    {
        var connectionString = server.CreateDatabase("legacy_" + Guid.NewGuid().ToString("N"));
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync(Ct);
            await using var command = new NpgsqlCommand(
                "CREATE TABLE jobs (job_id text PRIMARY KEY, client_token text UNIQUE, version bigint NOT NULL)", connection);
            await command.ExecuteNonQueryAsync(Ct);
        }
        return Track(ReadModelStore.Postgres(connectionString));
    }

    [Fact]
    public async Task Foreign_keys_are_enforced()
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(
            "INSERT INTO tasks (task_id, job_id, video_id, kind, input_json, artifact_key, state, attempt, reused) " +
            "VALUES ('t', 'no-such-job', 'v', 'Tts', '{}', 'k', 'Pending', 1, 0)", connection);
        await FluentActions.Awaiting(() => command.ExecuteNonQueryAsync(Ct))
            .Should().ThrowAsync<PostgresException>().Where(e => e.SqlState == PostgresErrorCodes.ForeignKeyViolation);
        (await Store.GetTasksInStateAsync(TaskState.Pending, 10, Ct)).Should().BeEmpty();
    }
}

/// <summary>A read model outlives a restart of its server (its own server: the other tests keep theirs running).</summary>
public sealed class PostgresRestartTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Data_survives_a_server_restart_and_a_crash_and_the_same_store_works_again()
    {
        var connectionString = server.CreateDatabase("restart");
        await using var store = ReadModelStore.Postgres(connectionString);
        await store.InitializeAsync(Ct);
        var t0 = DateTimeOffset.FromUnixTimeMilliseconds(1_750_000_000_000);
        var job = new JobRecord("job-1", JobKind.Single, "tok", "{}", JobStatus.Queuing, 0, null, null, null, t0, t0, null);
        HistoryEntry Line(long seq, string evt) => new(seq, "job-1", null, null, t0.AddSeconds(seq), evt, null, null);
        await store.ProjectAsync([new JobProjection(job, [], [], [Line(0, "Queuing")])], Ct);
        // Several pooled connections to the old server.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => store.GetJobAsync("job-1", Ct)));

        server.Stop();
        server.Start();

        (await FirstCallAfterRestart(() => store.GetJobAsync("job-1", Ct))).Should().Be(job);
        var processing = job with { Status = JobStatus.Processing };
        await store.ProjectAsync([new JobProjection(processing, [], [], [Line(0, "Queuing"), Line(1, "Processing")])], Ct);
        (await store.GetJobAsync("job-1", Ct)).Should().Be(processing);
        (await store.GetHistoryAsync("job-1", Ct)).Select(h => h.Event).Should().Equal("Queuing", "Processing");

        // A crash (postmaster killed) loses no committed transaction either.
        server.Kill();
        server.Start();
        (await FirstCallAfterRestart(() => store.GetJobAsync("job-1", Ct)))!.Status.Should().Be(JobStatus.Processing);

        // A projection whose first try failed on a stale connection is simply repeated.
        server.Stop();
        server.Start();
        var ended = processing with { Status = JobStatus.Success, CompleteTime = t0.AddMinutes(1) };
        await FirstCallAfterRestart(async () =>
        {
            await store.ProjectAsync([new JobProjection(ended, [], [], [Line(0, "Queuing"), Line(1, "Processing"), Line(2, "Success")])], Ct);
            return true;
        });
        (await store.GetJobAsync("job-1", Ct)).Should().Be(ended);
        (await store.GetHistoryAsync("job-1", Ct)).Select(h => h.Id).Should().Equal(0, 1, 2);
    }

    /// <summary>
    /// The first call may run on a pooled connection to the old server and fail (57P01 or an I/O
    /// error); the store then clears its whole pool, so the retry gets a fresh connection: at most one
    /// call fails, although four connections to the old server were pooled.
    /// </summary>
    private static async Task<T> FirstCallAfterRestart<T>(Func<Task<T>> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var result = await call();
                attempt.Should().BeLessThanOrEqualTo(2, "the first failure clears the pool of stale connections");
                return result;
            }
            catch (NpgsqlException) when (attempt < 5)
            {
                await Task.Delay(100, Ct);
            }
        }
    }
}
