using MassTransit;
using Microsoft.Extensions.Logging;
using RenderFarm.Cluster.Artifacts;
using RenderFarm.Cluster.Jobs;
using RenderFarm.Cluster.Library;
using RenderFarm.Cluster.Messages;
using RenderFarm.Cluster.Model;
using RenderFarm.Cluster.Orchestration;
using RenderFarm.Cluster.Store;
using RenderFarm.Cluster.Work;
using RenderFarm.Core.Timelines;
using RenderFarm.Media.Compilation;
using RenderFarm.Media.Ffmpeg;
using RenderFarm.Media.Rendering;
using RenderFarm.Media.Sources;

namespace RenderFarm.Cluster.Nodes;

/// <summary>
/// One node of the farm with any subset of roles. Gateway: accepts jobs and runs the orchestrator
/// and its reconciler. cpu/gpu: consumes the queues of the task kinds its roles allow, with a
/// slot limit per kind. Every node reports itself (roles, slots, running tasks) every heartbeat
/// and obeys operator states: Draining stops taking work and finishes what runs; Left also exits.
/// </summary>
public sealed class FarmNode : IAsyncDisposable
{
    private readonly NodeSettings _settings;
    private readonly ILoggerFactory _logs;
    private readonly ILogger _log;
    private readonly TimeProvider _clock = TimeProvider.System;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly Dictionary<TaskKind, HostReceiveEndpointHandle> _endpoints = [];
    private readonly HashSet<TaskKind> _disabled = [];
    private readonly SemaphoreSlim _endpointLock = new(1, 1);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly KindFailures _failures;
    private readonly SemaphoreSlim? _nodeGate;
    private IBusControl? _bus;
    private Task? _heartbeat;
    private Task? _reconcile;
    private volatile NodeState _state = NodeState.Active;
    private Task _stoppingEndpoints = Task.CompletedTask;
    private readonly string _mediaDirectory;
    private readonly MediaSourceResolver _mediaSources;
    private readonly MediaAnalysisEngine _analysis;

    public IJobStore Store { get; }
    /// <summary>The media library (the same database as <see cref="Store"/>).</summary>
    public IMediaLibraryStore Library { get; }
    /// <summary>RegisterMediaInfo on a gateway (null on other nodes).</summary>
    public LibraryRegistration? Registration { get; private set; }
    public ArtifactStore Artifacts { get; }
    public VideoPreparation Preparation { get; }
    public RunningTasks Running { get; } = new();
    public JobOrchestrator? Orchestrator { get; private set; }
    public JobSubmission? Submission { get; private set; }
    public IFarmBus? Bus { get; private set; }
    public NodeSettings Settings => _settings;
    public string Device { get; }

    /// <summary>Completes when an operator told this node to leave the farm.</summary>
    public Task Left => _left.Task;
    private readonly TaskCompletionSource _left = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public FarmNode(NodeSettings settings, ILoggerFactory logs)
    {
        _settings = settings;
        _logs = logs;
        _log = logs.CreateLogger($"node:{settings.NodeId}");
        _failures = new KindFailures(settings.FailuresBeforeDisable);
        _nodeGate = settings.MaxTasks is { } max ? new SemaphoreSlim(max, max) : null;
        Directory.CreateDirectory(settings.DataDirectory);
        var store = settings.PostgresConnection is { } pg ? SqlJobStore.Postgres(pg) : SqlJobStore.Sqlite(Path.Combine(settings.DataDirectory, "renderfarm.db"));
        Store = store;
        Library = store;
        Artifacts = new ArtifactStore(settings.ArtifactDirectory);
        _mediaDirectory = Directory.CreateDirectory(Path.Combine(settings.DataDirectory, "media")).FullName;
        var engines = AiEngineFactory.Create(Path.Combine(settings.ArtifactDirectory, "ai"), logs);
        Preparation = new VideoPreparation(MediaSourcePolicy.FromEnvironment(_mediaDirectory), _mediaDirectory, TimelineLimits.Default, engines);
        _mediaSources = new MediaSourceResolver(MediaSourcePolicy.FromEnvironment(_mediaDirectory));
        _analysis = MediaAnalyzerFactory.Create(engines);
        Device = GpuProbe.Describe();
    }

