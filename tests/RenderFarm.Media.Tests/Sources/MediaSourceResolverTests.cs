using RenderFarm.TestSupport.Servers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using FluentAssertions;
using RenderFarm.Core.Json;
using RenderFarm.Media.Outbound;
using RenderFarm.Media.Sources;
using Xunit;

namespace RenderFarm.Media.Tests.Sources;

public sealed class MediaSourceResolverTests : IDisposable
{
    private const string JsonPath = "VideoTracks[0].VideoTrackClips[0].MediaURL";
    private readonly TempDirectory _temp = new();
    private readonly string _root;
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public MediaSourceResolverTests()
    {
        _root = _temp.Combine("root");
        Directory.CreateDirectory(_root);
    }

    public void Dispose() => _temp.Dispose();

    private MediaSourceResolver Resolver(Func<MediaSourcePolicy, MediaSourcePolicy>? adjust = null, HostResolver? dns = null)
    {
        var policy = new MediaSourcePolicy { AllowedRoots = [_root], CacheDirectory = _temp.Combine("cache") };
        return new MediaSourceResolver(adjust is null ? policy : adjust(policy), dns);
    }

    /// <summary>DNS as a hostile or internal zone would answer: every name resolves to <paramref name="address"/>.</summary>
    private static HostResolver Dns(string address) => (_, _) => Task.FromResult(new[] { IPAddress.Parse(address) });

    private async Task<RequestException> Refused(MediaSourceResolver resolver, string url)
    {
        var act = () => resolver.ResolveAsync(url, JsonPath, _root, _ct);
        var error = (await act.Should().ThrowAsync<RequestException>()).Which;
        error.Path.Should().Be(JsonPath);
        error.Reason.Should().NotContain("\n");
        return error;
    }

    // ---- local files ----

    [Fact]
    public async Task Accepts_absolute_relative_and_file_urls_inside_the_root()
    {
        var file = _temp.File("root/clips/my clip.mp4");
        using var resolver = Resolver();

        (await resolver.ResolveAsync(file, JsonPath, _root, _ct)).Should().Be(file);
        (await resolver.ResolveAsync("clips/my clip.mp4", JsonPath, _root, _ct)).Should().Be(file);
        (await resolver.ResolveAsync("./clips/../clips/my clip.mp4", JsonPath, _root, _ct)).Should().Be(file);
        (await resolver.ResolveAsync("file://" + file.Replace(" ", "%20"), JsonPath, _root, _ct)).Should().Be(file);
        (await resolver.ResolveAsync("file://localhost" + file, JsonPath, _root, _ct)).Should().Be(file);
    }

    [Fact]
    public async Task Refuses_dot_dot_escapes()
    {
        _temp.File("outside.mp4");
        using var resolver = Resolver();

        (await Refused(resolver, "../outside.mp4")).Reason.Should().Contain("outside the allowed media roots").And.NotContain(_root, "server paths are never shown");
        (await Refused(resolver, "file://" + _root + "/../outside.mp4")).Reason.Should().Contain("outside the allowed media roots");
    }

    [Fact]
    public async Task Refuses_a_sibling_directory_that_shares_the_roots_prefix()
    {
        var sibling = _temp.File("root2/a.mp4");
        using var resolver = Resolver();

        (await Refused(resolver, sibling)).Reason.Should().Contain("outside the allowed media roots");
    }

    [Fact]
    public async Task Refuses_symlinks_inside_the_root_that_point_outside()
    {
        var outside = _temp.File("secret/outside.mp4");
        File.CreateSymbolicLink(Path.Combine(_root, "link.mp4"), outside);
        Directory.CreateSymbolicLink(Path.Combine(_root, "linkdir"), _temp.Combine("secret"));
        File.CreateSymbolicLink(Path.Combine(_root, "relative.mp4"), "../secret/outside.mp4");
        using var resolver = Resolver();

        (await Refused(resolver, "link.mp4")).Reason.Should().Contain("symbolic link").And.Contain("outside the allowed media roots").And.NotContain(outside);
        (await Refused(resolver, "linkdir/outside.mp4")).Reason.Should().Contain("outside the allowed media roots");
        (await Refused(resolver, "relative.mp4")).Reason.Should().Contain("outside the allowed media roots");
        // ".." after a symlinked directory climbs from the link's target, as the kernel does
        // (read lexically this would be root/secret/outside.mp4, inside the root).
        (await Refused(resolver, "linkdir/../secret/outside.mp4")).Reason.Should().Contain("symbolic link").And.NotContain(outside);
    }

