namespace RenderFarm.Cli.Tests;

/// <summary>What `ps` would show, read from /proc (Linux): children of a process and whether a pid still runs.</summary>
internal static class LinuxProcesses
{
    /// <summary>The direct children of <paramref name="parent"/> as (pid, command name).</summary>
    public static IReadOnlyList<(int Pid, string Name)> Children(int parent)
    {
        var children = new List<(int, string)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            if (Stat(pid) is { } stat && stat.Parent == parent) children.Add((pid, stat.Name));
        }
        return children;
    }

    /// <summary>True while <paramref name="pid"/> exists and is not a zombie waiting to be reaped.</summary>
    public static bool IsRunning(int pid) => Stat(pid) is { State: not 'Z' and not 'X' };

    private static (string Name, char State, int Parent)? Stat(int pid)
    {
        string text;
        try { text = File.ReadAllText($"/proc/{pid}/stat"); }
        catch (IOException) { return null; }          // exited while we looked
        catch (UnauthorizedAccessException) { return null; }
        // "pid (name) S ppid ...": the name may hold spaces and parentheses, so split at the last ')'.
        var open = text.IndexOf('(');
        var close = text.LastIndexOf(')');
        if (open < 0 || close < open) return null;
        var rest = text[(close + 2)..].Split(' ');
        return (text[(open + 1)..close], rest[0][0], int.Parse(rest[1]));
    }
}
