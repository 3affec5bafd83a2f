using RenderFarm.Cluster.Model;

namespace RenderFarm.Cluster.Nodes;

/// <summary>
/// How a node runs, from `farm node` options and RENDERFARM_* variables. Without a broker URL the
/// node runs embedded: in-memory transport and a SQLite store under the data directory.
/// </summary>
public sealed record NodeSettings
{
    public required string NodeId { get; init; }
    public required IReadOnlySet<string> Roles { get; init; }
    public string? RabbitMqUrl { get; init; }
    public string? PostgresConnection { get; init; }
    public required string DataDirectory { get; init; }
    public required string ArtifactDirectory { get; init; }
    /// <summary>Where finished videos are written; every node that assembles must see the same directory.</summary>
    public required string OutputDirectory { get; init; }
    public string GatewayUrls { get; init; } = "http://127.0.0.1:8080";
    public string? OperatorToken { get; init; }
    public IReadOnlyDictionary<TaskKind, int> Slots { get; init; } = new Dictionary<TaskKind, int>();
    public double SegmentSeconds { get; init; } = 10;
    /// <summary>Tasks of any kind this node runs at once (null: only the per-kind slots limit).</summary>
    public int? MaxTasks { get; init; }
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(15);
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(2);
    public TimeSpan ReconcileInterval { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>A node that fails the same kind this many times in a row stops taking it until an operator clears it.</summary>
    public int FailuresBeforeDisable { get; init; } = 3;
    public int MaxAttempts { get; init; } = 5;
    /// <summary>Encoder threads per ffmpeg process (null: ffmpeg decides).</summary>
    public int? EncoderThreads { get; init; }
    public string EncoderPreset { get; init; } = "veryfast";

    public bool IsEmbedded => RabbitMqUrl is null;
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
        // Cluster nodes find each other's jobs and tasks in one database; with SQLite each would keep its own.
        if (RabbitMqUrl is not null && PostgresConnection is null)
            throw new ArgumentException("RENDERFARM_RABBITMQ is set without RENDERFARM_POSTGRES: cluster nodes share their job state in PostgreSQL (leave both unset for the embedded node)");
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
