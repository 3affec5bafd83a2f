using System.Net;
using System.Net.Sockets;

namespace RenderFarm.Media.Outbound;

/// <summary>
/// Where the farm may call out to (media downloads, NotifyAddress callbacks), and for how long. A URL
/// must be http(s), carry no credentials and name one of <see cref="AllowedHosts"/> ("host" matches the
/// scheme's default port only, "host:port" that port; empty = no outbound calls). The address a host
/// name resolves to must not be loopback, private, link-local or otherwise internal unless
/// <see cref="AllowPrivateAddresses"/>; a host the operator listed as an IP literal or as "localhost"
/// was named on purpose and may be internal. Pure: <see cref="OutboundHttp"/> does the I/O.
/// </summary>
public sealed record OutboundPolicy
{
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];
    public bool AllowPrivateAddresses { get; init; }
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);
    /// <summary>A whole media download: headers and body.</summary>
    public TimeSpan DownloadTimeout { get; init; } = TimeSpan.FromMinutes(10);
    /// <summary>One NotifyAddress call.</summary>
    public TimeSpan WebhookTimeout { get; init; } = TimeSpan.FromSeconds(10);
    public int MaxRedirects { get; init; } = 5;

    /// <summary>RENDERFARM_ALLOWED_HOSTS (','-separated) and RENDERFARM_ALLOW_PRIVATE_HOSTS (true/false, default false).</summary>
    public static OutboundPolicy FromEnvironment(Func<string, string?> getEnv)
    {
        var allowPrivate = getEnv("RENDERFARM_ALLOW_PRIVATE_HOSTS")?.Trim();
        return new OutboundPolicy
        {
            AllowedHosts = (getEnv("RENDERFARM_ALLOWED_HOSTS") ?? "")
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList(),
            AllowPrivateAddresses = string.IsNullOrEmpty(allowPrivate) ? false
                : bool.TryParse(allowPrivate, out var yes) ? yes
                // A typo must not silently open (or close) the internal network: refuse it loudly.
                : throw new InvalidOperationException($"RENDERFARM_ALLOW_PRIVATE_HOSTS: '{allowPrivate}' is not true or false"),
        };
    }

    /// <summary>Why <paramref name="uri"/> may not be called, in words that follow "MediaURL 'x'" or a field name; null when it may.</summary>
    public string? RefusalOf(Uri uri)
    {
        if (uri.Scheme is not ("http" or "https")) return $"uses scheme {uri.Scheme}; only http(s) is allowed";
        if (uri.UserInfo.Length > 0) return "contains credentials (user@host), which are not accepted";
        if (AllowedHosts.Any(entry => HostMatches(entry, uri))) return null;
        var none = AllowedHosts.Count == 0 ? " (none configured; see RENDERFARM_ALLOWED_HOSTS)" : "";
        return $"has host '{HostOf(uri)}', not in the allowed hosts{none}";
    }

    /// <summary>
    /// Why a connection to <paramref name="address"/>, which <paramref name="host"/> resolved to, is refused;
    /// null when it may be made. The host itself has passed <see cref="RefusalOf"/>.
    /// </summary>
    public string? AddressRefusal(string host, IPAddress address)
    {
        if (AllowPrivateAddresses || NamedOnPurpose(host)) return null;
        return KindOf(address) is { } kind
            ? $"host '{host}' resolves to {address}, a {kind} address (see RENDERFARM_ALLOW_PRIVATE_HOSTS)"
            : null;
    }

    /// <summary>An IP literal or "localhost" that passed the allowed hosts: the operator named that very address.</summary>
    private static bool NamedOnPurpose(string host) =>
        IPAddress.TryParse(host.Trim('[', ']'), out _) || host.Equals("localhost", StringComparison.OrdinalIgnoreCase);

    /// <summary>"loopback", "private", "link-local", … for addresses inside a network; null for public ones.</summary>
    public static string? KindOf(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] switch
            {
                0 => "unspecified",
                127 => "loopback",
                10 => "private",
                172 when b[1] is >= 16 and <= 31 => "private",
                192 when b[1] == 168 => "private",
                100 when b[1] is >= 64 and <= 127 => "private", // carrier-grade NAT, often internal
                169 when b[1] == 254 => "link-local", // cloud metadata services live here
                >= 224 => "multicast or reserved",
                _ => null,
            };
        }
        if (address.Equals(IPAddress.IPv6Any)) return "unspecified";
        if (IPAddress.IsLoopback(address)) return "loopback";
        if (address.IsIPv6LinkLocal) return "link-local";
        if (address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal) return "private";
        if (address.IsIPv6Multicast) return "multicast or reserved";
        return null;
    }

    /// <summary>"host" allows the scheme's default port only; "host:port" (or "[v6]:port") that port.</summary>
    public static bool HostMatches(string entry, Uri uri)
    {
        entry = entry.Trim();
        string host = entry;
        int? port = null;
        var colon = entry.LastIndexOf(':');
        var bracketEnd = entry.LastIndexOf(']');
        if (colon > bracketEnd && (entry.StartsWith('[') || entry.IndexOf(':') == colon))
        {
            if (!int.TryParse(entry.AsSpan(colon + 1), out var p)) return false;
            host = entry[..colon];
            port = p;
        }
        var hostMatches = host.Equals(uri.Host, StringComparison.OrdinalIgnoreCase)
            || host.Equals(uri.IdnHost, StringComparison.OrdinalIgnoreCase);
        return hostMatches && (port is null ? uri.IsDefaultPort : port == uri.Port);
    }

    public static string HostOf(Uri uri) => uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";
}
