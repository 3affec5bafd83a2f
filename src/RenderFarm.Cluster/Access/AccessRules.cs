namespace RenderFarm.Cluster.Access;

/// <summary>
/// The scope each HTTP route needs, in one table: probes and metrics are open (orchestrators and scrapers
/// call them without credentials), reads need <see cref="ApiScope.Read"/>, anything that changes state
/// <see cref="ApiScope.Submit"/>, the operator API <see cref="ApiScope.Operate"/>. IMS RPC-style calls
/// (<c>/?Action=Name</c>) need what <c>/Name</c> needs. Unknown routes need Read, so a 404 is not a free probe.
/// </summary>
public static class AccessRules
{
    private static readonly Dictionary<string, ApiScope> Actions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["SubmitMediaProducingJob"] = ApiScope.Submit,
        ["SubmitBatchMediaProducingJob"] = ApiScope.Submit,
        ["RegisterMediaInfo"] = ApiScope.Submit,
        ["DeleteMediaInfos"] = ApiScope.Submit,
        ["GetMediaProducingJob"] = ApiScope.Read,
        ["GetBatchMediaProducingJob"] = ApiScope.Read,
        ["ListMediaProducingJobs"] = ApiScope.Read,
        ["ListBatchMediaProducingJobs"] = ApiScope.Read,
        ["GetMediaInfo"] = ApiScope.Read,
        ["ListMediaBasicInfos"] = ApiScope.Read,
        ["SearchMediaByHybrid"] = ApiScope.Read,
    };

    private static readonly string[] Open = ["/healthz", "/readyz", "/metrics", "/openapi/v1.json"];

    /// <summary>The scope the route needs, or null when it is open to anyone.</summary>
    public static ApiScope? Needed(string path, string? action)
    {
        if (Open.Contains(path, StringComparer.OrdinalIgnoreCase)) return null;
        if (path.StartsWith("/admin/", StringComparison.OrdinalIgnoreCase) || path.Equals("/admin", StringComparison.OrdinalIgnoreCase)) return ApiScope.Operate;
        var name = path is "/" or "" ? action ?? "" : path.TrimStart('/');
        return Actions.TryGetValue(name, out var scope) ? scope : ApiScope.Read;
    }
}
