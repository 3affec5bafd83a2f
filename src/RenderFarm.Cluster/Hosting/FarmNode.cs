using Akka.Actor;
using Akka.Cluster;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RenderFarm.Cluster.Artifacts;
using RenderFarm.Cluster.Dispatch;
using RenderFarm.Cluster.Jobs;
using RenderFarm.Cluster.Library;
using RenderFarm.Cluster.Lifecycle;
using RenderFarm.Cluster.Access;
using RenderFarm.Cluster.Model;
using RenderFarm.Cluster.Notification;
using RenderFarm.Cluster.Planning;
using RenderFarm.Cluster.Production;
using RenderFarm.Cluster.ReadModel;
using RenderFarm.Cluster.Templates;
using RenderFarm.Cluster.Workers;
using RenderFarm.Core.Timelines;
using RenderFarm.Media.Compilation;
using RenderFarm.Media.Ffmpeg;
using RenderFarm.Media.Production;
using RenderFarm.Media.Rendering;
using RenderFarm.Media.Sources;
using RenderFarm.Onnx;

namespace RenderFarm.Cluster.Hosting;

/// <summary>
/// One node of the farm with any subset of roles, and the runtime's composition root. Its actor
/// system joins the cluster (itself when embedded; seed nodes or the Kubernetes API otherwise).
/// Gateway: hosts the job entities (sharded, remember-entities, journal and snapshots in SQL), the work
/// queue (a cluster singleton), the read model's writer, submission and library registration.
/// cpu/gpu: a worker that pulls the kinds its roles allow within its slots. Every node reports itself
/// into the read model each heartbeat.
/// </summary>
public sealed class FarmNode : IAsyncDisposable
{
    private readonly NodeSettings _settings;
    private readonly ILogger _log;
    private readonly ILoggerFactory _logs;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly MediaSourcePolicy _sources;
    private readonly WebhookNotifier _webhooks;
    private readonly string _mediaDirectory;
    private readonly MediaSourceResolver _mediaSources;
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;
    private readonly ReadModelStore _store;
    private IHost? _host;
    private Task? _reporting;
    private volatile WorkerStatus _worker = new(NodeState.Active, 0, new Dictionary<TaskKind, string>());
    private readonly TaskCompletionSource _left = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _reportNow = new(0);
    private Task? _housekeepingLoop;
    /// <summary>The last heartbeat write to the store failed with this (null: it succeeded): the store's write probe, at no extra write.</summary>
    private volatile string? _storeError;
    private volatile bool _journalSeen;
    private readonly Lock _healthLock = new();
    private IReadOnlyList<string> _causes = ["starting"];

    public NodeSettings Settings => _settings;
    /// <summary>Where media may come from and where outbound calls may go, read from the environment once.</summary>
    public MediaSourcePolicy MediaSources => _sources;
    public IReadModel ReadModel => _store;
    public IMediaLibraryStore Library => _store;
    public ArtifactStore Artifacts { get; }
    public VideoPreparation Preparation { get; }
    public JobSubmission? Submission { get; private set; }
    /// <summary>Credentials: the operator token and the API keys kept in the read model.</summary>
    public ApiKeys Keys { get; }
    public IApiKeyStore KeyStore => _store;
    public LibraryRegistration? Registration { get; private set; }
    /// <summary>The stored templates: AddTemplate and friends, and TemplateId + ClipsParam submissions (gateways).</summary>
    public TimelineTemplates? Templates { get; private set; }
    /// <summary>SubmitIProductionJob's checks and storing (gateways).</summary>
    public ProductionSubmission? Production { get; private set; }
    /// <summary>The media-AI functions this node runs and checks requests for.</summary>
    public ProductionFunctions Functions { get; }
    public string Device { get; }
    public Housekeeping Housekeeping { get; }
    /// <summary>Waits in the work queue while its singleton runs on this node (a gateway).</summary>
    public QueueWaits QueueWaits { get; } = new();
    public ActorSystem System => _host?.Services.GetRequiredService<ActorSystem>() ?? throw new InvalidOperationException("node not started");
    /// <summary>The job entities (the shard region on gateways, a proxy elsewhere).</summary>
    public IActorRef Jobs { get; private set; } = ActorRefs.Nobody;

    /// <summary>Completes when the node left the cluster (operator leave, or downed).</summary>
    public Task Left => _left.Task;