    [Fact]
    public async Task Refuses_symlink_loops()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "a.mp4"), "b.mp4");
        File.CreateSymbolicLink(Path.Combine(_root, "b.mp4"), "a.mp4");
        using var resolver = Resolver();

        (await Refused(resolver, "a.mp4")).Reason.Should().Contain("symbolic link loop");
    }

    [Fact]
    public async Task Follows_symlinks_that_stay_inside_the_root()
    {
        var real = _temp.File("root/real/a.mp4");
        File.CreateSymbolicLink(Path.Combine(_root, "alias.mp4"), "real/a.mp4");
        using var resolver = Resolver();

        (await resolver.ResolveAsync("alias.mp4", JsonPath, _root, _ct)).Should().Be(real);
    }

    [Fact]
    public async Task Refuses_etc_passwd()
    {
        using var resolver = Resolver();

        (await Refused(resolver, "/etc/passwd")).Reason.Should().Be("'/etc/passwd' is outside the allowed media roots (RENDERFARM_ALLOWED_ROOTS; `farm node --media-root DIR`)");
        (await Refused(resolver, "file:///etc/passwd")).Reason.Should().Contain("outside the allowed media roots");
        (await Refused(resolver, "file:/etc/%70asswd")).Reason.Should().Contain("outside the allowed media roots");
    }

    [Fact]
    public async Task Refuses_missing_files_directories_fifos_and_devices()
    {
        Directory.CreateDirectory(Path.Combine(_root, "dir"));
        var mkfifo = Process.Start("mkfifo", Path.Combine(_root, "fifo.mp4"))!;
        await mkfifo.WaitForExitAsync(_ct);
        using var resolver = Resolver();

        (await Refused(resolver, "missing.mp4")).Reason.Should().Be("'missing.mp4' was not found");
        (await Refused(resolver, "dir")).Reason.Should().Contain("is a directory");
        (await Refused(resolver, "fifo.mp4")).Reason.Should().Contain("not a regular file");
        using var devices = Resolver(p => p with { AllowedRoots = ["/dev"] });
        (await Refused(devices, "/dev/null")).Reason.Should().Contain("not a regular file");
    }

    [Theory]
    [InlineData("ftp://example.com/a.mp4", "uses scheme ftp; supported: local paths, file://, http(s)://")]
    [InlineData("data:video/mp4;base64,AAAA", "uses scheme data")]
    [InlineData("concat:/etc/passwd|a.mp4", "uses scheme concat")]
    [InlineData("pipe:0", "uses scheme pipe")]
    [InlineData("subfile:,,start,0,end,0,:/etc/passwd", "uses scheme subfile")]
    [InlineData("javascript:alert(1)", "uses scheme javascript")]
    [InlineData("HTTP://user:secret@example.com/a.mp4", "MediaURL 'HTTP://***@example.com/a.mp4' contains credentials")]
    [InlineData("ftp://user:secret@example.com/a.mp4", "MediaURL 'ftp://***@example.com/a.mp4' uses scheme ftp")]
    [InlineData("file://otherhost/a.mp4", "names host 'otherhost'")]
    [InlineData("file:a.mp4", "has no absolute path")]
    [InlineData("", "MediaURL is empty")]
    [InlineData("a\0.mp4", "contains a NUL character")]
    [InlineData("file:///root/a%00.mp4", "contains a NUL character")]
    public async Task Refuses_other_schemes_and_malformed_urls(string url, string reason)
    {
        using var resolver = Resolver(p => p.Allowing(["example.com"]));
        (await Refused(resolver, url)).Reason.Should().Contain(reason);
    }

    [Fact]
    public void ForFfmpeg_prefixes_the_absolute_path_with_the_file_protocol() =>
        MediaSourceResolver.ForFfmpeg("/data/concat:a|b.mp4").Should().Be("file:/data/concat:a|b.mp4");

    // ---- downloads ----

    [Fact]
    public async Task Refuses_hosts_that_are_not_allowed()
    {
        using var resolver = Resolver(p => p.Allowing(["cdn.example.com", "127.0.0.1:1"]));

        (await Refused(resolver, "http://evil.com/a.mp4")).Reason.Should().Be("MediaURL 'http://evil.com/a.mp4' has host 'evil.com', not in the allowed hosts");
        (await Refused(resolver, "https://cdn.example.com:8443/a.mp4")).Reason.Should().Contain("host 'cdn.example.com:8443'");
        (await Refused(resolver, "http://127.0.0.1:2/a.mp4")).Reason.Should().Contain("not in the allowed hosts");
        using var none = Resolver();
        (await Refused(none, "https://cdn.example.com/a.mp4")).Reason.Should().Contain("none configured");
    }

    [Theory]
    [InlineData("cdn.example.com", "https://CDN.example.com/a", true)]
    [InlineData("cdn.example.com", "http://cdn.example.com/a", true)]
    [InlineData("cdn.example.com", "http://cdn.example.com:8080/a", false)]
    [InlineData("cdn.example.com:8080", "http://cdn.example.com:8080/a", true)]
    [InlineData("cdn.example.com:8080", "http://cdn.example.com/a", false)]
    [InlineData("[::1]:8080", "http://[::1]:8080/a", true)]
    [InlineData("example.com", "http://example.com.evil.net/a", false)]
    public void Host_entries_match_host_and_port(string entry, string url, bool matches) =>
        OutboundPolicy.HostMatches(entry, new Uri(url)).Should().Be(matches);

    [Fact]
    public async Task Downloads_into_the_cache_and_reuses_it_without_a_request()
    {
        using var server = new TestHttpServer();
        var body = Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray();
        server.MapBytes("/media/clip.mp4", body);
        using var resolver = Resolver(p => p.Allowing([server.HostPort]));
        var url = server.Url("/media/clip.mp4?sig=abc");

        var first = await resolver.ResolveAsync(url, JsonPath, _root, _ct);
        var second = await resolver.ResolveAsync(url, JsonPath, _root, _ct);

        first.Should().Be(second).And.StartWith(_temp.Combine("cache", "downloads") + "/").And.EndWith(".mp4");
        (await File.ReadAllBytesAsync(first, _ct)).Should().Equal(body);
        server.Requests("/media/clip.mp4").Should().Be(1);
        Directory.GetFiles(_temp.Combine("cache", "downloads"), "*.part").Should().BeEmpty();
    }

    [Fact]
    public async Task Follows_redirects_within_the_allowed_hosts()
    {
        using var server = new TestHttpServer();
        server.MapBytes("/real.png", [9, 8, 7]);
        server.MapRedirect("/a", "/b");
        server.MapRedirect("/b", server.Url("/real.png"));
        using var resolver = Resolver(p => p.Allowing([server.HostPort]));

        var path = await resolver.ResolveAsync(server.Url("/a"), JsonPath, _root, _ct);

        (await File.ReadAllBytesAsync(path, _ct)).Should().Equal(9, 8, 7);
    }

    [Fact]
    public async Task Refuses_a_redirect_to_a_host_that_is_not_allowed()
    {
        using var server = new TestHttpServer();
        server.MapRedirect("/a.mp4", "http://evil.example/steal.mp4");
        using var resolver = Resolver(p => p.Allowing([server.HostPort]));

        (await Refused(resolver, server.Url("/a.mp4"))).Reason
            .Should().Be("MediaURL redirects to 'http://evil.example/steal.mp4', which has host 'evil.example', not in the allowed hosts");
    }

    [Fact]
    public async Task Refuses_endless_redirects_and_http_errors()
    {
        using var server = new TestHttpServer();
        server.MapRedirect("/loop", "/loop");
        using var resolver = Resolver(p => p.Allowing([server.HostPort]));

        (await Refused(resolver, server.Url("/loop"))).Reason.Should().Contain("redirected more than 5 times");
        server.Requests("/loop").Should().Be(6);
        (await Refused(resolver, server.Url("/missing.mp4"))).Reason.Should().Contain("failed: HTTP 404");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Refuses_downloads_over_the_limit(bool chunked)
    {
        using var server = new TestHttpServer();
        server.MapBytes("/big.mp4", new byte[50_000], chunked);
        using var resolver = Resolver(p => p.Allowing([server.HostPort]) with { MaxDownloadBytes = 10 * 1024 });

        (await Refused(resolver, server.Url("/big.mp4"))).Reason.Should().Be("download exceeds the 10 KiB limit");
        Directory.GetFiles(_temp.Combine("cache", "downloads")).Should().BeEmpty();
    }

    [Fact]
    public async Task Times_out_on_a_server_that_never_answers()
    {
        // Connections complete in the kernel backlog; nobody ever reads or answers them.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        using var resolver = Resolver(p => p.Allowing([$"127.0.0.1:{port}"], downloadTimeout: TimeSpan.FromSeconds(1)));
        var clock = Stopwatch.StartNew();

        (await Refused(resolver, $"http://127.0.0.1:{port}/a.mp4")).Reason.Should().Contain("timed out after 1 s");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
        Directory.GetFiles(_temp.Combine("cache", "downloads")).Should().BeEmpty();
    }

    [Fact]
    public async Task Caller_cancellation_is_not_reported_as_a_timeout()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        using var resolver = Resolver(p => p.Allowing([$"127.0.0.1:{port}"]));
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(_ct);
        cancel.CancelAfter(200);

        var act = () => resolver.ResolveAsync($"http://127.0.0.1:{port}/a.mp4", JsonPath, _root, cancel.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    // ---- internal addresses and cancellation ----

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("169.254.169.254")]
    public async Task Refuses_a_redirect_to_an_internal_address_and_does_not_follow_it(string internalHost)
    {
        using var server = new TestHttpServer();
        using var inside = new TestHttpServer();
        inside.MapBytes("/secret", [1, 2, 3]);
        var target = internalHost == "127.0.0.1" ? inside.Url("/secret") : $"http://{internalHost}/latest/meta-data/";
        server.MapRedirect("/a.mp4", target);
        using var resolver = Resolver(p => p.Allowing([server.HostPort]));

        (await Refused(resolver, server.Url("/a.mp4"))).Reason.Should().Contain($"redirects to '{target}'").And.Contain("not in the allowed hosts");
        inside.Requests("/secret").Should().Be(0, "the redirect is not followed");
    }

    [Fact]
    public async Task Refuses_a_host_name_that_resolves_to_loopback_unless_private_addresses_are_allowed()
    {
        using var server = new TestHttpServer(anyHostName: true);
        server.MapBytes("/a.mp4", [4, 5, 6]);
        var url = $"http://media.test:{server.Port}/a.mp4";
        using var resolver = Resolver(p => p.Allowing([$"media.test:{server.Port}"]), Dns("127.0.0.1"));

        (await Refused(resolver, url)).Reason
            .Should().Be($"download of '{url}' refused: host 'media.test' resolves to 127.0.0.1, a loopback address (see RENDERFARM_ALLOW_PRIVATE_HOSTS)");
        server.Requests("/a.mp4").Should().Be(0);

        using var allowed = Resolver(p => p.Allowing([$"media.test:{server.Port}"], allowPrivate: true), Dns("127.0.0.1"));
        (await File.ReadAllBytesAsync(await allowed.ResolveAsync(url, JsonPath, _root, _ct), _ct)).Should().Equal(4, 5, 6);
    }

    [Fact]
    public async Task Checks_the_address_of_every_redirect_hop()
    {
        using var server = new TestHttpServer();
        server.MapBytes("/real.mp4", [7]);
        server.MapRedirect("/a.mp4", $"http://rebound.test:{server.Port}/real.mp4");
        using var resolver = Resolver(p => p.Allowing([server.HostPort, $"rebound.test:{server.Port}"]), Dns("10.1.2.3"));

        (await Refused(resolver, server.Url("/a.mp4"))).Reason.Should().Contain("host 'rebound.test' resolves to 10.1.2.3, a private address");
        server.Requests("/real.mp4").Should().Be(0);
    }

    [Fact]
    public async Task Cancelling_a_download_that_stalls_mid_body_closes_the_connection_at_once()
    {
        using var stalling = new StallingServer();
        using var resolver = Resolver(p => p.Allowing([stalling.HostPort]));
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(_ct);
        var download = resolver.ResolveAsync(stalling.Url("/stall.mp4"), JsonPath, _root, cancel.Token);
        await stalling.Stalled.WaitAsync(TimeSpan.FromSeconds(10), _ct);

        var clock = Stopwatch.StartNew();
        cancel.Cancel();

        await download.Invoking(d => d).Should().ThrowAsync<OperationCanceledException>();
        (await stalling.Closed.WaitAsync(TimeSpan.FromSeconds(5), _ct)).Should().BeTrue();
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2), "the download ends with the cancellation, not at its 10 min timeout");
        Directory.GetFiles(_temp.Combine("cache", "downloads")).Should().BeEmpty();
    }
}

internal static class PolicyAdjustments
{
    public static MediaSourcePolicy Allowing(this MediaSourcePolicy policy, IReadOnlyList<string> hosts, TimeSpan? downloadTimeout = null, bool allowPrivate = false) =>
        policy with
        {
            Outbound = policy.Outbound with
            {
                AllowedHosts = hosts,
                AllowPrivateAddresses = allowPrivate,
                DownloadTimeout = downloadTimeout ?? policy.Outbound.DownloadTimeout,
            },
        };
}
