using static RenderFarm.Media.Compilation.FilterGraphText;

namespace RenderFarm.Media.Compilation;

/// <summary>
/// The filters that play an animated image (IMS DyncFrames) on the output frame grid. The file is decoded
/// once (the GIF demuxer ignores the file's own loop count by default), its first frames are kept and
/// fitted to the clip's box, and the loop filter repeats them from memory with their own timing. The frame
/// shown at a clip frame depends only on that frame's time since the clip's start: a window starting
/// <c>offset</c> frames into the clip shifts the loop's time by a whole number of ticks, as
/// <see cref="VideoGraphBuilder"/> does for video sources, so segments show what a single pass shows.
/// </summary>
internal static class AnimationLoop
{
    /// <summary>The file's first <paramref name="frames"/> frames, timed from 0 (applied before the picture is fitted).</summary>
    public static string[] FirstFrames(int frames) =>
        [Filter("trim", ("end_frame", frames)), "setpts=PTS-STARTPTS"];

    /// <summary>
    /// The fitted frames looped forever and put on the output grid from clip frame <paramref name="offset"/> on:
    /// settb refines the time base <paramref name="fps"/> times (exact), setpts moves the window's start to 0 by a
    /// whole number of ticks, fps rounds to the grid and drops what lies before the window. The caller trims the end.
    /// The loops before a late window are still generated and dropped, but as frame references, not copies
    /// (an hour of a 4 fps GIF at 540x960 took 0.4 s in ffmpeg 5.1).
    /// </summary>
    public static string[] Played(int frames, int fps, long offset) =>
    [
        Filter("loop", ("loop", -1), ("size", frames), ("start", 0)),
        Filter("settb", ("expr", $"intb/{fps}")),
        Filter("setpts", ("expr", offset == 0 ? "PTS" : $"PTS-{offset}*round(1/({fps}*TB))")),
        Filter("fps", ("fps", fps), ("start_time", 0)),
    ];
}
