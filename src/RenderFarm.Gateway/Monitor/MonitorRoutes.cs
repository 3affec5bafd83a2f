using System.Security.Cryptography;
using RenderFarm.Cluster.Hosting;

namespace RenderFarm.Gateway.Monitor;

/// <summary>
/// The web monitor at /ui: one page (plain HTML, CSS and JavaScript embedded in this assembly) that reads the same
/// JSON routes the CLI and API clients use (/admin views, the IMS library actions, /metrics), its login (a
/// credential checked like a bearer one, kept in an HttpOnly cookie with a CSRF cookie beside it), and the media of
/// jobs and library entries (<see cref="MonitorMedia"/>). The page's JSON calls need the read scope; operator
/// actions the operate scope, as for any client (<see cref="RenderFarm.Cluster.Access.AccessRules"/>).
/// </summary>
public static class MonitorRoutes
{
    // The page builds everything from script with textContent: no inline script or style is needed, so none is allowed.
    private const string Policy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; media-src 'self'; connect-src 'self'; " +
                                  "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static void Map(WebApplication app, FarmNode node)
    {
        var assets = new MonitorAssets();
        app.MapGet("/ui", (HttpContext http) => assets.Serve(http, "index.html", Policy)); // also answers /ui/
        app.MapGet("/ui/app.js", (HttpContext http) => assets.Serve(http, "app.js", Policy));
        app.MapGet("/ui/app.css", (HttpContext http) => assets.Serve(http, "app.css", Policy));

        app.MapPost("/ui/login", async (HttpContext http, CancellationToken ct) =>
        {
            var credential = (await ImsApi.Parameter(http.Request, "Token", ct))?.Trim();
            if (string.IsNullOrEmpty(credential)) return ApiErrors.Invalid("Token", "is required: the operator token or an API key");
            if (await node.Keys.IdentifyAsync(credential, ct) is not { } caller)
                return Results.Json(new { RequestId = RequestIds.New(), Code = "Unauthorized", Message = "not a valid API key or operator token", Field = "Token" }, statusCode: 401);
            var secure = http.Request.IsHttps;
            http.Response.Cookies.Append(Access.SessionCookie, credential, new CookieOptions { HttpOnly = true, Secure = secure, SameSite = SameSiteMode.Strict, Path = "/" });
            // Readable by the page's script (it echoes it in a header); another site can neither read nor send it.
            http.Response.Cookies.Append(Access.CsrfCookie, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
                new CookieOptions { HttpOnly = false, Secure = secure, SameSite = SameSiteMode.Strict, Path = "/" });
            return Results.Json(Session(caller));
        });
        app.MapPost("/ui/logout", (HttpContext http) =>
        {
            http.Response.Cookies.Delete(Access.SessionCookie, new CookieOptions { Path = "/" });
            http.Response.Cookies.Delete(Access.CsrfCookie, new CookieOptions { Path = "/" });
            return Results.Json(new { SignedOut = true });
        });
        // Who the page is signed in as (401 when not): it shows operator actions only to the operate scope.
        app.MapGet("/ui/session", (HttpContext http) => Results.Json(Session(Access.CallerOf(http)!)));

        var media = new MonitorMedia(node);
        app.MapGet("/ui/media/jobs/{jobId}/videos/{index:int}", media.VideoAsync);
        app.MapGet("/ui/media/jobs/{jobId}/videos/{index:int}/segments/{segment:int}", media.SegmentThumbnailAsync);
        app.MapGet("/ui/media/library/{mediaId}/shots/{shot:int}", media.KeyframeAsync);
    }

    private static object Session(RenderFarm.Cluster.Access.Caller caller) =>
        new { caller.Name, Scope = caller.Scope.ToString().ToLowerInvariant() };
}
