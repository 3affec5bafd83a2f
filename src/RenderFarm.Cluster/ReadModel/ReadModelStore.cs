using System.Data.Common;
using System.Globalization;
using System.Text;
using Dapper;
using RenderFarm.Cluster.Model;
using static RenderFarm.Cluster.ReadModel.ReadModelRows;

namespace RenderFarm.Cluster.ReadModel;

/// <summary>
/// <see cref="IReadModel"/> over Dapper for SQLite (<see cref="Sqlite"/>) and PostgreSQL
/// (<see cref="Postgres"/>): one set of SQL, a small <see cref="SqlDialect"/> for what differs.
/// </summary>
/// <remarks>
/// <para>Storage: tables jobs, videos, tasks, history, nodes and media (the media library); times as bigint unix milliseconds
/// (so they come back with millisecond precision and offset zero), enums as their names, lists and
/// dictionaries as JSON text.</para>
/// <para>Every operation opens its own connection (pooled) and closes it before returning, so one
/// store may be used by any number of concurrent callers; several processes may share one database
/// (SQLite: WAL journal, busy_timeout 5000 ms, write transactions start with BEGIN IMMEDIATE).</para>
/// <para>The job tables are a projection of the job entities (<see cref="ProjectAsync"/>): rows are
/// inserted or replaced whole (INSERT ... ON CONFLICT DO UPDATE), history lines are keyed by their place
/// in the job's history, so projecting a state again changes nothing and a later projection fills any gap.
/// Videos and tasks are never deleted by a projection; a task keeps the place (seq) of its first projection,
/// which orders a job's tasks.</para>
/// <para>PostgreSQL after a server restart: the first operation on a pooled connection to the old
/// server fails with an <see cref="Npgsql.NpgsqlException"/>; the store then clears the pool, so the
/// next operation opens a fresh connection and works. Operations are not retried by the store; callers
/// retry (a projection may be repeated: it is idempotent).</para>
/// </remarks>
public sealed partial class ReadModelStore : IReadModel, IMediaLibraryStore, IJobProgress, IAsyncDisposable, IDisposable
{
    private readonly SqlDialect _dialect;

    private ReadModelStore(SqlDialect dialect) => _dialect = dialect;

    /// <summary>A read model in the SQLite file at <paramref name="path"/> (created with its directories).</summary>
    public static ReadModelStore Sqlite(string path) => new(new SqliteDialect(path));

    /// <summary>A read model in the database <paramref name="connectionString"/> names (Npgsql syntax); the schema goes into it.</summary>
    public static ReadModelStore Postgres(string connectionString) => new(new PostgresDialect(connectionString));

    /// <summary>"sqlite" or "postgres".</summary>
    public string Provider => _dialect.Name;

