using System.Text.Json.Nodes;
using RenderFarm.Cluster.Hosting;
using RenderFarm.Cluster.Jobs;
using RenderFarm.Cluster.ReadModel;
using RenderFarm.Core.Json;
using RenderFarm.Core.Library;

namespace RenderFarm.Gateway;

/// <summary>
/// The media library with IMS media asset action names, at <c>/{Action}</c> and <c>/?Action=...</c>:
/// RegisterMediaInfo (InputURL, MediaType, Title, Description, Tags; the same InputURL again answers its
/// existing MediaId), GetMediaInfo (MediaId or InputURL), ListMediaBasicInfos (Status, MediaType,
/// MaxResults, NextToken), SearchMediaByHybrid (Text, MediaType, PageNo, PageSize: entries ranked by how
/// well their title, tags, description, OCR text and transcript match, with the best shot as ClipInfo)
/// and DeleteMediaInfos (MediaIds, comma-separated).
/// </summary>
public static class LibraryApi
{
    public const int MaxDeleteIds = 20, MaxPageSize = 50;

    public static readonly IReadOnlyList<string> Actions = ["RegisterMediaInfo", "GetMediaInfo", "ListMediaBasicInfos", "SearchMediaByHybrid", "DeleteMediaInfos"];

    public static void Map(WebApplication app, FarmNode node)
    {
        foreach (var action in Actions)
            app.MapMethods("/" + action, ["GET", "POST"], (HttpRequest r, CancellationToken ct) => Dispatch(node, r, action, ct)!);
    }

    /// <summary>The handler of a library action, or null when <paramref name="action"/> is not one.</summary>
    public static Task<IResult>? Dispatch(FarmNode node, HttpRequest request, string action, CancellationToken ct) => action switch
    {
        "RegisterMediaInfo" => Guard(() => Register(node, request, ct)),
        "GetMediaInfo" => Guard(() => Get(node, request, ct)),
        "ListMediaBasicInfos" => Guard(() => List(node, request, ct)),
        "SearchMediaByHybrid" => Guard(() => Search(node, request, ct)),
        "DeleteMediaInfos" => Guard(() => Delete(node, request, ct)),
        _ => null,
    };

    private static async Task<IResult> Guard(Func<Task<IResult>> handler)
    {
        try { return await handler(); }
        catch (RequestException e) { return ApiErrors.Invalid(e); }
    }

    private static async Task<IResult> Register(FarmNode node, HttpRequest request, CancellationToken ct)
    {
        var result = await node.Registration!.RegisterAsync(await BodyOrQuery(request, ct), ct);
        return Results.Json(new { RequestId = RequestIds.New(), result.Entry.MediaId, result.Existing });
    }

    private static async Task<IResult> Get(FarmNode node, HttpRequest request, CancellationToken ct)
    {
        var id = await ImsApi.Parameter(request, "MediaId", ct);
        var url = await ImsApi.Parameter(request, "InputURL", ct);
        if (string.IsNullOrEmpty(id) && string.IsNullOrEmpty(url)) return ApiErrors.Invalid("MediaId", "is required (or InputURL)");
        var entry = !string.IsNullOrEmpty(id) ? await node.Library.GetMediaAsync(id, ct) : await node.Library.FindMediaByUrlAsync(url!, ct);
        if (entry is null) return string.IsNullOrEmpty(id) ? ApiErrors.NotFound("InputURL", url!) : ApiErrors.NotFound("MediaId", id);
        var keyframes = entry.Analysis is null ? null : await node.Library.KeyframeDirectoryAsync(entry.MediaId, ct);
        return Results.Json(new { RequestId = RequestIds.New(), MediaInfo = LibraryResponses.MediaInfo(entry, keyframes) });
    }

