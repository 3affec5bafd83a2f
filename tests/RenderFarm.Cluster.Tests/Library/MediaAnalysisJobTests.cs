using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using RenderFarm.Cluster.Artifacts;
using RenderFarm.Cluster.Library;
using RenderFarm.Cluster.Messages;
using RenderFarm.Cluster.Model;
using RenderFarm.Cluster.Orchestration;
using RenderFarm.Cluster.Store;
using RenderFarm.Cluster.Work;
using RenderFarm.Core.Json;
using RenderFarm.Core.Library;
using RenderFarm.Core.Timelines;
using RenderFarm.Media.Analysis;
using RenderFarm.Media.Compilation;
using RenderFarm.Media.Ffmpeg;
using RenderFarm.Media.Rendering;
using RenderFarm.Media.Sources;
using RenderFarm.TestSupport;
using Xunit;

namespace RenderFarm.Cluster.Tests.Library;

/// <summary>
/// A registered medium is analysed by one analyse task that goes through the farm's job machinery
/// (orchestrator, dispatch, task runner with its lease, store), here with an in-process bus and a fake analyser.
/// </summary>
public sealed class MediaAnalysisJobTests : IAsyncDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly TempDir _dir = new();
    private readonly SqlJobStore _store;
    private readonly FakeAnalyzer _analyzer = new();
    private readonly ArtifactStore _artifacts;
    private readonly MediaSourceResolver _resolver;
    private readonly VideoPreparation _preparation;
    private readonly JobOrchestrator _orchestrator;
    private readonly LibraryRegistration _registration;
    private readonly string _media;

    public MediaAnalysisJobTests()
    {
        _media = Directory.CreateDirectory(_dir.File("media")).FullName;
        _store = SqlJobStore.Sqlite(_dir.File("farm.db"));
        _store.InitializeAsync().GetAwaiter().GetResult();
        _artifacts = new ArtifactStore(_dir.File("artifacts"));
        var policy = new MediaSourcePolicy { AllowedRoots = [_media], CacheDirectory = _dir.File("cache") };
        _resolver = new MediaSourceResolver(policy);
        _preparation = new VideoPreparation(policy, _media, TimelineLimits.Default, RenderFarm.Media.Ai.AiEngines.None);
        var bus = new InProcessBus();
        _orchestrator = new JobOrchestrator(_store, bus, _preparation,
            new WebhookNotifier(_store, new HttpClient(), TimeProvider.System, NullLogger<WebhookNotifier>.Instance),
            new OrchestratorOptions(10, "test"), TimeProvider.System, NullLogger<JobOrchestrator>.Instance);
        var executor = new TaskExecutor(_store, _preparation, _artifacts, new TimelineRenderer(new FfmpegRunner("/bin/false"), EncoderSettings.Default),
            new MediaAnalysisRunner(_store, _resolver, _media, _artifacts, new MediaAnalysisEngine(_analyzer, "fake-analyzer:1")));
        var runner = new TaskRunner(_store, bus, executor, new RunningTasks(), new KindFailures(10),
            new TaskRunnerOptions("worker", TimeSpan.FromSeconds(15), MaxAttempts: 2), TimeProvider.System, NullLogger<TaskRunner>.Instance);
        bus.Run = m => runner.RunAsync(m, CancellationToken.None);
        bus.Advance = jobId => _orchestrator.AdvanceAsync(jobId, CancellationToken.None);
        _registration = new LibraryRegistration(_store, _resolver, _media, TimeProvider.System);
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        _resolver.Dispose();
        _preparation.Dispose();
        _dir.Dispose();
    }

    private string MediaFile(string name, string content = "pretend video bytes")
    {
        var path = Path.Combine(_media, name);
        File.WriteAllText(path, content);
        return path;
    }

    private async Task<LibraryEntry> RegisterAndWaitAsync(string body)
    {
        var result = await _registration.RegisterAsync(body, Ct);
        if (!result.Existing) await _orchestrator.AdvanceAsync(result.Entry.JobId, Ct);
        return await WaitAsync(result.Entry.MediaId, e => e.State != MediaState.Analysing);
    }

    private async Task<LibraryEntry> WaitAsync(string mediaId, Func<LibraryEntry, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var entry = (await _store.GetMediaAsync(mediaId, Ct))!;
            if (done(entry)) return entry;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"media {mediaId} still {entry.State}");
            await Task.Delay(50, Ct);
        }
    }

    [Fact]
    public async Task A_registered_medium_is_analysed_by_one_analyse_task_and_becomes_Normal_with_its_analysis()
    {
        var path = MediaFile("city.mp4");

        var entry = await RegisterAndWaitAsync($$"""{"InputURL":"{{path}}","Title":"City","Tags":"night,neon"}""");

        entry.State.Should().Be(MediaState.Normal, entry.Error);
        entry.Analysis.Should().BeEquivalentTo(FakeAnalyzer.Result);
        entry.Tags.Should().Equal("night", "neon");
        _analyzer.Calls.Should().Be(1);
        _analyzer.Paths.Should().Equal(path);
        var keyframes = (await _store.KeyframeDirectoryAsync(entry.MediaId, Ct))!;
        keyframes.Should().StartWith(_artifacts.Root, "keyframes live in the shared artifact directory");
        File.ReadAllText(Path.Combine(keyframes, "shot_000.jpg")).Should().Be("keyframe");
        var job = (await _store.GetJobAsync(entry.JobId, Ct))!;
        await WaitJobAsync(entry.JobId, JobStatus.Success);
        job.Kind.Should().Be(JobKind.MediaAnalysis);
        var task = (await _store.GetTasksAsync(entry.JobId, Ct)).Should().ContainSingle().Subject;
        (task.Kind, task.State, task.NodeId).Should().Be((TaskKind.Analyse, TaskState.Succeeded, "worker"));
        (await _store.GetHistoryAsync(entry.JobId, Ct)).Select(h => h.Event).Should().ContainInOrder("Queuing", "Analysing", "Dispatched", "Started", "Succeeded", "Success");
    }

    [Fact]
    public async Task Registering_the_same_URL_again_answers_the_same_MediaId_without_analysing_again()
    {
        var path = MediaFile("a.mp4");
        var first = await RegisterAndWaitAsync($$"""{"InputURL":"{{path}}"}""");

        var again = await _registration.RegisterAsync($$"""{"InputURL":"{{path}}","Title":"other"}""", Ct);

        again.Existing.Should().BeTrue();
        again.Entry.MediaId.Should().Be(first.MediaId);
        again.Entry.Title.Should().BeNull("the first registration is kept as it was");
        _analyzer.Calls.Should().Be(1);
    }

    [Fact]
    public async Task The_same_bytes_under_another_URL_reuse_the_stored_analysis()
    {
        var first = await RegisterAndWaitAsync($$"""{"InputURL":"{{MediaFile("one.mp4", "same bytes")}}"}""");
        var second = await RegisterAndWaitAsync($$"""{"InputURL":"{{MediaFile("two.mp4", "same bytes")}}"}""");
        var third = await RegisterAndWaitAsync($$"""{"InputURL":"{{MediaFile("three.mp4", "other bytes")}}"}""");

        (first.State, second.State, third.State).Should().Be((MediaState.Normal, MediaState.Normal, MediaState.Normal));
        second.MediaId.Should().NotBe(first.MediaId);
        _analyzer.Calls.Should().Be(2, "one.mp4 and two.mp4 hold the same bytes: analysed once");
        (await _store.KeyframeDirectoryAsync(second.MediaId, Ct)).Should().Be(await _store.KeyframeDirectoryAsync(first.MediaId, Ct));
        (await _store.GetTasksAsync(second.JobId, Ct)).Single().Reused.Should().BeTrue();
    }

    [Fact]
    public async Task A_failing_analysis_is_retried_then_leaves_the_entry_Failed_with_the_reason()
    {
        _analyzer.Failure = "no video stream";

        var entry = await RegisterAndWaitAsync($$"""{"InputURL":"{{MediaFile("broken.mp4")}}"}""");

        entry.State.Should().Be(MediaState.Failed);
        entry.Error.Should().Contain("no video stream");
        entry.Analysis.Should().BeNull();
        _analyzer.Calls.Should().Be(2, "the task runs its attempts like any other task");
    }

    [Fact]
    public async Task Cancelling_the_analysis_job_stops_it_and_leaves_the_entry_Failed()
    {
        _analyzer.Hold = new TaskCompletionSource();
        var result = await _registration.RegisterAsync($$"""{"InputURL":"{{MediaFile("long.mp4")}}"}""", Ct);
        await _orchestrator.AdvanceAsync(result.Entry.JobId, Ct);
        await WaitAsync(result.Entry.MediaId, e => e.Progress >= 50);

        (await _orchestrator.CancelAsync(result.Entry.JobId, Ct)).Should().BeTrue();

        var entry = (await _store.GetMediaAsync(result.Entry.MediaId, Ct))!;
        entry.State.Should().Be(MediaState.Failed);
        entry.Analysis.Should().BeNull();
    }

    [Fact]
    public async Task A_URL_outside_the_allowed_roots_is_refused_naming_InputURL_and_nothing_is_stored()
    {
        var outside = _dir.File("secret.mp4");
        File.WriteAllText(outside, "x");

        var e = await Assert.ThrowsAsync<RequestException>(() => _registration.RegisterAsync($$"""{"InputURL":"{{outside}}"}""", Ct));

        e.Path.Should().Be("InputURL");
        (await _store.ListMediaAsync(new MediaQuery(), Ct)).Media.Should().BeEmpty();
        (await _store.ListJobsAsync(new JobQuery(), Ct)).Jobs.Should().BeEmpty();
    }

    private async Task WaitJobAsync(string jobId, JobStatus status)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((await _store.GetJobAsync(jobId, Ct))!.Status != status)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"job {jobId} not {status}");
            await Task.Delay(50, Ct);
        }
    }

    /// <summary>Messages handled on the thread pool, as a broker would deliver them: RunTask to the runner, the rest to the orchestrator.</summary>
    private sealed class InProcessBus : IFarmBus
    {
        public Func<RunTask, Task> Run { get; set; } = _ => Task.CompletedTask;
        public Func<string, Task> Advance { get; set; } = _ => Task.CompletedTask;

        public Task SendAsync(RunTask message, CancellationToken ct = default)
        {
            _ = Task.Run(() => Run(message));
            return Task.CompletedTask;
        }

        public Task PublishAsync<T>(T message, CancellationToken ct = default) where T : class
        {
            if (message is TaskFinished finished) _ = Task.Run(() => Advance(finished.JobId));
            return Task.CompletedTask;
        }
    }

    private sealed class FakeAnalyzer : IMediaAnalyzer
    {
        public static readonly MediaAnalysis Result = new(4, 640, 360, true,
            [new AnalysedShot(0, 4, "shot_000.jpg", "OPEN", "hello there", new VisualStats(100, 20, "#646464"))],
            "hello there", new VisualStats(100, 20, "#646464"));

        private int _calls;
        public int Calls => _calls;
        public List<string> Paths { get; } = [];
        public string? Failure { get; set; }
        public TaskCompletionSource? Hold { get; set; }

        public async Task<MediaAnalysis> AnalyseAsync(string mediaPath, string keyframeDirectory, IProgress<double>? progress, CancellationToken ct)
        {
            Interlocked.Increment(ref _calls);
            lock (Paths) Paths.Add(mediaPath);
            progress?.Report(0.5);
            if (Hold is { } hold) await hold.Task.WaitAsync(ct);
            if (Failure is { } failure) throw new InvalidDataException(failure);
            await File.WriteAllTextAsync(Path.Combine(keyframeDirectory, "shot_000.jpg"), "keyframe", ct);
            return Result;
        }
    }
}
