using System.Net;
using System.Net.Sockets;
using FluentAssertions;
using RenderFarm.TestSupport;
using Xunit;

namespace RenderFarm.Cli.Tests;

/// <summary>http(s) MediaURLs: rendered when the host is allowed, refused otherwise.</summary>
public sealed class HttpMediaTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly HttpListener _server = new();
    private readonly int _port;
    private int _requests;

    public HttpMediaTests()
    {
        var media = new TestMedia(_dir.File("served"));
        var clip = File.ReadAllBytes(media.ColourVideo("clip.mp4", "green", 1));
        _port = FreePort();
        _server.Prefixes.Add($"http://127.0.0.1:{_port}/");
        _server.Start();
        _ = Task.Run(async () =>
        {
            while (_server.IsListening)
            {
                HttpListenerContext context;
                try { context = await _server.GetContextAsync(); } catch (Exception) { return; }
                Interlocked.Increment(ref _requests);
                context.Response.ContentType = "video/mp4";
                context.Response.ContentLength64 = clip.Length;
                await context.Response.OutputStream.WriteAsync(clip);
                context.Response.Close();
            }
        });
    }

    public void Dispose()
    {
        _server.Close();
        _dir.Dispose();
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private string Timeline()
    {
        var path = _dir.File("timeline.json");
        File.WriteAllText(path, $$"""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"http://127.0.0.1:{{_port}}/clip.mp4"}]}]}""");
        return path;
    }

    [Fact]
    public void A_url_on_an_allowed_host_is_downloaded_once_and_rendered()
    {
        var env = new Dictionary<string, string> { ["RENDERFARM_ALLOWED_HOSTS"] = $"127.0.0.1:{_port}" };
        var first = FarmProcess.Run(_dir.Path, env, "render", Timeline(), "-o", _dir.File("a.mp4"), "-q");
        var second = FarmProcess.Run(_dir.Path, env, "render", Timeline(), "-o", _dir.File("b.mp4"), "-q");

        first.ExitCode.Should().Be(0, first.Stderr);
        second.ExitCode.Should().Be(0, second.Stderr);
        Inspect.Probe(_dir.File("b.mp4")).VideoFrames.Should().Be(25);
        _requests.Should().Be(1, "the second render reuses the cached download");
    }

    [Fact]
    public void A_url_on_a_host_not_allowed_is_refused_without_a_request()
    {
        var result = FarmProcess.Run(_dir.Path, "render", Timeline(), "-o", _dir.File("out.mp4"));

        result.ExitCode.Should().Be(2);
        result.Errors.Should().ContainSingle().Which.Should().Contain("VideoTracks[0].VideoTrackClips[0].MediaURL").And.Contain("127.0.0.1");
        _requests.Should().Be(0);
        File.Exists(_dir.File("out.mp4")).Should().BeFalse();
    }
}