    public FarmNode(NodeSettings settings, ILoggerFactory logs)
    {
        _settings = settings;
        _logs = logs;
        _log = logs.CreateLogger($"node:{settings.NodeId}");
        Directory.CreateDirectory(settings.DataDirectory);
        _store = settings.PostgresConnection is { } pg ? ReadModelStore.Postgres(pg) : ReadModelStore.Sqlite(Path.Combine(settings.DataDirectory, "renderfarm.db"));
        Artifacts = new ArtifactStore(settings.ArtifactDirectory);
        Directory.CreateDirectory(settings.OutputDirectory); // at start only: one deleted later is reported by /readyz
        _mediaDirectory = Directory.CreateDirectory(Path.Combine(settings.DataDirectory, "media")).FullName;
        var engines = AiEngineFactory.Create(Path.Combine(settings.ArtifactDirectory, "ai"), logs);
        // Read once: media downloads and NotifyAddress callbacks follow the same outbound policy.
        _sources = settings.MediaRoots is { } roots ? MediaSourcePolicy.FromEnvironment(_mediaDirectory, roots) : MediaSourcePolicy.FromEnvironment(_mediaDirectory);
        Preparation = new VideoPreparation(_sources, _mediaDirectory, TimelineLimits.Default, engines);
        _mediaSources = new MediaSourceResolver(_sources);
        _webhooks = new WebhookNotifier(_sources.Outbound);
        Housekeeping = new Housekeeping(settings, _sources.CacheDirectory, _started, ct => _store.GetActiveArtifactKeysAsync(ct), logs.CreateLogger("housekeeping"));
        _analysis = MediaAnalyzerFactory.Create(engines);
        Functions = ProductionCatalog.Create(engines, Path.Combine(_sources.CacheDirectory, "probe"));
        Device = GpuProbe.Describe();
        Keys = new ApiKeys(_store, settings.OperatorToken, TimeProvider.System);
    }

    private readonly MediaAnalysisEngine _analysis;

    private EncoderSettings Encoder => EncoderSettings.Default with { Preset = _settings.EncoderPreset, Threads = _settings.EncoderThreads };

    /// <summary>Encoder choices that change output bytes enter artifact keys.</summary>
    private string EncoderTag => Encoder.Tag;

    private bool IsGateway => _settings.HasRole("gateway");
    private bool IsWorker => _settings.HasRole("cpu") || _settings.HasRole("gpu");

    public async Task StartAsync(CancellationToken ct)
    {
        // Before any task of this process runs: whatever temporary file or work directory exists is a crash's leftover.
        Housekeeping.RemoveLeftovers();
        await RetryAsync("read model", () => _store.InitializeAsync(ct), ct);
        if (IsGateway) _ = BatchPlanning.Planners; // opens the sentence encoder now rather than at the first batch (a bad RENDERFARM_EMBEDDING_MODEL stops the node here)
        if (_settings.HasRole("gpu") && Device.StartsWith("cpu", StringComparison.Ordinal))
            _log.LogWarning("gpu role without a usable GPU ({Device}): gpu task kinds run on the CPU", Device);
        if (IsWorker && Kinds.Contains(TaskKind.Matte)) AiEngineFactory.LogMattingDevice(_log, OnnxSessionFactory.DeviceFromEnvironment());
        if (_settings.HasRole("gpu")) _nvenc = await NvencCheck.RunAsync(new FfmpegRunner(), Device, _log, ct);

        _host = new HostBuilder()
            .ConfigureServices(services =>
            {
                services.AddSingleton(_logs);
                services.AddAkka("renderfarm", (akka, _) => ConfigureAkka(akka));
            })
            .Build();
        await _host.StartAsync(ct);
        var system = System;
        var cluster = Akka.Cluster.Cluster.Get(system);
        if (_settings.IsEmbedded) await cluster.JoinAsync(cluster.SelfAddress, ct);
        cluster.RegisterOnMemberRemoved(() => _left.TrySetResult());
        var registry = ActorRegistry.For(system);
        Jobs = IsGateway ? registry.Get<JobEntity>() : registry.Get<JobEntityProxy>();
        if (IsGateway)
        {
            Templates = new TimelineTemplates(_store, Library, TimelineLimits.Default, TimeProvider.System);
            Submission = new JobSubmission(new ShardedJobs(Jobs, _store), new OutputLocations(_settings.OutputDirectory), TimelineLimits.Default,
                new MediaAdmission(_mediaSources, _mediaDirectory), _store, _sources.Outbound, Library, Templates);
            Production = new ProductionSubmission(Submission, Functions, new OutputLocations(_settings.OutputDirectory), _mediaSources, _mediaDirectory,
                Library, new MediaProber(Path.Combine(_sources.CacheDirectory, "probe")));
            Registration = new LibraryRegistration(Library, _mediaSources, _mediaDirectory, new ShardedJobs(Jobs, _store), TimeProvider.System);
        }
        _reporting = Task.Run(() => ReportLoopAsync(_shutdown.Token));
        _housekeepingLoop = Task.Run(() => Housekeeping.RunAsync(_shutdown.Token));
        _log.LogInformation("node {Node} started: roles {Roles}, {Mode}, kinds {Kinds}, address {Address}", _settings.NodeId, string.Join(",", _settings.Roles),
            _settings.IsEmbedded ? "embedded (cluster of one, SQLite)" : "cluster (" + (_settings.Discovery ?? "seed nodes") + ", PostgreSQL)",
            string.Join(",", Kinds.Select(TaskKinds.Name)), cluster.SelfAddress);
    }