    private EncoderSettings Encoder => EncoderSettings.Default with { Preset = _settings.EncoderPreset, Threads = _settings.EncoderThreads };

    public async Task StartAsync(CancellationToken ct)
    {
        await RetryAsync("job store", () => Store.InitializeAsync(ct), ct);
        _bus = _settings.IsEmbedded
            ? MassTransit.Bus.Factory.CreateUsingInMemory(cfg => ConfigureEndpoints(cfg))
            : MassTransit.Bus.Factory.CreateUsingRabbitMq(cfg =>
            {
                cfg.Host(new Uri(_settings.RabbitMqUrl!));
                ConfigureEndpoints(cfg);
            });
        Bus = new MassTransitFarmBus(_bus);
        if (_settings.HasRole("gateway"))
        {
            _ = BatchPlanning.Planners; // opens the embedding model, if one is configured, now rather than at the first batch
            var notifier = new WebhookNotifier(Store, _http, _clock, _logs.CreateLogger<WebhookNotifier>());
            Orchestrator = new JobOrchestrator(Store, Bus, Preparation, notifier,
                new OrchestratorOptions(_settings.SegmentSeconds, EncoderTag), _clock, _logs.CreateLogger<JobOrchestrator>());
            Submission = new JobSubmission(Store, new OutputLocations(_settings.OutputDirectory), TimelineLimits.Default, _clock);
            Registration = new LibraryRegistration(Library, _mediaSources, _mediaDirectory, _clock);
        }
        await RetryAsync("message broker", () => _bus.StartAsync(ct), ct);
        await ReleaseTasksOfPreviousLifeAsync(ct);
        if (_settings.HasRole("cpu") || _settings.HasRole("gpu"))
        {
            if (_settings.HasRole("gpu") && Device.StartsWith("cpu", StringComparison.Ordinal))
                _log.LogWarning("gpu role without a usable GPU ({Device}): gpu task kinds run on the CPU", Device);
            if (_settings.ConsumedKinds.Contains(TaskKind.Matte)) AiEngineFactory.LogMattingDevice(_log);
            foreach (var kind in _settings.ConsumedKinds) await ConnectKindAsync(kind);
        }
        await HeartbeatOnceAsync(ct);
        _heartbeat = Task.Run(() => HeartbeatLoopAsync(_shutdown.Token));
        if (Orchestrator is not null)
        {
            var reconciler = new Reconciler(Store, Bus, Orchestrator,
                new ReconcilerOptions(_settings.ReconcileInterval, TimeSpan.FromSeconds(30), _settings.MaxAttempts), _clock, _logs.CreateLogger<Reconciler>());
            _reconcile = Task.Run(() => reconciler.RunAsync(_shutdown.Token));
        }
        _log.LogInformation("node {Node} started: roles {Roles}, {Mode}, kinds {Kinds}", _settings.NodeId, string.Join(",", _settings.Roles),
            _settings.IsEmbedded ? "embedded (in-memory transport, SQLite)" : "cluster (RabbitMQ, " + (_settings.PostgresConnection is null ? "SQLite" : "PostgreSQL") + ")",
            string.Join(",", _endpoints.Keys.Select(TaskKinds.Name)));
    }

    /// <summary>Encoder choices that change output bytes enter artifact keys.</summary>
    private string EncoderTag => $"x264:{Encoder.Preset}:crf{Encoder.Crf}:aac{Encoder.AudioBitrateKbps}";

    private void ConfigureEndpoints(IBusFactoryConfigurator cfg)
    {
        if (_settings.HasRole("gateway"))
        {
            cfg.ReceiveEndpoint("renderfarm-orchestrator", e =>
            {
                e.Handler<JobSubmitted>(ctx => Orchestrator!.AdvanceAsync(ctx.Message.JobId, _shutdown.Token));
                e.Handler<TaskFinished>(ctx => Orchestrator!.AdvanceAsync(ctx.Message.JobId, _shutdown.Token));
            });
        }
        cfg.ReceiveEndpoint($"renderfarm-control-{_settings.NodeId}", e =>
        {
            if (e is IRabbitMqReceiveEndpointConfigurator rabbit) { rabbit.AutoDelete = true; rabbit.Durable = false; }
            e.Handler<CancelJob>(ctx =>
            {
                var stopped = Running.CancelJob(ctx.Message.JobId);
                if (stopped > 0) _log.LogInformation("cancelled {Count} running task(s) of job {Job}", stopped, ctx.Message.JobId);
                return Task.CompletedTask;
            });
        });
    }

