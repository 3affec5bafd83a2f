using FluentAssertions;
using RenderFarm.Cluster.Artifacts;
using RenderFarm.Cluster.Dispatch;
using RenderFarm.Cluster.Lifecycle;
using RenderFarm.Cluster.Model;
using RenderFarm.Cluster.Planning;
using RenderFarm.Cluster.Workers;
using RenderFarm.Core.Timelines;
using RenderFarm.Media.Compilation;
using RenderFarm.Media.Ffmpeg;
using RenderFarm.Media.Rendering;
using RenderFarm.Media.Sources;
using RenderFarm.TestSupport;
using Xunit;

namespace RenderFarm.Cluster.Tests;

/// <summary>Content-addressed artifacts: a task whose result exists does no work.</summary>
public sealed class TaskExecutorTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_segment_whose_artifact_exists_is_reused_without_running_ffmpeg()
    {
        var artifacts = new ArtifactStore(_dir.File("artifacts"));
        using var preparation = new VideoPreparation(new MediaSourcePolicy { AllowedRoots = [_dir.Path], CacheDirectory = _dir.File("cache") }, _dir.Path, TimelineLimits.Default, RenderFarm.Media.Ai.AiEngines.None);
        // ffmpeg that always fails: the test passes only if it is never started.
        var renderer = new TimelineRenderer(new FfmpegRunner("/bin/false"), EncoderSettings.Default);
        var executor = new TaskExecutor(preparation, artifacts, renderer);
        var key = ArtifactStore.Key("segment", "example");
        var existing = artifacts.PathOf(key, ".mp4");
        Directory.CreateDirectory(Path.GetDirectoryName(existing)!);
        await File.WriteAllTextAsync(existing, "rendered earlier", TestContext.Current.CancellationToken);
        var task = new TaskAssignment("job", "t1", "video", TaskKind.EncodeSegment, 2, TaskInputJson.Write(new SegmentInput(0, 25)), key);
        // A request the node could not even prepare: a reused segment does not read it.
        var video = new VideoSpec("video", 0, "{}", _dir.File("out.mp4"));

        var outcome = await executor.RunAsync(task, video, TestContext.Current.CancellationToken);

        outcome.Reused.Should().BeTrue();
        outcome.FfmpegTime.Should().Be(TimeSpan.Zero);
        (await File.ReadAllTextAsync(existing, TestContext.Current.CancellationToken)).Should().Be("rendered earlier");
    }

    [Theory]
    [InlineData("out.webm", "vp9", "opus", 2)]
    [InlineData("out.mp3", "", "mp3", 0)]
    public async Task Planned_segment_audio_and_assemble_tasks_write_the_output_container(string name, string videoCodec, string audioCodec, int segments)
    {
        // WebM: VP9 segments with alpha (the clip fills half the frame) joined by copy, Opus muxed in; MP3: no segments, the audio task alone.
        var clip = new TestMedia(_dir.Path).PatternVideo("clip.mp4", 2, 192, 128, 10, toneHz: 440);
        var request = $$$"""
            {"Timeline":{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"{{{clip}}}","X":0,"Y":0,"Width":96,"Height":128}]}]},
             "OutputMediaConfig":{"MediaURL":"{{{name}}}","Width":192,"Height":128,"Fps":10}}
            """;
        var artifacts = new ArtifactStore(_dir.File("artifacts"));
        using var preparation = new VideoPreparation(new MediaSourcePolicy { AllowedRoots = [_dir.Path], CacheDirectory = _dir.File("cache") }, _dir.Path, TimelineLimits.Default, RenderFarm.Media.Ai.AiEngines.None);
        var executor = new TaskExecutor(preparation, artifacts, new TimelineRenderer(new FfmpegRunner(), EncoderSettings.Default with { Preset = "ultrafast" }));
        var video = new VideoSpec("video", 0, request, _dir.File(name));
        var ct = TestContext.Current.CancellationToken;
        var prepared = await preparation.PrepareAsync(video, ct);
        var planned = JobPlanner.Segments(video, prepared, 1, "test");
        List<TaskSpec> render = [JobPlanner.Audio(video, prepared, "test"), .. planned];
        foreach (var spec in render)
            await executor.RunAsync(new TaskAssignment("job", spec.TaskId, "video", spec.Kind, 1, spec.InputJson, spec.ArtifactKey), video, ct);
        var assemble = JobPlanner.Assemble(video, prepared, planned.Select(t => new FarmTask(t.TaskId, "video", t.Kind, VideoStage.Render, t.InputJson, t.ArtifactKey,
            t.Frames, TaskState.Succeeded, 1, 0, null, null, null, null, null, null, null, false)), "test");
        await executor.RunAsync(new TaskAssignment("job", assemble.TaskId, "video", assemble.Kind, 1, assemble.InputJson, assemble.ArtifactKey), video, ct);

        planned.Should().HaveCount(segments);
        var facts = Inspect.Probe(_dir.File(name));
        (facts.VideoCodec, facts.AudioCodec, facts.VideoFrames).Should().Be((videoCodec, audioCodec, segments == 0 ? 0L : 20L));
        facts.Duration.Should().BeApproximately(2, 0.06);
    }

    [Fact]
    public void Artifact_keys_depend_on_every_input_and_publishing_twice_keeps_the_first()
    {
        ArtifactStore.Key("a", "b").Should().NotBe(ArtifactStore.Key("a", "c")).And.NotBe(ArtifactStore.Key("ab"));
        ArtifactStore.Key("a", "b").Should().Be(ArtifactStore.Key("a", "b"));
        var artifacts = new ArtifactStore(_dir.File("artifacts"));
        var key = ArtifactStore.Key("x");
        var first = artifacts.TempPathFor(key, ".mp4");
        File.WriteAllText(first, "first");
        var second = artifacts.TempPathFor(key, ".mp4");
        File.WriteAllText(second, "second");

        artifacts.Publish(first, key, ".mp4");
        artifacts.Publish(second, key, ".mp4");

        File.ReadAllText(artifacts.PathOf(key, ".mp4")).Should().Be("first");
        File.Exists(second).Should().BeFalse("the losing copy is removed");
    }
}
