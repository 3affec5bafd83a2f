using System.Diagnostics;
using FluentAssertions;
using Microsoft.Data.Sqlite;
using RenderFarm.Cluster.Model;
using RenderFarm.Cluster.Store;
using Xunit;

namespace RenderFarm.Cluster.Tests.Store;

/// <summary>The store contract on a SQLite file in a fresh temp directory per test.</summary>
public sealed class SqliteJobStoreTests : JobStoreContractTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "renderfarm-store-" + Guid.NewGuid().ToString("N")[..12]);

    // A directory that does not exist yet: the store creates it.
    private string DatabasePath => Path.Combine(_directory, "state", "farm.db");

    protected override SqlJobStore OpenStore() => SqlJobStore.Sqlite(DatabasePath);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task The_file_is_in_wal_mode_with_foreign_keys_enforced()
    {
        File.Exists(DatabasePath).Should().BeTrue();
        File.Exists(DatabasePath + "-wal").Should().BeTrue("the journal mode is WAL");
        // Foreign keys: a task of an unknown job is refused.
        await FluentActions.Awaiting(() => Store.InsertTasksAsync([NewTask("no-such-job", "t")], null, Ct))
            .Should().ThrowAsync<SqliteException>();
        (await Store.GetTaskAsync("t", Ct)).Should().BeNull();
    }

    [Fact]
    public async Task A_writer_of_another_process_makes_the_store_wait_then_lose_the_version_race()
    {
        await InsertJob("job-1");
        var job = (await Store.GetJobAsync("job-1", Ct))!;

        // Another process's write transaction: its own connection, not the store's in-process lock.
        await using var other = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await other.OpenAsync(Ct);
        await using (var command = other.CreateCommand())
        {
            command.CommandText = "BEGIN IMMEDIATE; UPDATE jobs SET message = 'other', version = version + 1 WHERE job_id = 'job-1';";
            await command.ExecuteNonQueryAsync(Ct);
        }
        var clock = Stopwatch.StartNew();
        // Microsoft.Data.Sqlite's async methods complete synchronously: start the update on another thread.
        var update = Task.Run(() => Store.UpdateJobAsync(job with { Status = JobStatus.Processing }, History("job-1", "Processing"), Ct), Ct);
        var read = await Store.GetJobAsync("job-1", Ct); // WAL: readers are not blocked by the writer
        read!.Message.Should().BeNull();
        await Task.Delay(300, Ct);
        update.IsCompleted.Should().BeFalse();
        await using (var command = other.CreateCommand())
        {
            command.CommandText = "COMMIT;";
            await command.ExecuteNonQueryAsync(Ct);
        }

        // It waited for the other writer, then lost the race it started from the same version.
        (await update).Should().BeFalse();
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
        var stored = (await Store.GetJobAsync("job-1", Ct))!;
        stored.Should().Be(job with { Message = "other", Version = job.Version + 1 });
        (await Store.GetHistoryAsync("job-1", Ct)).Select(h => h.Event).Should().Equal("Submitted");
        (await Store.UpdateJobAsync(stored with { Status = JobStatus.Processing }, null, Ct)).Should().BeTrue();
    }
}
