using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using RenderFarm.Cluster.Access;

namespace RenderFarm.Gateway;

/// <summary>
/// Credentials and rate limits for every route, in the order they must run: identify the caller (operator
/// token or API key, <see cref="ApiKeys"/>), limit requests per caller (per client address when the credential
/// is missing or wrong, so guessing tokens is throttled too), then require the scope the route needs
/// (<see cref="AccessRules"/>). Probes and metrics are neither limited nor locked.
/// </summary>
public static class Access
{
    private const string CallerItem = "renderfarm.caller";

    public static void AddRateLimits(IServiceCollection services, int perSecond)
    {
        services.AddRateLimiter(o =>
        {
            o.OnRejected = async (context, ct) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "1";
                await ApiErrors.WriteAsync(context.HttpContext, 429, "Throttling",
                    $"more than {perSecond} requests per second for this credential (RENDERFARM_RATE_LIMIT); retry after a second", "");
            };
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            {
                if (perSecond <= 0 || AccessRules.Needed(http.Request.Path, http.Request.Query["Action"]) is null)
                    return RateLimitPartition.GetNoLimiter("open");
                var partition = http.Items[CallerItem] is Caller caller ? "key:" + caller.Id : "addr:" + http.Connection.RemoteIpAddress;
                return RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = perSecond,
                    TokensPerPeriod = perSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
        });
    }

    /// <summary>Finds the caller before the rate limiter partitions by it.</summary>
    public static async Task IdentifyAsync(HttpContext http, ApiKeys keys, Func<Task> next)
    {
        if (await keys.IdentifyAsync(Credential(http.Request), http.RequestAborted) is { } caller) http.Items[CallerItem] = caller;
        await next();
    }

    /// <summary>Refuses a route without the scope it needs: 401 without a valid credential, 403 with too small a scope.</summary>
    public static async Task EnforceAsync(HttpContext http, Func<Task> next)
    {
        var needed = AccessRules.Needed(http.Request.Path, http.Request.Query["Action"]);
        if (needed is { } scope)
        {
            if (http.Items[CallerItem] is not Caller caller)
            {
                var given = Credential(http.Request) is { Length: > 0 };
                await ApiErrors.WriteAsync(http, 401, "Unauthorized", given
                    ? "the credential is not a valid API key or operator token (revoked, mistyped, or from another farm)"
                    : "a credential is required: send \"Bearer KEY\" with an API key (farm keys create) or the operator token (RENDERFARM_OPERATOR_TOKEN; DATA/operator.token on an embedded node)",
                    "Authorization");
                return;
            }
            if (!caller.May(scope))
            {
                await ApiErrors.WriteAsync(http, 403, "Forbidden",
                    $"key '{caller.Name}' has scope {caller.Scope.ToString().ToLowerInvariant()}; this route needs {scope.ToString().ToLowerInvariant()}", "Authorization");
                return;
            }
        }
        await next();
    }

    /// <summary>Bearer token, or X-Operator-Token (older scripts).</summary>
    private static string? Credential(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return header[7..].Trim();
        return request.Headers["X-Operator-Token"].ToString() is { Length: > 0 } token ? token : null;
    }
}