    private static async Task<IResult> List(FarmNode node, HttpRequest request, CancellationToken ct)
    {
        MediaState? state = null;
        if (await ImsApi.Parameter(request, "Status", ct) is { Length: > 0 } s)
        {
            if (!Enum.TryParse<MediaState>(s, ignoreCase: true, out var parsed))
                return ApiErrors.Invalid("Status", $"unknown status '{s}'; supported: {string.Join(", ", Enum.GetNames<MediaState>())}");
            state = parsed;
        }
        var type = await ImsApi.Parameter(request, "MediaType", ct) is { Length: > 0 } t
            ? MediaRegistrationParser.MediaTypes.FirstOrDefault(m => m.Equals(t, StringComparison.OrdinalIgnoreCase))
              ?? throw new RequestException("MediaType", $"unknown value '{t}'; supported: {string.Join(", ", MediaRegistrationParser.MediaTypes)}")
            : null;
        var max = await Integer(request, "MaxResults", 10, 1, 100, ct);
        MediaPage page;
        try { page = await node.Library.ListMediaAsync(new MediaQuery(state, type, max, await ImsApi.Parameter(request, "NextToken", ct)), ct); }
        catch (ArgumentException e) when (e.ParamName == "token") { return ApiErrors.Invalid("NextToken", "is not a token this API returned"); }
        return Results.Json(new
        {
            RequestId = RequestIds.New(),
            MediaInfos = page.Media.Select(e => new { e.MediaId, MediaBasicInfo = LibraryResponses.BasicInfo(e) }),
            page.NextToken,
            MaxResults = max,
        });
    }

    private static async Task<IResult> Search(FarmNode node, HttpRequest request, CancellationToken ct)
    {
        var text = (await ImsApi.Parameter(request, "Text", ct))?.Trim();
        if (string.IsNullOrEmpty(text)) return ApiErrors.Invalid("Text", "is required");
        if (text.Length > LibrarySearch.MaxQueryLength)
            return ApiErrors.Invalid("Text", $"at most {LibrarySearch.MaxQueryLength} characters are allowed (got {text.Length})");
        var type = await ImsApi.Parameter(request, "MediaType", ct);
        var pageNo = await Integer(request, "PageNo", 1, 1, 1000, ct);
        var pageSize = await Integer(request, "PageSize", 10, 1, MaxPageSize, ct);
        var entries = (await node.Library.AllMediaAsync(LibrarySearch.MaxRankedEntries, ct))
            .Where(e => string.IsNullOrEmpty(type) || e.MediaType.Equals(type, StringComparison.OrdinalIgnoreCase)).ToList();
        var hits = LibrarySearch.Rank(entries, text, BatchPlanning.Ranking, await node.Library.TextVectorsAsync(null, ct));
        return Results.Json(new
        {
            RequestId = RequestIds.New(),
            Total = hits.Count,
            MediaList = hits.Skip((pageNo - 1) * pageSize).Take(pageSize).Select(LibraryResponses.Hit),
        });
    }

    private static async Task<IResult> Delete(FarmNode node, HttpRequest request, CancellationToken ct)
    {
        var ids = ((await ImsApi.Parameter(request, "MediaIds", ct)) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count == 0) return ApiErrors.Invalid("MediaIds", "is required: a comma-separated list of MediaIds");
        if (ids.Count > MaxDeleteIds) return ApiErrors.Invalid("MediaIds", $"at most {MaxDeleteIds} ids per call (got {ids.Count})");
        var deleted = await node.Library.DeleteMediaAsync(ids, ct);
        return Results.Json(new { RequestId = RequestIds.New(), DeletedList = deleted, IgnoredList = ids.Except(deleted).ToList() });
    }

    internal static async Task<int> Integer(HttpRequest request, string name, int fallback, int min, int max, CancellationToken ct)
    {
        var text = await ImsApi.Parameter(request, name, ct);
        if (string.IsNullOrEmpty(text)) return fallback;
        return int.TryParse(text, out var value) && value >= min && value <= max
            ? value
            : throw new RequestException(name, $"must be between {min} and {max} (got '{text}')");
    }

    /// <summary>The JSON body, or (IMS RPC style, no body) the query parameters as a JSON object.</summary>
    private static async Task<string> BodyOrQuery(HttpRequest request, CancellationToken ct)
    {
        var body = await new StreamReader(request.Body).ReadToEndAsync(ct);
        if (!string.IsNullOrWhiteSpace(body)) return body;
        var query = new JsonObject();
        foreach (var (key, value) in request.Query)
            if (!key.Equals("Action", StringComparison.OrdinalIgnoreCase)) query[key] = value.ToString();
        return query.ToJsonString();
    }
}
