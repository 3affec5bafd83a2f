using System.Diagnostics;

namespace RenderFarm.Cli.Tests;

/// <summary>Runs the real `farm` executable (farm.dll next to the tests) as a user would.</summary>
internal static class FarmProcess
{
    /// <summary>The operator token the test nodes run with and the CLI presents (a test that needs none overrides it with "").</summary>
    public const string Token = "cli-test-token";

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public IReadOnlyList<string> StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        public IReadOnlyList<string> Errors => StderrLines.Where(l => l.StartsWith("error:")).ToList();
    }

    public static Result Run(string workingDirectory, params string[] args) => Run(workingDirectory, new Dictionary<string, string>(), args);

    public static Result Run(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "farm.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["RENDERFARM_CACHE_DIR"] = Path.Combine(workingDirectory, ".cache");
        start.Environment["RENDERFARM_OPERATOR_TOKEN"] = Token;
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("farm did not finish in 3 minutes");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }
}
