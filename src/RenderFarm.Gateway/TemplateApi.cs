using RenderFarm.Cluster.Hosting;
using RenderFarm.Cluster.Templates;
using RenderFarm.Core.Json;

namespace RenderFarm.Gateway;

/// <summary>
/// Regular templates with IMS's action names, at <c>/{Action}</c> and <c>/?Action=...</c>: AddTemplate
/// (CreateTemplate is the same action: Name, Type Timeline, Config, Status, CoverUrl, PreviewMedia, Source;
/// answers the Template), GetTemplate (TemplateId; the Template with its placeholders as ClipsParam),
/// ListTemplates (Type, Status, CreateSource, Keyword, SortType CreationTime:Desc|Asc, PageNo, PageSize;
/// Templates and TotalCount), UpdateTemplate (TemplateId and the fields to change) and DeleteTemplate
/// (TemplateIds, comma-separated). A job uses a template through SubmitMediaProducingJob's TemplateId and ClipsParam.
/// </summary>
public static class TemplateApi
{
    public const int MaxDeleteIds = 20, MaxPageSize = 100;

    public static readonly IReadOnlyList<string> Actions = ["AddTemplate", "CreateTemplate", "GetTemplate", "ListTemplates", "UpdateTemplate", "DeleteTemplate"];

    public static void Map(WebApplication app, FarmNode node)
    {
        foreach (var action in Actions)
            app.MapMethods("/" + action, ["GET", "POST"], (HttpRequest r, CancellationToken ct) => Dispatch(node, r, action, ct)!);
    }

    /// <summary>The handler of a template action, or null when <paramref name="action"/> is not one.</summary>
    public static Task<IResult>? Dispatch(FarmNode node, HttpRequest request, string action, CancellationToken ct) => action switch
    {
        "AddTemplate" or "CreateTemplate" => Guard(async () =>
        {
            var template = await node.Templates!.AddAsync(await Fields(request, ct), ct);
            return Results.Json(new { RequestId = RequestIds.New(), Template = Describe(node, template) });
        }),
        "GetTemplate" => Guard(async () =>
        {
            var template = await node.Templates!.GetAsync(await Required(request, "TemplateId", ct), ct);
            return Results.Json(new { RequestId = RequestIds.New(), Template = Describe(node, template) });
        }),
        "ListTemplates" => Guard(() => List(node, request, ct)),
        "UpdateTemplate" => Guard(async () =>
        {
            await node.Templates!.UpdateAsync(await Required(request, "TemplateId", ct), await Fields(request, ct), ct);
            return Results.Json(new { RequestId = RequestIds.New() });
        }),
        "DeleteTemplate" => Guard(() => Delete(node, request, ct)),
        _ => null,
    };

    private static async Task<IResult> Guard(Func<Task<IResult>> handler)
    {
        try { return await handler(); }
        catch (RequestException e) when (e.Path == "TemplateId" && e.Reason.StartsWith("no template", StringComparison.Ordinal))
        {
            return Results.Json(new { RequestId = RequestIds.New(), Code = "NotFound", e.Message, Field = e.Path }, statusCode: 404);
        }
        catch (RequestException e) { return ApiErrors.Invalid(e); }
    }

    /// <summary>IMS's Template object: the stored fields, and the placeholders as ClipsParam (what each takes).</summary>
    private static object Describe(FarmNode node, TemplateRecord t) => new
    {
        t.TemplateId,
        t.Name,
        t.Type,
        t.Config,
        t.Status,
        CoverURL = t.CoverUrl,
        t.PreviewMedia,
        t.CreateSource,
        t.ModifiedSource,
        CreationTime = t.CreationTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
        ModifiedTime = t.ModifiedTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
        ClipsParam = node.Templates!.Read(t).ClipsParamForm(),
    };

    private static async Task<IResult> List(FarmNode node, HttpRequest request, CancellationToken ct)
    {
        var sort = await ImsApi.Parameter(request, "SortType", ct) ?? "CreationTime:Desc";
        if (sort is not ("CreationTime:Desc" or "CreationTime:Asc"))
            throw new RequestException("SortType", $"unknown value '{JsonObjectReader.Excerpt(sort)}'; supported: CreationTime:Desc, CreationTime:Asc");
        var query = new TemplateQuery(
            await OneOf(request, "Type", ["Timeline"], ct),
            await OneOf(request, "Status", TimelineTemplates.Statuses, ct),
            await OneOf(request, "CreateSource", TimelineTemplates.Sources, ct),
            await ImsApi.Parameter(request, "Keyword", ct),
            sort == "CreationTime:Asc",
            await LibraryApi.Integer(request, "PageNo", 1, 1, 100_000, ct),
            await LibraryApi.Integer(request, "PageSize", 10, 1, MaxPageSize, ct));
        var page = await node.Templates!.ListAsync(query, ct);
        return Results.Json(new { RequestId = RequestIds.New(), Templates = page.Templates.Select(t => Describe(node, t)), page.TotalCount });
    }

    private static async Task<IResult> Delete(FarmNode node, HttpRequest request, CancellationToken ct)
    {
        var ids = (await Required(request, "TemplateIds", ct)).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count == 0) throw new RequestException("TemplateIds", "is required: a comma-separated list of TemplateIds");
        if (ids.Count > MaxDeleteIds) throw new RequestException("TemplateIds", $"at most {MaxDeleteIds} ids per call (got {ids.Count})");
        var deleted = await node.Templates!.DeleteAsync(ids, ct);
        return Results.Json(new { RequestId = RequestIds.New(), DeletedList = deleted, IgnoredList = ids.Except(deleted).ToList() });
    }

    /// <summary>AddTemplate/UpdateTemplate's fields; Config may come as JSON text (IMS) or as an object.</summary>
    private static async Task<TemplateFields> Fields(HttpRequest request, CancellationToken ct) => new(
        await ImsApi.Parameter(request, "Name", ct),
        await ImsApi.Parameter(request, "Type", ct),
        await ImsApi.Parameter(request, "Config", ct),
        await ImsApi.Parameter(request, "Status", ct),
        await ImsApi.Parameter(request, "CoverUrl", ct),
        await ImsApi.Parameter(request, "PreviewMedia", ct),
        await ImsApi.Parameter(request, "Source", ct));

    private static async Task<string> Required(HttpRequest request, string name, CancellationToken ct) =>
        await ImsApi.Parameter(request, name, ct) is { Length: > 0 } value ? value : throw new RequestException(name, "is required");

    private static async Task<string?> OneOf(HttpRequest request, string name, IReadOnlyList<string> allowed, CancellationToken ct) =>
        await ImsApi.Parameter(request, name, ct) is { Length: > 0 } value
            ? allowed.FirstOrDefault(a => a.Equals(value, StringComparison.OrdinalIgnoreCase))
              ?? throw new RequestException(name, $"unknown value '{JsonObjectReader.Excerpt(value)}'; supported: {string.Join(", ", allowed)}")
            : null;
}
