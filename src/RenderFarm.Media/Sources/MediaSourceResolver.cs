using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using RenderFarm.Core.Json;

namespace RenderFarm.Media.Sources;

/// <summary>
/// Turns a request's MediaURL into a local file that may be read, treating the URL as hostile:
/// local paths and file:// URLs must really (after symlinks) lie inside an allowed root and be
/// regular files; http(s) URLs must name an allowed host (re-checked on every redirect) and are
/// downloaded, size- and time-capped, into the cache. Everything else is refused with a
/// <see cref="RequestException"/> at <c>jsonPath</c>.
/// </summary>
public sealed partial class MediaSourceResolver : IDisposable
{
    private const int MaxRedirects = 5;
    private const int BufferSize = 81920;

    private readonly MediaSourcePolicy _policy;
    private readonly HttpClient _http;

    /// <param name="handler">Replaces the default handler (tests, proxies). It must not follow
    /// redirects itself, or the per-hop host check is bypassed; ConnectTimeout is then its business.</param>
    public MediaSourceResolver(MediaSourcePolicy policy, HttpMessageHandler? handler = null)
    {
        _policy = policy;
        _http = handler is null
            ? new HttpClient(new SocketsHttpHandler
            {
                AllowAutoRedirect = false, // redirects are followed by hand so every target host is checked
                ConnectTimeout = policy.ConnectTimeout,
                AutomaticDecompression = DecompressionMethods.None, // count and store the bytes as sent
                UseCookies = false,
            })
            : new HttpClient(handler, disposeHandler: false);
        _http.Timeout = Timeout.InfiniteTimeSpan; // DownloadTimeout covers headers and body together
    }

