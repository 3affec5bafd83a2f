using System.Text.Json.Nodes;
using FluentAssertions;
using RenderFarm.Cluster.Jobs;
using RenderFarm.Cluster.Model;
using RenderFarm.Cluster.ReadModel;
using RenderFarm.Core.Batch;
using RenderFarm.Core.Jobs;
using RenderFarm.Core.Json;
using RenderFarm.Core.Planning;
using RenderFarm.Core.Timelines;
using Xunit;

namespace RenderFarm.Cluster.Tests.Jobs;

/// <summary>
/// SubmitBatchMediaProducingJob with IMS configs, handed to in-process job entities that project into a
/// SQLite read model (<see cref="InProcessJobs"/>): planned outputs become stored videos, previews store
/// nothing, and every invalid request is refused with its field before anything is submitted.
/// Facts are given (probes and spoken lengths), so these tests check the submission, not the engines.
/// </summary>
public sealed class BatchSubmissionTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "renderfarm-batch-" + Guid.NewGuid().ToString("N")[..12]);
    private ReadModelStore _store = null!;
    private InProcessJobs _jobs = null!;
    private JobSubmission _submission = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] Scripts =
    [
        "Fresh bread every morning.",
        "Coffee roasted in house, every single day of the week.",
        "Visit us on Main Street from Saturday.",
    ];

    /// <summary>Three 4 s clips; a script lasts 1 s + 0.08 s per character when spoken.</summary>
    private sealed class GivenFacts : IBatchFactsSource
    {
        public IReadOnlyCollection<string> Voices { get; } = ["xiaoyun", "andy"];
        public Task<BatchRequest> ResolveLibraryAsync(BatchRequest request, CancellationToken ct) => LibraryReferences.ResolveAsync(request, null, ct);
        public Task<IBatchFacts> GatherAsync(BatchRequest request, FactsNeeded needed, CancellationToken ct)
        {
            var media = needed.MediaUrls.ToDictionary(u => u, _ => new MediaFacts(4, 640, 360, true, true, false));
            return Task.FromResult<IBatchFacts>(new BatchFacts(media, line => 1 + 0.08 * line.Text.Length));
        }
    }

    private readonly GivenFacts _facts = new();

    public async ValueTask InitializeAsync()
    {
        _store = ReadModelStore.Sqlite(Path.Combine(_directory, "farm.db"));
        await _store.InitializeAsync(Ct);
        _jobs = new InProcessJobs(_store);
        Directory.CreateDirectory(_directory);
        foreach (var name in new[] { "a.mp4", "b.mp4" }) File.WriteAllBytes(Path.Combine(_directory, name), [0]);
        var media = new MediaAdmission(new RenderFarm.Media.Sources.MediaSourceResolver(new RenderFarm.Media.Sources.MediaSourcePolicy { AllowedRoots = [_directory] }), _directory);
        _submission = new JobSubmission(_jobs, new OutputLocations(Path.Combine(_directory, "out")), TimelineLimits.Default, media, _store, new RenderFarm.Media.Outbound.OutboundPolicy());
    }

    public ValueTask DisposeAsync()
    {
        _store.Dispose();
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }

    private static JsonObject Request(int count, Action<JsonObject>? change = null)
    {
        var request = new JsonObject
        {
            ["InputConfig"] = new JsonObject
            {
                ["MediaGroupArray"] = new JsonArray(
                    new JsonObject { ["GroupName"] = "open", ["MediaArray"] = new JsonArray("a.mp4", "b.mp4") },
                    new JsonObject { ["GroupName"] = "body", ["MediaArray"] = new JsonArray("c.mp4", "d.mp4", "e.mp4") },
                    new JsonObject { ["GroupName"] = "end", ["MediaArray"] = new JsonArray("f.mp4", "g.mp4") }),
                ["SpeechTextArray"] = new JsonArray(Scripts.Select(s => (JsonNode)s!).ToArray()),
            },
            ["EditingConfig"] = new JsonObject { ["SpeechConfig"] = new JsonObject { ["Voice"] = "andy" } },
            ["OutputConfig"] = new JsonObject { ["MediaURL"] = "batch/video_{index}.mp4", ["Count"] = count, ["Width"] = 320, ["Height"] = 568 },
        };
        change?.Invoke(request);
        return request;
    }

    private async Task<int> StoredJobs()
    {
        var stored = (await _store.ListJobsAsync(new JobQuery(MaxResults: 100), Ct)).Jobs.Count;
        stored.Should().Be(_jobs.Submitted.Select(j => j.JobId).Distinct().Count(), "every submitted job is projected");
        return stored;
    }

    [Fact]
    public async Task Every_planned_output_is_stored_as_a_video_whose_request_is_its_planned_timeline()
    {
        var result = await _submission.SubmitBatchAsync(Request(10).ToJsonString(), _facts, Ct);

        result.Stored.Should().NotBeNull();
        result.Plan!.Mode.Mode.Should().Be(BatchMode.ScriptToVideoGlobal);
        var job = (await _store.GetJobAsync(result.Stored!.JobId, Ct))!;
        (job.Kind, job.Status).Should().Be((JobKind.Batch, JobStatus.Queuing));
        var videos = await _store.GetVideosAsync(result.Stored.JobId, Ct);
        videos.Should().HaveCount(10);
        for (var i = 0; i < 10; i++)
        {
            var planned = result.Plan.Outputs[i];
            videos[i].RequestJson.Should().Be(planned.ProducingJobJson);
            videos[i].OutputPath.Should().Be(Path.Combine(_directory, "out", "batch", $"video_{i + 1}.mp4"));
            ProducingJobRequest.Parse(videos[i].RequestJson, TimelineLimits.Default).Timeline.Should().NotBeNull();
        }
        result.Plan.Outputs.Select(o => o.Speech.Single().Text).Distinct().Should().BeEquivalentTo(Scripts, "every script is spoken");
        result.Plan.Outputs.Select(o => o.Sequence).Distinct().Should().HaveCount(10, "no two outputs show the same clips in the same order");
    }

    [Fact]
    public async Task A_planned_batch_writes_the_container_its_MediaURL_names()
    {
        var result = await _submission.SubmitBatchAsync(Request(2, r => r["OutputConfig"]!["MediaURL"] = "batch/video_{index}.webm").ToJsonString(), _facts, Ct);

        var videos = await _store.GetVideosAsync(result.Stored!.JobId, Ct);
        videos.Select(v => Path.GetFileName(v.OutputPath)).Should().Equal("video_1.webm", "video_2.webm");
        videos.Select(v => ProducingJobRequest.Parse(v.RequestJson, TimelineLimits.Default).Output.Encoding.Container)
            .Should().AllBeEquivalentTo(OutputContainer.Webm, "the planned outputs are rendered as VP9 WebM like a single job to .webm");
    }

    [Fact]
    public async Task A_preview_returns_100_plans_and_stores_nothing()
    {
        var result = await _submission.SubmitBatchAsync(Request(100, r => r["OutputConfig"]!["GeneratePreviewOnly"] = true).ToJsonString(), _facts, Ct);

        result.Stored.Should().BeNull();
        result.Plan!.Outputs.Should().HaveCount(100);
        (await StoredJobs()).Should().Be(0);
    }

    public static TheoryData<string, string> Invalid => new()
    {
        { """{"OutputConfig":{"Count":0}}""", "OutputConfig.Count" },
        { """{"OutputConfig":{"Count":101}}""", "OutputConfig.Count" },
        { """{"EditingConfig":{"SpeechConfig":{"Voice":"nobody"}}}""", "EditingConfig.SpeechConfig.Voice" },
        { """{"OutputConfig":{"FixedDuration":10}}""", "OutputConfig.FixedDuration" },
        { """{"InputConfig":{"MediaGroupArray":null,"MediaSearchInput":{"Query":"bread"}}}""", "InputConfig.MediaSearchInput" },
        { """{"Timelines":[]}""", "Timelines" },
        { """{"OutputConfig":{"MediaURL":"batch/video_{index}.avi"}}""", "OutputConfig.MediaURL" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public async Task An_invalid_request_names_its_field_and_stores_nothing(string change, string field)
    {
        var request = Request(3);
        foreach (var (key, value) in JsonNode.Parse(change)!.AsObject())
        {
            if (value is JsonObject fields && request[key] is JsonObject target)
                foreach (var (name, v) in fields)
                    if (v is null) target.Remove(name); else target[name] = v.DeepClone();
            else request[key] = value?.DeepClone();
        }

        var refused = await FluentActions.Awaiting(() => _submission.SubmitBatchAsync(request.ToJsonString(), _facts, Ct))
            .Should().ThrowAsync<RequestException>();
        refused.Which.Path.Should().Be(field);
        (await StoredJobs()).Should().Be(0);
    }

    [Fact]
    public async Task Image_text_matching_is_planned_sentence_by_sentence_and_says_no_media_texts_are_known()
    {
        var request = Request(2, r => r["InputConfig"] = new JsonObject
        {
            ["MediaArray"] = new JsonArray("a.mp4", "b.mp4", "c.mp4"),
            ["SpeechTextArray"] = new JsonArray("Fresh bread every morning. Coffee roasted in house."),
        });

        var result = await _submission.SubmitBatchAsync(request.ToJsonString(), _facts, Ct);

        result.Plan!.Mode.Mode.Should().Be(BatchMode.ImageTextMatchingGlobal);
        (await _store.GetVideosAsync(result.Stored!.JobId, Ct)).Should().HaveCount(2);
        result.Plan.Outputs.Should().AllSatisfy(o => o.Speech.Select(s => s.Text).Should().Equal("Fresh bread every morning.", "Coffee roasted in house."));
        result.Warnings.Should().Contain(w => w.Path == "InputConfig.MediaArray" && w.Message.Contains("no media texts"));
    }

    [Fact]
    public async Task The_same_client_token_answers_with_the_first_job_and_keeps_its_videos()
    {
        var first = await _submission.SubmitBatchAsync(Request(2, r => r["ClientToken"] = "batch-once").ToJsonString(), _facts, Ct);
        var second = await _submission.SubmitBatchAsync(Request(3, r => r["ClientToken"] = "batch-once").ToJsonString(), _facts, Ct);

        first.Stored!.Existing.Should().BeFalse();
        second.Stored!.Existing.Should().BeTrue();
        second.Stored.JobId.Should().Be(first.Stored.JobId).And.Be(JobIds.ForClientToken("batch-once"));
        (await StoredJobs()).Should().Be(1);
        (await _store.GetVideosAsync(first.Stored.JobId, Ct)).Should().HaveCount(2, "the first submission's job is kept as it was");
        (await _store.GetJobAsync(first.Stored.JobId, Ct))!.ClientToken.Should().Be("batch-once");
    }

    [Fact]
    public async Task Submissions_without_a_client_token_are_separate_jobs()
    {
        var request = Request(1).ToJsonString();
        var first = await _submission.SubmitBatchAsync(request, _facts, Ct);
        // The same outputs again would overwrite the first job's videos: refused, naming the field.
        var again = () => _submission.SubmitBatchAsync(request, _facts, Ct);
        (await again.Should().ThrowAsync<RequestException>()).Which.Path.Should().Be("OutputConfig.MediaURL");
        var second = await _submission.SubmitBatchAsync(Request(1, r => r["OutputConfig"]!["MediaURL"] = "second/video_{index}.mp4").ToJsonString(), _facts, Ct);

        second.Stored!.Existing.Should().BeFalse();
        second.Stored.JobId.Should().NotBe(first.Stored!.JobId).And.MatchRegex("^[0-9a-f]{32}$");
        (await StoredJobs()).Should().Be(2);
    }

    [Fact]
    public async Task The_timelines_form_still_stores_one_video_per_timeline()
    {
        var body = """{"Timelines":[{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4"}]}]},{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"b.mp4"}]}]}],"OutputConfig":{"MediaURL":"t/out_{index}.mp4"}}""";
        var result = await _submission.SubmitBatchAsync(body, facts: null, Ct);

        result.Plan.Should().BeNull();
        var videos = await _store.GetVideosAsync(result.Stored!.JobId, Ct);
        videos.Select(v => v.OutputPath).Should().Equal(Path.Combine(_directory, "out", "t", "out_0.mp4"), Path.Combine(_directory, "out", "t", "out_1.mp4"));
        videos.Should().AllSatisfy(v => v.Status.Should().Be(JobStatus.Queuing));
    }
}
