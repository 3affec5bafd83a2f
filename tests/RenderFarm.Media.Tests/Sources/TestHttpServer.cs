using System.Collections.Concurrent;
using System.Net;

namespace RenderFarm.Media.Tests.Sources;

/// <summary>A tiny HTTP server on 127.0.0.1 with per-path handlers and request counts.</summary>
public sealed class TestHttpServer : IDisposable
{
    private readonly HttpListener _listener;
    private readonly ConcurrentDictionary<string, Func<HttpListenerContext, Task>> _routes = new();
    private readonly ConcurrentDictionary<string, int> _counts = new();

    /// <param name="anyHostName">Answers requests whatever their Host header (a name that a test's DNS maps to 127.0.0.1).</param>
    public TestHttpServer(bool anyHostName = false)
    {
        // HttpListener cannot take port 0: pick one below the kernel's ephemeral range (32768+, where
        // client sockets come and go) and try another if it is taken.
        for (var attempt = 1; ; attempt++)
        {
            Port = Random.Shared.Next(20000, 32000);
            _listener = new HttpListener();
            _listener.Prefixes.Add(anyHostName ? $"http://*:{Port}/" : $"http://127.0.0.1:{Port}/");
            try { _listener.Start(); break; }
            catch (HttpListenerException) when (attempt < 20) { }
        }
        _ = Task.Run(LoopAsync);
    }

    public int Port { get; }
    public string HostPort => $"127.0.0.1:{Port}";
    public string Url(string path) => $"http://{HostPort}{path}";
    public int Requests(string path) => _counts.GetValueOrDefault(path);

    public void Map(string path, Func<HttpListenerContext, Task> handler) => _routes[path] = handler;

    public void MapBytes(string path, byte[] body, bool chunked = false) => Map(path, async context =>
    {
        if (chunked) context.Response.SendChunked = true;
        else context.Response.ContentLength64 = body.Length;
        for (var offset = 0; offset < body.Length; offset += 1000)
            await context.Response.OutputStream.WriteAsync(body.AsMemory(offset, Math.Min(1000, body.Length - offset)));
    });

    public void MapRedirect(string path, string location) => Map(path, context =>
    {
        context.Response.StatusCode = 302;
        context.Response.RedirectLocation = location;
        return Task.CompletedTask;
    });

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception) { return; } // stopped
            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var path = context.Request.Url!.AbsolutePath;
        _counts.AddOrUpdate(path, 1, (_, n) => n + 1);
        try
        {
            if (_routes.TryGetValue(path, out var handler)) await handler(context);
            else context.Response.StatusCode = 404;
            context.Response.Close();
        }
        catch (Exception)
        {
            try { context.Response.Abort(); } catch (Exception) { } // the client hung up on purpose
        }
    }

    public void Dispose()
    {
        // Close only: after Stop, Close "removes" the prefix again and the managed listener re-binds the port.
        try { _listener.Close(); } catch (HttpListenerException) { }
    }
}
