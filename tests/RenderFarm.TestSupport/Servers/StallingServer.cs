using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RenderFarm.TestSupport.Servers;

/// <summary>
/// An HTTP server on 127.0.0.1 that answers one request with headers and the first bytes of a large body,
/// then sends nothing more (a download or callback that hangs); it notes when the client closes the connection.
/// </summary>
public sealed class StallingServer : IDisposable
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