    /// <summary>
    /// Creates the tables and indexes that are missing. A database that still holds the tables of the
    /// former SQL job store (jobs with a version column) is refused: their shape differs.
    /// </summary>
    public async Task InitializeAsync(CancellationToken ct = default)
    {
        var legacy = await ReadAsync(async c =>
            (await c.QueryAsync<string>(Cmd(_dialect.ColumnsSql, new { table = "jobs" }, null, ct))).Contains("version", StringComparer.OrdinalIgnoreCase), ct);
        if (legacy)
            throw new InvalidOperationException(
                $"the {_dialect.Name} database holds the tables of the former SQL job store (jobs.version exists); " +
                "the read model needs a database of its own (or those tables dropped: jobs, videos, tasks, history, nodes, media)");
        var d = _dialect;
        string[] schema =
        [
            $"""
            CREATE TABLE IF NOT EXISTS jobs (
                job_id {d.Text} PRIMARY KEY,
                kind {d.Text} NOT NULL,
                client_token {d.Text},
                request_json {d.Text} NOT NULL,
                status {d.Text} NOT NULL,
                progress {d.Real} NOT NULL,
                user_data {d.Text},
                code {d.Text},
                message {d.Text},
                create_time {d.Integer} NOT NULL,
                modified_time {d.Integer} NOT NULL,
                complete_time {d.Integer})
            """,
            // Lists: newest first, all jobs or by status (kind and time filters narrow these scans).
            "CREATE INDEX IF NOT EXISTS jobs_create_time ON jobs (create_time, job_id)",
            "CREATE INDEX IF NOT EXISTS jobs_status ON jobs (status, create_time, job_id)",
            $"""
            CREATE TABLE IF NOT EXISTS videos (
                video_id {d.Text} PRIMARY KEY,
                job_id {d.Text} NOT NULL REFERENCES jobs (job_id),
                video_index {d.Integer} NOT NULL,
                request_json {d.Text} NOT NULL,
                output_path {d.Text} NOT NULL,
                status {d.Text} NOT NULL,
                progress {d.Real} NOT NULL,
                total_frames {d.Integer} NOT NULL,
                segments {d.Integer} NOT NULL,
                duration_seconds {d.Real},
                code {d.Text},
                message {d.Text})
            """,
            "CREATE INDEX IF NOT EXISTS videos_job ON videos (job_id, video_index)",
            $"""
            CREATE TABLE IF NOT EXISTS tasks (
                seq {d.AutoId},
                task_id {d.Text} NOT NULL UNIQUE,
                job_id {d.Text} NOT NULL REFERENCES jobs (job_id),
                video_id {d.Text} NOT NULL,
                kind {d.Text} NOT NULL,
                input_json {d.Text} NOT NULL,
                artifact_key {d.Text} NOT NULL,
                state {d.Text} NOT NULL,
                attempt {d.Integer} NOT NULL,
                node_id {d.Text},
                started_at {d.Integer},
                finished_at {d.Integer},
                error {d.Text},
                reused {d.Integer} NOT NULL)
            """,
            "CREATE INDEX IF NOT EXISTS tasks_job ON tasks (job_id, seq)",
            "CREATE INDEX IF NOT EXISTS tasks_state ON tasks (state, seq)",
            // The primary key (job_id, seq) is also the index a job's history is read by.
            $"""
            CREATE TABLE IF NOT EXISTS history (
                job_id {d.Text} NOT NULL REFERENCES jobs (job_id),
                seq {d.Integer} NOT NULL,
                video_id {d.Text},
                task_id {d.Text},
                at {d.Integer} NOT NULL,
                event {d.Text} NOT NULL,
                detail {d.Text},
                node_id {d.Text},
                PRIMARY KEY (job_id, seq))
            """,
            $"""
            CREATE TABLE IF NOT EXISTS nodes (
                node_id {d.Text} PRIMARY KEY,
                roles {d.Text} NOT NULL,
                slots {d.Text} NOT NULL,
                state {d.Text} NOT NULL,
                started_at {d.Integer} NOT NULL,
                last_seen {d.Integer} NOT NULL,
                disabled_kinds {d.Text} NOT NULL,
                running_tasks {d.Integer} NOT NULL,
                device {d.Text} NOT NULL,
                address {d.Text} NOT NULL)
            """,
            .. LibrarySchema(d),
            .. AccessSchema(d),
            .. TemplateSchema(d),
        ];
        try
        {
            await _dialect.CreateSchemaAsync(schema, ct);
        }
        catch (Exception e)
        {
            _dialect.OnError(e);
            throw;
        }
    }

    // ---- projection ----------------------------------------------------------------------------

    private const string UpsertJobSql =
        "INSERT INTO jobs (job_id, kind, client_token, request_json, status, progress, user_data, code, message, " +
        "create_time, modified_time, complete_time) VALUES (@JobId, @Kind, @ClientToken, @RequestJson, @Status, " +
        "@Progress, @UserData, @Code, @Message, @CreateTime, @ModifiedTime, @CompleteTime) " +
        "ON CONFLICT (job_id) DO UPDATE SET kind = excluded.kind, client_token = excluded.client_token, " +
        "request_json = excluded.request_json, status = excluded.status, progress = excluded.progress, " +
        "user_data = excluded.user_data, code = excluded.code, message = excluded.message, create_time = excluded.create_time, " +
        "modified_time = excluded.modified_time, complete_time = excluded.complete_time";

