using FluentAssertions;
using RenderFarm.TestSupport;
using RenderFarm.TestSupport.Farm;
using Xunit;

namespace RenderFarm.Cli.Tests;

/// <summary>The embedded default works with no credential setup, and nothing else gets in.</summary>
public sealed class CredentialCommandTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_node_without_a_token_makes_a_local_one_that_the_CLI_finds_and_others_do_not_have()
    {
        var data = Path.Combine(_dir.Path, "node");
        using var node = await FarmNodeProcess.StartAsync("solo", "gateway", new Dictionary<string, string>
        {
            ["RENDERFARM_DATA_DIR"] = data,
            ["RENDERFARM_OPERATOR_TOKEN"] = "", // as on a fresh machine: none set
            ["RENDERFARM_CACHE_DIR"] = Path.Combine(_dir.Path, "cache"),
        });
        var tokenFile = Path.Combine(data, "operator.token");
        File.Exists(tokenFile).Should().BeTrue();
        if (!OperatingSystem.IsWindows())
            File.GetUnixFileMode(tokenFile).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite, "other local users cannot read it");

        var local = FarmProcess.Run(_dir.Path, new Dictionary<string, string> { ["RENDERFARM_DATA_DIR"] = data, ["RENDERFARM_OPERATOR_TOKEN"] = "" },
            "jobs", "list", "--gateway", node.Url);
        local.ExitCode.Should().Be(0, local.Stderr);

        var key = FarmProcess.Run(_dir.Path, new Dictionary<string, string> { ["RENDERFARM_DATA_DIR"] = data, ["RENDERFARM_OPERATOR_TOKEN"] = "" },
            "keys", "create", "editor", "--scope", "read", "--gateway", node.Url);
        key.ExitCode.Should().Be(0, key.Stderr);
        var secret = key.Stdout.Trim().Split(' ')[^1];
        secret.Should().StartWith("rfk_");
        var reader = new Dictionary<string, string> { ["RENDERFARM_API_KEY"] = secret, ["RENDERFARM_OPERATOR_TOKEN"] = "" };
        var watching = FarmProcess.Run(_dir.Path, reader, "cluster", "show", "--gateway", node.Url);
        watching.ExitCode.Should().Be(0, "a read key watches the farm (as the web monitor does): " + watching.Stderr);
        var asReader = FarmProcess.Run(_dir.Path, reader, "keys", "list", "--gateway", node.Url);
        asReader.ExitCode.Should().NotBe(0);
        asReader.Errors.Should().ContainSingle().Which.Should().Contain("Authorization").And.Contain("needs operate");

        var stranger = FarmProcess.Run(_dir.Path, new Dictionary<string, string>
            { ["RENDERFARM_DATA_DIR"] = Path.Combine(_dir.Path, "elsewhere"), ["RENDERFARM_OPERATOR_TOKEN"] = "" }, "jobs", "list", "--gateway", node.Url);
        stranger.ExitCode.Should().NotBe(0);
        stranger.Errors.Should().ContainSingle().Which.Should().Contain("RENDERFARM_OPERATOR_TOKEN", "the error names where a credential comes from");
        await Task.CompletedTask.WaitAsync(Ct);
    }
}
