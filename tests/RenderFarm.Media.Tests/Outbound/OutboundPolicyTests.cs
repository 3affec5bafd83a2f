using System.Net;
using FluentAssertions;
using RenderFarm.Media.Outbound;
using Xunit;

namespace RenderFarm.Media.Tests.Outbound;

public sealed class OutboundPolicyTests
{
    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.8.9.10", "loopback")]
    [InlineData("::1", "loopback")]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("10.0.0.5", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("192.168.1.1", "private")]
    [InlineData("100.64.0.1", "private")]
    [InlineData("fd00::1", "private")]
    [InlineData("169.254.169.254", "link-local")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("::", "unspecified")]
    [InlineData("224.0.0.1", "multicast or reserved")]
    [InlineData("8.8.8.8", null)]
    [InlineData("172.32.0.1", null)]
    [InlineData("2606:4700::1111", null)]
    public void Classifies_internal_addresses(string address, string? kind) =>
        OutboundPolicy.KindOf(IPAddress.Parse(address)).Should().Be(kind);

    [Fact]
    public void Internal_addresses_are_refused_unless_allowed_or_named_by_the_operator()
    {
        var policy = new OutboundPolicy { AllowedHosts = ["cdn.example.com", "127.0.0.1:8080", "localhost:9000"] };

        policy.AddressRefusal("cdn.example.com", IPAddress.Parse("10.0.0.7"))
            .Should().Be("host 'cdn.example.com' resolves to 10.0.0.7, a private address (see RENDERFARM_ALLOW_PRIVATE_HOSTS)");
        policy.AddressRefusal("cdn.example.com", IPAddress.Parse("93.184.216.34")).Should().BeNull();
        policy.AddressRefusal("127.0.0.1", IPAddress.Loopback).Should().BeNull("an IP literal in the allowed hosts names that address");
        policy.AddressRefusal("localhost", IPAddress.IPv6Loopback).Should().BeNull("'localhost' in the allowed hosts is loopback on purpose");
        (policy with { AllowPrivateAddresses = true }).AddressRefusal("cdn.example.com", IPAddress.Parse("10.0.0.7")).Should().BeNull();
    }

    [Theory]
    [InlineData("https://cdn.example.com/a", null)]
    [InlineData("http://cdn.example.com:81/a", "has host 'cdn.example.com:81', not in the allowed hosts")]
    [InlineData("http://169.254.169.254/latest", "has host '169.254.169.254', not in the allowed hosts")]
    [InlineData("ftp://cdn.example.com/a", "uses scheme ftp; only http(s) is allowed")]
    [InlineData("https://u:p@cdn.example.com/a", "contains credentials (user@host), which are not accepted")]
    public void Urls_must_be_http_without_credentials_to_an_allowed_host(string url, string? refusal) =>
        new OutboundPolicy { AllowedHosts = ["cdn.example.com"] }.RefusalOf(new Uri(url)).Should().Be(refusal);

    [Fact]
    public void Reads_the_environment()
    {
        var env = new Dictionary<string, string> { ["RENDERFARM_ALLOWED_HOSTS"] = " a.example, b.example:8443 ", ["RENDERFARM_ALLOW_PRIVATE_HOSTS"] = "true" };

        var policy = OutboundPolicy.FromEnvironment(env.GetValueOrDefault);

        policy.AllowedHosts.Should().Equal("a.example", "b.example:8443");
        policy.AllowPrivateAddresses.Should().BeTrue();
        OutboundPolicy.FromEnvironment(_ => null).Should().BeEquivalentTo(new OutboundPolicy());
        var typo = () => OutboundPolicy.FromEnvironment(v => v == "RENDERFARM_ALLOW_PRIVATE_HOSTS" ? "yes" : null);
        typo.Should().Throw<InvalidOperationException>().WithMessage("RENDERFARM_ALLOW_PRIVATE_HOSTS: 'yes' is not true or false");
    }
}
