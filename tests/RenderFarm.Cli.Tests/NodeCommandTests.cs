using FluentAssertions;
using RenderFarm.TestSupport;
using Xunit;

namespace RenderFarm.Cli.Tests;

/// <summary>`farm node` refuses settings that cannot make a working farm, before it starts anything.</summary>
public sealed class NodeCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string, string, string> Refused => new()
    {
        { "RENDERFARM_SEED_NODES", "akka.tcp://renderfarm@127.0.0.1:4053", "error: RENDERFARM_SEED_NODES or RENDERFARM_DISCOVERY is set without RENDERFARM_POSTGRES" },
        { "RENDERFARM_DISCOVERY", "consul", "error: RENDERFARM_SEED_NODES or RENDERFARM_DISCOVERY is set without RENDERFARM_POSTGRES" },
        { "RENDERFARM_REMOTE_PORT", "http", "error: RENDERFARM_REMOTE_PORT: 'http' is not a positive number" },
        { "RENDERFARM_LEASE_SECONDS", "soon", "error: RENDERFARM_LEASE_SECONDS: 'soon' is not a positive number" },
        { "RENDERFARM_ENCODER_THREADS", "1.5", "error: RENDERFARM_ENCODER_THREADS: '1.5' is not a whole number" },
        { "RENDERFARM_MATTING_FPS", "100", "error: RENDERFARM_MATTING_FPS: MattingOptions.AnalysisFps is 100; it must be between 0.5 and 30" },
        { "RENDERFARM_ROLES", "gateway,render", "error: --roles: unknown role(s) render; known: gateway, cpu, gpu" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void A_setting_that_cannot_work_is_refused_with_its_name_and_exit_2(string variable, string value, string error)
    {
        var result = FarmProcess.Run(_dir.Path, new Dictionary<string, string>
        {
            ["RENDERFARM_DATA_DIR"] = Path.Combine(_dir.Path, "data"),
            [variable] = value,
        }, "node", "--urls", "http://127.0.0.1:0");

        result.ExitCode.Should().Be(2, result.Stderr);
        result.Errors.Should().ContainSingle().Which.Should().StartWith(error);
        Directory.Exists(Path.Combine(_dir.Path, "data")).Should().BeFalse("nothing is created for a node that does not start");
    }
}
