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
    private readonly ConcurrentDictionary<string, SharedPreparation> _cache = new();

    /// <summary>
    /// The video's preparation, shared by everyone who asks for it on this node. It runs while anyone
    /// still waits: when the last waiter cancels before it finished (a cancelled job's planning and
    /// tasks), it is cancelled too, so a download in progress is aborted at once rather than at its timeout.
    /// </summary>
    public async Task<PreparedTimeline> PrepareAsync(VideoSpec video, CancellationToken ct)
    {
        while (true)
        {
            var entry = _cache.GetOrAdd(video.VideoId, _ => new SharedPreparation(stop =>
                _preparer.PrepareAsync(ProducingJobRequest.Parse(video.RequestJson, limits), mediaDirectory, stop)));
            if (!entry.Join())
            {
                _cache.TryRemove(KeyValuePair.Create(video.VideoId, entry)); // abandoned just now: start afresh
                continue;
            }
            try { return await entry.Task.WaitAsync(ct).ConfigureAwait(false); }
            finally
            {
                // A failed or abandoned preparation is not cached: the next attempt tries again (media may appear).
                if (entry.Leave() || entry.Task.IsFaulted || entry.Task.IsCanceled)
                    _cache.TryRemove(KeyValuePair.Create(video.VideoId, entry));
            }
        }
    }

    /// <summary>One preparation and how many wait for it; abandoned (and cancelled) when the count drops to zero unfinished.</summary>
    private sealed class SharedPreparation(Func<CancellationToken, Task<PreparedTimeline>> start)
    {
        private readonly CancellationTokenSource _abandon = new();
        private Task<PreparedTimeline>? _task;
        private int _waiters; // -1 once abandoned

        public Task<PreparedTimeline> Task => _task!;

        public bool Join()
        {
            lock (_abandon)
            {
                if (_waiters < 0) return false;
                _waiters++;
                _task ??= start(_abandon.Token); // started by its first waiter, under the lock: exactly once
                return true;
            }
        }

        /// <summary>True when this was the last waiter and the work was unfinished: it is cancelled.</summary>
        public bool Leave()
        {
            lock (_abandon)
            {
                if (--_waiters > 0 || _task!.IsCompleted) return false;
                _waiters = -1;
            }
            _abandon.Cancel(); // not disposed: the preparation may still read its token as it unwinds
            return true;
        }
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
