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
