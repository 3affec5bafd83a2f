using System.Text.Json.Nodes;
using RenderFarm.Cluster.Jobs;
using RenderFarm.Cluster.ReadModel;
using RenderFarm.Core.Json;
using RenderFarm.Core.Templates;
using RenderFarm.Core.Timelines;

namespace RenderFarm.Cluster.Templates;

/// <summary>AddTemplate/UpdateTemplate's fields as sent (null: not given).</summary>
public sealed record TemplateFields(string? Name, string? Type, string? Config, string? Status, string? CoverUrl, string? PreviewMedia, string? Source);

/// <summary>
/// The farm's templates (IMS regular templates, Type Timeline): checked and stored (<see cref="ITemplateStore"/>),
/// and filled by a ClipsParam for a job (<see cref="FillAsync"/>). A MediaId given in a ClipsParam is the media
/// library's entry, replaced by its InputURL before filling.
/// </summary>
public sealed class TimelineTemplates(ITemplateStore store, IMediaLibraryStore? library, TimelineLimits limits, TimeProvider clock)
{
    /// <summary>How many templates one farm keeps.</summary>
    public const int MaxTemplates = 1000;
    public const int MaxNameLength = 128;

    public static readonly IReadOnlyList<string> Statuses = ["Available", "Created"];
    public static readonly IReadOnlyList<string> Sources = ["OpenAPI", "AliyunConsole", "WebSDK"];

    public async Task<TemplateRecord> AddAsync(TemplateFields fields, CancellationToken ct)
    {
        var name = CheckName(fields.Name ?? throw new RequestException("Name", "is required"));
        if (fields.Type is { } type && !type.Equals("Timeline", StringComparison.OrdinalIgnoreCase))
            throw new RequestException("Type", $"'{type}' templates are not supported; supported: Timeline (a regular template)");
        var config = TimelineTemplate.Parse(fields.Config ?? "", limits).Config.ToJsonString();
        var source = OneOf("Source", fields.Source, Sources) ?? "OpenAPI";
        var now = clock.GetUtcNow();
        var record = new TemplateRecord(JobIds.New(), name, "Timeline", config, OneOf("Status", fields.Status, Statuses) ?? "Available",
            fields.CoverUrl, fields.PreviewMedia, source, source, now, now);
        if (!await store.AddTemplateAsync(record, MaxTemplates, ct))
            throw new RequestException("TemplateId", $"at most {MaxTemplates} templates are kept; delete some first (DeleteTemplate)");
        return record;
    }

    /// <summary>UpdateTemplate: the fields given replace the stored ones; a new Config is checked like AddTemplate's.</summary>
    public async Task<TemplateRecord> UpdateAsync(string templateId, TemplateFields fields, CancellationToken ct)
    {
        var stored = await GetAsync(templateId, ct);
        if (fields.Type is { } type && !type.Equals(stored.Type, StringComparison.OrdinalIgnoreCase))
            throw new RequestException("Type", $"a template keeps its type ({stored.Type}); add a new template for another");
        var source = OneOf("Source", fields.Source, Sources) ?? "OpenAPI";
        var updated = stored with
        {
            Name = fields.Name is { } name ? CheckName(name) : stored.Name,
            Config = fields.Config is { } config ? TimelineTemplate.Parse(config, limits).Config.ToJsonString() : stored.Config,
            Status = OneOf("Status", fields.Status, Statuses) ?? stored.Status,
            CoverUrl = fields.CoverUrl ?? stored.CoverUrl,
            PreviewMedia = fields.PreviewMedia ?? stored.PreviewMedia,
            ModifiedSource = source,
            ModifiedTime = clock.GetUtcNow(),
        };
        if (!await store.UpdateTemplateAsync(updated, ct)) throw new RequestException("TemplateId", $"no template '{templateId}' (deleted meanwhile)");
        return updated;
    }

    /// <exception cref="RequestException">No template has this id.</exception>
    public async Task<TemplateRecord> GetAsync(string templateId, CancellationToken ct, string path = "TemplateId") =>
        await store.GetTemplateAsync(templateId, ct) ?? throw new RequestException(path, $"no template '{JsonObjectReader.Excerpt(templateId)}'");

    public Task<TemplatePage> ListAsync(TemplateQuery query, CancellationToken ct) => store.ListTemplatesAsync(query, ct);