    private const string UpsertVideoSql =
        "INSERT INTO videos (video_id, job_id, video_index, request_json, output_path, status, progress, total_frames, " +
        "segments, duration_seconds, code, message) VALUES (@VideoId, @JobId, @VideoIndex, @RequestJson, @OutputPath, " +
        "@Status, @Progress, @TotalFrames, @Segments, @DurationSeconds, @Code, @Message) " +
        "ON CONFLICT (video_id) DO UPDATE SET job_id = excluded.job_id, video_index = excluded.video_index, " +
        "request_json = excluded.request_json, output_path = excluded.output_path, status = excluded.status, " +
        "progress = excluded.progress, total_frames = excluded.total_frames, segments = excluded.segments, " +
        "duration_seconds = excluded.duration_seconds, code = excluded.code, message = excluded.message";

    // seq is not set: a new task gets the next one, a known task keeps its own.
    private const string UpsertTaskSql =
        "INSERT INTO tasks (task_id, job_id, video_id, kind, input_json, artifact_key, state, attempt, node_id, " +
        "started_at, finished_at, error, reused) VALUES (@TaskId, @JobId, @VideoId, @Kind, @InputJson, @ArtifactKey, " +
        "@State, @Attempt, @NodeId, @StartedAt, @FinishedAt, @Error, @Reused) " +
        "ON CONFLICT (task_id) DO UPDATE SET job_id = excluded.job_id, video_id = excluded.video_id, kind = excluded.kind, " +
        "input_json = excluded.input_json, artifact_key = excluded.artifact_key, state = excluded.state, " +
        "attempt = excluded.attempt, node_id = excluded.node_id, started_at = excluded.started_at, " +
        "finished_at = excluded.finished_at, error = excluded.error, reused = excluded.reused";

    private const string InsertHistorySql =
        "INSERT INTO history (job_id, seq, video_id, task_id, at, event, detail, node_id) " +
        "VALUES (@JobId, @Id, @VideoId, @TaskId, @At, @Event, @Detail, @NodeId) ON CONFLICT (job_id, seq) DO NOTHING";

