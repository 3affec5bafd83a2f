using System.Diagnostics;
using FluentAssertions;
using Microsoft.Data.Sqlite;
using RenderFarm.Cluster.Model;
using RenderFarm.Cluster.ReadModel;
using Xunit;

namespace RenderFarm.Cluster.Tests.ReadModel;

/// <summary>The read model contract on a SQLite file in a fresh temp directory per test.</summary>
public sealed class SqliteReadModelTests : ReadModelContractTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "renderfarm-readmodel-" + Guid.NewGuid().ToString("N")[..12]);

    // A directory that does not exist yet: the store creates it.
    private string DatabasePath => Path.Combine(_directory, "state", "farm.db");

    protected override ReadModelStore OpenStore() => ReadModelStore.Sqlite(DatabasePath);

    protected override async Task<ReadModelStore> LegacyStoreAsync()
    {
        var path = Path.Combine(_directory, "legacy", "farm.db");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync(Ct);
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE jobs (job_id TEXT PRIMARY KEY, client_token TEXT UNIQUE, version INTEGER NOT NULL)";
            await command.ExecuteNonQueryAsync(Ct);
        }
        return Track(ReadModelStore.Sqlite(path));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task The_file_is_in_wal_mode_with_foreign_keys_declared()
    {
        File.Exists(DatabasePath).Should().BeTrue();
        File.Exists(DatabasePath + "-wal").Should().BeTrue("the journal mode is WAL");
        await using var other = new SqliteConnection($"Data Source={DatabasePath};Pooling=False;Foreign Keys=True");
        await other.OpenAsync(Ct);
        await using var command = other.CreateCommand();
        command.CommandText = "INSERT INTO tasks (task_id, job_id, video_id, kind, input_json, artifact_key, state, attempt, reused) " +
                              "VALUES ('t', 'no-such-job', 'v', 'Tts', '{}', 'k', 'Pending', 1, 0)";
        await FluentActions.Awaiting(() => command.ExecuteNonQueryAsync(Ct)).Should().ThrowAsync<SqliteException>();
        (await Store.GetTasksInStateAsync(TaskState.Pending, 10, Ct)).Should().BeEmpty();
    }

    [Fact]
    public async Task A_writer_of_another_process_makes_a_projection_wait_then_the_projection_wins()
    {
        var job = await ProjectJob("job-1");

        // Another process's write transaction: its own connection, not the store's in-process lock.
        await using var other = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await other.OpenAsync(Ct);
        await using (var command = other.CreateCommand())
        {
            command.CommandText = "BEGIN IMMEDIATE; UPDATE jobs SET message = 'other' WHERE job_id = 'job-1';";
            await command.ExecuteNonQueryAsync(Ct);
        }
        var clock = Stopwatch.StartNew();
        var processing = job with { Status = JobStatus.Processing, ModifiedTime = T0.AddSeconds(1) };
        // Microsoft.Data.Sqlite's async methods complete synchronously: start the projection on another thread.
        var projection = Task.Run(() => Store.ProjectAsync([Projection(processing, history: Histories("job-1", 2))], Ct), Ct);
        var read = await Store.GetJobAsync("job-1", Ct); // WAL: readers are not blocked by the writer
        read.Should().Be(job);
        await Task.Delay(300, Ct);
        projection.IsCompleted.Should().BeFalse();
        await using (var command = other.CreateCommand())
        {
            command.CommandText = "COMMIT;";
            await command.ExecuteNonQueryAsync(Ct);
        }

        // It waited for the other writer, then replaced the whole row.
        await projection;
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
        (await Store.GetJobAsync("job-1", Ct)).Should().Be(processing);
        (await Store.GetHistoryAsync("job-1", Ct)).Select(h => h.Event).Should().Equal("Submitted", "e1");
    }
}
