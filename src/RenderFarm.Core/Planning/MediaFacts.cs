namespace RenderFarm.Core.Planning;

/// <summary>
/// What planning needs to know about a media file (from ffprobe). Stills have no duration.
/// <see cref="FrameRate"/>: the video's average frames per second (0: unknown, a still or no video).
/// <see cref="HasAlpha"/>: the picture is decoded with an alpha plane (a transparent PNG or GIF logo), so it may be see-through.
/// </summary>
public sealed record MediaFacts(double DurationSeconds, int Width, int Height, bool HasVideo, bool HasAudio, bool IsStill, double FrameRate = 0,
    bool HasAlpha = false)
{
    public double AspectRatio => Height == 0 ? 1 : (double)Width / Height;
}

/// <summary>The output video format: size, frame rate, optional bitrate (kbit/s) and how it is encoded.</summary>
public sealed record OutputFormat(int Width, int Height, int Fps, int? BitrateKbps = null)
{
    public OutputEncoding Encoding { get; init; } = OutputEncoding.Default;

    public double FrameToSeconds(long frame) => (double)frame / Fps;
    public long SecondsToFrame(double seconds) => (long)Math.Round(seconds * Fps, MidpointRounding.AwayFromZero);
}
