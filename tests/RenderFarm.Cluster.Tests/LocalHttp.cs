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

/// <summary>
/// A TCP server on 127.0.0.1 that accepts connections and never answers (a callback that hangs), or, with
/// <c>stallMidBody</c>, answers headers and the first bytes of a large body and then sends nothing more;
/// it notes when the client closes the connection.
/// </summary>
internal sealed class StallingServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly TaskCompletionSource _stalled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<bool> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();

    public StallingServer()
    {
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public string HostPort => $"127.0.0.1:{Port}";
    public string Url(string path) => $"http://{HostPort}{path}";
    public Task Stalled => _stalled.Task;
    public Task<bool> Closed => _closed.Task;

    private async Task ServeAsync()
    {
        try
        {
            using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            var stream = client.GetStream();
            var buffer = new byte[8192];
            var request = new StringBuilder();
            while (!request.ToString().Contains("\r\n\r\n"))
            {
                var read = await stream.ReadAsync(buffer, _stop.Token);
                if (read == 0) return;
                request.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
            await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\nContent-Length: 100000000\r\n\r\n"), _stop.Token);
            await stream.WriteAsync(new byte[1000], _stop.Token);
            await stream.FlushAsync(_stop.Token);
            _stalled.TrySetResult();
            try { while (await stream.ReadAsync(buffer, _stop.Token) > 0) { } } // ends only when the client hangs up
            catch (IOException) { }
            _closed.TrySetResult(true);
        }
        catch (OperationCanceledException) { }
        catch (Exception e) { _stalled.TrySetException(e); }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }
}
