using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using RenderFarm.Core.Json;
using RenderFarm.Media.Outbound;

namespace RenderFarm.Media.Sources;

/// <summary>
/// Turns a request's MediaURL into a local file that may be read, treating the URL as hostile:
/// local paths and file:// URLs must really (after symlinks) lie inside an allowed root and be
/// regular files; http(s) URLs follow the <see cref="OutboundPolicy"/> (allowed host re-checked on every
/// redirect, no internal addresses after DNS) and are downloaded, size- and time-capped, into the cache. Everything else is refused with a
/// <see cref="RequestException"/> at <c>jsonPath</c>.
/// </summary>
public sealed partial class MediaSourceResolver : IDisposable
{
    private const int BufferSize = 81920;

    private readonly MediaSourcePolicy _policy;
    private readonly HttpClient _http;

    /// <param name="resolve">Replaces DNS (tests); the connection still goes through <see cref="OutboundHttp"/>.</param>
    public MediaSourceResolver(MediaSourcePolicy policy, HostResolver? resolve = null)
    {
        _policy = policy;
        // Redirects are followed by hand so every hop's host is checked; DownloadTimeout covers headers and body together.
        _http = OutboundHttp.CreateClient(policy.Outbound, resolve);
    }

    private OutboundPolicy Outbound => _policy.Outbound;

    /// <summary>The local file to read: an admitted local file as it is, an admitted URL once downloaded.</summary>
    public async Task<string> ResolveAsync(string mediaUrl, string jsonPath, string baseDirectory, CancellationToken ct) =>
        Admit(mediaUrl, jsonPath, baseDirectory) ?? await DownloadAsync(mediaUrl, jsonPath, ct).ConfigureAwait(false);

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
        catch (IOException) { throw Refuse(jsonPath, $"MediaURL {Quote(mediaUrl)} cannot be resolved (a symbolic link loop or an unreadable directory)"); }

        // Roots are resolved too, so a root reached through a symlink (e.g. /tmp on macOS) still matches.
        // The message names neither the roots nor where a link leads: server paths are not the caller's to learn.
        if (!_policy.AllowedRoots.Any(root => RealPath.IsUnder(real, RealPath.Resolve(Path.GetFullPath(root)))))
        {
            var via = real == Path.GetFullPath(absolutePath) ? "" : " leads through a symbolic link to a file that";
            throw Refuse(jsonPath, $"{Quote(mediaUrl)}{via} is outside the allowed media roots (RENDERFARM_ALLOWED_ROOTS; `farm node --media-root DIR`)");
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
        deadline.CancelAfter(Outbound.DownloadTimeout);
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
                ? $"download of {Quote(mediaUrl)} timed out after {Describe(Outbound.DownloadTimeout)}"
                : $"could not connect to {uri.Authority} within {Describe(Outbound.ConnectTimeout)}");
        }
        catch (HttpRequestException e) when (e.InnerException is OutboundRefusedException refused)
        {
            throw Refuse(jsonPath, $"download of {Quote(mediaUrl)} refused: {OneLine(refused.Message)}");
        }
        // Messages of file errors name the cache's path, which the caller never sent: show it as <cache>.
        catch (HttpRequestException e) { throw Refuse(jsonPath, $"download of {Quote(mediaUrl)} failed: {WithoutCache(e.Message)}"); }
        catch (IOException e) { throw Refuse(jsonPath, $"download of {Quote(mediaUrl)} failed: {WithoutCache(e.Message)}"); }
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
            if (redirects == Outbound.MaxRedirects) throw Refuse(jsonPath, $"download of {Quote(mediaUrl)} was redirected more than {Outbound.MaxRedirects} times");
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
        if (Outbound.RefusalOf(uri) is not { } refusal) return;
        var what = redirected ? $"MediaURL redirects to {Quote(uri.OriginalString)}, which" : $"MediaURL {Quote(uri.OriginalString)}";
        throw Refuse(jsonPath, $"{what} {refusal}");
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

    private string WithoutCache(string message) => OneLine(message).Replace(_policy.CacheDirectory, "<cache>", StringComparison.Ordinal);

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
