using RenderFarm.Core.Json;

namespace RenderFarm.Core.Timelines;

/// <summary>
/// IMS <c>DyncFrames</c> on an Image clip or a batch sticker: the file is an animated image (GIF, APNG) and
/// DyncFrames is its number of frames. IMS's SDKs describe it as "the number of dynamic frames in the GIF file"
/// (example 8), and IMS's web editor keeps it apart from a separate <c>fps</c> field, so it is read as a frame
/// count, not a rate: the clip plays the file's first DyncFrames frames at the file's own timing, looped over
/// the clip's time on screen. Without DyncFrames an image is a still (its first frame), as in IMS.
/// </summary>
public static class AnimatedImages
{
    /// <summary>The largest DyncFrames accepted (a larger value is an error naming the field).</summary>
    public const int MaxDyncFrames = 10000;

    /// <summary>
    /// At most this many frames are looped: they are held in memory at the clip's size on the canvas
    /// (a full 1080x1920 frame with alpha is about 5 MB, so 200 of them about 1 GB).
    /// </summary>
    public const int MaxLoopFrames = 200;

    /// <summary>Reads DyncFrames (0..<see cref="MaxDyncFrames"/>; 0 or absent: a still); null for a still.</summary>
    public static int? Read(JsonObjectReader clip)
    {
        if (clip.Integer("DyncFrames", 0, MaxDyncFrames) is not (> 0 and var frames)) return null;
        if (frames > MaxLoopFrames)
            clip.Warn("DyncFrames", $"at most {MaxLoopFrames} frames of an animated image are looped; its first {MaxLoopFrames} are shown");
        return Math.Min(frames, MaxLoopFrames);
    }
}
