using Akka.Cluster.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Cluster.Sharding;
using Akka.Discovery.KubernetesApi;
using Akka.Hosting;
using Akka.Management;
using Akka.Management.Cluster.Bootstrap;
using Akka.Persistence.Sql.Hosting;
using Akka.Remote.Hosting;
using LinqToDB;
using Microsoft.Extensions.Logging;
using RenderFarm.Cluster.Dispatch;
using RenderFarm.Cluster.Lifecycle;
using RenderFarm.Cluster.ReadModel;
using RenderFarm.Cluster.Workers;

namespace RenderFarm.Cluster.Hosting;

/// <summary>
/// What a node's actors are built from. Gateway nodes need the read model, planner and notifier; worker
/// nodes the task runner. The benchmark's simulated workers pass a runner of their own.
/// Kinds: what the worker takes (null: what the settings' roles allow; a gpu node drops nvenc segments when its check failed).
/// </summary>
public sealed record FarmRuntimeParts(
    IReadModel? ReadModel,
    IStagePlanner? Planner,
    IJobNotifier? Notifier,
    ITaskRunner? Runner,
    string Device,
    Action<WorkerStatus> PublishWorkerStatus,
    QueueWaits? QueueWaits = null,
    IReadOnlyList<Model.TaskKind>? Kinds = null);

/// <summary>
/// The actor side of a node, on Akka.Hosting: remoting, cluster (roles, seed nodes or Kubernetes
/// bootstrap, split-brain resolver keep-majority), SQL persistence, the job entities sharded over gateway
/// nodes with remember-entities, the work queue singleton, the read model writer, and the worker.
/// </summary>
public static class FarmRuntime
{
    public static void Configure(AkkaConfigurationBuilder akka, NodeSettings settings, FarmRuntimeParts parts, ILoggerFactory logs)
    {
        var roles = settings.Roles.Order().ToArray();
        var isGateway = settings.HasRole("gateway");
        akka.AddHocon($$"""
            akka.remote.dot-netty.tcp.maximum-frame-size = 32 MiB
            akka.remote.dot-netty.tcp.send-buffer-size = 32 MiB
            akka.remote.dot-netty.tcp.receive-buffer-size = 32 MiB
            akka.cluster.split-brain-resolver.stable-after = {{(int)settings.DownAfter.TotalMilliseconds}} ms
            # A restarted first seed forms a cluster of its own when no other seed answers in this time; the others may
            # still be gating its old incarnation's address (5 s), so Akka's 5 s default lets it split off on a loaded host.
            akka.cluster.seed-node-timeout = 12s
            akka.cluster.sharding.passivation.strategy = none
            akka.coordinated-shutdown.exit-clr = off
            akka.cluster.singleton-proxy.log-singleton-identification-failure = off
            """, HoconAddMode.Prepend);
        akka.ConfigureLoggers(l =>
        {
            l.LogLevel = Akka.Event.LogLevel.WarningLevel; // Akka's own; the farm's actors log through ILogger
            l.ClearLoggers();
            l.AddLoggerFactory(logs);
        });
        akka.WithRemoting(new RemoteOptions
        {
            HostName = settings.RemoteHostname,
            Port = settings.RemotePort,
            PublicHostName = settings.PublicHostname,
        });
        akka.WithClustering(new ClusterOptions
        {
            Roles = roles,
            SeedNodes = settings.SeedNodes.ToArray(),
            SplitBrainResolver = new KeepMajorityOption(),
        });
        akka.WithCustomSerializer("renderfarm-json", [typeof(IFarmMessage)], system => new FarmMessageSerializer(system));
        var (connection, provider) = settings.PostgresConnection is { } pg
            ? (pg, ProviderName.PostgreSQL15)
            : ($"Data Source={Path.Combine(settings.DataDirectory, "journal.db")}", ProviderName.SQLiteMS);
        akka.WithSqlPersistence(connection, provider, autoInitialize: true);
        if (settings.Discovery == "kubernetes")
        {
            // Other pods reach this one's management endpoint at its advertised address (the pod IP); it listens on every interface.
            akka.WithAkkaManagement(hostName: settings.PublicHostname, port: settings.ManagementPort, bindHostname: "0.0.0.0", bindPort: settings.ManagementPort)
                .WithClusterBootstrap(serviceName: "renderfarm", requiredContactPoints: settings.RequiredContacts)
                .WithKubernetesDiscovery(o =>
                {
                    o.PodLabelSelector = settings.KubernetesPodSelector;
                    if (settings.KubernetesNamespace is { } ns) o.PodNamespace = ns;
                });
        }

        var extractor = new JobMessageExtractor();
        if (isGateway)
        {
            var store = parts.ReadModel ?? throw new ArgumentException("a gateway node needs the read model", nameof(parts));
            var planner = parts.Planner ?? throw new ArgumentException("a gateway node needs a stage planner", nameof(parts));
            var notifier = parts.Notifier ?? throw new ArgumentException("a gateway node needs a notifier", nameof(parts));
            akka.WithActors((system, registry) => registry.Register<ReadModelWriter>(system.ActorOf(ReadModelWriter.Props(store, logs.CreateLogger<ReadModelWriter>()), "read-model")));
            akka.WithSingleton<WorkQueue>("work-queue", WorkQueue.Props(logs.CreateLogger<WorkQueue>(), parts.QueueWaits), new ClusterSingletonOptions { Role = "gateway" }, createProxyToo: true);
            var lifecycle = new JobLifecycle(new LifecycleOptions { Lease = settings.Lease });
            akka.WithShardRegion<JobEntity>("jobs", (_, registry, _) => entityId => JobEntity.Props(entityId,
                    new JobEntityContext(lifecycle, planner, notifier, registry.Get<WorkQueue>(), registry.Get<ReadModelWriter>(), TimeProvider.System, logs.CreateLogger<JobEntity>())),
                extractor, new ShardOptions
                {
                    Role = "gateway",
                    RememberEntities = true,
                    RememberEntitiesStore = RememberEntitiesStore.Eventsourced,
                    StateStoreMode = StateStoreMode.Persistence,
                });
        }
        else
        {
            akka.WithSingletonProxy<WorkQueue>("work-queue", new ClusterSingletonOptions { Role = "gateway" });
            akka.WithShardRegionProxy<JobEntityProxy>("jobs", "gateway", extractor);
        }
        if (parts.Runner is { } runner)
        {
            akka.WithActors((system, registry) =>
            {
                var slots = (parts.Kinds ?? settings.ConsumedKinds.ToList()).ToDictionary(k => k, settings.SlotsFor);
                var options = new WorkerOptions(settings.NodeId, roles, slots, settings.MaxTasks, parts.Device)
                {
                    HeartbeatInterval = settings.HeartbeatInterval,
                    FaultBackoff = settings.FaultBackoff,
                };
                var jobs = isGateway ? registry.Get<JobEntity>() : registry.Get<JobEntityProxy>();
                system.ActorOf(WorkerNode.Props(options, runner, jobs, registry.Get<WorkQueue>(), parts.PublishWorkerStatus, logs.CreateLogger($"worker:{settings.NodeId}")), "worker");
            });
        }
    }
}

/// <summary>Registry key of the job shard region proxy on nodes that host no job entities.</summary>
public sealed class JobEntityProxy;
