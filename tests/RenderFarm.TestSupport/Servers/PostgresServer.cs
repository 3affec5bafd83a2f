using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace RenderFarm.TestSupport.Servers;

/// <summary>
/// A throwaway PostgreSQL 15 server for tests: a fresh cluster in a temp directory (trust
/// authentication, fsync off), listening on 127.0.0.1 on a free port. As root the binaries run as
/// the user <c>postgres</c> (runuser), otherwise as the current user. <see cref="Dispose"/> stops it
/// and deletes the directory. Usable as an xUnit class fixture (parameterless constructor).
/// </summary>
public sealed partial class PostgresServer : IDisposable
{
    public const string BinDirectory = "/usr/lib/postgresql/15/bin";
    private const string OsUser = "postgres";

    private readonly string _root;
    private readonly string _dataDir;
    private readonly string _socketDir;
    private readonly string _logFile;
    private readonly bool _asRoot = Environment.UserName == "root" || IsRoot();
    private bool _disposed;
    private bool _killed;

    public PostgresServer()
    {
        if (!File.Exists(Path.Combine(BinDirectory, "initdb")) || !File.Exists(Path.Combine(BinDirectory, "pg_ctl")))
            throw new InvalidOperationException(
                $"PostgreSQL 15 server binaries not found in {BinDirectory}; run scripts/test.sh, which installs them (postgresql-15), or apt-get install postgresql-15");
        _root = Path.Combine(Path.GetTempPath(), "renderfarm-pg-" + Guid.NewGuid().ToString("N")[..12]);
        _dataDir = Path.Combine(_root, "data");
        _socketDir = Path.Combine(_root, "sock");
        _logFile = Path.Combine(_root, "postgres.log");
        try
        {
            Directory.CreateDirectory(_socketDir);
            if (_asRoot) Run("chown", ["-R", $"{OsUser}:", _root]);
            RunPg("initdb", ["-D", _dataDir, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"]);
            // A free port can be taken between probing and binding: try a few.
            for (var attempt = 1; ; attempt++)
            {
                Port = FreePort();
                try
                {
                    Start();
                    break;
                }
                catch (InvalidOperationException) when (attempt < 3)
                {
                }
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public int Port { get; private set; }

    /// <summary>The <c>postgres</c> database as the superuser <c>postgres</c> (Npgsql syntax).</summary>
    public string ConnectionString => ConnectionStringFor("postgres");

    /// <summary>Whether <see cref="Start"/> ran last (not <see cref="Stop"/> or <see cref="Kill"/>).</summary>
    public bool IsRunning { get; private set; }

    public string ConnectionStringFor(string database) =>
        $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Username=postgres;Database={database}";

    /// <summary>Creates an empty database (name: letters, digits, underscore) and returns its connection string.</summary>
    public string CreateDatabase(string name)
    {
        if (!DatabaseName().IsMatch(name)) throw new ArgumentException($"database name '{name}': use [a-z0-9_], starting with a letter or _", nameof(name));
        // createdb is a client over TCP with trust authentication: any OS user may run it.
        Run(Path.Combine(BinDirectory, "createdb"), ["-S", "FILE_COPY", "-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", name]);
        return ConnectionStringFor(name);
    }

    /// <summary>Starts the server (again) on the same port and data: after <see cref="Stop"/> or <see cref="Kill"/>.</summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        // fsync=off and full_page_writes=off only risk data on an OS crash; synchronous_commit stays on,
        // so a committed transaction survives Kill (the WAL is written before the commit returns).
        var options = $"-p {Port.ToString(CultureInfo.InvariantCulture)} -k {_socketDir} -c listen_addresses=127.0.0.1 -c fsync=off " +
                      "-c full_page_writes=off -c max_connections=200";
        // After Kill the old backends may still hold the shared memory for a moment: retry briefly.
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                RunPg("pg_ctl", ["-D", _dataDir, "-l", _logFile, "-o", options, "-w", "-t", "30", "start"]);
                IsRunning = true;
                _killed = false;
                return;
            }
            catch (InvalidOperationException) when (_killed && deadline.Elapsed < TimeSpan.FromSeconds(10) && PostmasterPid() is null)
            {
                Thread.Sleep(100);
            }
        }
    }

    /// <summary>Stops the server (fast shutdown: sessions are ended, data is kept).</summary>
    public void Stop()
    {
        if (!IsRunning) return;
        RunPg("pg_ctl", ["-D", _dataDir, "-m", "fast", "-w", "stop"]);
        IsRunning = false;
    }

    /// <summary>Kills the postmaster with SIGKILL (a crash); its backends exit on their own. <see cref="Start"/> recovers.</summary>
    public void Kill()
    {
        if (PostmasterPid() is { } pid)
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill(entireProcessTree: false);
            }
            catch (ArgumentException)
            {
                // already gone
            }
            // Not our child (pg_ctl started it): Process.WaitForExit would poll slowly; watch /proc instead.
            var waited = Stopwatch.StartNew();
            while (ProcessAlive(pid) && waited.Elapsed < TimeSpan.FromSeconds(5)) Thread.Sleep(10);
        }
        IsRunning = false;
        _killed = true;
    }

    /// <summary>The server's log so far (for failure messages).</summary>
    public string Log() => File.Exists(_logFile) ? File.ReadAllText(_logFile) : "";

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            if (IsRunning) RunPg("pg_ctl", ["-D", _dataDir, "-m", "immediate", "-w", "stop"]);
        }
        catch (InvalidOperationException)
        {
            Kill();
        }
        IsRunning = false;
        try
        {
            if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private int? PostmasterPid()
    {
        var pidFile = Path.Combine(_dataDir, "postmaster.pid");
        try
        {
            var first = File.ReadLines(pidFile).FirstOrDefault();
            return int.TryParse(first, NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid) && ProcessAlive(pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Whether <paramref name="pid"/> runs (a zombie counts as gone).</summary>
    private static bool ProcessAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            var state = stat.LastIndexOf(')') is var close and >= 0 && close + 2 < stat.Length ? stat[close + 2] : 'X';
            return state is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Runs a server binary, as <c>postgres</c> when we are root (initdb and postgres refuse root).</summary>
    private void RunPg(string tool, IReadOnlyList<string> args)
    {
        var program = Path.Combine(BinDirectory, tool);
        if (_asRoot) Run("runuser", ["-u", OsUser, "--", program, .. args], _root);
        else Run(program, args, _root);
    }

    private void Run(string program, IReadOnlyList<string> args, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            // runuser keeps the working directory; the postgres user must be able to enter it.
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} did not finish in 60 s");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException(
                $"{program} {string.Join(' ', args)} exited {process.ExitCode}: {stderr.Result.Trim()} {stdout.Result.Trim()}\n{Tail(Log())}");
    }

    private static string Tail(string log) => log.Length <= 2000 ? log : log[^2000..];

    private static bool IsRoot()
    {
        try
        {
            return File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal)) is { } line
                   && line.Split('\t', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1) == "0";
        }
        catch (IOException)
        {
            return false;
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex DatabaseName();
}