    /// <summary>Deletes templates; returns the ids that existed. Jobs made from them keep their filled timelines.</summary>
    public Task<IReadOnlyList<string>> DeleteAsync(IReadOnlyList<string> templateIds, CancellationToken ct) => store.DeleteTemplatesAsync(templateIds, ct);

    /// <summary>The stored Config's placeholders (its Config was checked when stored).</summary>
    public TimelineTemplate Read(TemplateRecord record) => TimelineTemplate.Parse(record.Config, limits);

    /// <summary>
    /// The timeline of template <paramref name="templateId"/> filled by <paramref name="clipsParam"/> (a JSON object or
    /// JSON text; null: none). Errors name <paramref name="templatePath"/> or <paramref name="clipsPath"/>.&lt;name&gt;.
    /// </summary>
    public async Task<FilledTemplate> FillAsync(string templateId, JsonNode? clipsParam, CancellationToken ct,
        string templatePath = "TemplateId", string clipsPath = "ClipsParam")
    {
        var record = await GetAsync(templateId, ct, templatePath);
        if (record.Status != "Available")
            throw new RequestException(templatePath, $"template '{templateId}' is {record.Status}; only an Available template makes videos");
        var template = Read(record);
        var values = clipsParam switch
        {
            null => new JsonObject(),
            JsonValue v when v.TryGetValue<string>(out var text) => string.IsNullOrWhiteSpace(text) ? new JsonObject() : RequestJson.Normalise(text, clipsPath),
            JsonObject o => (JsonObject)o.DeepClone(),
            _ => throw new RequestException(clipsPath, "must be a JSON object (or its JSON text) mapping placeholder names to values"),
        };
        await ResolveMediaIdsAsync(template, values, clipsPath, ct);
        return TemplateFiller.Fill(template, values, limits, clipsPath);
    }

    /// <summary>Replaces each library MediaId among the media values (also inside lists) by its InputURL.</summary>
    private async Task ResolveMediaIdsAsync(TimelineTemplate template, JsonObject values, string path, CancellationToken ct)
    {
        async Task<JsonNode?> Resolve(JsonNode? value, string at)
        {
            if (value is not JsonValue v || !v.TryGetValue<string>(out var id) || !LibraryReferences.MediaIdShape().IsMatch(id)) return value;
            var entry = library is null ? null : await library.GetMediaAsync(id, ct);
            return entry is null
                ? throw new RequestException(at, $"'{id}' is not the MediaId of a medium in the media library")
                : JsonValue.Create(entry.InputUrl);
        }
        foreach (var key in values.Select(p => p.Key).ToList())
        {
            var placeholder = template.Placeholders.FirstOrDefault(p => p.Name.Equals(key, StringComparison.OrdinalIgnoreCase));
            var at = $"{path}.{key}";
            if (placeholder?.Kind == PlaceholderKind.Media) values[key] = await Resolve(values[key], at);
            if (placeholder?.Kind != PlaceholderKind.Array || values[key] is not JsonArray items) continue;
            var media = template.ItemMediaNames(placeholder.Name);
            for (var i = 0; i < items.Count; i++)
            {
                if (items[i] is JsonObject item)
                {
                    foreach (var field in item.Select(p => p.Key).Where(k => media.Contains(k, StringComparer.OrdinalIgnoreCase)).ToList())
                        item[field] = await Resolve(item[field], $"{at}[{i}].{field}");
                }
                else if (media.Count > 0)
                    items[i] = await Resolve(items[i], $"{at}[{i}]");
            }
        }
    }

    private static string CheckName(string name)
    {
        name = name.Trim();
        if (name.Length == 0) throw new RequestException("Name", "must not be empty");
        if (name.Length > MaxNameLength) throw new RequestException("Name", $"at most {MaxNameLength} characters are allowed (got {name.Length})");
        return name;
    }

    private static string? OneOf(string field, string? value, IReadOnlyList<string> allowed) =>
        value is null ? null
        : allowed.FirstOrDefault(a => a.Equals(value, StringComparison.OrdinalIgnoreCase))
          ?? throw new RequestException(field, $"unknown value '{JsonObjectReader.Excerpt(value)}'; supported: {string.Join(", ", allowed)}");
}
