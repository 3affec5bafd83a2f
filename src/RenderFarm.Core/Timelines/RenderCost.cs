using RenderFarm.Core.Json;

namespace RenderFarm.Core.Timelines;

/// <summary>
/// What a timeline costs to render, estimated from the parsed timeline alone (before any media is
/// opened), so a request the machine cannot render is refused at submission rather than found out by
/// an ffmpeg that grows to gigabytes. Per-track counts are the IMS limits; these bound the whole job:
/// every clip is an input the filter graph holds, every effect a filter in it.
/// </summary>
public static class RenderCost
{
    /// <summary>Clips of every kind (video, image, audio, text, effect items).</summary>
    public static int Clips(Timeline timeline) =>
        timeline.VideoTracks.Sum(t => t.Clips.Count) + timeline.AudioTracks.Sum(t => t.Clips.Count)
        + timeline.SubtitleTracks.Sum(t => t.Clips.Count) + timeline.EffectItems.Count;

    /// <summary>
    /// Filters the compiled graph needs, by the compiler's shape: a visual clip is trimmed, timed, scaled,
    /// padded and overlaid (5) plus one per effect it carries; an audio clip is trimmed, delayed, gained and
    /// mixed (4); a caption is one drawtext, an effect item two (the effect and its enable window).
    /// </summary>
    public static int FilterGraphNodes(Timeline timeline)
    {
        var nodes = 0;
        foreach (var clip in timeline.VideoTracks.SelectMany(t => t.Clips))
        {
            var e = clip.Effects;
            nodes += 5 + (e.Transition is null ? 0 : 2) + (e.Background is null ? 0 : 3) + (e.Crop is null ? 0 : 1)
                + (e.Matting is null ? 0 : 3) + (e.Captions is null ? 0 : 1);
        }
        nodes += timeline.AudioTracks.Sum(t => t.Clips.Sum(c => 4 + (c.Captions is null ? 0 : 1)));
        nodes += timeline.SubtitleTracks.Sum(t => t.Clips.Count);
        nodes += 2 * timeline.EffectItems.Count;
        return nodes;
    }

    /// <summary>Refuses a timeline over the budget; the error names the Timeline and the limit.</summary>
    public static void Check(Timeline timeline, TimelineLimits limits)
    {
        var clips = Clips(timeline);
        if (clips > limits.MaxClipsPerTimeline)
            throw new RequestException(Named(timeline), $"has {clips} clips; at most {limits.MaxClipsPerTimeline} are rendered in one job (all tracks together); split it into several jobs");
        var nodes = FilterGraphNodes(timeline);
        if (nodes > limits.MaxFilterGraphNodes)
            throw new RequestException(Named(timeline), $"needs about {nodes} filters; at most {limits.MaxFilterGraphNodes} fit one render (fewer clips or effects per job)");
    }

    private static string Named(Timeline timeline) => timeline.Path.Length == 0 ? "Timeline" : timeline.Path;
}
