using System.CommandLine;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using RenderFarm.Cluster.Hosting;
using RenderFarm.Gateway;

namespace RenderFarm.Cli;

/// <summary>
/// `farm node --roles gateway,cpu,gpu`: runs a node. Without RENDERFARM_SEED_NODES or RENDERFARM_DISCOVERY
/// it is the embedded default (a cluster of one, SQLite under the data directory); with them, a cluster
/// node (PostgreSQL in RENDERFARM_POSTGRES). SIGTERM drains: no new work, running tasks finish within the
/// grace period, then the node leaves the cluster. Finished videos go to --output-dir / RENDERFARM_OUTPUT_DIR (default
/// DATA/outputs); local MediaURLs may name DATA/media and the --media-root / RENDERFARM_ALLOWED_ROOTS directories; RENDERFARM_LEASE_SECONDS sets how long a silent node keeps its tasks (default 15).
/// RENDERFARM_OPERATOR_TOKEN is the credential that works everywhere (without it, DATA/operator.token is
/// made once and used); RENDERFARM_RATE_LIMIT (default 30 per second per credential) and
/// RENDERFARM_MAX_REQUEST_MB (default 8) bound what one client may send.
/// RENDERFARM_MIN_FREE_DISK_MB: /readyz fails below this much free disk (default 1024; 0: no check).
/// RENDERFARM_CACHE_MAX_MB caps each cache (default 10240), RENDERFARM_CACHE_MAX_MB_&lt;CACHE&gt; one of them
/// (DOWNLOADS, PROBE, SPEECH, TRANSCRIPTS, MATTES, ARTIFACTS).
/// </summary>
public static class NodeVerb
{
    public static Command Command()
    {
        var roles = new Option<string?>("--roles") { Description = "Comma list of gateway, cpu, gpu (env RENDERFARM_ROLES; default all)" };
        var name = new Option<string?>("--name") { Description = "Node name (env RENDERFARM_NODE_NAME; default the host name)" };
        var urls = new Option<string?>("--urls") { Description = "HTTP listen address (env RENDERFARM_GATEWAY_URLS; default http://127.0.0.1:8080)" };
        var data = new Option<string?>("--data") { Description = "Data directory (env RENDERFARM_DATA_DIR; default ~/.local/share/renderfarm)" };
        var artifacts = new Option<string?>("--artifacts") { Description = "Shared artifact directory (env RENDERFARM_ARTIFACTS; default DATA/artifacts)" };
        var slots = new Option<string?>("--slots") { Description = "Slots per kind, e.g. encode-segment=2,matte=1 (env RENDERFARM_SLOTS)" };
        var segment = new Option<double?>("--segment-seconds") { Description = "Target segment length (env RENDERFARM_SEGMENT_SECONDS; default 10)" };
        var threads = new Option<int?>("--threads") { Description = "Encoder threads per ffmpeg process (env RENDERFARM_ENCODER_THREADS)" };
        var maxTasks = new Option<int?>("--max-tasks") { Description = "Tasks of any kind run at once (env RENDERFARM_MAX_TASKS; default: only per-kind slots)" };
        var grace = new Option<int>("--grace-seconds") { Description = "On SIGTERM, how long running tasks may finish", DefaultValueFactory = _ => 60 };
        var mediaRoots = new Option<string[]>("--media-root")
        {
            Description = "Directory local MediaURLs may name besides DATA/media; repeatable or ':'-separated (env RENDERFARM_ALLOWED_ROOTS; the flag replaces it)",
            AllowMultipleArgumentsPerToken = false,
        };
        var outputDir = new Option<string?>("--output-dir") { Description = "Where finished videos are written; output MediaURLs must lie inside it (env RENDERFARM_OUTPUT_DIR; default DATA/outputs)" };
        var command = new Command("node", "Run a farm node") { roles, name, urls, data, artifacts, outputDir, mediaRoots, slots, segment, threads, maxTasks, grace };
        command.SetAction((parse, ct) => ExitCodes.Guard(async () =>
        {
            string? Env(string variable) => Environment.GetEnvironmentVariable(variable) is { Length: > 0 } v ? v : null;
            double? Number(string variable) => Env(variable) is not { } text ? null
                : double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0 ? n
                : throw new ArgumentException($"{variable}: '{text}' is not a positive number");
            int? Whole(string variable) => Number(variable) is not { } n ? null
                : n == Math.Floor(n) && n <= int.MaxValue ? (int)n : throw new ArgumentException($"{variable}: '{Env(variable)}' is not a whole number");
            long? Megabytes(string variable) => Env(variable) is not { } text ? null
                : long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var mb) && mb <= long.MaxValue / (1024 * 1024) ? mb * 1024 * 1024
                : throw new ArgumentException($"{variable}: '{text}' is not a whole number of megabytes (0 or more)");
            var dataDir = parse.GetValue(data) ?? Env("RENDERFARM_DATA_DIR")
                ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share", "renderfarm");
            var clustered = (Env("RENDERFARM_SEED_NODES") ?? Env("RENDERFARM_DISCOVERY")) is not null;
            NodeSettings settings;
            try
            {
                settings = new NodeSettings
                {
                    NodeId = parse.GetValue(name) ?? Env("RENDERFARM_NODE_NAME") ?? Environment.MachineName,
                    Roles = NodeSettings.ParseRoles(parse.GetValue(roles) ?? Env("RENDERFARM_ROLES") ?? "gateway,cpu,gpu"),
                    PostgresConnection = Env("RENDERFARM_POSTGRES"),
                    SeedNodes = (Env("RENDERFARM_SEED_NODES") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                    Discovery = Env("RENDERFARM_DISCOVERY"),
                    // Embedded: loopback on any free port. Clustered: every interface on 4053, reached by the host name.
                    RemoteHostname = Env("RENDERFARM_REMOTE_HOSTNAME") ?? (clustered ? "0.0.0.0" : "127.0.0.1"),
                    RemotePort = Whole("RENDERFARM_REMOTE_PORT") ?? (clustered ? 4053 : 0),
                    PublicHostname = Env("RENDERFARM_PUBLIC_HOSTNAME") ?? (clustered ? System.Net.Dns.GetHostName() : null),
                    ManagementPort = Whole("RENDERFARM_MANAGEMENT_PORT") ?? 8558,
                    KubernetesPodSelector = Env("RENDERFARM_K8S_POD_SELECTOR") ?? "app.kubernetes.io/part-of=renderfarm",
                    KubernetesNamespace = Env("RENDERFARM_K8S_NAMESPACE"),
                    RequiredContacts = Whole("RENDERFARM_K8S_REQUIRED_CONTACTS") ?? 1,
                    DownAfter = TimeSpan.FromSeconds(Number("RENDERFARM_DOWN_AFTER_SECONDS") ?? 20),
                    DataDirectory = Path.GetFullPath(dataDir),
                    ArtifactDirectory = Path.GetFullPath(parse.GetValue(artifacts) ?? Env("RENDERFARM_ARTIFACTS") ?? Path.Combine(dataDir, "artifacts")),
                    OutputDirectory = Path.GetFullPath(parse.GetValue(outputDir) ?? Env("RENDERFARM_OUTPUT_DIR") ?? Path.Combine(dataDir, "outputs")),
                    // Read once, here: the flag replaces the variable, and the node uses this list only.
                    MediaRoots = parse.GetValue(mediaRoots) is { Length: > 0 } flagged
                        ? RenderFarm.Media.Sources.MediaSourcePolicy.ParseRoots(flagged, "--media-root")
                        : RenderFarm.Media.Sources.MediaSourcePolicy.ParseRoots([Env("RENDERFARM_ALLOWED_ROOTS") ?? ""], "RENDERFARM_ALLOWED_ROOTS"),
                    Lease = TimeSpan.FromSeconds(Number("RENDERFARM_LEASE_SECONDS") ?? 15),
                    GatewayUrls = parse.GetValue(urls) ?? Env("RENDERFARM_GATEWAY_URLS") ?? "http://127.0.0.1:8080",
                    OperatorToken = Env("RENDERFARM_OPERATOR_TOKEN"),
                    RateLimitPerSecond = Env("RENDERFARM_RATE_LIMIT") is { } rate
                        ? int.TryParse(rate, out var qps) && qps >= 0 ? qps : throw new ArgumentException($"RENDERFARM_RATE_LIMIT: '{rate}' is not a whole number of requests per second (0 turns limiting off)")
                        : 30,
                    MaxRequestBytes = (long)((Number("RENDERFARM_MAX_REQUEST_MB") ?? 8) * 1024 * 1024),
                    Slots = NodeSettings.ParseSlots(parse.GetValue(slots) ?? Env("RENDERFARM_SLOTS")),
                    SegmentSeconds = parse.GetValue(segment) ?? Number("RENDERFARM_SEGMENT_SECONDS") ?? 10,
                    EncoderPreset = Env("RENDERFARM_ENCODER_PRESET") ?? "veryfast",
                    MaxTasks = parse.GetValue(maxTasks) ?? Whole("RENDERFARM_MAX_TASKS"),
                    EncoderThreads = parse.GetValue(threads) ?? Whole("RENDERFARM_ENCODER_THREADS"),
                    MinFreeDiskBytes = Megabytes(Readiness.MinFreeDiskVariable) ?? Readiness.DefaultMinFreeDiskMb * 1024 * 1024,
                    Caches = new CacheLimits
                    {
                        MaxBytes = Megabytes("RENDERFARM_CACHE_MAX_MB") ?? CacheLimits.DefaultMaxMb * 1024 * 1024,
                        Overrides = CacheLimits.Names
                            .Select(n => (n, Megabytes("RENDERFARM_CACHE_MAX_MB_" + n.ToUpperInvariant())))
                            .Where(c => c.Item2 is not null).ToDictionary(c => c.n, c => c.Item2!.Value),
                    },
                }.Validate();
                _ = RenderFarm.Matting.MattingOptions.FromEnvironment(); // checked now; the node's matte engine reads the same variables

            }
            catch (ArgumentException e)
            {
                throw new RenderFarm.Core.Json.RequestException("", e.Message);
            }
            // Only once the settings are known to work: a refused node leaves nothing behind.
            if (settings.OperatorToken is null)
                settings = settings with { OperatorToken = RenderFarm.Cluster.Access.LocalCredential.LoadOrCreate(settings.DataDirectory) };
            using var logs = LoggerFactory.Create(b => b
                .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; })
                .AddFilter("Akka", LogLevel.Warning)
                .AddFilter("Microsoft", LogLevel.Warning)
                .SetMinimumLevel(LogLevel.Information));
            await using var node = new FarmNode(settings, logs);
            await node.StartAsync(ct);
            await using var server = NodeServer.Build(node, logs);
            await server.StartAsync(ct);
            Console.Error.WriteLine($"node {settings.NodeId} ready on {settings.GatewayUrls}");

            var stop = new TaskCompletionSource();
            using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.TrySetResult(); });
            var reason = await Task.WhenAny(stop.Task, node.Left, node.System.WhenTerminated, Task.Delay(Timeout.Infinite, ct));
            // Out of the cluster (downed, e.g. after a freeze, or left): its tasks were handed to other workers, so
            // finishing them here would only duplicate work; a stop asked for (SIGTERM) lets them finish.
            var removed = reason == node.Left || reason == node.System.WhenTerminated;
            Console.Error.WriteLine(removed
                ? $"node {settings.NodeId} stopping: out of the cluster, its tasks run elsewhere"
                : $"node {settings.NodeId} stopping: draining");
            await node.DrainAsync(removed ? TimeSpan.Zero : TimeSpan.FromSeconds(parse.GetValue(grace)));
            await server.StopAsync(CancellationToken.None);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
