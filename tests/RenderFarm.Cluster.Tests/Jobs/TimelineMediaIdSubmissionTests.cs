using System.Text.Json.Nodes;
using FluentAssertions;
using RenderFarm.Cluster.Jobs;
using RenderFarm.Cluster.ReadModel;
using RenderFarm.Core.Jobs;
using RenderFarm.Core.Json;
using RenderFarm.Core.Library;
using RenderFarm.Core.Timelines;
using Xunit;

namespace RenderFarm.Cluster.Tests.Jobs;

/// <summary>
/// SubmitMediaProducingJob with library MediaIds in its timeline (sent as IMS's JSON text): the stored
/// request names the media's stored MediaURL, and an id the library does not hold is refused with its field.
/// </summary>
public sealed class TimelineMediaIdSubmissionTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "renderfarm-mediaid-" + Guid.NewGuid().ToString("N")[..12]);
    private ReadModelStore _store = null!;
    private JobSubmission _submission = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string VideoId = "0123456789abcdef0123456789abcdef";

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _store = ReadModelStore.Sqlite(Path.Combine(_directory, "farm.db"));
        await _store.InitializeAsync(Ct);
        File.WriteAllBytes(Path.Combine(_directory, "a.mp4"), [0]);
        var now = DateTimeOffset.UtcNow;
        await _store.RegisterMediaAsync(new LibraryEntry(VideoId, "a.mp4", "video", null, null, [], MediaState.Normal, null, 100, now, now, "job-a", null), Ct);
        var media = new MediaAdmission(new RenderFarm.Media.Sources.MediaSourceResolver(new RenderFarm.Media.Sources.MediaSourcePolicy { AllowedRoots = [_directory] }), _directory);
        _submission = new JobSubmission(new InProcessJobs(_store), new OutputLocations(Path.Combine(_directory, "out")), TimelineLimits.Default, media, _store,
            new RenderFarm.Media.Outbound.OutboundPolicy(), _store);
    }

    public ValueTask DisposeAsync()
    {
        _store.Dispose();
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }

    private static string Request(string mediaId) => new JsonObject
    {
        ["Timeline"] = $$"""{"VideoTracks":[{"VideoTrackClips":[{"MediaId":"{{mediaId}}"}]}]}""",
        ["OutputMediaConfig"] = """{"MediaURL":"out.mp4"}""",
    }.ToJsonString();

    [Fact]
    public async Task A_batch_entry_that_is_no_timeline_is_refused_naming_it()
    {
        var submit = () => _submission.SubmitTimelinesAsync("""{"Timelines":[1,{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4"}]}]}]}""", CancellationToken.None);

        (await submit.Should().ThrowAsync<RequestException>()).Which.Path.Should().StartWith("Timelines[0]");
    }

    [Fact]
    public async Task A_MediaId_in_a_timeline_is_stored_as_the_media_URL_and_an_unknown_one_is_refused()
    {
        var result = await _submission.SubmitSingleAsync(Request(VideoId), Ct);

        var stored = (await _store.GetVideosAsync(result.JobId, Ct)).Single();
        var request = ProducingJobRequest.Parse(stored.RequestJson);
        request.Timeline.VideoTracks[0].Clips[0].MediaUrl.Should().Be("a.mp4");

        var unknown = () => _submission.SubmitSingleAsync(Request("ffffffffffffffffffffffffffffffff"), Ct);
        (await unknown.Should().ThrowAsync<RequestException>()).Which.Path.Should().Be("Timeline.VideoTracks[0].VideoTrackClips[0].MediaId");
    }
}