    private TaskRunner CreateRunner()
    {
        var renderer = new TimelineRenderer(new FfmpegRunner(), Encoder);
        var executor = new TaskExecutor(Store, Preparation, Artifacts, renderer,
            new MediaAnalysisRunner(Library, _mediaSources, _mediaDirectory, Artifacts, _analysis));
        var runner = new TaskRunner(Store, Bus!, executor, Running, _failures,
            new TaskRunnerOptions(_settings.NodeId, _settings.Lease, _settings.MaxAttempts, _nodeGate,
                TakingWork: () => _state == NodeState.Active && !_shutdown.IsCancellationRequested), _clock, _logs.CreateLogger<TaskRunner>());
        runner.KindDisabled += kind => _ = DisableKindAsync(kind);
        return runner;
    }

    private async Task ConnectKindAsync(TaskKind kind)
    {
        await _endpointLock.WaitAsync();
        try
        {
            if (_endpoints.ContainsKey(kind) || _bus is null) return;
            var slots = _settings.SlotsFor(kind);
            var runner = CreateRunner();
            var handle = _bus.ConnectReceiveEndpoint(TaskKinds.QueueName(kind), e =>
            {
                e.ConfigureConsumeTopology = false;
                e.PrefetchCount = slots;
                e.ConcurrentMessageLimit = slots;
                e.Handler<RunTask>(ctx => runner.RunAsync(ctx.Message, _shutdown.Token));
            });
            await handle.Ready;
            _endpoints[kind] = handle;
        }
        finally { _endpointLock.Release(); }
    }

    private async Task DisconnectKindAsync(TaskKind kind)
    {
        await _endpointLock.WaitAsync();
        try
        {
            if (!_endpoints.Remove(kind, out var handle)) return;
            await handle.StopAsync(CancellationToken.None);
        }
        finally { _endpointLock.Release(); }
    }

    /// <summary>
    /// Stops every kind's endpoint at once: stopping one waits for its running tasks, and kinds stopped
    /// one after another would keep taking work meanwhile.
    /// </summary>
    private async Task DisconnectAllAsync()
    {
        List<HostReceiveEndpointHandle> handles;
        await _endpointLock.WaitAsync();
        try
        {
            handles = _endpoints.Values.ToList();
            _endpoints.Clear();
        }
        finally { _endpointLock.Release(); }
        await Task.WhenAll(handles.Select(h => h.StopAsync(CancellationToken.None)));
    }

    private async Task DisableKindAsync(TaskKind kind)
    {
        _log.LogWarning("{Kind} failed {Count} times in a row on this node: no longer taken until an operator clears it",
            TaskKinds.Name(kind), _settings.FailuresBeforeDisable);
        lock (_disabled) _disabled.Add(kind);
        await Store.SetNodeDisabledKindsAsync(_settings.NodeId, DisabledNames(), CancellationToken.None);
        await DisconnectKindAsync(kind);
    }

    private List<string> DisabledNames() { lock (_disabled) return _disabled.Select(TaskKinds.Name).ToList(); }

    /// <summary>Tasks this node (same id) held when it died are not running any more: send them out again now instead of waiting for their leases.</summary>
    private async Task ReleaseTasksOfPreviousLifeAsync(CancellationToken ct)
    {
        var now = _clock.GetUtcNow();
        foreach (var task in (await Store.GetTasksInStateAsync(TaskState.Running, ct: ct)).Where(t => t.NodeId == _settings.NodeId))
        {
            var detail = $"node {_settings.NodeId} restarted while running it; re-dispatching as attempt {task.Attempt + 1}";
            await Store.UpdateTaskAsync(task with { State = TaskState.Pending, Attempt = task.Attempt + 1, NodeId = null, LeaseExpires = null },
                new HistoryEntry(0, task.JobId, task.VideoId, task.TaskId, now, "Redispatched", detail, _settings.NodeId), ct);
        }
    }

