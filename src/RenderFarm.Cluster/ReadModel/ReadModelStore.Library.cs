using System.Runtime.InteropServices;
using System.Text.Json;
using Dapper;
using RenderFarm.Cluster.Model;
using RenderFarm.Core.Library;
using static RenderFarm.Cluster.ReadModel.ReadModelRows;

namespace RenderFarm.Cluster.ReadModel;

/// <summary>
/// The media library table (see <see cref="IMediaLibraryStore"/>); same conventions as the job tables. Unlike
/// them it is written directly (registration, analysis, progress, deletion), not by the projection. Its
/// job_id has no foreign key: an entry is registered before its analysis job's row is projected.
/// </summary>
public sealed partial class ReadModelStore
{
    private static IEnumerable<string> LibrarySchema(SqlDialect d) =>
    [
        $"""
        CREATE TABLE IF NOT EXISTS media (
            media_id {d.Text} PRIMARY KEY,
            input_url {d.Text} NOT NULL UNIQUE,
            media_type {d.Text} NOT NULL,
            title {d.Text},
            description {d.Text},
            tags {d.Text} NOT NULL,
            job_id {d.Text} NOT NULL,
            progress {d.Real} NOT NULL,
            analysis_json {d.Text},
            keyframe_dir {d.Text},
            create_time {d.Integer} NOT NULL,
            modified_time {d.Integer} NOT NULL)
        """,
        "CREATE INDEX IF NOT EXISTS media_create_time ON media (create_time, media_id)",
        // Sentence vectors of an entry's texts (float32 little-endian, base64), written once at analysis.
        $"""
        CREATE TABLE IF NOT EXISTS media_vectors (
            media_id {d.Text} NOT NULL,
            vector_key {d.Text} NOT NULL,
            vector {d.Text} NOT NULL,
            PRIMARY KEY (media_id, vector_key))
        """,
    ];

    /// <summary>The derived state (see <see cref="IMediaLibraryStore"/>), as SQL over media m joined with jobs j.</summary>
    private const string MediaStateSql =
        $"CASE WHEN m.analysis_json IS NOT NULL THEN '{nameof(MediaState.Normal)}' " +
        $"WHEN j.status IN ('{nameof(JobStatus.Failed)}', '{nameof(JobStatus.Cancelled)}') THEN '{nameof(MediaState.Failed)}' " +
        $"ELSE '{nameof(MediaState.Analysing)}' END";

    private const string MediaSelect =
        "SELECT m.media_id AS MediaId, m.input_url AS InputUrl, m.media_type AS MediaType, m.title AS Title, " +
        "m.description AS Description, m.tags AS Tags, m.job_id AS JobId, m.progress AS Progress, m.analysis_json AS AnalysisJson, " +
        "m.create_time AS CreateTime, m.modified_time AS ModifiedTime, j.status AS JobStatus, j.message AS JobMessage, " +
        MediaStateSql + " AS State FROM media m LEFT JOIN jobs j ON j.job_id = m.job_id";

    public async Task<(LibraryEntry Entry, bool Existing)> RegisterMediaAsync(LibraryEntry entry, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrEmpty(entry.JobId, nameof(entry));
        var inserted = await WriteAsync(async (c, tx) =>
            // ON CONFLICT DO NOTHING: the URL is registered already (PostgreSQL waits for a concurrent insert of it).
            await c.ExecuteAsync(Cmd(
                "INSERT INTO media (media_id, input_url, media_type, title, description, tags, job_id, progress, create_time, modified_time) " +
                "VALUES (@MediaId, @InputUrl, @MediaType, @Title, @Description, @Tags, @JobId, 0, @CreateTime, @ModifiedTime) " +
                "ON CONFLICT (input_url) DO NOTHING",
                new
                {
                    entry.MediaId, entry.InputUrl, entry.MediaType, entry.Title, entry.Description, Tags = ToJson(entry.Tags),
                    entry.JobId, CreateTime = Ms(entry.CreateTime), ModifiedTime = Ms(entry.ModifiedTime),
                }, tx, ct)) == 1, ct);
        var stored = await FindMediaByUrlAsync(entry.InputUrl, ct)
            ?? throw new InvalidOperationException($"media entry for {entry.InputUrl} vanished while registering");
        return (stored, !inserted);
    }

