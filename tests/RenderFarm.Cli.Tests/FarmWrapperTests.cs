using System.Diagnostics;
using FluentAssertions;
using RenderFarm.TestSupport;
using Xunit;

namespace RenderFarm.Cli.Tests;

/// <summary>
/// The `farm` wrapper script runs the built CLI and rebuilds it first when a source is newer. Run in a
/// copy of the repository layout with a fake `dotnet` and setup.sh that only record how they were called.
/// </summary>
public sealed class FarmWrapperTests : IDisposable
{
    private readonly TempDir _root = new();
    private readonly string _log;
    private readonly string _dll;
    private static readonly DateTime Built = new(2025, 1, 1, 12, 0, 0, DateTimeKind.Utc);

    public FarmWrapperTests()
    {
        _log = _root.File("calls.log");
        File.Copy(Path.Combine(RepositoryRoot(), "farm"), _root.File("farm"));
        Directory.CreateDirectory(_root.File("bin"));
        Directory.CreateDirectory(_root.File("scripts"));
        Directory.CreateDirectory(_root.File(".build/farm"));
        Script("bin/dotnet", $"echo \"dotnet $*\" >> '{_log}'");
        Script("scripts/setup.sh", $"echo setup >> '{_log}'");
        _dll = _root.File(".build/farm/farm.dll");
        File.WriteAllText(_dll, "");
        File.SetLastWriteTimeUtc(_dll, Built);
        Source("Directory.Build.props", Built.AddHours(-1));
        Source("src/RenderFarm.Cli/RenderFarm.Cli.csproj", Built.AddHours(-1));
        Source("src/RenderFarm.Cli/Program.cs", Built.AddHours(-1));
        Source("src/RenderFarm.Media/Rendering/TimelineRenderer.cs", Built.AddHours(-1));
    }

    public void Dispose() => _root.Dispose();

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "RenderFarm.sln")) && File.Exists(Path.Combine(dir.FullName, "farm")))
                return dir.FullName;
        throw new DirectoryNotFoundException("the repository root (RenderFarm.sln and farm)");
    }

    private void Script(string relative, string body)
    {
        var path = _root.File(relative);
        File.WriteAllText(path, $"#!/usr/bin/env bash\n{body}\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private void Source(string relative, DateTime modified)
    {
        var path = _root.File(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "// source");
        File.SetLastWriteTimeUtc(path, modified);
    }

    private IReadOnlyList<string> RunFarm()
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(_root.File("farm"));
        start.ArgumentList.Add("validate");
        start.ArgumentList.Add("x.json");
        start.Environment["PATH"] = $"{_root.File("bin")}:{Environment.GetEnvironmentVariable("PATH")}";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        process.ExitCode.Should().Be(0, stderr.Result);
        return File.Exists(_log) ? File.ReadAllLines(_log) : [];
    }

    private string Run => $"dotnet {_dll} validate x.json";
    private string Build => $"dotnet build {_root.File("src/RenderFarm.Cli")} -c Release -nologo -v quiet -clp:ErrorsOnly -o {_root.File(".build/farm")}";

    [Fact]
    public void An_up_to_date_build_runs_without_rebuilding()
    {
        RunFarm().Should().Equal(Run);
    }

    [Theory]
    [InlineData("src/RenderFarm.Media/Rendering/TimelineRenderer.cs")]
    [InlineData("src/RenderFarm.Cli/RenderFarm.Cli.csproj")]
    [InlineData("src/RenderFarm.Core/Planning/New.cs")]
    [InlineData("Directory.Build.props")]
    public void A_newer_source_file_rebuilds_before_running(string changed)
    {
        Source(changed, Built.AddMinutes(5));

        RunFarm().Should().Equal(Build, Run);
        File.GetLastWriteTimeUtc(_dll).Should().BeAfter(Built, "the build is marked current, so the next run does not rebuild");
    }

    [Fact]
    public void Newer_files_under_obj_or_bin_do_not_trigger_a_rebuild()
    {
        Source("src/RenderFarm.Cli/obj/Debug/net10.0/farm.AssemblyInfo.cs", Built.AddMinutes(5));
        Source("src/RenderFarm.Cli/bin/Debug/Generated.cs", Built.AddMinutes(5));

        RunFarm().Should().Equal(Run);
    }

    [Fact]
    public void Without_a_build_setup_runs_first()
    {
        File.Delete(_dll);

        RunFarm().Should().Equal("setup", Run);
    }
}
