using System.Collections.Concurrent;
using RenderFarm.Cluster.Lifecycle;
using RenderFarm.Core.Jobs;
using RenderFarm.Core.Timelines;
using RenderFarm.Media.Ai;
using RenderFarm.Media.Rendering;
using RenderFarm.Media.Sources;

namespace RenderFarm.Cluster.Planning;

/// <summary>
/// Turns a stored video request into a <see cref="PreparedTimeline"/> (resolve, probe, schedule),
/// once per video per node: planning is deterministic, so every node derives the same schedule
/// from the same request and media.
/// </summary>
public sealed class VideoPreparation(MediaSourcePolicy policy, string mediaDirectory, TimelineLimits limits, AiEngines engines) : IDisposable
{
    private readonly TimelinePreparer _preparer = new(policy, limits, engines);
    private readonly ConcurrentDictionary<string, Lazy<Task<PreparedTimeline>>> _cache = new();

    public Task<PreparedTimeline> PrepareAsync(VideoSpec video, CancellationToken ct)
    {
        var entry = _cache.GetOrAdd(video.VideoId, _ => new Lazy<Task<PreparedTimeline>>(() =>
            _preparer.PrepareAsync(ProducingJobRequest.Parse(video.RequestJson, limits), mediaDirectory, CancellationToken.None)));
        var task = entry.Value;
        // A failed preparation is not cached: the next attempt tries again (media may appear).
        if (task.IsFaulted) _cache.TryRemove(video.VideoId, out _);
        return task.WaitAsync(ct);
    }

    /// <summary>The AI work (tts, asr, matte tasks) the video needs before it can be planned into segments.</summary>
    public IReadOnlyList<AiWorkItem> AiWork(VideoSpec video) =>
        TimelinePreparer.AiWork(ProducingJobRequest.Parse(video.RequestJson, limits).Timeline);

    /// <summary>Runs one item of AI work; its result lands in the engine's cache (under the shared artifact directory).</summary>
    public Task RunAiWorkAsync(VideoSpec video, AiWorkItem item, CancellationToken ct) =>
        _preparer.RunAiWorkAsync(ProducingJobRequest.Parse(video.RequestJson, limits), mediaDirectory, item, ct);

    /// <summary>Identity of the media a prepared timeline reads (path, size, modification time), for artifact keys.</summary>
    public static string MediaFingerprint(PreparedTimeline prepared) =>
        string.Join(";", prepared.LocalPaths.Values.Distinct().Order(StringComparer.Ordinal).Select(path =>
        {
            var info = new FileInfo(path);
            return $"{path}|{info.Length}|{info.LastWriteTimeUtc.Ticks}";
        }));

    public void Forget(string videoId) => _cache.TryRemove(videoId, out _);

    public void Dispose() => _preparer.Dispose();
}
