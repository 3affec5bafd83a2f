using FluentAssertions;
using RenderFarm.Cluster.Model;
using RenderFarm.Cluster.ReadModel;
using RenderFarm.Core.Library;
using RenderFarm.TestSupport.Servers;
using Xunit;

namespace RenderFarm.Cluster.Tests.ReadModel;

/// <summary>
/// The media library table, run against every database: entries registered alone, their state from
/// their analysis job's projected row, analysis round trip, paging, deletion.
/// </summary>
public abstract class MediaLibraryStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_750_000_000_000);
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected ReadModelStore Store { get; private set; } = null!;
    protected abstract ReadModelStore OpenStore();
    protected virtual ValueTask PrepareAsync() => ValueTask.CompletedTask;

    public async ValueTask InitializeAsync()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        if (workers < 16) ThreadPool.SetMinThreads(16, Math.Max(io, 16));
        await PrepareAsync();
        Store = OpenStore();
        await Store.InitializeAsync(Ct);
        await Store.InitializeAsync(Ct); // idempotent, as every node initializes at start
    }

    public virtual async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private static string JobOf(string mediaId) => "analysis-" + mediaId;

    private static LibraryEntry Entry(string id, string url, int second = 0, string[]? tags = null)
    {
        var at = T0.AddSeconds(second);
        return new LibraryEntry(id, url, "video", "Title " + id, "About " + id, tags ?? ["a", "b"], MediaState.Analysing, null, 0, at, at, JobOf(id), null);
    }

    private async Task<LibraryEntry> RegisterAsync(string id, string url, int second = 0, string[]? tags = null)
    {
        var (stored, existing) = await Store.RegisterMediaAsync(Entry(id, url, second, tags), Ct);
        existing.Should().BeFalse();
        return stored;
    }

    /// <summary>Projects the analysis job of an entry as its job entity would: the job, its one video, a history line.</summary>
    private Task ProjectAnalysisJobAsync(string mediaId, JobStatus status, string? message = null)
    {
        var jobId = JobOf(mediaId);
        var job = new JobRecord(jobId, JobKind.MediaAnalysis, null, "{}", status, 0, null, null, message, T0, T0, null);
        var video = new VideoRecord(jobId + "-000", jobId, 0, "{}", "", status, 0, 0, 0, null, null, null);
        var history = new HistoryEntry(0, jobId, null, null, T0, "Queuing", $"media {mediaId} registered", null);
        return Store.ProjectAsync([new JobProjection(job, [video], [], [history])], Ct);
    }

    private static MediaAnalysis Analysis() => new(12.5, 1920, 1080, true,
        [new AnalysedShot(0, 5, "shot_000.jpg", "OPEN 24 HOURS", "welcome", new VisualStats(120.5, 33, "#7a6b5c")),
         new AnalysedShot(5, 12.5, "shot_001.jpg", "熊猫", null, new VisualStats(90, 12.25, "#333333"))],
        "welcome to the city", new VisualStats(100, 20, "#555555"));

    [Fact]
    public async Task An_entry_round_trips_without_a_job_row_and_becomes_Normal_with_its_analysis()
    {
        var registered = await RegisterAsync("m1", "/media/city.mp4", tags: ["城市", "night"]);
        registered.State.Should().Be(MediaState.Analysing, "its job's row is not projected yet");
        registered.Error.Should().BeNull();
        registered.JobId.Should().Be(JobOf("m1"));
        (await Store.GetJobAsync(registered.JobId, Ct)).Should().BeNull("registration writes the media row only");

        await ProjectAnalysisJobAsync("m1", JobStatus.Processing);
        (await Store.GetMediaAsync("m1", Ct))!.State.Should().Be(MediaState.Analysing);
        (await Store.SaveAnalysisAsync("m1", Analysis(), "/artifacts/ab/abc.analysis", Ct)).Should().BeTrue();

        var read = (await Store.GetMediaAsync("m1", Ct))!;
        read.State.Should().Be(MediaState.Normal);
        read.Progress.Should().Be(100);
        read.Analysis.Should().BeEquivalentTo(Analysis(), o => o.WithStrictOrdering());
        read.Tags.Should().Equal("城市", "night");
        (read.Title, read.Description, read.CreateTime, read.MediaType).Should().Be(("Title m1", "About m1", T0, "video"));
        (await Store.FindMediaByUrlAsync("/media/city.mp4", Ct))!.MediaId.Should().Be("m1");
        (await Store.FindMediaByUrlAsync("/media/other.mp4", Ct)).Should().BeNull();
        (await Store.KeyframeDirectoryAsync("m1", Ct)).Should().Be("/artifacts/ab/abc.analysis");
        (await Store.KeyframeDirectoryAsync("gone", Ct)).Should().BeNull();
        (await Store.SaveAnalysisAsync("gone", Analysis(), "/x", Ct)).Should().BeFalse();
    }

    [Fact]
    public async Task The_same_InputURL_registers_once()
    {
        var first = await RegisterAsync("m1", "/media/a.mp4");
        var again = Entry("m2", "/media/a.mp4", second: 5);

        var (stored, existing) = await Store.RegisterMediaAsync(again, Ct);

        existing.Should().BeTrue();
        stored.Should().BeEquivalentTo(first);
        stored.JobId.Should().Be(JobOf("m1"), "the caller submits no second analysis job");
        (await Store.GetMediaAsync("m2", Ct)).Should().BeNull();
    }

    [Fact]
    public async Task Concurrent_registrations_of_one_InputURL_store_one_entry()
    {
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var racers = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            await go.Task;
            return await Store.RegisterMediaAsync(Entry($"m{i}", "/media/raced.mp4"), Ct);
        }, Ct)).ToList();
        go.SetResult();
        var results = await Task.WhenAll(racers);

        results.Count(r => !r.Existing).Should().Be(1);
        var winner = results.Single(r => !r.Existing).Entry.MediaId;
        results.Select(r => r.Entry.MediaId).Should().AllBe(winner);
        (await Store.AllMediaAsync(100, Ct)).Should().ContainSingle();
    }

    [Fact]
    public async Task A_failed_analysis_job_is_overruled_by_a_saved_analysis()
    {
        await RegisterAsync("m1", "/media/a.mp4");
        await ProjectAnalysisJobAsync("m1", JobStatus.Failed, "decoder gave up");
        (await Store.GetMediaAsync("m1", Ct))!.State.Should().Be(MediaState.Failed);

        await Store.SaveAnalysisAsync("m1", Analysis(), "/k", Ct);
        var read = (await Store.GetMediaAsync("m1", Ct))!;
        read.State.Should().Be(MediaState.Normal);
        read.Error.Should().BeNull();
    }

    [Theory]
    [InlineData(JobStatus.Failed, MediaState.Failed)]
    [InlineData(JobStatus.Cancelled, MediaState.Failed)]
    [InlineData(JobStatus.Queuing, MediaState.Analysing)]
    [InlineData(JobStatus.Processing, MediaState.Analysing)]
    [InlineData(JobStatus.Success, MediaState.Analysing)]
    public async Task The_state_follows_the_projected_analysis_job_until_an_analysis_is_saved(JobStatus jobStatus, MediaState state)
    {
        await RegisterAsync("m1", "/media/a.mp4");
        await RegisterAsync("m2", "/media/b.mp4", second: 1); // its job is not projected: Analysing
        await ProjectAnalysisJobAsync("m1", JobStatus.Queuing);
        await ProjectAnalysisJobAsync("m1", jobStatus, "decoder gave up");

        var read = (await Store.GetMediaAsync("m1", Ct))!;

        read.State.Should().Be(state);
        read.Error.Should().Be(state == MediaState.Failed ? "decoder gave up" : null);
        var listed = (await Store.ListMediaAsync(new MediaQuery(State: state), Ct)).Media.Select(m => m.MediaId);
        listed.Should().Equal(state == MediaState.Analysing ? ["m2", "m1"] : ["m1"]);
        (await Store.GetMediaAsync("m2", Ct))!.State.Should().Be(MediaState.Analysing);
    }

    [Fact]
    public async Task A_failed_job_without_a_message_names_its_status()
    {
        await RegisterAsync("m1", "/media/a.mp4");
        await ProjectAnalysisJobAsync("m1", JobStatus.Cancelled);
        (await Store.GetMediaAsync("m1", Ct))!.Error.Should().Be("analysis job Cancelled");
    }

    [Fact]
    public async Task Lists_page_newest_first_and_filter_by_state_and_type()
    {
        for (var i = 0; i < 5; i++) await RegisterAsync($"m{i}", $"/media/{i}.mp4", second: i);
        await Store.SaveAnalysisAsync("m3", Analysis(), "/k", Ct);
        await Store.SetMediaProgressAsync("m1", 45, Ct);

        var first = await Store.ListMediaAsync(new MediaQuery(MaxResults: 2), Ct);
        var second = await Store.ListMediaAsync(new MediaQuery(MaxResults: 2, NextToken: first.NextToken), Ct);
        var third = await Store.ListMediaAsync(new MediaQuery(MaxResults: 2, NextToken: second.NextToken), Ct);

        first.Media.Select(m => m.MediaId).Concat(second.Media.Select(m => m.MediaId)).Concat(third.Media.Select(m => m.MediaId))
            .Should().Equal("m4", "m3", "m2", "m1", "m0");
        third.NextToken.Should().BeNull();
        (await Store.ListMediaAsync(new MediaQuery(State: MediaState.Normal), Ct)).Media.Select(m => m.MediaId).Should().Equal("m3");
        (await Store.ListMediaAsync(new MediaQuery(MediaType: "image"), Ct)).Media.Should().BeEmpty();
        (await Store.GetMediaAsync("m1", Ct))!.Progress.Should().Be(45);
        (await Store.AllMediaAsync(3, Ct)).Select(m => m.MediaId).Should().Equal("m4", "m3", "m2");
        await FluentActions.Awaiting(() => Store.ListMediaAsync(new MediaQuery(NextToken: "%%%"), Ct)).Should().ThrowAsync<ArgumentException>();
        await FluentActions.Awaiting(() => Store.ListMediaAsync(new MediaQuery(MaxResults: 0), Ct)).Should().ThrowAsync<ArgumentOutOfRangeException>();
    }

    [Fact]
    public async Task Sentence_vectors_round_trip_are_replaced_by_the_next_save_and_go_with_their_entry()
    {
        await RegisterAsync("m1", "file:///a.mp4");
        await RegisterAsync("m2", "file:///b.mp4", 1);
        float[] v1 = [0.6f, -0.8f, 1e-7f], v2 = [1, 0, float.Epsilon];
        await Store.SaveTextVectorsAsync("m1", new Dictionary<string, float[]> { ["k1"] = v1, ["k2"] = v2 }, Ct);
        await Store.SaveTextVectorsAsync("m2", new Dictionary<string, float[]> { ["k3"] = v2 }, Ct);

        var one = await Store.TextVectorsAsync(["m1"], Ct);
        one.Keys.Should().BeEquivalentTo("k1", "k2");
        one["k1"].Should().Equal(v1, "floats are stored bit for bit");
        (await Store.TextVectorsAsync(null, Ct)).Keys.Should().BeEquivalentTo("k1", "k2", "k3");

        await Store.SaveTextVectorsAsync("m1", new Dictionary<string, float[]> { ["k4"] = v1 }, Ct);
        (await Store.TextVectorsAsync(["m1"], Ct)).Keys.Should().Equal("k4");
        await Store.DeleteMediaAsync(["m1"], Ct);
        (await Store.TextVectorsAsync(null, Ct)).Keys.Should().Equal("k3");
    }

    [Fact]
    public async Task Deleting_removes_the_entries_that_exist_and_keeps_their_jobs()
    {
        var entry = await RegisterAsync("m1", "/media/a.mp4");
        await RegisterAsync("m2", "/media/b.mp4");
        await ProjectAnalysisJobAsync("m1", JobStatus.Success);

        (await Store.DeleteMediaAsync(["m1", "nope"], Ct)).Should().Equal("m1");

        (await Store.GetMediaAsync("m1", Ct)).Should().BeNull();
        (await Store.GetMediaAsync("m2", Ct)).Should().NotBeNull();
        (await Store.GetJobAsync(entry.JobId, Ct)).Should().NotBeNull("the job's rows stay");
        (await Store.GetHistoryAsync(entry.JobId, Ct)).Should().ContainSingle();
        (await Store.DeleteMediaAsync([], Ct)).Should().BeEmpty();
        (await RegisterAsync("m3", "/media/a.mp4")).MediaId.Should().Be("m3", "a deleted URL may be registered again");
    }
}

public sealed class SqliteMediaLibraryStoreTests : MediaLibraryStoreTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "renderfarm-library-" + Guid.NewGuid().ToString("N")[..12]);

    protected override ReadModelStore OpenStore() => ReadModelStore.Sqlite(Path.Combine(_directory, "farm.db"));

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }
}

public sealed class PostgresMediaLibraryStoreTests(PostgresServer server) : MediaLibraryStoreTests, IClassFixture<PostgresServer>
{
    private string _connectionString = "";

    protected override ValueTask PrepareAsync()
    {
        _connectionString = server.CreateDatabase("l_" + Guid.NewGuid().ToString("N"));
        return ValueTask.CompletedTask;
    }

    protected override ReadModelStore OpenStore() => ReadModelStore.Postgres(_connectionString);
}
