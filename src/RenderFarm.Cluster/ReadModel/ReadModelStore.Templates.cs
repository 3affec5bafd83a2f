using Dapper;
using RenderFarm.Cluster.Templates;
using static RenderFarm.Cluster.ReadModel.ReadModelRows;

namespace RenderFarm.Cluster.ReadModel;

/// <summary>The templates table (see <see cref="ITemplateStore"/>), written by the gateway's template actions.</summary>
public sealed partial class ReadModelStore : ITemplateStore
{
    private static IEnumerable<string> TemplateSchema(SqlDialect d) =>
    [
        $"""
        CREATE TABLE IF NOT EXISTS templates (
            template_id {d.Text} PRIMARY KEY,
            name {d.Text} NOT NULL,
            type {d.Text} NOT NULL,
            config {d.Text} NOT NULL,
            status {d.Text} NOT NULL,
            cover_url {d.Text},
            preview_media {d.Text},
            create_source {d.Text} NOT NULL,
            modified_source {d.Text} NOT NULL,
            create_time {d.Integer} NOT NULL,
            modified_time {d.Integer} NOT NULL)
        """,
        "CREATE INDEX IF NOT EXISTS templates_create_time ON templates (create_time, template_id)",
    ];

    private const string TemplateSelect =
        "SELECT template_id AS TemplateId, name AS Name, type AS Type, config AS Config, status AS Status, cover_url AS CoverUrl, " +
        "preview_media AS PreviewMedia, create_source AS CreateSource, modified_source AS ModifiedSource, " +
        "create_time AS CreateTime, modified_time AS ModifiedTime FROM templates";

    public Task<bool> AddTemplateAsync(TemplateRecord template, int maxTemplates, CancellationToken ct = default) =>
        WriteAsync(async (c, tx) =>
        {
            if (await c.ExecuteScalarAsync<long>(Cmd("SELECT COUNT(*) FROM templates", null, tx, ct)) >= maxTemplates) return false;
            await c.ExecuteAsync(Cmd(
                "INSERT INTO templates (template_id, name, type, config, status, cover_url, preview_media, create_source, modified_source, create_time, modified_time) " +
                "VALUES (@TemplateId, @Name, @Type, @Config, @Status, @CoverUrl, @PreviewMedia, @CreateSource, @ModifiedSource, @CreateTime, @ModifiedTime)",
                Args(template), tx, ct));
            return true;
        }, ct);

    public Task<TemplateRecord?> GetTemplateAsync(string templateId, CancellationToken ct = default) =>
        ReadAsync(async c => (await c.QuerySingleOrDefaultAsync<TemplateRow>(Cmd(
            $"{TemplateSelect} WHERE template_id = @templateId", new { templateId }, null, ct)))?.ToRecord(), ct);

    public Task<bool> UpdateTemplateAsync(TemplateRecord template, CancellationToken ct = default) =>
        WriteAsync(async (c, tx) => await c.ExecuteAsync(Cmd(
            "UPDATE templates SET name = @Name, type = @Type, config = @Config, status = @Status, cover_url = @CoverUrl, preview_media = @PreviewMedia, " +
            "modified_source = @ModifiedSource, modified_time = @ModifiedTime WHERE template_id = @TemplateId", Args(template), tx, ct)) == 1, ct);

    public Task<TemplatePage> ListTemplatesAsync(TemplateQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var where = new List<string>();
        var args = new DynamicParameters();
        if (query.Type is { } type) { where.Add("type = @type"); args.Add("type", type); }
        if (query.Status is { } status) { where.Add("status = @status"); args.Add("status", status); }
        if (query.CreateSource is { } source) { where.Add("create_source = @source"); args.Add("source", source); }
        if (query.Keyword is { Length: > 0 } keyword)
        {
            where.Add("LOWER(name) LIKE @keyword ESCAPE '\\'");
            args.Add("keyword", "%" + keyword.ToLowerInvariant().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%");
        }
        var filter = where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "";
        var order = query.OldestFirst ? "create_time ASC, template_id ASC" : "create_time DESC, template_id DESC";
        args.Add("limit", (long)query.PageSize);
        args.Add("offset", (long)(query.PageNo - 1) * query.PageSize);
        return ReadAsync(async c =>
        {
            var total = await c.ExecuteScalarAsync<long>(Cmd("SELECT COUNT(*) FROM templates" + filter, args, null, ct));
            var rows = await c.QueryAsync<TemplateRow>(Cmd($"{TemplateSelect}{filter} ORDER BY {order} LIMIT @limit OFFSET @offset", args, null, ct));
            return new TemplatePage(rows.Select(r => r.ToRecord()).ToList(), (int)total);
        }, ct);
    }

    public async Task<IReadOnlyList<string>> DeleteTemplatesAsync(IReadOnlyList<string> templateIds, CancellationToken ct = default)
    {
        var deleted = new List<string>();
        if (templateIds.Count == 0) return deleted;
        await WriteAsync(async (c, tx) =>
        {
            foreach (var templateId in templateIds.Distinct(StringComparer.Ordinal))
                if (await c.ExecuteAsync(Cmd("DELETE FROM templates WHERE template_id = @templateId", new { templateId }, tx, ct)) == 1) deleted.Add(templateId);
            return true;
        }, ct);
        return deleted;
    }

    private static object Args(TemplateRecord t) => new
    {
        t.TemplateId, t.Name, t.Type, t.Config, t.Status, t.CoverUrl, t.PreviewMedia, t.CreateSource, t.ModifiedSource,
        CreateTime = Ms(t.CreationTime), ModifiedTime = Ms(t.ModifiedTime),
    };

    internal sealed class TemplateRow
    {
        public string TemplateId { get; set; } = "";
        public string Name { get; set; } = "";
        public string Type { get; set; } = "";
        public string Config { get; set; } = "";
        public string Status { get; set; } = "";
        public string? CoverUrl { get; set; }
        public string? PreviewMedia { get; set; }
        public string CreateSource { get; set; } = "";
        public string ModifiedSource { get; set; } = "";
        public long CreateTime { get; set; }
        public long ModifiedTime { get; set; }

        public TemplateRecord ToRecord() => new(TemplateId, Name, Type, Config, Status, CoverUrl, PreviewMedia, CreateSource, ModifiedSource,
            Time(CreateTime), Time(ModifiedTime));
    }
}