    /// <summary>The kinds this node's worker takes: cpu kinds with the cpu role, gpu kinds with the gpu role (nvenc segments only after the check passed).</summary>
    private IReadOnlyList<TaskKind> Kinds => _settings.ConsumedKinds.Where(k => k != TaskKind.EncodeSegmentNvenc || _nvenc).ToList();

    /// <summary>Set by the h264_nvenc check at the start of a gpu node.</summary>
    private bool _nvenc;

    private void ConfigureAkka(AkkaConfigurationBuilder akka)
    {
        ITaskRunner? runner = IsWorker
            ? new TaskExecutor(Preparation, Artifacts, new TimelineRenderer(new FfmpegRunner(), Encoder),
                new MediaAnalysisRunner(Library, _mediaSources, _mediaDirectory, Artifacts, _analysis),
                new ProductionTaskRunner(Functions, _mediaSources, _mediaDirectory, Artifacts, _store),
                _nvenc ? new TimelineRenderer(new FfmpegRunner(), Encoder with { Nvenc = true }) : null)
            : null;
        var planner = IsGateway
            ? new StagePlanner(Preparation, new PlanningOptions(_settings.SegmentSeconds, EncoderTag)
            {
                // Nodes report every heartbeat: one that missed a few no longer counts for planning nvenc segments.
                NvencTag = (Encoder with { Nvenc = true }).Tag,
                Nodes = ct => _store.GetNodesAsync(ct),
                LiveWithin = _settings.HeartbeatInterval * 3,
            })
            : null;
        FarmRuntime.Configure(akka, _settings, new FarmRuntimeParts(_store, planner, _webhooks, runner, Device, Publish, QueueWaits, Kinds), _logs);
    }

    /// <summary>The worker's status; a change of state or of kinds taken out is reported at once, not at the next heartbeat.</summary>
    private void Publish(WorkerStatus status)
    {
        var before = _worker;
        _worker = status;
        if (before.State != status.State || !before.TakenOut.Keys.ToHashSet().SetEquals(status.TakenOut.Keys)) _reportNow.Release();
    }

