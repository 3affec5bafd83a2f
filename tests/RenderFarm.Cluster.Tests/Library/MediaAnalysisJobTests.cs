using FluentAssertions;
using RenderFarm.Cluster.Artifacts;
using RenderFarm.Cluster.Library;
using RenderFarm.Cluster.Lifecycle;
using RenderFarm.Cluster.Model;
using RenderFarm.Cluster.Planning;
using RenderFarm.Cluster.ReadModel;
using RenderFarm.Cluster.Workers;
using RenderFarm.Core.Batch.Matching;
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
/// A registered medium is analysed by one analyse task that goes through the farm's job machinery: the
/// registration submits the entry's job, the node's StagePlanner prepares its analyse stage, the job
/// lifecycle dispatches, retries and cancels the task, the TaskExecutor runs it through the
/// MediaAnalysisRunner, and the job's state is projected into the read model the library reads.
/// Here in process (<see cref="InProcessFarm"/>), with a fake analyser.
/// </summary>
public sealed class MediaAnalysisJobTests : IAsyncDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly TempDir _dir = new();
    private readonly ReadModelStore _store;
    private readonly FakeAnalyzer _analyzer = new();
    private readonly LengthEncoder _encoder = new();
    private readonly ArtifactStore _artifacts;
    private readonly MediaSourceResolver _resolver;
    private readonly VideoPreparation _preparation;
    private readonly InProcessJobs _jobs;
    private readonly InProcessFarm _farm;
    private readonly LibraryRegistration _registration;
    private readonly string _media;

    public MediaAnalysisJobTests()
    {
        _media = Directory.CreateDirectory(_dir.File("media")).FullName;
        _store = ReadModelStore.Sqlite(_dir.File("farm.db"));
        _store.InitializeAsync().GetAwaiter().GetResult();
        _artifacts = new ArtifactStore(_dir.File("artifacts"));
        var policy = new MediaSourcePolicy { AllowedRoots = [_media], CacheDirectory = _dir.File("cache") };
        _resolver = new MediaSourceResolver(policy);
        _preparation = new VideoPreparation(policy, _media, TimelineLimits.Default, RenderFarm.Media.Ai.AiEngines.None);
        _jobs = new InProcessJobs(_store);
        // ffmpeg that always fails: analyse tasks must not need the renderer.
        var executor = new TaskExecutor(_preparation, _artifacts, new TimelineRenderer(new FfmpegRunner("/bin/false"), EncoderSettings.Default),
            new MediaAnalysisRunner(_store, _resolver, _media, _artifacts, new MediaAnalysisEngine(_analyzer, "fake-analyzer:1", () => _encoder)));
        _farm = new InProcessFarm(_jobs, new StagePlanner(_preparation, new PlanningOptions(10, "test")), executor);
        _registration = new LibraryRegistration(_store, _resolver, _media, _jobs, TimeProvider.System);
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

    /// <summary>Registers a medium and lets the farm run its analysis job to its end.</summary>
    private async Task<LibraryEntry> RegisterAndRunAsync(string body)
    {
        var result = await _registration.RegisterAsync(body, Ct);
        await _farm.RunAsync(result.Entry.JobId, Ct);
        return (await _store.GetMediaAsync(result.Entry.MediaId, Ct))!;
    }

    private async Task<LibraryEntry> WaitAsync(string mediaId, Func<LibraryEntry, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var entry = (await _store.GetMediaAsync(mediaId, Ct))!;
            if (done(entry)) return entry;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"media {mediaId} still {entry.State} at {entry.Progress}%");
            await Task.Delay(20, Ct);
        }
    }

    [Fact]
    public async Task A_registered_medium_is_analysed_by_one_analyse_task_and_becomes_Normal_with_its_analysis()
    {
        var path = MediaFile("city.mp4");

        var entry = await RegisterAndRunAsync($$"""{"InputURL":"{{path}}","Title":"City","Tags":"night,neon"}""");

        entry.State.Should().Be(MediaState.Normal, entry.Error);
        entry.Analysis.Should().BeEquivalentTo(FakeAnalyzer.Result);
        entry.Tags.Should().Equal("night", "neon");
        entry.JobId.Should().Be(MediaAnalysisPlanner.JobIdOf(entry.MediaId));
        _analyzer.Calls.Should().Be(1);
        _analyzer.Paths.Should().Equal(path);
        var keyframes = (await _store.KeyframeDirectoryAsync(entry.MediaId, Ct))!;
        keyframes.Should().StartWith(_artifacts.Root, "keyframes live in the shared artifact directory");
        var documents = LibraryTexts.Ranked(entry).Select(SentenceDocuments.Of).Where(d => d.Length > 0).Distinct().ToList();
        documents.Should().Contain(d => d.StartsWith("City\nnight, neon", StringComparison.Ordinal));
        var vectors = await _store.TextVectorsAsync([entry.MediaId], Ct);
        vectors.Keys.Should().BeEquivalentTo(documents.Select(d => SentenceDocuments.Key(_encoder.Name, d)),
            "every text search and matching rank is embedded once, at analysis");
        vectors[SentenceDocuments.Key(_encoder.Name, documents[0])].Should().Equal(_encoder.Embed([documents[0]], Ct)[0]);
        File.ReadAllText(Path.Combine(keyframes, "shot_000.jpg")).Should().Be("keyframe");
        var job = (await _store.GetJobAsync(entry.JobId, Ct))!;
        (job.Kind, job.Status, job.Progress).Should().Be((JobKind.MediaAnalysis, JobStatus.Success, 100));
        var submitted = _jobs.Submitted.Should().ContainSingle().Subject;
        submitted.Videos.Should().ContainSingle().Which.RequestJson.Should().Contain(entry.MediaId);
        var task = (await _store.GetTasksAsync(entry.JobId, Ct)).Should().ContainSingle().Subject;
        (task.Kind, task.State, task.NodeId, task.Attempt, task.Reused).Should().Be((TaskKind.Analyse, TaskState.Succeeded, "worker", 1, false));
        (await _store.GetHistoryAsync(entry.JobId, Ct)).Select(h => h.Event).Should().ContainInOrder("Queuing", "Analysing", "Started", "Succeeded", "Success");
    }

    [Fact]
    public async Task Registering_the_same_URL_again_answers_the_same_MediaId_without_analysing_again()
    {
        var path = MediaFile("a.mp4");
        var first = await RegisterAndRunAsync($$"""{"InputURL":"{{path}}"}""");
        var history = (await _store.GetHistoryAsync(first.JobId, Ct)).Count;

        var again = await _registration.RegisterAsync($$"""{"InputURL":"{{path}}","Title":"other"}""", Ct);
        await _farm.RunAsync(again.Entry.JobId, Ct);

        again.Existing.Should().BeTrue();
        again.Entry.MediaId.Should().Be(first.MediaId);
        again.Entry.Title.Should().BeNull("the first registration is kept as it was");
        _analyzer.Calls.Should().Be(1);
        _jobs.Submitted.Select(s => s.JobId).Should().Equal(first.JobId, first.JobId);
        (await _store.GetHistoryAsync(first.JobId, Ct)).Should().HaveCount(history, "submitting the entry's job again changes nothing");
        (await _store.ListJobsAsync(new JobQuery(MaxResults: 100), Ct)).Jobs.Should().ContainSingle();
    }

    [Fact]
    public async Task A_registration_whose_job_was_not_submitted_is_completed_by_registering_the_URL_again()
    {
        var path = MediaFile("lost.mp4");
        _jobs.Unreachable = new TimeoutException("the job's entity did not answer");
        await FluentActions.Awaiting(() => _registration.RegisterAsync($$"""{"InputURL":"{{path}}"}""", Ct)).Should().ThrowAsync<TimeoutException>();
        var stranded = (await _store.ListMediaAsync(new MediaQuery(), Ct)).Media.Should().ContainSingle().Subject;
        stranded.State.Should().Be(MediaState.Analysing, "the row is stored, its job is not");
        (await _store.GetJobAsync(stranded.JobId, Ct)).Should().BeNull();
        _jobs.Unreachable = null;

        var again = await RegisterAndRunAsync($$"""{"InputURL":"{{path}}"}""");

        again.MediaId.Should().Be(stranded.MediaId);
        again.State.Should().Be(MediaState.Normal, again.Error);
        _analyzer.Calls.Should().Be(1);
    }

    [Fact]
    public async Task The_same_bytes_under_another_URL_reuse_the_stored_analysis()
    {
        var first = await RegisterAndRunAsync($$"""{"InputURL":"{{MediaFile("one.mp4", "same bytes")}}"}""");
        var second = await RegisterAndRunAsync($$"""{"InputURL":"{{MediaFile("two.mp4", "same bytes")}}"}""");
        var third = await RegisterAndRunAsync($$"""{"InputURL":"{{MediaFile("three.mp4", "other bytes")}}"}""");

        (first.State, second.State, third.State).Should().Be((MediaState.Normal, MediaState.Normal, MediaState.Normal));
        second.MediaId.Should().NotBe(first.MediaId);
        second.Analysis.Should().BeEquivalentTo(FakeAnalyzer.Result);
        _analyzer.Calls.Should().Be(2, "one.mp4 and two.mp4 hold the same bytes: analysed once");
        (await _store.KeyframeDirectoryAsync(second.MediaId, Ct)).Should().Be(await _store.KeyframeDirectoryAsync(first.MediaId, Ct));
        (await _store.GetTasksAsync(second.JobId, Ct)).Single().Reused.Should().BeTrue();
        (await _store.GetTasksAsync(third.JobId, Ct)).Single().Reused.Should().BeFalse();
    }

    [Fact]
    public async Task A_failing_analysis_is_retried_then_leaves_the_entry_Failed_with_the_reason()
    {
        _analyzer.Failure = "no video stream";

        var entry = await RegisterAndRunAsync($$"""{"InputURL":"{{MediaFile("broken.mp4")}}"}""");

        entry.State.Should().Be(MediaState.Failed);
        entry.Error.Should().Contain("no video stream");
        entry.Analysis.Should().BeNull();
        var retries = _jobs.Lifecycle.Options.MaxJobFailures;
        _analyzer.Calls.Should().Be(retries, "the task runs its attempts like any other task");
        var job = (await _store.GetJobAsync(entry.JobId, Ct))!;
        (job.Status, job.Code).Should().Be((JobStatus.Failed, "AnalysisFailed"));
        var task = (await _store.GetTasksAsync(entry.JobId, Ct)).Single();
        (task.State, task.Attempt).Should().Be((TaskState.Failed, retries));
        (await _store.GetHistoryAsync(entry.JobId, Ct)).Count(h => h.Event == "Retry").Should().Be(retries - 1);
    }

    [Fact]
    public async Task Cancelling_the_analysis_job_stops_it_and_leaves_the_entry_Failed()
    {
        _analyzer.Hold = new TaskCompletionSource();
        var result = await _registration.RegisterAsync($$"""{"InputURL":"{{MediaFile("long.mp4")}}"}""", Ct);
        var running = _farm.RunAsync(result.Entry.JobId, Ct);
        await WaitAsync(result.Entry.MediaId, e => e.Progress >= 50);

        var reply = await _farm.CancelAsync(result.Entry.JobId, Ct);
        var final = await running.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        (reply.Changed, reply.Status).Should().Be((true, JobStatus.Cancelled));
        _analyzer.Stopped.Should().BeTrue("the running analysis was told to stop");
        final.Tasks.Values.Single().State.Should().Be(TaskState.Cancelled);
        var entry = (await _store.GetMediaAsync(result.Entry.MediaId, Ct))!;
        entry.State.Should().Be(MediaState.Failed);
        entry.Analysis.Should().BeNull();
        (await _store.GetJobAsync(result.Entry.JobId, Ct))!.Status.Should().Be(JobStatus.Cancelled);
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
        _jobs.Submitted.Should().BeEmpty();
    }

    [Fact]
    public async Task An_analysis_job_whose_request_cannot_be_read_fails_its_video_naming_why()
    {
        // A stored job whose medium's request is not an AnalyseInput: its stage cannot be prepared.
        var job = new SubmitJob("broken-analysis", JobKind.MediaAnalysis, null, "{}", null, null, [new VideoSpec("broken-analysis-000", 0, "not json", "")]);
        (await _jobs.SubmitAsync(job, Ct)).Existing.Should().BeFalse();

        var state = await _farm.RunAsync(job.JobId, Ct);

        state.Status.Should().Be(JobStatus.Failed);
        state.Videos.Values.Single().Code.Should().Be("InvalidMedia");
        _analyzer.Calls.Should().Be(0);
        (await _store.GetJobAsync(job.JobId, Ct))!.Status.Should().Be(JobStatus.Failed);
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
        public bool Stopped { get; private set; }

        public async Task<MediaAnalysis> AnalyseAsync(string mediaPath, string keyframeDirectory, IProgress<double>? progress, CancellationToken ct)
        {
            Interlocked.Increment(ref _calls);
            lock (Paths) Paths.Add(mediaPath);
            progress?.Report(0.5);
            if (Hold is { } hold)
            {
                try { await hold.Task.WaitAsync(ct); }
                catch (OperationCanceledException) { Stopped = true; throw; }
            }
            if (Failure is { } failure) throw new InvalidDataException(failure);
            await File.WriteAllTextAsync(Path.Combine(keyframeDirectory, "shot_000.jpg"), "keyframe", ct);
            return Result;
        }
    }
}

/// <summary>A stand-in sentence encoder: a text's vector is its length and 1, normalised.</summary>
internal sealed class LengthEncoder : ISentenceEncoder
{
    public string Name => "length-encoder";
    public double MinSimilarity => 0;

    public float[][] Embed(IReadOnlyList<string> texts, CancellationToken ct = default) =>
        texts.Select(t => { var n = MathF.Sqrt(t.Length * t.Length + 1); return new[] { t.Length / n, 1 / n }; }).ToArray();
}
