using RenderFarm.Cluster.Model;

namespace RenderFarm.Cluster.Hosting;

/// <summary>
/// How a node runs, from `farm node` options and RENDERFARM_* variables (read once, in the CLI). Without
/// seed nodes or discovery the node is embedded: a cluster of one that joins itself, its journal,
/// snapshots and read model in SQLite under the data directory.
/// </summary>
public sealed record NodeSettings
{
    public required string NodeId { get; init; }
    public required IReadOnlySet<string> Roles { get; init; }
    public string? PostgresConnection { get; init; }
    /// <summary>Akka seed node addresses (akka.tcp://renderfarm@host:port).</summary>
    public IReadOnlyList<string> SeedNodes { get; init; } = [];
    /// <summary>"kubernetes": bootstrap through Akka.Management and the Kubernetes API instead of seed nodes.</summary>
    public string? Discovery { get; init; }
    public string RemoteHostname { get; init; } = "127.0.0.1";
    /// <summary>0: any free port (the embedded default).</summary>
    public int RemotePort { get; init; }
    public string? PublicHostname { get; init; }
    public int ManagementPort { get; init; } = 8558;
    public string KubernetesPodSelector { get; init; } = "app.kubernetes.io/part-of=renderfarm";
    public string? KubernetesNamespace { get; init; }
    public int RequiredContacts { get; init; } = 1;
    /// <summary>How long a partition must be stable before the split-brain resolver downs the minority.</summary>
    public TimeSpan DownAfter { get; init; } = TimeSpan.FromSeconds(20);
    public required string DataDirectory { get; init; }
    public required string ArtifactDirectory { get; init; }
    /// <summary>Where finished videos are written; every node that assembles must see the same directory.</summary>
    public required string OutputDirectory { get; init; }
    /// <summary>
    /// Directories local MediaURLs may name besides DATA/media (`farm node --media-root`, else RENDERFARM_ALLOWED_ROOTS,
    /// as the node read them once); null: RENDERFARM_ALLOWED_ROOTS, read when the node starts.
    /// </summary>
    public IReadOnlyList<string>? MediaRoots { get; init; }
    public string GatewayUrls { get; init; } = "http://127.0.0.1:8080";
    /// <summary>Works on every route (RENDERFARM_OPERATOR_TOKEN; the embedded default makes one in DATA/operator.token).</summary>
    public string? OperatorToken { get; init; }
    /// <summary>Requests per second per credential (per client address without one); 0 turns limiting off. IMS's default is 30.</summary>
    public int RateLimitPerSecond { get; init; } = 30;
    /// <summary>Largest request body accepted (413 above it).</summary>
    public long MaxRequestBytes { get; init; } = 8L * 1024 * 1024;
    public IReadOnlyDictionary<TaskKind, int> Slots { get; init; } = new Dictionary<TaskKind, int>();
    public double SegmentSeconds { get; init; } = 10;
    /// <summary>Tasks of any kind this node runs at once (null: only the per-kind slots limit).</summary>
    public int? MaxTasks { get; init; }
    /// <summary>A running task whose node sent no heartbeat for this long runs elsewhere.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(15);
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>A kind taken out after a fault of this node comes back after this (doubling per repeat).</summary>
    public TimeSpan FaultBackoff { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Encoder threads per ffmpeg process (null: ffmpeg decides).</summary>
    public int? EncoderThreads { get; init; }
    public string EncoderPreset { get; init; } = "veryfast";
    /// <summary>/readyz fails when a directory the node writes has less free space than this (RENDERFARM_MIN_FREE_DISK_MB).</summary>
    public long MinFreeDiskBytes { get; init; } = Readiness.DefaultMinFreeDiskMb * 1024 * 1024;
    /// <summary>Size caps of the node's caches and how often they are swept.</summary>
    public CacheLimits Caches { get; init; } = new();

    public bool IsEmbedded => SeedNodes.Count == 0 && Discovery is null;
    public bool HasRole(string role) => Roles.Contains(role);

    /// <summary>The kinds this node consumes: cpu kinds with the cpu role, gpu kinds with the gpu role.</summary>
    public IEnumerable<TaskKind> ConsumedKinds =>
        TaskKinds.All.Where(k => TaskKinds.IsGpu(k) ? HasRole("gpu") : HasRole("cpu"));

    public int SlotsFor(TaskKind kind) =>
        Slots.TryGetValue(kind, out var n) ? n : TaskKinds.IsGpu(kind) ? 1 : kind == TaskKind.EncodeSegment ? Math.Max(1, Environment.ProcessorCount / 2) : 1;

    public static readonly string[] KnownRoles = ["gateway", "cpu", "gpu"];

    /// <summary>Refuses settings that cannot make a working farm; the message names the setting.</summary>
    /// <exception cref="ArgumentException">What is wrong, naming the variable or option.</exception>
    public NodeSettings Validate()
    {
        // Job entities move between gateway nodes: their journal must be one database; with SQLite each node would keep its own.
        if (!IsEmbedded && PostgresConnection is null)
            throw new ArgumentException("RENDERFARM_SEED_NODES or RENDERFARM_DISCOVERY is set without RENDERFARM_POSTGRES: cluster nodes share their journal and read model in PostgreSQL (leave all unset for the embedded node)");
        if (Discovery is not (null or "kubernetes")) throw new ArgumentException($"RENDERFARM_DISCOVERY: '{Discovery}' is not supported (kubernetes, or unset for seed nodes)");
        foreach (var seed in SeedNodes)
            if (!Uri.TryCreate(seed, UriKind.Absolute, out var uri) || uri.Scheme != "akka.tcp" || uri.UserInfo != "renderfarm" || uri.Port <= 0)
                throw new ArgumentException($"RENDERFARM_SEED_NODES: '{seed}' is not an address like akka.tcp://renderfarm@host:4053");
        if (RemotePort is < 0 or > 65535) throw new ArgumentException($"RENDERFARM_REMOTE_PORT: must be 0-65535 (got {RemotePort})");
        if (!(SegmentSeconds > 0)) throw new ArgumentException($"--segment-seconds: must be greater than 0 (got {SegmentSeconds})");
        if (MaxTasks is < 1) throw new ArgumentException($"--max-tasks: must be at least 1 (got {MaxTasks})");
        if (EncoderThreads is < 1) throw new ArgumentException($"--threads: must be at least 1 (got {EncoderThreads})");
        return this;
    }

    /// <summary>Parses "encode-segment=2,matte=1".</summary>
    public static Dictionary<TaskKind, int> ParseSlots(string? text)
    {
        var slots = new Dictionary<TaskKind, int>();
        if (string.IsNullOrWhiteSpace(text)) return slots;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pieces = part.Split('=');
            if (pieces.Length != 2 || !int.TryParse(pieces[1], out var n) || n < 1)
                throw new ArgumentException($"RENDERFARM_SLOTS: '{part}' is not kind=count (count >= 1)");
            slots[TaskKinds.Parse(pieces[0].Trim())] = n;
        }
        return slots;
    }

    public static IReadOnlySet<string> ParseRoles(string text)
    {
        var roles = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        var unknown = roles.Except(KnownRoles).ToList();
        if (unknown.Count > 0) throw new ArgumentException($"--roles: unknown role(s) {string.Join(", ", unknown)}; known: {string.Join(", ", KnownRoles)}");
        if (roles.Count == 0) throw new ArgumentException("--roles: at least one role is required");
        return roles;
    }
}
