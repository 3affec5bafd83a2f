using RenderFarm.TestSupport.Servers;
using System.Diagnostics;
using System.Text.Json;
using FluentAssertions;
using RenderFarm.Cluster.Lifecycle;
using RenderFarm.Cluster.Planning;
using RenderFarm.Core.Timelines;
using RenderFarm.Media.Outbound;
using RenderFarm.Media.Sources;
using RenderFarm.TestSupport;
using Xunit;

namespace RenderFarm.Cluster.Tests.Planning;

/// <summary>A cancelled job's preparation: a download that hangs is aborted with the cancel, not at its timeout.</summary>
public sealed class VideoPreparationTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private VideoPreparation Preparation(string host) => new(
        new MediaSourcePolicy { AllowedRoots = [_dir.Path], CacheDirectory = _dir.File("cache"), Outbound = new OutboundPolicy { AllowedHosts = [host] } },
        _dir.Path, TimelineLimits.Default, RenderFarm.Media.Ai.AiEngines.None);

    private static VideoSpec Video(string mediaUrl) => new("job-1-000", 0,
        JsonSerializer.Serialize(new { Timeline = $$"""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"{{mediaUrl}}"}]}]}""" }), "out.mp4");

    [Fact]
    public async Task Cancelling_the_last_waiter_aborts_a_hanging_download_at_once()
    {
        using var server = new StallingServer();
        using var preparation = Preparation(server.HostPort);
        var video = Video(server.Url("/clip.mp4"));
        using var planning = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        using var task = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var planner = preparation.PrepareAsync(video, planning.Token); // the job's planning
        var worker = preparation.PrepareAsync(video, task.Token); // a worker's task, waiting for the same preparation
        await server.Stalled.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        planning.Cancel();
        await planner.Invoking(t => t).Should().ThrowAsync<OperationCanceledException>();
        await Task.Delay(300, Ct);
        server.Closed.IsCompleted.Should().BeFalse("the worker still waits for the download");

        var clock = Stopwatch.StartNew();
        task.Cancel(); // StopTask: the job was cancelled
        await worker.Invoking(t => t).Should().ThrowAsync<OperationCanceledException>();
        (await server.Closed.WaitAsync(TimeSpan.FromSeconds(5), Ct)).Should().BeTrue();
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2), "the download is aborted with the cancel, not at its 10 min timeout");
    }
}
