using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RenderFarm.Cluster.Tests;

/// <summary>An HTTP endpoint on 127.0.0.1 that counts the requests it gets and answers each with <see cref="Answer"/>.</summary>
internal sealed class RecordingListener : IDisposable
{
    private readonly HttpListener _listener = new();
    private int _hits;

    /// <summary>Status code and optional Location for every request (200 by default).</summary>
    public (int Status, string? Location) Answer { get; set; } = (200, null);
    public int Port { get; }
    public string HostPort => $"127.0.0.1:{Port}";
    public string Url => $"http://{HostPort}/hook";
    public int Hits => Volatile.Read(ref _hits);

    /// <param name="anyHostName">Answers whatever the Host header (a name a test's DNS maps to 127.0.0.1).</param>
    public RecordingListener(bool anyHostName = false)
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        _listener.Prefixes.Add(anyHostName ? $"http://*:{Port}/" : $"http://127.0.0.1:{Port}/");
        _listener.Start();
        _ = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try { context = await _listener.GetContextAsync(); } catch (Exception) { return; }
                Interlocked.Increment(ref _hits);
                var (status, location) = Answer;
                context.Response.StatusCode = status;
                if (location is not null) context.Response.RedirectLocation = location;
                context.Response.Close();
            }
        });
    }

    public void Dispose() => _listener.Close();
}