    public async Task<string> ResolveAsync(string mediaUrl, string jsonPath, string baseDirectory, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(mediaUrl)) throw Refuse(jsonPath, "MediaURL is empty");
        if (mediaUrl.Contains('\0')) throw Refuse(jsonPath, $"MediaURL {Quote(mediaUrl)} contains a NUL character");
        return SchemeOf(mediaUrl) switch
        {
            null => ResolveLocal(mediaUrl, Path.Combine(Path.GetFullPath(baseDirectory), mediaUrl), jsonPath),
            "file" => ResolveLocal(mediaUrl, FileUrlPath(mediaUrl, jsonPath), jsonPath),
            "http" or "https" => await DownloadAsync(mediaUrl, jsonPath, ct).ConfigureAwait(false),
            var scheme => throw Refuse(jsonPath,
                $"MediaURL {Quote(mediaUrl)} uses scheme {scheme}; supported: local paths, file://, http(s)://"),
        };
    }

    /// <summary>
    /// The argument to give ffmpeg/ffprobe for a resolved file. ffmpeg treats any "name:" prefix as a
    /// protocol (a file called "concat:a|b" or "subfile:..." would be read through that protocol);
    /// with "file:" in front the rest is always a plain local path (ffmpeg does not percent-decode it).
    /// </summary>
    public static string ForFfmpeg(string localPath) => "file:" + Path.GetFullPath(localPath);

    public void Dispose() => _http.Dispose();

    // ---- local files ----

    private string ResolveLocal(string mediaUrl, string absolutePath, string jsonPath)
    {
        string real;
        try { real = RealPath.Resolve(absolutePath); }
        catch (IOException e) { throw Refuse(jsonPath, $"MediaURL {Quote(mediaUrl)} cannot be resolved: {e.Message}"); }

        // Roots are resolved too, so a root reached through a symlink (e.g. /tmp on macOS) still matches.
        if (!_policy.AllowedRoots.Any(root => RealPath.IsUnder(real, RealPath.Resolve(Path.GetFullPath(root)))))
        {
            var roots = _policy.AllowedRoots.Count == 0 ? "none configured" : string.Join(", ", _policy.AllowedRoots);
            var via = real == Path.GetFullPath(absolutePath) ? "" : $" resolves to {Quote(real)}, which";
            throw Refuse(jsonPath, $"{Quote(mediaUrl)}{via} is outside the allowed roots ({roots})");
        }
        return FileKinds.Of(real) switch
        {
            FileKind.Regular => real,
            FileKind.Missing => throw Refuse(jsonPath, $"{Quote(mediaUrl)} was not found"),
            FileKind.Directory => throw Refuse(jsonPath, $"{Quote(mediaUrl)} is a directory, not a file"),
            _ => throw Refuse(jsonPath, $"{Quote(mediaUrl)} is not a regular file (device, FIFO or socket)"),
        };
    }

    /// <summary>file:/p, file:///p or file://localhost/p, percent-decoded.</summary>
    private static string FileUrlPath(string url, string jsonPath)
    {
        var rest = url["file:".Length..];
        if (rest.StartsWith("//", StringComparison.Ordinal))
        {
            var slash = rest.IndexOf('/', 2);
            var host = slash < 0 ? rest[2..] : rest[2..slash];
            if (host.Length > 0 && !host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
                throw Refuse(jsonPath, $"MediaURL {Quote(url)} names host '{host}'; file:// URLs must be local");
            rest = slash < 0 ? "" : rest[slash..];
        }
        if (!rest.StartsWith('/')) throw Refuse(jsonPath, $"MediaURL {Quote(url)} has no absolute path");
        if (rest.IndexOfAny(['?', '#']) >= 0) throw Refuse(jsonPath, $"MediaURL {Quote(url)} has a query or fragment");
        var path = Uri.UnescapeDataString(rest);
        if (path.Contains('\0')) throw Refuse(jsonPath, $"MediaURL {Quote(url)} contains a NUL character");
        return path;
    }

    // ---- downloads ----

    private async Task<string> DownloadAsync(string mediaUrl, string jsonPath, CancellationToken ct)
    {
        if (!Uri.TryCreate(mediaUrl, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            throw Refuse(jsonPath, $"MediaURL {Quote(mediaUrl)} is not a valid URL");
        CheckHttpTarget(uri, jsonPath, redirected: false);

        var directory = Path.Combine(_policy.CacheDirectory, "downloads");
        var final = Path.Combine(directory, Sha256Hex(mediaUrl) + ExtensionOf(uri));
        if (File.Exists(final)) { RenderFarm.Core.Housekeeping.DiskCache.MarkUsed(final); return final; } // only complete downloads are ever renamed to this name; marked used for the cache's LRU
        Directory.CreateDirectory(directory);
        var part = $"{final}.{Guid.NewGuid():N}.part"; // unique: concurrent downloads of one URL don't clash

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(_policy.DownloadTimeout);
        try
        {
            using (var response = await SendFollowingRedirectsAsync(uri, mediaUrl, jsonPath, deadline.Token).ConfigureAwait(false))
                await SaveCappedAsync(response, part, jsonPath, deadline.Token).ConfigureAwait(false);
            File.Move(part, final, overwrite: true);
            return final;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw Refuse(jsonPath, deadline.IsCancellationRequested
                ? $"download of {Quote(mediaUrl)} timed out after {Describe(_policy.DownloadTimeout)}"
                : $"could not connect to {uri.Authority} within {Describe(_policy.ConnectTimeout)}");
        }
        catch (HttpRequestException e) { throw Refuse(jsonPath, $"download of {Quote(mediaUrl)} failed: {OneLine(e.Message)}"); }
        catch (IOException e) { throw Refuse(jsonPath, $"download of {Quote(mediaUrl)} failed: {OneLine(e.Message)}"); }
        finally
        {
            try { File.Delete(part); } catch (IOException) { } // gone already after a successful rename
        }
    }

    private async Task<HttpResponseMessage> SendFollowingRedirectsAsync(Uri uri, string mediaUrl, string jsonPath, CancellationToken ct)
    {
        for (var redirects = 0; ; redirects++)
        {
            var response = await _http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
            if (!IsRedirect(response.StatusCode))
            {
                if (response.IsSuccessStatusCode) return response;
                response.Dispose();
                throw Refuse(jsonPath, $"download of {Quote(mediaUrl)} failed: HTTP {(int)response.StatusCode} {OneLine(response.ReasonPhrase ?? "")}".TrimEnd());
            }
            var location = response.Headers.Location;
            response.Dispose();
            if (location is null) throw Refuse(jsonPath, $"download of {Quote(mediaUrl)} got a redirect without a Location");
            if (redirects == MaxRedirects) throw Refuse(jsonPath, $"download of {Quote(mediaUrl)} was redirected more than {MaxRedirects} times");
            uri = location.IsAbsoluteUri ? location : new Uri(uri, location);
            CheckHttpTarget(uri, jsonPath, redirected: true);
        }
    }

    private async Task SaveCappedAsync(HttpResponseMessage response, string part, string jsonPath, CancellationToken ct)
    {
        var max = _policy.MaxDownloadBytes;
        if (response.Content.Headers.ContentLength > max) throw TooLarge(jsonPath);
        var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        await using var _ = body.ConfigureAwait(false);
        var file = new FileStream(part, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);
        await using var __ = file.ConfigureAwait(false);
        var buffer = new byte[BufferSize];
        long total = 0;
        int read;
        // Content-Length may be absent (chunked) or a lie: count what actually arrives.
        while ((read = await body.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
        {
            total += read;
            if (total > max) throw TooLarge(jsonPath);
            await file.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
        }
    }

    private RequestException TooLarge(string jsonPath) =>
        Refuse(jsonPath, $"download exceeds the {DescribeBytes(_policy.MaxDownloadBytes)} limit");

    private void CheckHttpTarget(Uri uri, string jsonPath, bool redirected)
    {
        var what = redirected ? $"MediaURL redirects to {Quote(uri.OriginalString)}, which" : $"MediaURL {Quote(uri.OriginalString)}";
        if (uri.Scheme is not ("http" or "https"))
            throw Refuse(jsonPath, $"{what} uses scheme {uri.Scheme}; only http(s) may be downloaded");
        if (uri.UserInfo.Length > 0)
            throw Refuse(jsonPath, $"{what} contains credentials (user@host), which are not accepted");
        if (!_policy.AllowedHosts.Any(entry => HostMatches(entry, uri)))
        {
            var host = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";
            var none = _policy.AllowedHosts.Count == 0 ? " (none configured; see RENDERFARM_ALLOWED_HOSTS)" : "";
            throw Refuse(jsonPath, redirected
                ? $"{what} has host '{host}', not in the allowed hosts{none}"
                : $"host '{host}' is not in the allowed hosts{none}");
        }
    }

    /// <summary>"host" allows the scheme's default port only; "host:port" (or "[v6]:port") that port.</summary>
    internal static bool HostMatches(string entry, Uri uri)
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

    private static bool IsRedirect(HttpStatusCode code) => code is HttpStatusCode.MovedPermanently or HttpStatusCode.Found
        or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    // ---- small helpers ----

    /// <summary>The URL scheme, lower-cased, or null when the string is a plain path ("./a:b.mp4" is a path).</summary>
    internal static string? SchemeOf(string url)
    {
        var colon = url.IndexOf(':');
        if (colon < 1 || !char.IsAsciiLetter(url[0])) return null;
        for (var i = 1; i < colon; i++)
            if (!(char.IsAsciiLetterOrDigit(url[i]) || url[i] is '+' or '-' or '.')) return null;
        return url[..colon].ToLowerInvariant();
    }

    /// <summary>Keeps the URL's extension (ffmpeg and readers like a hint) when it is plainly one.</summary>
    private static string ExtensionOf(Uri uri)
    {
        var ext = Path.GetExtension(uri.AbsolutePath);
        return ext.Length is > 1 and <= 10 && ext.Skip(1).All(char.IsAsciiLetterOrDigit) ? ext.ToLowerInvariant() : "";
    }

    private static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static RequestException Refuse(string jsonPath, string reason) => new(jsonPath, reason);

    /// <summary>
    /// Quotes a hostile string for a one-line message: control characters replaced, length capped,
    /// and "user:password@" blanked so credentials never reach logs.
    /// </summary>
    internal static string Quote(string text)
    {
        var clean = UserInfo().Replace(OneLine(text), "$1***@");
        return $"'{(clean.Length > 200 ? clean[..200] + "…" : clean)}'";
    }

    [GeneratedRegex(@"^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#@]*@")]
    private static partial Regex UserInfo();

    private static string OneLine(string text) => new(text.Select(c => char.IsControl(c) ? '?' : c).ToArray());

    internal static string DescribeBytes(long bytes)
    {
        foreach (var (unit, size) in new[] { ("GiB", 1L << 30), ("MiB", 1L << 20), ("KiB", 1L << 10) })
            if (bytes >= size && bytes % size == 0) return $"{bytes / size} {unit}";
        return $"{bytes} bytes";
    }

    private static string Describe(TimeSpan t) =>
        t.TotalMinutes >= 1 && t.TotalMinutes % 1 == 0 ? $"{t.TotalMinutes} min" : $"{t.TotalSeconds:0.###} s";
}
