using System.Data.Common;
using System.Globalization;
using System.Text;
using Dapper;
using RenderFarm.Cluster.Model;
using static RenderFarm.Cluster.Store.StoreRows;

namespace RenderFarm.Cluster.Store;

/// <summary>
/// <see cref="IJobStore"/> over Dapper for SQLite (<see cref="Sqlite"/>) and PostgreSQL
/// (<see cref="Postgres"/>): one set of SQL, a small <see cref="SqlDialect"/> for what differs.
/// </summary>
/// <remarks>
/// <para>Storage: tables jobs, videos, tasks, history, nodes and media (the media library); times as bigint unix milliseconds
/// (so they come back with millisecond precision and offset zero), enums as their names, lists and
/// dictionaries as JSON text.</para>
/// <para>Every operation opens its own connection (pooled) and closes it before returning, so one
/// store may be used by any number of concurrent callers; several processes may share one database
/// (SQLite: WAL journal, busy_timeout 5000 ms, write transactions start with BEGIN IMMEDIATE).</para>
/// <para>Optimistic updates (<see cref="UpdateJobAsync"/>, <see cref="UpdateVideoAsync"/>,
/// <see cref="UpdateTaskAsync"/>) run <c>UPDATE ... WHERE id = @id AND version = @version</c>: true when
/// that one row was changed, and then the stored version is <c>Version + 1</c>. The record passed in
/// is not changed: a caller that goes on updating re-reads the row or uses <c>record with { Version =
/// record.Version + 1 }</c>. False when the row is missing or another writer changed it first. A
/// history entry passed along is written in the same transaction, and only when the update or insert
/// succeeded. History ids are assigned by the database (the Id of a passed entry is ignored).</para>
/// <para>What an update changes: a job's status, progress, request, user data, code, message, modified
/// and complete time (id, kind, client token and create time stay as inserted); everything of a video
/// but its id, job and index; everything of a task but its id, job, video and kind.</para>
/// <para>PostgreSQL after a server restart: the first operation on a pooled connection to the old
/// server fails with an <see cref="Npgsql.NpgsqlException"/>; the store then clears the pool, so the
/// next operation opens a fresh connection and works. Operations are not retried by the store
/// (a write whose commit reply was lost must not be repeated blindly); callers retry.</para>
/// </remarks>
public sealed partial class SqlJobStore : IJobStore, IMediaLibraryStore, IAsyncDisposable, IDisposable
{
    private readonly SqlDialect _dialect;

    private SqlJobStore(SqlDialect dialect) => _dialect = dialect;

    /// <summary>A store in the SQLite file at <paramref name="path"/> (created with its directories).</summary>
    public static SqlJobStore Sqlite(string path) => new(new SqliteDialect(path));

    /// <summary>A store in the database <paramref name="connectionString"/> names (Npgsql syntax); the schema goes into it.</summary>
    public static SqlJobStore Postgres(string connectionString) => new(new PostgresDialect(connectionString));

    /// <summary>"sqlite" or "postgres".</summary>
    public string Provider => _dialect.Name;

