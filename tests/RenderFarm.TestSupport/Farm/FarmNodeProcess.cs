using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RenderFarm.TestSupport.Farm;

/// <summary>
/// A real `farm node` process (farm.dll next to the calling test or benchmark assembly) with its own HTTP port. Logs are kept
/// for failure messages. <see cref="Kill"/> is kill -9: no cleanup, no goodbye.
/// </summary>
public sealed class FarmNodeProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    public string Name { get; }
    public int Port { get; }
    public string Url => $"http://127.0.0.1:{Port}";
    public string Log { get { lock (_log) return _log.ToString(); } }
    public bool Exited => _process.HasExited;
    public int ProcessId => _process.Id;

    /// <summary>Waits for the process to end by itself; null if it still runs after <paramref name="timeout"/>.</summary>
    public int? WaitForExit(TimeSpan timeout) => _process.WaitForExit(timeout) ? _process.ExitCode : null;

    private FarmNodeProcess(string name, string roles, IReadOnlyDictionary<string, string> environment, int port, params string[] extra)
    {
        Name = name;
        Port = port;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "farm.dll"));
        foreach (var a in new[] { "node", "--roles", roles, "--name", name, "--urls", Url }.Concat(extra)) start.ArgumentList.Add(a);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    public static async Task<FarmNodeProcess> StartAsync(string name, string roles, IReadOnlyDictionary<string, string> environment, params string[] extra)
    {
        var node = new FarmNodeProcess(name, roles, environment, FreePort(), extra);
        await node.WaitReadyAsync(TimeSpan.FromSeconds(60));
        return node;
    }

    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"node {Name} exited ({_process.ExitCode}):\n{Log}");
            try
            {
                using var response = await http.GetAsync($"{Url}/readyz");
                if (response.IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException($"node {Name} not ready in {timeout}:\n{Log}");
    }

    /// <summary>kill -9 of the node (its ffmpeg children are orphaned, as after a machine loss; they are killed too so the test machine stays clean).</summary>
    public void Kill()
    {
        var children = ChildProcesses(_process.Id);
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit();
        foreach (var child in children)
        {
            try { Process.GetProcessById(child).Kill(); } catch (ArgumentException) { } catch (InvalidOperationException) { }
        }
    }

    /// <summary>SIGSTOP: the process freezes (its children go on), as a node that stops answering.</summary>
    public void Freeze() => Process.Start("kill", ["-STOP", _process.Id.ToString()])!.WaitForExit();

    /// <summary>SIGCONT: a frozen node wakes up.</summary>
    public void Thaw() => Process.Start("kill", ["-CONT", _process.Id.ToString()])!.WaitForExit();

    /// <summary>SIGTERM and wait for a clean exit.</summary>
    public bool Stop(TimeSpan timeout)
    {
        if (_process.HasExited) return true;
        Process.Start("kill", ["-TERM", _process.Id.ToString()])!.WaitForExit();
        return _process.WaitForExit(timeout);
    }

    private static List<int> ChildProcesses(int parent)
    {
        var children = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1]) == parent) children.Add(pid);
            }
            catch (IOException) { }
        }
        return children;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (!_process.HasExited) Kill();
        _process.Dispose();
    }
}
