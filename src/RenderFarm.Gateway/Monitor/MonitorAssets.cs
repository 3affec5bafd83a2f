using System.Reflection;

namespace RenderFarm.Gateway.Monitor;

/// <summary>The monitor's files, embedded in the assembly at build time (Monitor/wwwroot), read once.</summary>
public sealed class MonitorAssets
{
    private readonly Dictionary<string, byte[]> _files = [];

    public MonitorAssets()
    {
        var assembly = Assembly.GetExecutingAssembly();
        foreach (var name in new[] { "index.html", "app.js", "app.css" })
        {
            using var stream = assembly.GetManifestResourceStream("monitor/" + name)
                               ?? throw new InvalidOperationException($"the monitor's {name} is not embedded in {assembly.GetName().Name}");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            _files[name] = copy.ToArray();
        }
    }

    public IResult Serve(HttpContext http, string name, string policy)
    {
        http.Response.Headers.ContentSecurityPolicy = policy;
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        http.Response.Headers.CacheControl = "no-cache";
        var type = Path.GetExtension(name) switch
        {
            ".html" => "text/html; charset=utf-8",
            ".js" => "text/javascript; charset=utf-8",
            _ => "text/css; charset=utf-8",
        };
        return Results.Bytes(_files[name], type);
    }
}
