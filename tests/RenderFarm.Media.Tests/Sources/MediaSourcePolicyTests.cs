using FluentAssertions;
using RenderFarm.Media.Sources;
using Xunit;

namespace RenderFarm.Media.Tests.Sources;

public sealed class MediaSourcePolicyTests
{
    [Fact]
    public void Defaults_are_safe()
    {
        var policy = new MediaSourcePolicy();
        policy.AllowedRoots.Should().BeEmpty();
        policy.Outbound.AllowedHosts.Should().BeEmpty();
        policy.Outbound.AllowPrivateAddresses.Should().BeFalse();
        policy.MaxDownloadBytes.Should().Be(2L << 30);
        policy.Outbound.DownloadTimeout.Should().Be(TimeSpan.FromMinutes(10));
        policy.Outbound.ConnectTimeout.Should().Be(TimeSpan.FromSeconds(15));
        policy.Outbound.MaxRedirects.Should().Be(5);
        policy.CacheDirectory.Should().EndWith("/.cache/renderfarm");
    }

    [Fact]
    public void Reads_the_environment_and_always_allows_the_base_directory()
    {
        var env = new Dictionary<string, string>
        {
            ["RENDERFARM_ALLOWED_ROOTS"] = "/data/media: /srv/clips/ ::/work/base",
            ["RENDERFARM_ALLOWED_HOSTS"] = "cdn.example.com, 127.0.0.1:8080,",
            ["RENDERFARM_CACHE_DIR"] = "/var/cache/rf",
        };

        var policy = MediaSourcePolicy.FromEnvironment("/work/base", env.GetValueOrDefault);

        policy.AllowedRoots.Should().Equal("/work/base", "/data/media", "/srv/clips/");
        policy.Outbound.AllowedHosts.Should().Equal("cdn.example.com", "127.0.0.1:8080");
        policy.CacheDirectory.Should().Be("/var/cache/rf");
    }

    [Fact]
    public void Without_variables_only_the_base_directory_is_allowed()
    {
        var policy = MediaSourcePolicy.FromEnvironment("/work/base", _ => null);

        policy.AllowedRoots.Should().Equal("/work/base");
        policy.Outbound.AllowedHosts.Should().BeEmpty();
        policy.CacheDirectory.Should().Be(MediaSourcePolicy.DefaultCacheDirectory);
    }

    [Fact]
    public void Refuses_relative_roots()
    {
        var act = () => MediaSourcePolicy.FromEnvironment("/work/base", _ => "media");
        act.Should().Throw<InvalidOperationException>().WithMessage("*'media' is not an absolute path*");
    }
}