    /// <summary>
    /// Writes the batch in one transaction: per job its row first (the others reference it), then its
    /// videos and tasks (inserted or replaced) and its history entries (inserted where the place is
    /// free). Jobs are written in job id order (a job appearing several times keeps its batch order, so
    /// the later wins), so concurrent projections lock rows in the same order. Throws
    /// <see cref="ArgumentException"/> (nothing written) when a video, task or history entry names
    /// another job, or a history entry has a negative Id.
    /// </summary>
    public async Task ProjectAsync(IReadOnlyList<JobProjection> batch, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0) return;
        foreach (var p in batch)
        {
            ArgumentNullException.ThrowIfNull(p, nameof(batch));
            var jobId = p.Job.JobId;
            if (p.Videos.FirstOrDefault(v => v.JobId != jobId) is { } video)
                throw new ArgumentException($"video {video.VideoId} belongs to job {video.JobId}, projected with job {jobId}", nameof(batch));
            if (p.Tasks.FirstOrDefault(t => t.JobId != jobId) is { } task)
                throw new ArgumentException($"task {task.TaskId} belongs to job {task.JobId}, projected with job {jobId}", nameof(batch));
            if (p.History.FirstOrDefault(h => h.JobId != jobId || h.Id < 0) is { } entry)
                throw new ArgumentException($"history entry {entry.Id} of job {entry.JobId} projected with job {jobId} (Id: its place, 0 or more)", nameof(batch));
        }
        // OrderBy is stable: the same job's projections keep their order.
        var ordered = batch.OrderBy(p => p.Job.JobId, StringComparer.Ordinal).ToList();
        await WriteAsync(async (c, tx) =>
        {
            foreach (var p in ordered)
            {
                await c.ExecuteAsync(Cmd(UpsertJobSql, JobRow.From(p.Job), tx, ct));
                // Dapper runs a statement once per element of a list parameter, in list order.
                if (p.Videos.Count > 0) await c.ExecuteAsync(Cmd(UpsertVideoSql, p.Videos.Select(VideoRow.From).ToList(), tx, ct));
                if (p.Tasks.Count > 0) await c.ExecuteAsync(Cmd(UpsertTaskSql, p.Tasks.Select(TaskRow.From).ToList(), tx, ct));
                if (p.History.Count > 0) await c.ExecuteAsync(Cmd(InsertHistorySql, p.History.Select(HistoryRow.From).ToList(), tx, ct));
            }
            return true;
        }, ct);
    }

    // ---- jobs ----------------------------------------------------------------------------------

    public Task<JobRecord?> GetJobAsync(string jobId, CancellationToken ct = default) =>
        ReadAsync(async c => (await c.QuerySingleOrDefaultAsync<JobRow>(Cmd(
            $"SELECT {JobRow.Columns} FROM jobs WHERE job_id = @jobId", new { jobId }, null, ct)))?.ToRecord(), ct);

    /// <summary>
    /// Jobs newest first (CreateTime, then JobId, both descending). Filters: Kind, Status and
    /// StartTime &lt;= CreateTime &lt;= EndTime (both bounds inclusive). MaxResults must be 1..100.
    /// NextToken is opaque (base64url of "createTimeMs:jobId" of the last job returned: keyset
    /// paging, so jobs inserted meanwhile neither repeat nor shift a page); null on the last page.
    /// </summary>
    public Task<JobPage> ListJobsAsync(JobQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.MaxResults is < 1 or > 100)
            throw new ArgumentOutOfRangeException(nameof(query), query.MaxResults, "MaxResults must be between 1 and 100");
        var where = new List<string>();
        var args = new DynamicParameters();
        if (query.Kind is { } kind) { where.Add("kind = @kind"); args.Add("kind", kind.ToString()); }
        if (query.Status is { } status) { where.Add("status = @status"); args.Add("status", status.ToString()); }
        if (query.StartTime is { } start) { where.Add("create_time >= @start"); args.Add("start", Ms(start)); }
        if (query.EndTime is { } end) { where.Add("create_time <= @end"); args.Add("end", Ms(end)); }
        if (query.Text is { Length: > 0 } text)
        {
            where.Add(@"(job_id = @text OR LOWER(user_data) LIKE @pattern ESCAPE '\')");
            args.Add("text", text);
            args.Add("pattern", "%" + text.ToLowerInvariant().Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_") + "%");
        }
        if (!string.IsNullOrEmpty(query.NextToken))
        {
            var (afterTime, afterId) = DecodeToken(query.NextToken);
            where.Add("(create_time < @afterTime OR (create_time = @afterTime AND job_id < @afterId))");
            args.Add("afterTime", afterTime);
            args.Add("afterId", afterId);
        }
        args.Add("take", (long)query.MaxResults + 1);
        var sql = $"SELECT {JobRow.Columns} FROM jobs" +
                  (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "") +
                  " ORDER BY create_time DESC, job_id DESC LIMIT @take";
        return ReadAsync(async c =>
        {
            var rows = (await c.QueryAsync<JobRow>(Cmd(sql, args, null, ct))).ToList();
            string? next = null;
            if (rows.Count > query.MaxResults)
            {
                rows.RemoveAt(rows.Count - 1);
                next = EncodeToken(rows[^1].CreateTime, rows[^1].JobId);
            }
            return new JobPage(rows.Select(r => r.ToRecord()).ToList(), next);
        }, ct);
    }

    private static string EncodeToken(long createTime, string jobId) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{createTime.ToString(CultureInfo.InvariantCulture)}:{jobId}"))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static (long CreateTime, string JobId) DecodeToken(string token)
    {
        try
        {
            var b64 = token.Replace('-', '+').Replace('_', '/');
            b64 += new string('=', (4 - b64.Length % 4) % 4);
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(b64));
            var colon = text.IndexOf(':');
            if (colon > 0 && long.TryParse(text.AsSpan(0, colon), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var time))
                return (time, text[(colon + 1)..]);
        }
        catch (FormatException)
        {
        }
        throw new ArgumentException($"invalid NextToken '{token}'", nameof(token));
    }

    // ---- videos --------------------------------------------------------------------------------

    /// <summary>A job's videos by Index.</summary>
    public Task<IReadOnlyList<VideoRecord>> GetVideosAsync(string jobId, CancellationToken ct = default) =>
        ReadAsync<IReadOnlyList<VideoRecord>>(async c => (await c.QueryAsync<VideoRow>(Cmd(
            $"SELECT {VideoRow.Columns} FROM videos WHERE job_id = @jobId ORDER BY video_index, video_id", new { jobId }, null, ct)))
            .Select(r => r.ToRecord()).ToList(), ct);

    // ---- tasks ---------------------------------------------------------------------------------

    /// <summary>A job's tasks in the order they were first projected.</summary>
    public Task<IReadOnlyList<TaskRecord>> GetTasksAsync(string jobId, CancellationToken ct = default) =>
        ReadAsync<IReadOnlyList<TaskRecord>>(async c => (await c.QueryAsync<TaskRow>(Cmd(
            $"SELECT {TaskRow.Columns} FROM tasks WHERE job_id = @jobId ORDER BY seq", new { jobId }, null, ct)))
            .Select(r => r.ToRecord()).ToList(), ct);

    /// <summary>Tasks in <paramref name="state"/>, in the order they were first projected (oldest first).</summary>
    public Task<IReadOnlyList<TaskRecord>> GetTasksInStateAsync(TaskState state, int limit = 1000, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return ReadAsync<IReadOnlyList<TaskRecord>>(async c => (await c.QueryAsync<TaskRow>(Cmd(
            $"SELECT {TaskRow.Columns} FROM tasks WHERE state = @state ORDER BY seq LIMIT @limit",
            new { state = state.ToString(), limit = (long)limit }, null, ct))).Select(r => r.ToRecord()).ToList(), ct);
    }

    /// <summary>Succeeded tasks that finished at or after <paramref name="since"/>, in the order they finished, at most <paramref name="limit"/>.</summary>
    public Task<IReadOnlyList<TaskRecord>> GetTasksFinishedSinceAsync(DateTimeOffset since, int limit = 1000, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return ReadAsync<IReadOnlyList<TaskRecord>>(async c => (await c.QueryAsync<TaskRow>(Cmd(
            $"SELECT {TaskRow.Columns} FROM tasks WHERE state = @state AND finished_at >= @since ORDER BY finished_at, seq LIMIT @limit",
            new { state = nameof(TaskState.Succeeded), since = Ms(since), limit = (long)limit }, null, ct))).Select(r => r.ToRecord()).ToList(), ct);
    }

    /// <summary>Counts of tasks by kind and state (only pairs that occur), ordered by kind then state.</summary>
    public Task<IReadOnlyList<(TaskKind Kind, TaskState State, int Count)>> CountTasksAsync(CancellationToken ct = default) =>
        ReadAsync<IReadOnlyList<(TaskKind Kind, TaskState State, int Count)>>(async c => (await c.QueryAsync<CountRow>(Cmd(
            "SELECT kind AS Kind, state AS State, COUNT(*) AS Count FROM tasks GROUP BY kind, state", null, null, ct)))
            .Select(r => (Enum<TaskKind>(r.Kind), Enum<TaskState>(r.State), checked((int)r.Count)))
            .OrderBy(r => r.Item1).ThenBy(r => r.Item2).ToList(), ct);

    /// <summary>Counts of jobs by kind and status (only pairs that occur), ordered by kind then status.</summary>
    public Task<IReadOnlyList<(JobKind Kind, JobStatus Status, int Count)>> CountJobsAsync(CancellationToken ct = default) =>
        ReadAsync<IReadOnlyList<(JobKind Kind, JobStatus Status, int Count)>>(async c => (await c.QueryAsync<CountRow>(Cmd(
            "SELECT kind AS Kind, status AS State, COUNT(*) AS Count FROM jobs GROUP BY kind, status", null, null, ct)))
            .Select(r => (Enum<JobKind>(r.Kind), Enum<JobStatus>(r.State), checked((int)r.Count)))
            .OrderBy(r => r.Item1).ThenBy(r => r.Item2).ToList(), ct);

    // ---- history -------------------------------------------------------------------------------

    /// <summary>A job's history by place (Id = seq, 0-based).</summary>
    public Task<IReadOnlyList<HistoryEntry>> GetHistoryAsync(string jobId, CancellationToken ct = default) =>
        ReadAsync<IReadOnlyList<HistoryEntry>>(async c => (await c.QueryAsync<HistoryRow>(Cmd(
            $"SELECT {HistoryRow.Columns} FROM history WHERE job_id = @jobId ORDER BY seq", new { jobId }, null, ct)))
            .Select(r => r.ToRecord()).ToList(), ct);

    // ---- nodes ---------------------------------------------------------------------------------

    /// <summary>Inserts or replaces a node's row with its self-report (every column is the report's).</summary>
    public Task UpsertNodeAsync(NodeRecord node, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        return WriteAsync(async (c, tx) =>
        {
            await c.ExecuteAsync(Cmd(
                "INSERT INTO nodes (node_id, roles, slots, state, started_at, last_seen, disabled_kinds, running_tasks, device, address) " +
                "VALUES (@NodeId, @Roles, @Slots, @State, @StartedAt, @LastSeen, @DisabledKinds, @RunningTasks, @Device, @Address) " +
                "ON CONFLICT (node_id) DO UPDATE SET roles = excluded.roles, slots = excluded.slots, state = excluded.state, " +
                "started_at = excluded.started_at, last_seen = excluded.last_seen, disabled_kinds = excluded.disabled_kinds, " +
                "running_tasks = excluded.running_tasks, device = excluded.device, address = excluded.address", NodeRow.From(node), tx, ct));
            return true;
        }, ct);
    }

    /// <summary>All nodes by id.</summary>
    public Task<IReadOnlyList<NodeRecord>> GetNodesAsync(CancellationToken ct = default) =>
        ReadAsync<IReadOnlyList<NodeRecord>>(async c => (await c.QueryAsync<NodeRow>(Cmd(
            $"SELECT {NodeRow.Columns} FROM nodes ORDER BY node_id", null, null, ct))).Select(r => r.ToRecord()).ToList(), ct);

    // ---- housekeeping --------------------------------------------------------------------------

    /// <summary>Artifact keys of the tasks of jobs not yet settled: job state the artifact cache must keep.</summary>
    public Task<IReadOnlySet<string>> GetActiveArtifactKeysAsync(CancellationToken ct = default) =>
        ReadAsync<IReadOnlySet<string>>(async c => (await c.QueryAsync<string>(Cmd(
            "SELECT t.artifact_key FROM tasks t JOIN jobs j ON j.job_id = t.job_id WHERE j.status NOT IN (@success, @failed, @cancelled)",
            new { success = nameof(JobStatus.Success), failed = nameof(JobStatus.Failed), cancelled = nameof(JobStatus.Cancelled) }, null, ct)))
            .ToHashSet(StringComparer.Ordinal), ct);

    // ---- plumbing ------------------------------------------------------------------------------

    private static CommandDefinition Cmd(string sql, object? args, DbTransaction? tx, CancellationToken ct) =>
        new(sql, args, tx, cancellationToken: ct);

    private async Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> read, CancellationToken ct)
    {
        try
        {
            await using var connection = await _dialect.OpenAsync(ct);
            return await read(connection);
        }
        catch (Exception e)
        {
            _dialect.OnError(e);
            throw;
        }
    }

    /// <summary>Runs <paramref name="write"/> in a write transaction: committed when it returns true, rolled back when false or on error.</summary>
    private async Task<bool> WriteAsync(Func<DbConnection, DbTransaction, Task<bool>> write, CancellationToken ct)
    {
        try
        {
            using var writing = await _dialect.EnterWriteAsync(ct);
            await using var connection = await _dialect.OpenAsync(ct);
            await using var tx = await _dialect.BeginWriteAsync(connection, ct);
            if (!await write(connection, tx))
            {
                await tx.RollbackAsync(ct);
                return false;
            }
            await tx.CommitAsync(ct);
            return true;
        }
        catch (Exception e)
        {
            _dialect.OnError(e);
            throw;
        }
    }

    public ValueTask DisposeAsync() => _dialect.DisposeAsync();

    public void Dispose() => _dialect.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
