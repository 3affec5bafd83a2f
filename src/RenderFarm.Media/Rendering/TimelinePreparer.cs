using RenderFarm.Core.Jobs;
using RenderFarm.Core.Json;
using RenderFarm.Core.Planning;
using RenderFarm.Core.Timelines;
using RenderFarm.Media.Compilation;
using RenderFarm.Media.Ffmpeg;
using RenderFarm.Media.Matting;
using RenderFarm.Media.Sources;
using RenderFarm.Media.Subtitles;

namespace RenderFarm.Media.Rendering;

/// <summary>
/// The I/O half of planning: resolves and probes every MediaURL (each once, a few at a time),
/// then hands the facts to the pure scheduler and subtitle writer. Downloads and probe results
/// are cached under the policy's cache directory.
/// </summary>
public sealed class TimelinePreparer(MediaSourcePolicy policy, TimelineLimits limits) : IDisposable
{
    private const int ParallelProbes = 4;
    private readonly MediaSourceResolver resolver = new(policy);
    private readonly MediaProber prober = new(Path.Combine(policy.CacheDirectory, "probe"));

    public void Dispose() => resolver.Dispose();

    /// <summary>One MediaURL resolved to a local file (under the policy) and probed.</summary>
    public async Task<(string LocalPath, MediaFacts Facts)> ProbeAsync(string mediaUrl, string jsonPath, string baseDirectory, CancellationToken ct)
    {
        var local = await resolver.ResolveAsync(mediaUrl, jsonPath, baseDirectory, ct);
        return (local, await prober.ProbeAsync(local, jsonPath, ct));
    }

    public async Task<PreparedTimeline> PrepareAsync(ProducingJobRequest request, string baseDirectory, CancellationToken ct)
    {
        var timeline = request.Timeline;
        var firstPath = FirstPathOfEachUrl(timeline);
        var localPaths = new Dictionary<string, string>(StringComparer.Ordinal);
        var facts = new Dictionary<string, MediaFacts>(StringComparer.Ordinal);
        using var gate = new SemaphoreSlim(ParallelProbes);
        var lookups = firstPath.Select(async entry =>
        {
            await gate.WaitAsync(ct);
            try
            {
                var (local, probed) = await ProbeAsync(entry.Key, $"{entry.Value}.MediaURL", baseDirectory, ct);
                return (Url: entry.Key, Local: local, Facts: probed);
            }
            finally { gate.Release(); }
        }).ToList();
        foreach (var (url, local, probed) in await Task.WhenAll(lookups))
        {
            localPaths[url] = local;
            facts[url] = probed;
        }
        CheckKinds(timeline, facts);

        var diagnostics = new Diagnostics();
        foreach (var w in request.Warnings) diagnostics.Warn(w.Path, w.Message);
        var visual = timeline.VideoTracks.SelectMany(t => t.Clips).Select(c => facts[c.MediaUrl]);
        var output = request.Output.Resolve(visual, limits);
        var schedule = TimelineScheduler.Build(timeline, facts, output, request.Seed, limits, diagnostics);
        var ass = schedule.Texts.Count == 0 ? null : AssSubtitleWriter.Write(schedule.Texts, output);
        var keyColours = await new KeyColourEstimator(new FfmpegRunner()).KeyColoursAsync(schedule, localPaths, diagnostics, ct);
        return new PreparedTimeline(schedule, localPaths, ass, diagnostics.Warnings) { Assets = ClipAssets.Empty with { KeyColours = keyColours } };
    }

    /// <summary>Each distinct MediaURL with the JSON path of the first clip using it (for error messages).</summary>
    private static Dictionary<string, string> FirstPathOfEachUrl(Timeline timeline)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var clip in timeline.VideoTracks.SelectMany(t => t.Clips)) result.TryAdd(clip.MediaUrl, clip.Path);
        foreach (var clip in timeline.AudioTracks.SelectMany(t => t.Clips)) result.TryAdd(clip.MediaUrl, clip.Path);
        return result;
    }

    /// <summary>A video track clip must have a picture; an audio clip's sound is checked by the scheduler.</summary>
    private static void CheckKinds(Timeline timeline, Dictionary<string, MediaFacts> facts)
    {
        foreach (var clip in timeline.VideoTracks.SelectMany(t => t.Clips))
            if (!facts[clip.MediaUrl].HasVideo)
                throw new RequestException($"{clip.Path}.MediaURL", "the media has no picture (an audio file on a video track?)");
    }
}