    public Task<LibraryEntry?> GetMediaAsync(string mediaId, CancellationToken ct = default) =>
        ReadAsync(async c => (await c.QuerySingleOrDefaultAsync<MediaRow>(Cmd(
            $"{MediaSelect} WHERE m.media_id = @mediaId", new { mediaId }, null, ct)))?.ToEntry(), ct);

    public Task<LibraryEntry?> FindMediaByUrlAsync(string inputUrl, CancellationToken ct = default) =>
        ReadAsync(async c => (await c.QuerySingleOrDefaultAsync<MediaRow>(Cmd(
            $"{MediaSelect} WHERE m.input_url = @inputUrl", new { inputUrl }, null, ct)))?.ToEntry(), ct);

    public Task<MediaPage> ListMediaAsync(MediaQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.MaxResults is < 1 or > 100)
            throw new ArgumentOutOfRangeException(nameof(query), query.MaxResults, "MaxResults must be between 1 and 100");
        var where = new List<string>();
        var args = new DynamicParameters();
        if (query.State is { } state) { where.Add($"{MediaStateSql} = @state"); args.Add("state", state.ToString()); }
        if (query.MediaType is { } type) { where.Add("m.media_type = @type"); args.Add("type", type); }
        if (!string.IsNullOrEmpty(query.NextToken))
        {
            var (afterTime, afterId) = DecodeToken(query.NextToken);
            where.Add("(m.create_time < @afterTime OR (m.create_time = @afterTime AND m.media_id < @afterId))");
            args.Add("afterTime", afterTime);
            args.Add("afterId", afterId);
        }
        args.Add("limit", (long)query.MaxResults + 1);
        var sql = MediaSelect + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "") +
                  " ORDER BY m.create_time DESC, m.media_id DESC LIMIT @limit";
        return ReadAsync(async c =>
        {
            var rows = (await c.QueryAsync<MediaRow>(Cmd(sql, args, null, ct))).ToList();
            string? next = null;
            if (rows.Count > query.MaxResults)
            {
                rows.RemoveAt(rows.Count - 1);
                next = EncodeToken(rows[^1].CreateTime, rows[^1].MediaId);
            }
            return new MediaPage(rows.Select(r => r.ToEntry()).ToList(), next);
        }, ct);
    }

    public Task<IReadOnlyList<LibraryEntry>> AllMediaAsync(int limit, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return ReadAsync<IReadOnlyList<LibraryEntry>>(async c => (await c.QueryAsync<MediaRow>(Cmd(
            $"{MediaSelect} ORDER BY m.create_time DESC, m.media_id DESC LIMIT @limit", new { limit = (long)limit }, null, ct)))
            .Select(r => r.ToEntry()).ToList(), ct);
    }

    public Task<bool> SaveAnalysisAsync(string mediaId, MediaAnalysis analysis, string keyframeDirectory, CancellationToken ct = default) =>
        WriteAsync(async (c, tx) => await c.ExecuteAsync(Cmd(
            "UPDATE media SET analysis_json = @json, keyframe_dir = @keyframeDirectory, progress = 100, modified_time = @now WHERE media_id = @mediaId",
            new { mediaId, json = JsonSerializer.Serialize(analysis), keyframeDirectory, now = Ms(DateTimeOffset.UtcNow) }, tx, ct)) == 1, ct);

    public Task SaveTextVectorsAsync(string mediaId, IReadOnlyDictionary<string, float[]> vectors, CancellationToken ct = default) =>
        WriteAsync(async (c, tx) =>
        {
            await c.ExecuteAsync(Cmd("DELETE FROM media_vectors WHERE media_id = @mediaId", new { mediaId }, tx, ct));
            foreach (var (key, vector) in vectors)
                await c.ExecuteAsync(Cmd("INSERT INTO media_vectors (media_id, vector_key, vector) VALUES (@mediaId, @key, @value)",
                    new { mediaId, key, value = Convert.ToBase64String(MemoryMarshal.AsBytes(vector.AsSpan())) }, tx, ct));
            return true;
        }, ct);

    public Task<IReadOnlyDictionary<string, float[]>> TextVectorsAsync(IReadOnlyCollection<string>? mediaIds, CancellationToken ct = default) =>
        ReadAsync<IReadOnlyDictionary<string, float[]>>(async c =>
        {
            var rows = new List<(string Key, string Vector)>();
            if (mediaIds is null)
                rows.AddRange(await c.QueryAsync<(string, string)>(Cmd("SELECT vector_key, vector FROM media_vectors", null, null, ct)));
            else
                foreach (var mediaId in mediaIds.Distinct(StringComparer.Ordinal))
                    rows.AddRange(await c.QueryAsync<(string, string)>(Cmd(
                        "SELECT vector_key, vector FROM media_vectors WHERE media_id = @mediaId", new { mediaId }, null, ct)));
            var vectors = new Dictionary<string, float[]>(StringComparer.Ordinal);
            foreach (var (key, text) in rows) vectors[key] = MemoryMarshal.Cast<byte, float>(Convert.FromBase64String(text)).ToArray();
            return vectors;
        }, ct);

    public Task<string?> KeyframeDirectoryAsync(string mediaId, CancellationToken ct = default) =>
        ReadAsync(c => c.QuerySingleOrDefaultAsync<string?>(Cmd(
            "SELECT keyframe_dir FROM media WHERE media_id = @mediaId", new { mediaId }, null, ct)), ct);

    /// <inheritdoc />
    public Task RaiseProgressAsync(string jobId, double progress, CancellationToken ct = default) =>
        WriteAsync(async (c, tx) =>
        {
            var args = new { jobId, progress = Math.Clamp(progress, 0, 99), processing = nameof(JobStatus.Processing) };
            await c.ExecuteAsync(Cmd("UPDATE jobs SET progress = @progress WHERE job_id = @jobId AND status = @processing AND progress < @progress", args, tx, ct));
            await c.ExecuteAsync(Cmd("UPDATE videos SET progress = @progress WHERE job_id = @jobId AND status = @processing AND progress < @progress", args, tx, ct));
            return true;
        }, ct);

    public Task SetMediaProgressAsync(string mediaId, double progress, CancellationToken ct = default) =>
        WriteAsync(async (c, tx) =>
        {
            await c.ExecuteAsync(Cmd("UPDATE media SET progress = @progress WHERE media_id = @mediaId AND analysis_json IS NULL",
                new { mediaId, progress = Math.Clamp(progress, 0, 100) }, tx, ct));
            return true;
        }, ct);

    public async Task<IReadOnlyList<string>> DeleteMediaAsync(IReadOnlyList<string> mediaIds, CancellationToken ct = default)
    {
        var deleted = new List<string>();
        if (mediaIds.Count == 0) return deleted;
        await WriteAsync(async (c, tx) =>
        {
            // One statement per id: list parameters expand differently in the two databases, and callers delete a few at a time.
            foreach (var mediaId in mediaIds.Distinct(StringComparer.Ordinal))
            {
                await c.ExecuteAsync(Cmd("DELETE FROM media_vectors WHERE media_id = @mediaId", new { mediaId }, tx, ct));
                if (await c.ExecuteAsync(Cmd("DELETE FROM media WHERE media_id = @mediaId", new { mediaId }, tx, ct)) == 1) deleted.Add(mediaId);
            }
            return true;
        }, ct);
        return deleted;
    }

    internal sealed class MediaRow
    {
        public string MediaId { get; set; } = "";
        public string InputUrl { get; set; } = "";
        public string MediaType { get; set; } = "";
        public string? Title { get; set; }
        public string? Description { get; set; }
        public string Tags { get; set; } = "[]";
        public string JobId { get; set; } = "";
        public double Progress { get; set; }
        public string? AnalysisJson { get; set; }
        public long CreateTime { get; set; }
        public long ModifiedTime { get; set; }
        public string? JobStatus { get; set; }
        public string? JobMessage { get; set; }
        public string State { get; set; } = "";

        public LibraryEntry ToEntry()
        {
            var state = Enum<MediaState>(State);
            var error = state == MediaState.Failed ? JobMessage ?? $"analysis job {JobStatus}" : null;
            var analysis = AnalysisJson is null ? null : JsonSerializer.Deserialize<MediaAnalysis>(AnalysisJson);
            return new LibraryEntry(MediaId, InputUrl, MediaType, Title, Description, FromJson<List<string>>(Tags), state, error,
                Progress, Time(CreateTime), Time(ModifiedTime), JobId, analysis);
        }
    }
}
