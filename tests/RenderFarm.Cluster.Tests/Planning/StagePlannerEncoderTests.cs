using System.Text.Json;
using FluentAssertions;
using RenderFarm.Cluster.Lifecycle;
using RenderFarm.Cluster.Model;
using RenderFarm.Cluster.Planning;
using RenderFarm.Core.Timelines;
using RenderFarm.Media.Sources;
using RenderFarm.TestSupport;
using Xunit;

namespace RenderFarm.Cluster.Tests.Planning;

/// <summary>The render stage of one video gets one encoder for all its segments, from the nodes the planner sees.</summary>
public sealed class StagePlannerEncoderTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private readonly TempDir _dir = new();
    private readonly VideoPreparation _preparation;
    private readonly JobState _job;

    public StagePlannerEncoderTests()
    {
        var clip = new TestMedia(_dir.File("media")).ColourVideo("clip.mp4", "red", 6, 64, 48);
        _preparation = new VideoPreparation(new MediaSourcePolicy { AllowedRoots = [_dir.Path], CacheDirectory = _dir.File("cache") },
            _dir.Path, TimelineLimits.Default, RenderFarm.Media.Ai.AiEngines.None);
        var request = JsonSerializer.Serialize(new { Timeline = $$"""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"{{clip}}"}]}]}""" });
        var video = new VideoState("job-1-000", 0, request, _dir.File("out.mp4"), JobStatus.Processing, VideoStage.Render, 0, 0, 0, null, null, null);
        _job = JobState.Empty("job-1") with { Videos = JobState.Empty("job-1").Videos.Add(video.VideoId, video) };
    }

    public void Dispose()
    {
        _preparation.Dispose();
        _dir.Dispose();
    }

    private static NodeRecord Node(string id, string kind) => new(id, ["gpu"], new Dictionary<string, int> { [kind] = 1 }, NodeState.Active,
        Now.AddMinutes(-5), Now, [], 0, "nvidia (1 GPU)", $"akka.tcp://renderfarm@{id}:4053");

    private async Task<IReadOnlyList<TaskSpec>> PlanAsync(params NodeRecord[] nodes)
    {
        var options = new PlanningOptions(2, "x264:veryfast:crf20:aac192") { NvencTag = "nvenc:p4:cq20:aac192", Nodes = _ => Task.FromResult<IReadOnlyList<NodeRecord>>(nodes) };
        var prepared = await new StagePlanner(_preparation, options).PrepareAsync(_job, "job-1-000", VideoStage.Render, Ct);
        return prepared.Should().BeOfType<StagePrepared>().Which.Tasks;
    }

    [Fact]
    public async Task Every_segment_of_a_video_gets_the_encoder_chosen_for_it()
    {
        var cpuOnly = await PlanAsync(Node("cpu", "encode-segment"));
        var withoutNodes = await new StagePlanner(_preparation, new PlanningOptions(2, "x264:veryfast:crf20:aac192")).PrepareAsync(_job, "job-1-000", VideoStage.Render, Ct);
        var gpuOnly = await PlanAsync(Node("gpu", "encode-segment-nvenc"));

        var x264Segments = cpuOnly.Where(t => t.Kind != TaskKind.EncodeAudio).ToList();
        var nvencSegments = gpuOnly.Where(t => t.Kind != TaskKind.EncodeAudio).ToList();
        x264Segments.Should().HaveCount(3).And.OnlyContain(t => t.Kind == TaskKind.EncodeSegment);
        nvencSegments.Should().HaveCount(3).And.OnlyContain(t => t.Kind == TaskKind.EncodeSegmentNvenc);
        cpuOnly.Should().BeEquivalentTo(((StagePrepared)withoutNodes).Tasks, "a farm without nvenc plans exactly as before");
        nvencSegments.Select(t => t.ArtifactKey).Should().NotIntersectWith(x264Segments.Select(t => t.ArtifactKey), "nvenc output is another artifact");
        gpuOnly.Single(t => t.Kind == TaskKind.EncodeAudio).Should().Be(cpuOnly.Single(t => t.Kind == TaskKind.EncodeAudio), "the audio mix is the same");
    }
}
