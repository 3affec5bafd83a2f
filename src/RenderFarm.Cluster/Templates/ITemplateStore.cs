namespace RenderFarm.Cluster.Templates;

/// <summary>
/// A stored template with IMS's fields (GetTemplate's Template object). <see cref="Config"/> is the
/// normalised Config text; for Type Timeline it was checked by <see cref="Core.Templates.TimelineTemplate.Parse"/>.
/// </summary>
public sealed record TemplateRecord(
    string TemplateId,
    string Name,
    string Type,
    string Config,
    string Status,
    string? CoverUrl,
    string? PreviewMedia,
    string CreateSource,
    string ModifiedSource,
    DateTimeOffset CreationTime,
    DateTimeOffset ModifiedTime);

/// <summary>ListTemplates' filters: exact Type, Status and CreateSource, a Keyword in the name, newest or oldest first, pages from 1.</summary>
public sealed record TemplateQuery(string? Type, string? Status, string? CreateSource, string? Keyword, bool OldestFirst, int PageNo, int PageSize);

public sealed record TemplatePage(IReadOnlyList<TemplateRecord> Templates, int TotalCount);

/// <summary>
/// The templates table, beside the read model's tables in the same database (SQLite in the data directory
/// when embedded, PostgreSQL in a cluster), so templates outlive any gateway and every gateway sees the same ones.
/// </summary>
public interface ITemplateStore
{
    /// <summary>Inserts the template unless <paramref name="maxTemplates"/> are stored already (then false, nothing written).</summary>
    Task<bool> AddTemplateAsync(TemplateRecord template, int maxTemplates, CancellationToken ct = default);

    Task<TemplateRecord?> GetTemplateAsync(string templateId, CancellationToken ct = default);

    /// <summary>Replaces a stored template's fields (not its id or creation); false when it does not exist.</summary>
    Task<bool> UpdateTemplateAsync(TemplateRecord template, CancellationToken ct = default);

    Task<TemplatePage> ListTemplatesAsync(TemplateQuery query, CancellationToken ct = default);

    /// <summary>Deletes templates; returns the ids that existed.</summary>
    Task<IReadOnlyList<string>> DeleteTemplatesAsync(IReadOnlyList<string> templateIds, CancellationToken ct = default);
}
