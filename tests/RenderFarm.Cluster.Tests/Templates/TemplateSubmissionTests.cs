using System.Text.Json.Nodes;
using FluentAssertions;
using RenderFarm.Cluster.Jobs;
using RenderFarm.Cluster.ReadModel;
using RenderFarm.Cluster.Templates;
using RenderFarm.Core.Jobs;
using RenderFarm.Core.Json;
using RenderFarm.Core.Timelines;
using Xunit;

namespace RenderFarm.Cluster.Tests.Templates;

/// <summary>
/// Templates kept in the read model's database (SQLite here; the same SQL on PostgreSQL) and used by
/// SubmitMediaProducingJob (TemplateId + ClipsParam) and SubmitBatchMediaProducingJob (EditingConfig.TemplateConfig):
/// the stored video's request is the filled timeline, and a template outlives the store that wrote it.
/// </summary>
public sealed class TemplateSubmissionTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "renderfarm-templates-" + Guid.NewGuid().ToString("N")[..12]);
    private ReadModelStore _store = null!;
    private InProcessJobs _jobs = null!;
    private TimelineTemplates _templates = null!;
    private JobSubmission _submission = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string TwoClipsAndTitle = """
        {"VideoTracks":[{"VideoTrackClips":[{"MediaId":"$Video1"},{"MediaURL":"$Video2"}]}],
         "SubtitleTracks":[{"SubtitleTrackClips":[{"Type":"Text","Content":"$Title","TimelineIn":0,"TimelineOut":1}]}]}
        """;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _store = ReadModelStore.Sqlite(Path.Combine(_directory, "farm.db"));
        await _store.InitializeAsync(Ct);
        foreach (var name in new[] { "a.mp4", "b.mp4" }) File.WriteAllBytes(Path.Combine(_directory, name), [0]);
        _jobs = new InProcessJobs(_store);
        _templates = new TimelineTemplates(_store, _store, TimelineLimits.Default, TimeProvider.System);
        var media = new MediaAdmission(new RenderFarm.Media.Sources.MediaSourceResolver(new RenderFarm.Media.Sources.MediaSourcePolicy { AllowedRoots = [_directory] }), _directory);
        _submission = new JobSubmission(_jobs, new OutputLocations(Path.Combine(_directory, "out")), TimelineLimits.Default, media, _store,
            new RenderFarm.Media.Outbound.OutboundPolicy(), templates: _templates);
    }

    public ValueTask DisposeAsync()
    {
        _store.Dispose();
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }

    private Task<TemplateRecord> Add(string name, string config = TwoClipsAndTitle) =>
        _templates.AddAsync(new TemplateFields(name, "Timeline", config, null, null, null, null), Ct);

    private string Clip(string name) => Path.Combine(_directory, name);

    [Fact]
    public async Task A_template_is_stored_listed_and_deleted_and_outlives_the_store_that_wrote_it()
    {
        var intro = await Add("intro");
        await Add("outro");

        using (var reopened = ReadModelStore.Sqlite(Path.Combine(_directory, "farm.db")))
        {
            await reopened.InitializeAsync(Ct);
            var again = (await reopened.GetTemplateAsync(intro.TemplateId, Ct))!;
            (again.Name, again.Type, again.Status, again.Config).Should().Be(("intro", "Timeline", "Available", intro.Config));
            var page = await reopened.ListTemplatesAsync(new TemplateQuery(null, null, null, "TR", false, 1, 10), Ct);
            page.Templates.Select(t => t.Name).Should().Equal("outro", "intro");
            page.TotalCount.Should().Be(2);
            (await reopened.ListTemplatesAsync(new TemplateQuery(null, null, null, null, true, 2, 1), Ct)).Templates.Single().Name.Should().Be("outro");
        }
        _templates.Read(intro).ClipsParamForm().Should().Be("""{"Video1":"mediaId","Video2":"mediaId","Title":"text"}""");

        (await _templates.DeleteAsync([intro.TemplateId, "nope"], Ct)).Should().Equal(intro.TemplateId);
        var gone = () => _templates.GetAsync(intro.TemplateId, Ct);
        (await gone.Should().ThrowAsync<RequestException>()).Which.Path.Should().Be("TemplateId");
    }

    [Fact]
    public async Task A_Config_that_is_no_timeline_or_another_Type_is_refused_and_nothing_is_stored()
    {
        var bad = () => Add("bad", """{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"$V","Out":-2}]}]}""");
        (await bad.Should().ThrowAsync<RequestException>()).Which.Path.Should().Be("Config.VideoTracks[0].VideoTrackClips[0].Out");
        var advanced = () => _templates.AddAsync(new TemplateFields("ae", "VETemplate", "{}", null, null, null, null), Ct);
        (await advanced.Should().ThrowAsync<RequestException>()).Which.Path.Should().Be("Type");

        (await _store.ListTemplatesAsync(new TemplateQuery(null, null, null, null, false, 1, 10), Ct)).TotalCount.Should().Be(0);
    }

    [Fact]
    public async Task SubmitMediaProducingJob_with_TemplateId_stores_the_filled_timeline()
    {
        var template = await Add("two clips");
        var clips = new JsonObject { ["Video1"] = Clip("a.mp4"), ["Video2"] = Clip("b.mp4"), ["Title"] = "Hello", ["Extra"] = 1 };
        var body = new JsonObject { ["TemplateId"] = template.TemplateId, ["ClipsParam"] = clips.ToJsonString(), ["OutputMediaConfig"] = new JsonObject { ["Width"] = 320, ["Height"] = 180 } };

        var result = await _submission.SubmitSingleAsync(body.ToJsonString(), Ct);

        result.Warnings.Select(w => w.ToString()).Should().Equal("ClipsParam.Extra: the template has no placeholder $Extra; ignored");
        var video = (await _store.GetVideosAsync(result.JobId, Ct)).Single();
        var timeline = ProducingJobRequest.Parse(video.RequestJson, TimelineLimits.Default).Timeline;
        timeline.VideoTracks[0].Clips.Select(c => c.MediaUrl).Should().Equal(Clip("a.mp4"), Clip("b.mp4"));

        var missing = () => _submission.SubmitSingleAsync(new JsonObject { ["TemplateId"] = template.TemplateId, ["ClipsParam"] = new JsonObject { ["Video1"] = Clip("a.mp4") } }.ToJsonString(), Ct);
        (await missing.Should().ThrowAsync<RequestException>()).Which.Path.Should().Be("ClipsParam.Video2");
        var unknown = () => _submission.SubmitSingleAsync("""{"TemplateId":"0123","ClipsParam":{}}""", Ct);
        (await unknown.Should().ThrowAsync<RequestException>()).Which.Path.Should().Be("TemplateId");
        _jobs.Submitted.Should().ContainSingle("refused requests submit nothing");
    }

    [Fact]
    public async Task A_batch_TemplateConfig_makes_each_output_from_its_chosen_template_and_ClipsParam()
    {
        var two = await Add("two clips");
        var one = await Add("one clip", """{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"$Video1"}]}]}""");
        var clips = new JsonArray(
            new JsonObject { ["Video1"] = Clip("a.mp4"), ["Video2"] = Clip("b.mp4"), ["Title"] = "first" },
            new JsonObject { ["Video1"] = Clip("b.mp4") },
            new JsonObject { ["Video1"] = Clip("b.mp4"), ["Video2"] = Clip("a.mp4"), ["Title"] = "third" });
        var body = new JsonObject
        {
            ["EditingConfig"] = new JsonObject { ["TemplateConfig"] = new JsonObject { ["TemplateIds"] = new JsonArray(two.TemplateId, one.TemplateId), ["ClipsParams"] = clips } }.ToJsonString(),
            ["OutputConfig"] = new JsonObject { ["MediaURL"] = "t/video_{index}.mp4", ["Count"] = 3, ["Width"] = 320, ["Height"] = 180 },
        };

        var result = await _submission.SubmitBatchAsync(body.ToJsonString(), null, Ct);

        var videos = await _store.GetVideosAsync(result.Stored!.JobId, Ct);
        videos.Select(v => ProducingJobRequest.Parse(v.RequestJson, TimelineLimits.Default).Timeline.VideoTracks[0].Clips.Select(c => Path.GetFileName(c.MediaUrl)).ToList())
            .Should().BeEquivalentTo(new[] { new[] { "a.mp4", "b.mp4" }, ["b.mp4"], ["b.mp4", "a.mp4"] }, o => o.WithStrictOrdering());
        videos.Select(v => Path.GetFileName(v.OutputPath)).Should().Equal("video_1.mp4", "video_2.mp4", "video_3.mp4");

        clips[1]!["Video1"] = 5; // a medium that is no text
        var error = (await _submission.Invoking(s => s.SubmitBatchAsync(new JsonObject
        {
            ["EditingConfig"] = new JsonObject { ["TemplateConfig"] = new JsonObject { ["TemplateIds"] = new JsonArray(two.TemplateId, one.TemplateId), ["ClipsParams"] = clips.DeepClone() } },
            ["OutputConfig"] = new JsonObject { ["MediaURL"] = "t2/video_{index}.mp4" },
        }.ToJsonString(), null, Ct)).Should().ThrowAsync<RequestException>()).Which;
        error.Path.Should().Be("EditingConfig.TemplateConfig.ClipsParams[1].Video1");
    }
}
