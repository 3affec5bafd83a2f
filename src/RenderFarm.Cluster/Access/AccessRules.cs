namespace RenderFarm.Cluster.Access;

/// <summary>
/// The scope each HTTP route needs, in one table: probes, metrics and the web monitor's page and login are
/// open (orchestrators and scrapers call them without credentials; the page shows nothing until its JSON calls
/// are allowed), reads need <see cref="ApiScope.Read"/> (also the operator API's GET views, so a read key can
/// watch the farm in the monitor), anything that changes state <see cref="ApiScope.Submit"/>, operator
/// commands and API keys <see cref="ApiScope.Operate"/>. IMS RPC-style calls (<c>/?Action=Name</c>) need what
/// <c>/Name</c> needs. Unknown routes need Read, so a 404 is not a free probe.
/// </summary>
public static class AccessRules
{
    private static readonly Dictionary<string, ApiScope> Actions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["SubmitMediaProducingJob"] = ApiScope.Submit,
        ["SubmitBatchMediaProducingJob"] = ApiScope.Submit,
        ["RegisterMediaInfo"] = ApiScope.Submit,
        ["DeleteMediaInfos"] = ApiScope.Submit,
        ["AddTemplate"] = ApiScope.Submit,
        ["CreateTemplate"] = ApiScope.Submit,
        ["UpdateTemplate"] = ApiScope.Submit,
        ["DeleteTemplate"] = ApiScope.Submit,
        ["GetTemplate"] = ApiScope.Read,
        ["ListTemplates"] = ApiScope.Read,
        ["GetMediaProducingJob"] = ApiScope.Read,
        ["GetBatchMediaProducingJob"] = ApiScope.Read,
        ["ListMediaProducingJobs"] = ApiScope.Read,
        ["ListBatchMediaProducingJobs"] = ApiScope.Read,
        ["GetMediaInfo"] = ApiScope.Read,
        ["ListMediaBasicInfos"] = ApiScope.Read,
        ["SearchMediaByHybrid"] = ApiScope.Read,
    };

    private static readonly string[] Open =
        ["/healthz", "/readyz", "/metrics", "/openapi/v1.json", "/ui", "/ui/", "/ui/app.js", "/ui/app.css", LoginPath, "/ui/logout"];

    /// <summary>Where the monitor's login form posts: open, but throttled per client address like a wrong credential.</summary>
    public const string LoginPath = "/ui/login";

    /// <summary>The scope the route needs, or null when it is open to anyone.</summary>
    public static ApiScope? Needed(string method, string path, string? action)
    {
        if (Open.Contains(path, StringComparer.OrdinalIgnoreCase)) return null;
        if (path.StartsWith("/admin/", StringComparison.OrdinalIgnoreCase) || path.Equals("/admin", StringComparison.OrdinalIgnoreCase))
        {
            var view = method is "GET" or "HEAD" && !path.StartsWith("/admin/keys", StringComparison.OrdinalIgnoreCase);
            return view ? ApiScope.Read : ApiScope.Operate;
        }
        var name = path is "/" or "" ? action ?? "" : path.TrimStart('/');
        return Actions.TryGetValue(name, out var scope) ? scope : ApiScope.Read;
    }
}
