using System.Net;
using System.Net.Sockets;

namespace RenderFarm.Media.Outbound;

/// <summary>Looks a host name up (tests replace DNS with this).</summary>
public delegate Task<IPAddress[]> HostResolver(string host, CancellationToken ct);

/// <summary>A connection <see cref="OutboundPolicy"/> does not allow; its message names the host and why, never a path.</summary>
public sealed class OutboundRefusedException(string message) : IOException(message);

/// <summary>
/// The one way the farm makes HTTP clients for outbound calls. The handler never follows redirects
/// (callers re-check each hop or refuse them), uses no proxy (the address checked must be the one
/// connected to), and connects through a callback that checks the URL's host against the allowed hosts,
/// resolves it once, refuses internal addresses and connects to an address it checked, so a DNS
/// answer that changes between a check and the connection (rebinding) cannot reach inside.
/// </summary>
public static class OutboundHttp
{
    public static HttpClient CreateClient(OutboundPolicy policy, HostResolver? resolve = null) =>
        new(CreateHandler(policy, resolve)) { Timeout = Timeout.InfiniteTimeSpan }; // callers set their own deadline

    public static SocketsHttpHandler CreateHandler(OutboundPolicy policy, HostResolver? resolve = null)
    {
        resolve ??= (host, ct) => Dns.GetHostAddressesAsync(host, ct);
        return new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None, // count and store the bytes as sent
            ConnectTimeout = policy.ConnectTimeout,
            ConnectCallback = (context, ct) => ConnectAsync(policy, resolve, context, ct),
        };
    }

    private static async ValueTask<Stream> ConnectAsync(OutboundPolicy policy, HostResolver resolve, SocketsHttpConnectionContext context, CancellationToken ct)
    {
        // Checked here as well as by the caller: whatever request reaches this handler, it goes nowhere else.
        if (context.InitialRequestMessage.RequestUri is { } uri && policy.RefusalOf(uri) is { } refusal)
            throw new OutboundRefusedException($"{uri.Scheme}://{OutboundPolicy.HostOf(uri)} {refusal}");
        var host = context.DnsEndPoint.Host.Trim('[', ']');
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await resolve(host, ct).ConfigureAwait(false);
        var usable = addresses.Where(a => policy.AddressRefusal(host, a) is null).ToList();
        if (usable.Count == 0)
            throw new OutboundRefusedException(addresses.Length == 0 ? $"host '{host}' has no address" : policy.AddressRefusal(host, addresses[0])!);
        Exception? last = null;
        foreach (var address in usable)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), ct).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw last!;
    }
}
