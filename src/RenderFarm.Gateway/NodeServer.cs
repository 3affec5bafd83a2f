using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RenderFarm.Cluster.Hosting;

namespace RenderFarm.Gateway;

/// <summary>
/// The HTTP side of a node: every node serves /healthz and /readyz; a gateway also serves the IMS
/// API, the operator API, /metrics and the OpenAPI document (/openapi/v1.json).
/// </summary>
public static class NodeServer
{
    public static WebApplication Build(FarmNode node, ILoggerFactory logs)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(node.Settings.GatewayUrls);
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(logs);
        // IMS answers use PascalCase field names, as the requests do.
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = null);
        if (node.Settings.HasRole("gateway")) builder.Services.AddOpenApi();
        var app = builder.Build();
        var log = logs.CreateLogger("gateway");
        // A database or job entity that is briefly away (a restart, a move to another node) is a 503 to retry, not a bare 500.
        app.Use(async (context, next) =>
        {
            try { await next(context); }
            catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException or Akka.Actor.AskTimeoutException && !context.Response.HasStarted)
            {
                log.LogWarning("{Path}: temporarily unavailable: {Error}", context.Request.Path, e.Message);
                context.Response.StatusCode = 503;
                await context.Response.WriteAsJsonAsync(new { RequestId = RequestIds.New(), Code = "ServiceUnavailable", Message = $"temporarily unavailable, retry: {e.Message}", Field = "" });
            }
            catch (Exception e) when (!context.Response.HasStarted && e is not OperationCanceledException)
            {
                log.LogError(e, "{Path} failed", context.Request.Path);
                context.Response.StatusCode = 500;
                await context.Response.WriteAsJsonAsync(new { RequestId = RequestIds.New(), Code = "InternalError", Message = e.Message, Field = "" });
            }
        });

        // A job accepted while the store, a directory or the disk cannot take it would be lost: new work waits
        // (503, retry) until /readyz is clear again. Reads and operator commands still answer.
        app.Use(async (context, next) =>
        {
            var newWork = HttpMethods.IsPost(context.Request.Method) && !context.Request.Path.StartsWithSegments("/admin");
            if (newWork && node.WriteRefusals is { Count: > 0 } refusals)
            {
                context.Response.StatusCode = 503;
                await context.Response.WriteAsJsonAsync(new { RequestId = RequestIds.New(), Code = "ServiceUnavailable",
                    Message = "node not ready, retry later: " + string.Join("; ", refusals), Field = "" });
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
            app.MapGet("/metrics", async (CancellationToken ct) => Results.Text(await Metrics.RenderAsync(node, ct), "text/plain; version=0.0.4"));
            ImsApi.Map(app, node);
            LibraryApi.Map(app, node);
            AdminApi.Map(app, node);
        }
        return app;
    }
}
