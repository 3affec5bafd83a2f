using FluentAssertions;
using RenderFarm.Cluster.Library;
using RenderFarm.Cluster.Model;
using RenderFarm.Cluster.Store;
using RenderFarm.Core.Library;
using RenderFarm.TestSupport.Servers;
using Xunit;

namespace RenderFarm.Cluster.Tests.Store;

/// <summary>The media library table, run against every store: entries with their jobs, state from the job, analysis round trip, paging, deletion.</summary>
public abstract class MediaLibraryStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_750_000_000_000);
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected SqlJobStore Store { get; private set; } = null!;
    protected abstract SqlJobStore OpenStore();
    protected virtual ValueTask PrepareAsync() => ValueTask.CompletedTask;

    public async ValueTask InitializeAsync()
    {
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

    private async Task<LibraryEntry> RegisterAsync(string id, string url, int second = 0, string[]? tags = null)
    {
        var at = T0.AddSeconds(second);
        var (job, video, history) = MediaAnalysisPlanner.Job(id, url, "{}", at);
        var entry = new LibraryEntry(id, url, "video", "Title " + id, "About " + id, tags ?? ["a", "b"], MediaState.Analysing, null, 0, at, at, job.JobId, null);
        var (stored, existing) = await Store.RegisterMediaAsync(entry, job, video, history, Ct);
        existing.Should().BeFalse();
        return stored;
    }

    private static MediaAnalysis Analysis() => new(12.5, 1920, 1080, true,
        [new AnalysedShot(0, 5, "shot_000.jpg", "OPEN 24 HOURS", "welcome", new VisualStats(120.5, 33, "#7a6b5c")),
         new AnalysedShot(5, 12.5, "shot_001.jpg", "熊猫", null, new VisualStats(90, 12.25, "#333333"))],
        "welcome to the city", new VisualStats(100, 20, "#555555"));

    [Fact]
    public async Task An_entry_round_trips_with_its_job_and_becomes_Normal_with_its_analysis()
    {
        var registered = await RegisterAsync("m1", "/media/city.mp4", tags: ["城市", "night"]);
        registered.State.Should().Be(MediaState.Analysing);
        (await Store.GetJobAsync(registered.JobId, Ct))!.Kind.Should().Be(JobKind.MediaAnalysis);
        (await Store.GetVideosAsync(registered.JobId, Ct)).Should().ContainSingle();

        (await Store.SaveAnalysisAsync("m1", Analysis(), "/artifacts/ab/abc.analysis", Ct)).Should().BeTrue();

        var read = (await Store.GetMediaAsync("m1", Ct))!;
        read.State.Should().Be(MediaState.Normal);
        read.Progress.Should().Be(100);
        read.Analysis.Should().BeEquivalentTo(Analysis(), o => o.WithStrictOrdering());
        read.Tags.Should().Equal("城市", "night");
        (read.Title, read.Description, read.CreateTime).Should().Be(("Title m1", "About m1", T0));
        (await Store.FindMediaByUrlAsync("/media/city.mp4", Ct))!.MediaId.Should().Be("m1");
        (await Store.KeyframeDirectoryAsync("m1", Ct)).Should().Be("/artifacts/ab/abc.analysis");
        (await Store.SaveAnalysisAsync("gone", Analysis(), "/x", Ct)).Should().BeFalse();
    }

    [Fact]
    public async Task The_same_InputURL_registers_once_and_inserts_no_second_job()
    {
        var first = await RegisterAsync("m1", "/media/a.mp4");
        var (job, video, history) = MediaAnalysisPlanner.Job("m2", "/media/a.mp4", "{}", T0);
        var again = first with { MediaId = "m2", JobId = job.JobId };

        var (stored, existing) = await Store.RegisterMediaAsync(again, job, video, history, Ct);

        existing.Should().BeTrue();
        stored.MediaId.Should().Be("m1");
        (await Store.GetJobAsync(job.JobId, Ct)).Should().BeNull("the losing registration's job is rolled back");
        (await Store.GetMediaAsync("m2", Ct)).Should().BeNull();
    }

    [Theory]
    [InlineData(JobStatus.Failed, MediaState.Failed)]
    [InlineData(JobStatus.Cancelled, MediaState.Failed)]
    [InlineData(JobStatus.Processing, MediaState.Analysing)]
    public async Task The_state_follows_the_analysis_job_until_an_analysis_is_saved(JobStatus jobStatus, MediaState state)
    {
        var entry = await RegisterAsync("m1", "/media/a.mp4");
        var job = (await Store.GetJobAsync(entry.JobId, Ct))!;
        (await Store.UpdateJobAsync(job with { Status = jobStatus, Message = "decoder gave up" }, null, Ct)).Should().BeTrue();

        var read = (await Store.GetMediaAsync("m1", Ct))!;

        read.State.Should().Be(state);
        read.Error.Should().Be(state == MediaState.Failed ? "decoder gave up" : null);
        (await Store.ListMediaAsync(new MediaQuery(State: state), Ct)).Media.Select(m => m.MediaId).Should().Equal("m1");
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
    }

    [Fact]
    public async Task Deleting_removes_the_entries_that_exist_and_keeps_their_jobs()
    {
        var entry = await RegisterAsync("m1", "/media/a.mp4");
        await RegisterAsync("m2", "/media/b.mp4");

        (await Store.DeleteMediaAsync(["m1", "nope"], Ct)).Should().Equal("m1");

        (await Store.GetMediaAsync("m1", Ct)).Should().BeNull();
        (await Store.GetMediaAsync("m2", Ct)).Should().NotBeNull();
        (await Store.GetJobAsync(entry.JobId, Ct)).Should().NotBeNull("the job history stays");
        (await RegisterAsync("m3", "/media/a.mp4")).MediaId.Should().Be("m3", "a deleted URL may be registered again");
    }
}

public sealed class SqliteMediaLibraryStoreTests : MediaLibraryStoreTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "renderfarm-library-" + Guid.NewGuid().ToString("N")[..12]);

    protected override SqlJobStore OpenStore() => SqlJobStore.Sqlite(Path.Combine(_directory, "farm.db"));

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

    protected override SqlJobStore OpenStore() => SqlJobStore.Postgres(_connectionString);
}