    public async Task InitializeAsync(CancellationToken ct = default)
    {
        var d = _dialect;
        string[] schema =
        [
            $"""
            CREATE TABLE IF NOT EXISTS jobs (
                job_id {d.Text} PRIMARY KEY,
                kind {d.Text} NOT NULL,
                client_token {d.Text} UNIQUE,
                request_json {d.Text} NOT NULL,
                status {d.Text} NOT NULL,
                progress {d.Real} NOT NULL,
                user_data {d.Text},
                code {d.Text},
                message {d.Text},
                create_time {d.Integer} NOT NULL,
                modified_time {d.Integer} NOT NULL,
                complete_time {d.Integer},
                version {d.Integer} NOT NULL)
            """,
            "CREATE INDEX IF NOT EXISTS jobs_create_time ON jobs (create_time, job_id)",
            "CREATE INDEX IF NOT EXISTS jobs_status ON jobs (status)",
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
                message {d.Text},
                version {d.Integer} NOT NULL,
                UNIQUE (job_id, video_index))
            """,
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
                lease_expires {d.Integer},
                dispatched_at {d.Integer},
                started_at {d.Integer},
                finished_at {d.Integer},
                error {d.Text},
                reused {d.Integer} NOT NULL,
                version {d.Integer} NOT NULL)
            """,
            "CREATE INDEX IF NOT EXISTS tasks_job ON tasks (job_id, seq)",
            "CREATE INDEX IF NOT EXISTS tasks_state ON tasks (state, dispatched_at, seq)",
            $"""
            CREATE TABLE IF NOT EXISTS history (
                id {d.AutoId},
                job_id {d.Text} NOT NULL REFERENCES jobs (job_id),
                video_id {d.Text},
                task_id {d.Text},
                at {d.Integer} NOT NULL,
                event {d.Text} NOT NULL,
                detail {d.Text},
                node_id {d.Text})
            """,
            "CREATE INDEX IF NOT EXISTS history_job ON history (job_id, id)",
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
                device {d.Text} NOT NULL)
            """,
            .. LibrarySchema(d),
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

    // ---- jobs ----------------------------------------------------------------------------------

    private const string InsertHistorySql =
        "INSERT INTO history (job_id, video_id, task_id, at, event, detail, node_id) " +
        "VALUES (@JobId, @VideoId, @TaskId, @At, @Event, @Detail, @NodeId)";

    public Task<bool> InsertJobAsync(JobRecord job, IReadOnlyList<VideoRecord> videos, HistoryEntry history, CancellationToken ct = default) =>
        WriteAsync((c, tx) => InsertJobRowsAsync(c, tx, job, videos, history, ct), ct);

    private static async Task<bool> InsertJobRowsAsync(DbConnection c, DbTransaction tx, JobRecord job, IReadOnlyList<VideoRecord> videos, HistoryEntry history, CancellationToken ct)
    {
        // ON CONFLICT (client_token) DO NOTHING: a used token inserts nothing (also when the other
        // insert is still in flight: PostgreSQL waits for it). A duplicate job id still throws.
        var inserted = await c.ExecuteAsync(Cmd(
            "INSERT INTO jobs (job_id, kind, client_token, request_json, status, progress, user_data, code, message, " +
            "create_time, modified_time, complete_time, version) VALUES (@JobId, @Kind, @ClientToken, @RequestJson, @Status, " +
            "@Progress, @UserData, @Code, @Message, @CreateTime, @ModifiedTime, @CompleteTime, @Version) " +
            "ON CONFLICT (client_token) DO NOTHING", JobRow.From(job), tx, ct));
        if (inserted != 1) return false;
        if (videos.Count > 0)
            await c.ExecuteAsync(Cmd(
                "INSERT INTO videos (video_id, job_id, video_index, request_json, output_path, status, progress, total_frames, " +
                "segments, duration_seconds, code, message, version) VALUES (@VideoId, @JobId, @VideoIndex, @RequestJson, " +
                "@OutputPath, @Status, @Progress, @TotalFrames, @Segments, @DurationSeconds, @Code, @Message, @Version)",
                videos.Select(VideoRow.From).ToList(), tx, ct));
        await c.ExecuteAsync(Cmd(InsertHistorySql, HistoryRow.From(history), tx, ct));
        return true;
    }

    public Task<JobRecord?> GetJobAsync(string jobId, CancellationToken ct = default) =>
        ReadAsync(async c => (await c.QuerySingleOrDefaultAsync<JobRow>(Cmd(
            $"SELECT {JobRow.Columns} FROM jobs WHERE job_id = @jobId", new { jobId }, null, ct)))?.ToRecord(), ct);

    public Task<JobRecord?> FindJobByClientTokenAsync(string clientToken, CancellationToken ct = default) =>
        ReadAsync(async c => (await c.QuerySingleOrDefaultAsync<JobRow>(Cmd(
            $"SELECT {JobRow.Columns} FROM jobs WHERE client_token = @clientToken", new { clientToken }, null, ct)))?.ToRecord(), ct);

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

    /// <summary>Ids of jobs not in Success, Failed or Cancelled, oldest first.</summary>
    public Task<IReadOnlyList<string>> ActiveJobIdsAsync(CancellationToken ct = default) =>
        ReadAsync<IReadOnlyList<string>>(async c => (await c.QueryAsync<string>(Cmd(
            "SELECT job_id FROM jobs WHERE status NOT IN (@s1, @s2, @s3) ORDER BY create_time, job_id",
            new { s1 = nameof(JobStatus.Success), s2 = nameof(JobStatus.Failed), s3 = nameof(JobStatus.Cancelled) }, null, ct))).ToList(), ct);

    public Task<bool> UpdateJobAsync(JobRecord job, HistoryEntry? history = null, CancellationToken ct = default) =>
        UpdateAsync(
            "UPDATE jobs SET request_json = @RequestJson, status = @Status, progress = @Progress, user_data = @UserData, " +
            "code = @Code, message = @Message, modified_time = @ModifiedTime, complete_time = @CompleteTime, version = @NewVersion " +
            "WHERE job_id = @JobId AND version = @Version", JobRow.From(job), history, ct);

    // ---- videos --------------------------------------------------------------------------------

    /// <summary>A job's videos by Index.</summary>
    public Task<IReadOnlyList<VideoRecord>> GetVideosAsync(string jobId, CancellationToken ct = default) =>
        ReadAsync<IReadOnlyList<VideoRecord>>(async c => (await c.QueryAsync<VideoRow>(Cmd(
            $"SELECT {VideoRow.Columns} FROM videos WHERE job_id = @jobId ORDER BY video_index", new { jobId }, null, ct)))
            .Select(r => r.ToRecord()).ToList(), ct);

    public Task<bool> UpdateVideoAsync(VideoRecord video, HistoryEntry? history = null, CancellationToken ct = default) =>
        UpdateAsync(
            "UPDATE videos SET request_json = @RequestJson, output_path = @OutputPath, status = @Status, progress = @Progress, " +
            "total_frames = @TotalFrames, segments = @Segments, duration_seconds = @DurationSeconds, code = @Code, " +
            "message = @Message, version = @NewVersion WHERE video_id = @VideoId AND version = @Version", VideoRow.From(video), history, ct);

    // ---- tasks ---------------------------------------------------------------------------------

    /// <summary>Inserts tasks (all or none) with an optional history entry. A duplicate task id throws.</summary>
    public Task InsertTasksAsync(IReadOnlyList<TaskRecord> tasks, HistoryEntry? history = null, CancellationToken ct = default) =>
        WriteAsync(async (c, tx) =>
        {
            // One row per statement, in list order: the seq column keeps that order.
            foreach (var task in tasks)
                await c.ExecuteAsync(Cmd(
                    "INSERT INTO tasks (task_id, job_id, video_id, kind, input_json, artifact_key, state, attempt, node_id, " +
                    "lease_expires, dispatched_at, started_at, finished_at, error, reused, version) VALUES (@TaskId, @JobId, " +
                    "@VideoId, @Kind, @InputJson, @ArtifactKey, @State, @Attempt, @NodeId, @LeaseExpires, @DispatchedAt, " +
                    "@StartedAt, @FinishedAt, @Error, @Reused, @Version)", TaskRow.From(task), tx, ct));
            if (history is not null) await c.ExecuteAsync(Cmd(InsertHistorySql, HistoryRow.From(history), tx, ct));
            return true;
        }, ct);

    public Task<TaskRecord?> GetTaskAsync(string taskId, CancellationToken ct = default) =>
        ReadAsync(async c => (await c.QuerySingleOrDefaultAsync<TaskRow>(Cmd(
            $"SELECT {TaskRow.Columns} FROM tasks WHERE task_id = @taskId", new { taskId }, null, ct)))?.ToRecord(), ct);

    /// <summary>A job's tasks in insertion order.</summary>
    public Task<IReadOnlyList<TaskRecord>> GetTasksAsync(string jobId, CancellationToken ct = default) =>
        ReadAsync<IReadOnlyList<TaskRecord>>(async c => (await c.QueryAsync<TaskRow>(Cmd(
            $"SELECT {TaskRow.Columns} FROM tasks WHERE job_id = @jobId ORDER BY seq", new { jobId }, null, ct)))
            .Select(r => r.ToRecord()).ToList(), ct);

    /// <summary>
    /// Tasks in <paramref name="state"/>, oldest first: those with a DispatchedAt by that time, then
    /// those never dispatched; ties (and the never dispatched) in insertion order.
    /// </summary>
    public Task<IReadOnlyList<TaskRecord>> GetTasksInStateAsync(TaskState state, int limit = 1000, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return ReadAsync<IReadOnlyList<TaskRecord>>(async c => (await c.QueryAsync<TaskRow>(Cmd(
            $"SELECT {TaskRow.Columns} FROM tasks WHERE state = @state " +
            "ORDER BY CASE WHEN dispatched_at IS NULL THEN 1 ELSE 0 END, dispatched_at, seq LIMIT @limit",
            new { state = state.ToString(), limit = (long)limit }, null, ct))).Select(r => r.ToRecord()).ToList(), ct);
    }

    public Task<bool> UpdateTaskAsync(TaskRecord task, HistoryEntry? history = null, CancellationToken ct = default) =>
        UpdateAsync(
            "UPDATE tasks SET input_json = @InputJson, artifact_key = @ArtifactKey, state = @State, attempt = @Attempt, " +
            "node_id = @NodeId, lease_expires = @LeaseExpires, dispatched_at = @DispatchedAt, started_at = @StartedAt, " +
            "finished_at = @FinishedAt, error = @Error, reused = @Reused, version = @NewVersion " +
            "WHERE task_id = @TaskId AND version = @Version", TaskRow.From(task), history, ct);

    /// <summary>Counts of tasks by kind and state (only pairs that occur), ordered by kind then state.</summary>
    public Task<IReadOnlyList<(TaskKind Kind, TaskState State, int Count)>> CountTasksAsync(CancellationToken ct = default) =>
        ReadAsync<IReadOnlyList<(TaskKind Kind, TaskState State, int Count)>>(async c => (await c.QueryAsync<CountRow>(Cmd(
            "SELECT kind AS Kind, state AS State, COUNT(*) AS Count FROM tasks GROUP BY kind, state", null, null, ct)))
            .Select(r => (Enum<TaskKind>(r.Kind), Enum<TaskState>(r.State), checked((int)r.Count)))
            .OrderBy(r => r.Item1).ThenBy(r => r.Item2).ToList(), ct);

    // ---- history -------------------------------------------------------------------------------

    public Task AppendHistoryAsync(HistoryEntry entry, CancellationToken ct = default) =>
        WriteAsync(async (c, tx) =>
        {
            await c.ExecuteAsync(Cmd(InsertHistorySql, HistoryRow.From(entry), tx, ct));
            return true;
        }, ct);

    /// <summary>A job's history in the order it was written.</summary>
    public Task<IReadOnlyList<HistoryEntry>> GetHistoryAsync(string jobId, CancellationToken ct = default) =>
        ReadAsync<IReadOnlyList<HistoryEntry>>(async c => (await c.QueryAsync<HistoryRow>(Cmd(
            $"SELECT {HistoryRow.Columns} FROM history WHERE job_id = @jobId ORDER BY id", new { jobId }, null, ct)))
            .Select(r => r.ToRecord()).ToList(), ct);

    // ---- nodes ---------------------------------------------------------------------------------

    /// <summary>
    /// Inserts or replaces a node's self-report, with two fields the operator (or the scheduler) owns:
    /// <list type="bullet">
    /// <item>State: a stored Draining or Left is kept (a node re-reporting Active does not undo a
    /// drain); the reported state is taken when the stored one is Active, or when the node reports
    /// Left (a node announcing its own exit moves Draining to Left).</item>
    /// <item>DisabledKinds: the stored list (from <see cref="SetNodeDisabledKindsAsync"/>) is kept
    /// when the report's list is empty, and replaced when it is not.</item>
    /// </list>
    /// </summary>
    public Task UpsertNodeAsync(NodeRecord node, CancellationToken ct = default) =>
        WriteAsync(async (c, tx) =>
        {
            await c.ExecuteAsync(Cmd(
                "INSERT INTO nodes (node_id, roles, slots, state, started_at, last_seen, disabled_kinds, running_tasks, device) " +
                "VALUES (@NodeId, @Roles, @Slots, @State, @StartedAt, @LastSeen, @DisabledKinds, @RunningTasks, @Device) " +
                "ON CONFLICT (node_id) DO UPDATE SET roles = excluded.roles, slots = excluded.slots, " +
                $"state = CASE WHEN nodes.state = '{nameof(NodeState.Active)}' OR excluded.state = '{nameof(NodeState.Left)}' " +
                "THEN excluded.state ELSE nodes.state END, " +
                "started_at = excluded.started_at, last_seen = excluded.last_seen, " +
                "disabled_kinds = CASE WHEN excluded.disabled_kinds = '[]' THEN nodes.disabled_kinds ELSE excluded.disabled_kinds END, " +
                "running_tasks = excluded.running_tasks, device = excluded.device", NodeRow.From(node), tx, ct));
            return true;
        }, ct);

    /// <summary>All nodes by id.</summary>
    public Task<IReadOnlyList<NodeRecord>> GetNodesAsync(CancellationToken ct = default) =>
        ReadAsync<IReadOnlyList<NodeRecord>>(async c => (await c.QueryAsync<NodeRow>(Cmd(
            $"SELECT {NodeRow.Columns} FROM nodes ORDER BY node_id", null, null, ct))).Select(r => r.ToRecord()).ToList(), ct);

    /// <summary>Sets a node's state (operator: drain, leave, re-activate). False if the node is unknown.</summary>
    public Task<bool> SetNodeStateAsync(string nodeId, NodeState state, CancellationToken ct = default) =>
        WriteAsync(async (c, tx) => await c.ExecuteAsync(Cmd(
            "UPDATE nodes SET state = @state WHERE node_id = @nodeId", new { nodeId, state = state.ToString() }, tx, ct)) == 1, ct);

    /// <summary>Replaces a node's disabled kinds (an empty list clears them). False if the node is unknown.</summary>
    public Task<bool> SetNodeDisabledKindsAsync(string nodeId, IReadOnlyList<string> kinds, CancellationToken ct = default) =>
        WriteAsync(async (c, tx) => await c.ExecuteAsync(Cmd(
            "UPDATE nodes SET disabled_kinds = @kinds WHERE node_id = @nodeId", new { nodeId, kinds = ToJson(kinds ?? []) }, tx, ct)) == 1, ct);

    // ---- plumbing ------------------------------------------------------------------------------

    private static CommandDefinition Cmd(string sql, object? args, DbTransaction? tx, CancellationToken ct) =>
        new(sql, args, tx, cancellationToken: ct);

    private Task<bool> UpdateAsync(string sql, object row, HistoryEntry? history, CancellationToken ct) =>
        WriteAsync(async (c, tx) =>
        {
            if (await c.ExecuteAsync(Cmd(sql, row, tx, ct)) != 1) return false;
            if (history is not null) await c.ExecuteAsync(Cmd(InsertHistorySql, HistoryRow.From(history), tx, ct));
            return true;
        }, ct);

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
