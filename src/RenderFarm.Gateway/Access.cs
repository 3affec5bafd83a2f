using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using RenderFarm.Cluster.Access;

namespace RenderFarm.Gateway;

/// <summary>
/// Credentials and rate limits for every route, in the order they must run: identify the caller (operator
/// token or API key, <see cref="ApiKeys"/>), limit requests per caller (per client address when the credential
/// is missing or wrong, so guessing tokens is throttled too), then require the scope the route needs
/// (<see cref="AccessRules"/>). Probes and metrics are neither limited nor locked. The web monitor presents the
/// same credentials from an HttpOnly cookie set by its login form; a state-changing request carried by that cookie
/// must also echo the CSRF cookie in a header (double submit), so another site cannot borrow the session.
/// </summary>
public static class Access
{
    private const string CallerItem = "renderfarm.caller";
    public const string SessionCookie = "renderfarm_session", CsrfCookie = "renderfarm_csrf", CsrfHeader = "X-CSRF-Token";

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
                var path = http.Request.Path.Value ?? "";
                var guarded = AccessRules.Needed(http.Request.Method, path, http.Request.Query["Action"]) is not null
                              || path.Equals(AccessRules.LoginPath, StringComparison.OrdinalIgnoreCase); // guessing tokens at the form is throttled too
                // A signed-in monitor page loads many stills and video ranges at once; they are reads of files it may see anyway.
                var media = path.StartsWith("/ui/media/", StringComparison.OrdinalIgnoreCase) && http.Items[CallerItem] is Caller;
                if (perSecond <= 0 || !guarded || media)
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
        var needed = AccessRules.Needed(http.Request.Method, http.Request.Path.Value ?? "", http.Request.Query["Action"]);
        if (needed is { } scope)
        {
            if (FromCookie(http.Request) && !HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method) && !CsrfMatches(http.Request))
            {
                await ApiErrors.WriteAsync(http, 403, "Forbidden", $"the {CsrfHeader} header must repeat the {CsrfCookie} cookie (sign in to the monitor again)", CsrfHeader);
                return;
            }
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

    /// <summary>The caller found for this request, if any.</summary>
    public static Caller? CallerOf(HttpContext http) => http.Items[CallerItem] as Caller;

    /// <summary>Bearer token, or X-Operator-Token (older scripts), or the monitor's session cookie.</summary>
    private static string? Credential(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return header[7..].Trim();
        if (request.Headers["X-Operator-Token"].ToString() is { Length: > 0 } token) return token;
        return request.Cookies[SessionCookie] is { Length: > 0 } session ? session : null;
    }

    private static bool FromCookie(HttpRequest request) =>
        !request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
        && request.Headers["X-Operator-Token"].ToString().Length == 0
        && request.Cookies[SessionCookie] is { Length: > 0 };

    private static bool CsrfMatches(HttpRequest request)
    {
        var cookie = request.Cookies[CsrfCookie] ?? "";
        var header = request.Headers[CsrfHeader].ToString();
        return cookie.Length >= 32 && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(cookie), System.Text.Encoding.UTF8.GetBytes(header));
    }
}
