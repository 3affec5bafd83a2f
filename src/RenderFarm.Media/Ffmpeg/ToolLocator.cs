namespace RenderFarm.Media.Ffmpeg;

/// <summary>Finds ffmpeg/ffprobe: an explicit environment variable wins, else the first match on PATH.</summary>
internal static class ToolLocator
{
    public static string Find(string name, string variable)
    {
        var configured = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrWhiteSpace(configured))
            return File.Exists(configured)
                ? Path.GetFullPath(configured)
                : throw new ToolNotFoundException($"{variable} is '{configured}', which does not exist; run scripts/setup.sh or fix {variable}", configured);

        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate) && IsExecutable(candidate)) return Path.GetFullPath(candidate);
        }
        throw new ToolNotFoundException($"{name} was not found; run scripts/setup.sh (or set {variable})", name);
    }

    private static bool IsExecutable(string path) =>
        OperatingSystem.IsWindows()
        || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}

/// <summary>A program this host needs is not installed: a fault of the host, not of the request that needed it.</summary>
public sealed class ToolNotFoundException(string message, string tool) : FileNotFoundException(message, tool);
