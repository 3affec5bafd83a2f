using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RenderFarm.Cluster.Hosting;
using RenderFarm.Core.Json;
using RenderFarm.Gateway.Monitor;

namespace RenderFarm.Gateway;

/// <summary>
/// The HTTP side of a node: every node serves /healthz and /readyz; a gateway also serves the IMS
/// API, the operator API, /metrics, the OpenAPI document (/openapi/v1.json) and the web monitor (/ui).
/// </summary>
public static class NodeServer
{
    public static WebApplication Build(FarmNode node, ILoggerFactory logs)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(node.Settings.GatewayUrls);
        // Larger bodies are answered 413 before they are read; what is stored is the normalised request anyway.
        builder.WebHost.ConfigureKestrel(o => o.Limits.MaxRequestBodySize = node.Settings.MaxRequestBytes);
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(logs);
        // IMS answers use PascalCase field names, as the requests do.
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = null);
        if (node.Settings.HasRole("gateway")) builder.Services.AddOpenApi();
        Access.AddRateLimits(builder.Services, node.Settings.RateLimitPerSecond);
        var app = builder.Build();
        var log = logs.CreateLogger("gateway");
        // Every answer is IMS error JSON: a database or job entity that is briefly away (a restart, a move to
        // another node) is a 503 to retry; a body over the limit a 413; anything unforeseen a 500 whose details
        // stay in the log (they may name server paths), found there by its RequestId.
        app.Use(async (context, next) =>
        {
            try { await next(context); }
            catch (BadHttpRequestException e) when (!context.Response.HasStarted)
            {
                await ApiErrors.WriteAsync(context, e.StatusCode, e.StatusCode == 413 ? "RequestTooLarge" : "BadRequest", e.StatusCode == 413
                    ? $"the request body is larger than {node.Settings.MaxRequestBytes / 1024 / 1024} MiB (RENDERFARM_MAX_REQUEST_MB)"
                    : $"the request could not be read: {e.Message}", "");
            }
            // A handler that reads a parameter the client got wrong (wherever it is read) answers 400 naming it.
            catch (RequestException e) when (!context.Response.HasStarted)
            {
                await ApiErrors.WriteAsync(context, 400, "InvalidParameter", e.Message, e.Path);
            }
            catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException or Akka.Actor.AskTimeoutException && !context.Response.HasStarted)
            {
                var id = RequestIds.New();
                log.LogWarning("{Path}: temporarily unavailable ({RequestId}): {Error}", context.Request.Path, id, e.Message);
                await ApiErrors.WriteAsync(context, 503, "ServiceUnavailable", "temporarily unavailable (the job store or a job's entity did not answer); retry", "", id);
            }
            catch (Exception e) when (!context.Response.HasStarted && e is not OperationCanceledException)
            {
                var id = RequestIds.New();
                log.LogError(e, "{Path} failed ({RequestId})", context.Request.Path, id);
                await ApiErrors.WriteAsync(context, 500, "InternalError", $"internal error; the node's log has the details under RequestId {id}", "", id);
            }
        });
        // Unmatched routes and wrong methods get a JSON body too, never an empty one.
        app.UseStatusCodePages(async status =>
        {
            var http = status.HttpContext;
            await ApiErrors.WriteAsync(http, http.Response.StatusCode, http.Response.StatusCode switch { 404 => "NotFound", 405 => "MethodNotAllowed", _ => "Error" },
                http.Response.StatusCode switch { 404 => $"no route {http.Request.Path}", 405 => $"{http.Request.Method} is not allowed on {http.Request.Path}", _ => "request refused" }, "");
        });
        if (node.Settings.HasRole("gateway"))
        {
            app.Use((context, next) => Access.IdentifyAsync(context, node.Keys, () => next(context)));
            app.UseRateLimiter();
            app.Use((context, next) => Access.EnforceAsync(context, () => next(context)));
        }

        // A job accepted while the store, a directory or the disk cannot take it would be lost: new work waits
        // (503, retry) until /readyz is clear again. Reads and operator commands still answer.
        app.Use(async (context, next) =>
        {
            var newWork = HttpMethods.IsPost(context.Request.Method) && !context.Request.Path.StartsWithSegments("/admin") && !context.Request.Path.StartsWithSegments("/ui");
            if (newWork && node.WriteRefusals is { Count: > 0 } refusals)
            {
                // The causes name server paths: the operator reads them at /readyz and in the log, the client learns to retry.
                await ApiErrors.WriteAsync(context, 503, "ServiceUnavailable",
                    $"node not ready ({refusals.Count} cause(s): store, directories or disk; see /readyz), retry later", "");
                return;
            }
            await next(context);
        });

        app.MapGet("/healthz", () => Results.Text("ok"));
        // One line per failing cause (see FarmNode.ReadinessAsync).
        app.MapGet("/readyz", async (CancellationToken ct) =>
        {
            var (ready, detail) = await node.ReadinessAsync(ct);
            return ready ? Results.Text("ready") : Results.Text(detail + "\n", statusCode: 503);
        });
        if (node.Settings.HasRole("gateway"))
        {
            app.MapOpenApi();
            var metrics = new Metrics(node);
            app.MapGet("/metrics", async (HttpContext http, CancellationToken ct) =>
            {
                http.Response.ContentType = Metrics.ContentType;
                await metrics.WriteAsync(http.Response.Body, ct);
            });
            ImsApi.Map(app, node);
            LibraryApi.Map(app, node);
            TemplateApi.Map(app, node);
            ProductionApi.Map(app, node);
            AdminApi.Map(app, node);
            MonitorRoutes.Map(app, node);
        }
        return app;
    }
}
