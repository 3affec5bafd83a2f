using System.Data;
using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace RenderFarm.Cluster.ReadModel;

/// <summary>
/// What differs between the databases <see cref="ReadModelStore"/> runs on: how a connection is opened
/// and prepared, column type names, how a write transaction starts and how the schema creation is
/// serialised between processes. Everything else (every query) is shared SQL.
/// </summary>
internal abstract class SqlDialect : IAsyncDisposable
{
    public abstract string Name { get; }

    /// <summary>Integer column (64-bit in both databases).</summary>
    public abstract string Integer { get; }

    /// <summary>Floating point column.</summary>
    public abstract string Real { get; }

    public abstract string Text { get; }

    /// <summary>A 64-bit primary key the database assigns in insertion order.</summary>
    public abstract string AutoId { get; }

    /// <summary>A query of the column names of the table named by parameter @table (no rows when it does not exist).</summary>
    public abstract string ColumnsSql { get; }

    public abstract Task<DbConnection> OpenAsync(CancellationToken ct);

    /// <summary>Starts a transaction that writes (SQLite: BEGIN IMMEDIATE, so two writers never deadlock on lock upgrade).</summary>
    public abstract ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct);

    /// <summary>
    /// Held around every write transaction of this process (null: none needed). Writers of other
    /// processes are kept apart by the database itself.
    /// </summary>
    public virtual ValueTask<IDisposable?> EnterWriteAsync(CancellationToken ct) => ValueTask.FromResult<IDisposable?>(null);

    /// <summary>Runs the schema statements once, serialised against other processes doing the same.</summary>
    public abstract Task CreateSchemaAsync(IReadOnlyList<string> statements, CancellationToken ct);

    /// <summary>Called with every exception an operation throws, before it propagates.</summary>
    public virtual void OnError(Exception error) { }

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

internal sealed class SqliteDialect : SqlDialect
{
    private static readonly Lazy<bool> BatteriesInitialized = new(() =>
    {
        SQLitePCL.Batteries_V2.Init();
        return true;
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>One writer lock per database file for the whole process (every store on that file shares it).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, SemaphoreSlim> WriteLocks = new(StringComparer.Ordinal);

    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeLock;

    public SqliteDialect(string path)
    {
        _ = BatteriesInitialized.Value;
        var full = Path.GetFullPath(path);
        if (Path.GetDirectoryName(full) is { Length: > 0 } dir) Directory.CreateDirectory(dir);
        // Created here, once (an empty file is an empty database); connections never create it, so a database
        // deleted under a running node is an error to report, not a fresh empty one that silently forgets every job.
        if (!File.Exists(full)) new FileStream(full, FileMode.OpenOrCreate, FileAccess.Write).Dispose();
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = SqliteOpenMode.ReadWrite,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            ForeignKeys = true,
            // Microsoft.Data.Sqlite retries a busy statement up to this many seconds (on top of
            // busy_timeout): keep both at 5 s, so a write waits about 5 s for another process.
            DefaultTimeout = 5,
        }.ToString();
        FilePath = full;
        _writeLock = WriteLocks.GetOrAdd(full, _ => new SemaphoreSlim(1, 1));
    }

    public string FilePath { get; }

    public override string Name => "sqlite";
    public override string Integer => "INTEGER";
    public override string Real => "REAL";
    public override string Text => "TEXT";
    public override string AutoId => "INTEGER PRIMARY KEY AUTOINCREMENT";
    public override string ColumnsSql => "SELECT name FROM pragma_table_info(@table)";

    public override async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(ct);
            // Per connection (pooled connections keep them, setting them again is cheap).
            await connection.ExecuteAsync("PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;");
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public override ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct) =>
        ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    /// <summary>
    /// SQLite has one writer at a time anyway. Writers of this process queue here instead of in
    /// SQLite's busy handler, which in the bundled e_sqlite3 build sleeps in whole seconds (eight
    /// concurrent writers took seconds instead of milliseconds). Other processes still wait through
    /// busy_timeout.
    /// </summary>
    public override async ValueTask<IDisposable?> EnterWriteAsync(CancellationToken ct)
    {
        await _writeLock.WaitAsync(ct);
        return new Releaser(_writeLock);
    }

    private sealed class Releaser(SemaphoreSlim semaphore) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) semaphore.Release();
        }
    }

    public override async Task CreateSchemaAsync(IReadOnlyList<string> statements, CancellationToken ct)
    {
        using var writing = await EnterWriteAsync(ct);
        await using var connection = await OpenAsync(ct);
        // WAL is a property of the file: set once here, every later connection (any process) uses it.
        var mode = await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode = WAL;");
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"SQLite read model {FilePath}: could not switch to WAL journal mode (got '{mode}')");
        await using var tx = await BeginWriteAsync(connection, ct);
        foreach (var sql in statements)
            await connection.ExecuteAsync(new CommandDefinition(sql, transaction: tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
    }

    /// <summary>
    /// A connection opened while the file could not be written (read-only file or directory, immutable,
    /// disk full) is read-only for good: SQLite falls back to opening it read-only, and the pool would hand
    /// it out again after the cause is gone. Drop the pool on such errors, so the store heals by itself.
    /// </summary>
    public override void OnError(Exception error)
    {
        if (error is SqliteException { SqliteErrorCode: 8 or 10 or 13 or 14 }) // READONLY, IOERR, FULL, CANTOPEN
        {
            using var connection = new SqliteConnection(_connectionString);
            SqliteConnection.ClearPool(connection);
        }
    }

    public override ValueTask DisposeAsync()
    {
        // Pooled connections keep the file open; release them so the file can be moved or deleted.
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        return ValueTask.CompletedTask;
    }
}

internal sealed class PostgresDialect : SqlDialect
{
    /// <summary>Advisory lock key that serialises schema creation ("RFSTORE1").</summary>
    private const long SchemaLockKey = 0x5246_5354_4F52_4531;

    private readonly NpgsqlDataSource _dataSource;

    public PostgresDialect(string connectionString) => _dataSource = NpgsqlDataSource.Create(connectionString);

    public override string Name => "postgres";
    public override string Integer => "bigint";
    public override string Real => "double precision";
    public override string Text => "text";
    public override string AutoId => "bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
    public override string ColumnsSql =>
        "SELECT column_name::text FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @table";

    public override async Task<DbConnection> OpenAsync(CancellationToken ct) => await _dataSource.OpenConnectionAsync(ct);

    public override ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct) =>
        connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);

    public override async Task CreateSchemaAsync(IReadOnlyList<string> statements, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var tx = await BeginWriteAsync(connection, ct);
        // CREATE ... IF NOT EXISTS alone races (two creators both pass the check and one fails on the
        // catalog's unique index); the transaction-scoped advisory lock makes the second one wait.
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@key)", new { key = SchemaLockKey }, tx, cancellationToken: ct));
        foreach (var sql in statements)
            await connection.ExecuteAsync(new CommandDefinition(sql, transaction: tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
    }

    /// <summary>
    /// A connection that broke (server restarted or gone) fails the operation that used it. The pool
    /// may hold more connections to the old server, so drop them all at once: the next operation
    /// opens a fresh one instead of failing on the next stale one.
    /// </summary>
    public override void OnError(Exception error)
    {
        if (error is NpgsqlException { IsTransient: true } or NpgsqlException { InnerException: IOException or System.Net.Sockets.SocketException }
            or PostgresException { SqlState: "57P01" or "57P02" or "57P03" })
            _dataSource.Clear();
    }

    public override ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
