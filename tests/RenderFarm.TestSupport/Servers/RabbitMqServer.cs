using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace RenderFarm.TestSupport.Servers;

/// <summary>
/// A throwaway RabbitMQ node for tests: loopback only, its own ports, data and Erlang cookie in a
/// temp directory. Stop/Start keeps the data (durable queues and persistent messages survive), as
/// a broker restart in production would. Needs Debian's rabbitmq-server (scripts/test.sh installs it).
/// </summary>
public sealed class RabbitMqServer : IDisposable
{
    private const string Bin = "/usr/lib/rabbitmq/bin";
    private readonly string _dir = Directory.CreateTempSubdirectory("renderfarm-rabbit-").FullName;
    private readonly string _node;

    public int Port { get; }
    public string Url => $"amqp://guest:guest@127.0.0.1:{Port}/";

    public RabbitMqServer()
    {
        if (!File.Exists(Path.Combine(Bin, "rabbitmq-server")))
            throw new InvalidOperationException("rabbitmq-server is not installed; run scripts/test.sh (it installs it)");
        Port = FreePort();
        _node = $"rf{Port}@localhost";
        File.WriteAllText(Path.Combine(_dir, "enabled_plugins"), "[].");
        try { Start(); }
        catch
        {
            Dispose(); // a node that half started must not outlive the test
            throw;
        }
    }

    public void Start()
    {
        Run("rabbitmq-server", "-detached");
        // await_startup fails at once while the Erlang node is not registered yet: ask until it answers.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        string output;
        while (true)
        {
            (var exit, output) = Run("rabbitmqctl", "-n", _node, "await_startup", "--timeout", "60");
            if (exit == 0) return;
            if (DateTime.UtcNow > deadline) break;
            Thread.Sleep(500);
        }
        throw new InvalidOperationException($"RabbitMQ did not start: {output}");
    }

    /// <summary>A clean stop, as in a restart for maintenance.</summary>
    public void Stop() => Run("rabbitmqctl", "-n", _node, "stop");

    public void Restart()
    {
        Stop();
        Start();
    }

    /// <summary>Messages waiting in a queue (0 if it does not exist).</summary>
    public int QueueDepth(string queue)
    {
        var (_, output) = Run("rabbitmqctl", "-n", _node, "list_queues", "-q", "--no-table-headers", "name", "messages");
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split('\t', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (parts.Length == 2 && parts[0] == queue && int.TryParse(parts[1], out var n)) return n;
        }
        return 0;
    }

    private (int Exit, string Output) Run(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(Bin, tool)) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["HOME"] = _dir;
        start.Environment["RABBITMQ_NODENAME"] = _node;
        start.Environment["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1";
        start.Environment["RABBITMQ_NODE_PORT"] = Port.ToString();
        start.Environment["RABBITMQ_DIST_PORT"] = (Port + 10000).ToString();
        start.Environment["RABBITMQ_MNESIA_BASE"] = Path.Combine(_dir, "mnesia");
        start.Environment["RABBITMQ_LOG_BASE"] = Path.Combine(_dir, "log");
        start.Environment["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(_dir, "enabled_plugins");
        start.Environment["RABBITMQ_PID_FILE"] = Path.Combine(_dir, "pid");
        // No scheduler busy-waiting: on a small machine shared with the renders, an idle broker must not spin on a core.
        start.Environment["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "+sbwt none +sbwtdcpu none +sbwtdio none";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>A free port whose +10000 (Erlang distribution) is free too, below 55000.</summary>
    private static int FreePort()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var port = Random.Shared.Next(20000, 45000);
            if (Free(port) && Free(port + 10000)) return port;
        }
        throw new InvalidOperationException("no free port pair for RabbitMQ");
    }

    private static bool Free(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException) { return false; }
    }

    public void Dispose()
    {
        try { Stop(); } catch (Exception) { }
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