    /// <summary>Writes this node's row into the read model every heartbeat (what `farm cluster show` lists).</summary>
    private async Task ReportLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var status = _worker;
                var address = Akka.Cluster.Cluster.Get(System).SelfAddress.ToString();
                await _store.UpsertNodeAsync(new NodeRecord(_settings.NodeId, _settings.Roles.Order().ToList(),
                    Kinds.ToDictionary(TaskKinds.Name, _settings.SlotsFor), status.State, _started, DateTimeOffset.UtcNow,
                    status.TakenOut.Select(k => $"{TaskKinds.Name(k.Key)}: {k.Value}").ToList(), status.Running, Device, address), ct);
                _storeError = null;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _storeError = e.Message;
                _log.LogWarning("node report failed: {Error}", e.Message);
            }
            try { Observe(Causes()); }
            catch (Exception e) when (e is not OperationCanceledException) { _log.LogWarning("health probe failed: {Error}", e.Message); }
            try { await _reportNow.WaitAsync(_settings.HeartbeatInterval, ct); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>
    /// Health for /readyz: every failing cause, one line each (see <see cref="Readiness"/>): the member is not Up,
    /// the store could not be written at the last heartbeat, the data, artifact or output directory is missing
    /// or not writable, a database file is gone or read-only, free disk is under the minimum, or a kind is out
    /// after a fault of this node. While the store fails, each probe asks for a heartbeat write now, so
    /// recovery shows within moments.
    /// </summary>
    public Task<(bool Ready, string Detail)> ReadinessAsync(CancellationToken ct)
    {
        if (_storeError is not null && _reportNow.CurrentCount == 0) _reportNow.Release();
        var causes = Causes();
        Observe(causes);
        return Task.FromResult(causes.Count == 0 ? (true, "ready") : (false, string.Join("\n", causes)));
    }

    /// <summary>The causes that make the node refuse new jobs now (store, directories, disk), as last probed (every heartbeat and /readyz).</summary>
    public IReadOnlyList<string> WriteRefusals
    {
        get { lock (_healthLock) return _causes.Where(Readiness.RefusesWrites).ToList(); }
    }

    private IReadOnlyList<string> Causes()
    {
        string? member = null;
        if (_host is not null) member = Akka.Cluster.Cluster.Get(System).SelfMember.Status.ToString();
        var directories = new[] { ("data", _settings.DataDirectory), ("artifact", _settings.ArtifactDirectory), ("output", _settings.OutputDirectory) }
            .Select(d => DirectoryProbes.Probe(d.Item1, d.Item2)).ToList();
        // The journal file appears with the first persisted event: missing counts only once it was there.
        _journalSeen |= File.Exists(Path.Combine(_settings.DataDirectory, "journal.db"));
        var files = _settings.IsEmbedded && Directory.Exists(_settings.DataDirectory) ? DirectoryProbes.DatabaseFiles(_settings.DataDirectory, _journalSeen) : [];
        var taken = _worker.TakenOut.Select(k => $"{TaskKinds.Name(k.Key)}: {k.Value}").ToList();
        return Readiness.Causes(new ReadinessFacts(member, _storeError, directories, files, taken), _settings.MinFreeDiskBytes);
    }

    /// <summary>
    /// Logs causes as they appear (errors: the node cannot keep jobs) and go. When the last store or
    /// directory cause goes, every pooled SQLite connection is dropped: one opened while the file was
    /// read-only stays read-only (the journal's too), and would keep failing writes after the cause is gone.
    /// </summary>
    private void Observe(IReadOnlyList<string> causes)
    {
        IReadOnlyList<string> before;
        lock (_healthLock)
        {
            before = _causes;
            _causes = causes;
        }
        if (before.SequenceEqual(causes)) return;
        foreach (var cause in causes.Except(before))
            if (Readiness.RefusesWrites(cause)) _log.LogError("not ready: {Cause}", cause);
            else if (cause != "starting") _log.LogWarning("not ready: {Cause}", cause);
        foreach (var cause in before.Except(causes).Where(c => c != "starting")) _log.LogInformation("recovered: {Cause}", cause);
        if (before.Any(Readiness.RefusesWrites) && !causes.Any(Readiness.RefusesWrites))
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            _log.LogInformation("store and directories writable again: SQLite connections reopened");
        }
    }

    /// <summary>Sends an operator command to a node's worker (found by its reported address).</summary>
    public async Task<NodeCommandReply?> CommandNodeAsync(string nodeId, IFarmMessage command, CancellationToken ct)
    {
        var node = (await _store.GetNodesAsync(ct)).FirstOrDefault(n => n.NodeId == nodeId);
        if (node is null || string.IsNullOrEmpty(node.Address)) return null;
        var worker = System.ActorSelection(ClusterIdentity.WorkerPath(Address.Parse(node.Address)));
        try { return await worker.Ask<NodeCommandReply>(command, TimeSpan.FromSeconds(5), ct); }
        catch (AskTimeoutException) { return null; }
    }

    /// <summary>Cancel or retry through the job's entity.</summary>
    public Task<JobCommandReply> CommandJobAsync(IJobCommand command, CancellationToken ct) =>
        Jobs.Ask<JobCommandReply>(command, TimeSpan.FromSeconds(10), ct);

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

    /// <summary>Stops taking work, lets running tasks finish (up to <paramref name="grace"/>), then leaves the cluster.</summary>
    public async Task DrainAsync(TimeSpan grace)
    {
        if (_host is null) return;
        if (IsWorker)
        {
            var worker = System.ActorSelection("/user/worker");
            try { await worker.Ask<NodeCommandReply>(new DrainNode(), TimeSpan.FromSeconds(5)); } catch (Exception) { /* stopping anyway */ }
            var deadline = DateTime.UtcNow + grace;
            while (_worker.Running > 0 && DateTime.UtcNow < deadline) await Task.Delay(200);
            if (_worker.Running > 0)
                _log.LogWarning("grace period over with {Count} task(s) running: stopping them (they run elsewhere)", _worker.Running);
        }
        await CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClrExitReason.Instance);
    }

    public async ValueTask DisposeAsync()
    {
        _shutdown.Cancel();
        if (_reporting is not null) await _reporting.ConfigureAwait(false);
        if (_housekeepingLoop is not null) await _housekeepingLoop.ConfigureAwait(false);
        if (_host is not null)
        {
            await _host.StopAsync(TimeSpan.FromSeconds(15));
            _host.Dispose();
        }
        Preparation.Dispose();
        _mediaSources.Dispose();
        _webhooks.Dispose();
        await _store.DisposeAsync();
    }
}

/// <summary>Job commands through the shard region; whether a job exists from the read model.</summary>
public sealed class ShardedJobs(IActorRef region, IReadModel readModel) : IJobGateway
{
    public Task<SubmitReply> SubmitAsync(SubmitJob job, CancellationToken ct) => region.Ask<SubmitReply>(job, TimeSpan.FromSeconds(30), ct);

    public async Task<bool> ExistsAsync(string jobId, CancellationToken ct) => await readModel.GetJobAsync(jobId, ct) is not null;
}