    private async Task HeartbeatLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try { await Task.Delay(_settings.HeartbeatInterval, ct); }
            catch (OperationCanceledException) { return; }
            try { await HeartbeatOnceAsync(ct); }
            catch (Exception e) when (e is not OperationCanceledException) { _log.LogWarning("heartbeat failed: {Error}", e.Message); }
        }
    }

    private async Task HeartbeatOnceAsync(CancellationToken ct)
    {
        var now = _clock.GetUtcNow();
        var slots = _settings.ConsumedKinds.ToDictionary(TaskKinds.Name, _settings.SlotsFor);
        await Store.UpsertNodeAsync(new NodeRecord(_settings.NodeId, _settings.Roles.Order().ToList(), slots, NodeState.Active, _started, now,
            DisabledNames(), Running.Count, Device), ct);
        var me = (await Store.GetNodesAsync(ct)).FirstOrDefault(n => n.NodeId == _settings.NodeId);
        if (me is null) return;
        await ObeyAsync(me);
    }

    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;

    /// <summary>Applies operator decisions stored for this node: drain, leave, cleared kinds.</summary>
    private async Task ObeyAsync(NodeRecord me)
    {
        if (me.State != _state)
        {
            _state = me.State;
            if (_state is NodeState.Draining or NodeState.Left)
            {
                _log.LogInformation("{State}: no new tasks; finishing {Count} running", _state, Running.Count);
                // Not awaited: stopping waits for the running tasks, and heartbeats must go on meanwhile.
                _stoppingEndpoints = DisconnectAllAsync();
            }
            else
            {
                await _stoppingEndpoints; // an endpoint of the same queue must be gone before it is connected again
                foreach (var kind in _settings.ConsumedKinds.Except(_disabled)) await ConnectKindAsync(kind);
            }
        }
        if (_state == NodeState.Left && Running.Count == 0) _left.TrySetResult();
        // An operator cleared disabled kinds: take them again.
        if (_state == NodeState.Active && me.DisabledKinds.Count == 0 && DisabledNames().Count > 0)
        {
            List<TaskKind> cleared;
            lock (_disabled) { cleared = _disabled.ToList(); _disabled.Clear(); }
            foreach (var kind in cleared) { _failures.Clear(kind); await ConnectKindAsync(kind); }
            _log.LogInformation("operator cleared disabled kinds {Kinds}", string.Join(",", cleared.Select(TaskKinds.Name)));
        }
    }

    /// <summary>Health for /readyz: the store answers and the broker connection is up.</summary>
    public async Task<(bool Ready, string Detail)> ReadinessAsync(CancellationToken ct)
    {
        try { await Store.GetNodesAsync(ct); }
        catch (Exception e) { return (false, $"job store: {e.Message}"); }
        var health = _bus?.CheckHealth();
        if (health is null || health.Status != BusHealthStatus.Healthy) return (false, $"message bus: {health?.Description ?? "not started"}");
        return (true, "ok");
    }

    private async Task RetryAsync(string what, Func<Task> action, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try { await action(); return; }
            catch (Exception e) when (attempt < 30 && e is not OperationCanceledException)
            {
                _log.LogWarning("{What} not reachable yet ({Error}); retrying", what, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(5, attempt)), ct);
            }
        }
    }

    /// <summary>Stops taking work, lets running tasks finish (up to <paramref name="grace"/>), then stops them.</summary>
    public async Task DrainAsync(TimeSpan grace)
    {
        var stopping = Task.WhenAll(_stoppingEndpoints, DisconnectAllAsync());
        if (await Task.WhenAny(stopping, Task.Delay(grace)) != stopping)
            _log.LogWarning("grace period over with {Count} task(s) running: stopping them (their leases expire and they run elsewhere)", Running.Count);
        _shutdown.Cancel();
        await stopping;
    }

    public async ValueTask DisposeAsync()
    {
        _shutdown.Cancel();
        await Task.WhenAll(_stoppingEndpoints, DisconnectAllAsync());
        if (_heartbeat is not null) await _heartbeat.ConfigureAwait(false);
        if (_reconcile is not null) await _reconcile.ConfigureAwait(false);
        if (_bus is not null) await _bus.StopAsync(TimeSpan.FromSeconds(10));
        Preparation.Dispose();
        _mediaSources.Dispose();
        _http.Dispose();
    }
}
