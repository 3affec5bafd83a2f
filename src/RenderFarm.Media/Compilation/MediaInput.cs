using RenderFarm.Media.Sources;
using static RenderFarm.Media.Compilation.FilterGraphText;

namespace RenderFarm.Media.Compilation;

/// <summary>
/// The ffmpeg input arguments for one local media file. Files are opened as <c>file:</c> URLs with
/// only the file protocol allowed, so neither a file name nor a playlist inside a file can make
/// ffmpeg reach anything else.
/// </summary>
internal static class MediaInput
{
    /// <param name="seek">Input seek (-ss): decoding starts at the key frame before it.</param>
    /// <param name="duration">Input length after the seek (-t).</param>
    /// <param name="loop">Loop the input forever (-stream_loop -1).</param>
    /// <param name="keepSourceTime">
    /// With <paramref name="seek"/>: timestamps stay the source's own (file start = 0) instead of being
    /// re-based on the seek point, and the frames from the key frame on are all kept. The seek point is
    /// given in microseconds and re-basing rounds it to the stream's time base, differently for each seek
    /// point; source time is the same whatever the seek, so windows of one clip time its frames alike.
    /// </param>
    /// <param name="frameRate">Input frame rate (-r): the rate a still image's stream is declared with.</param>
    public static IReadOnlyList<string> Arguments(string localPath, double? seek = null, double? duration = null, bool loop = false,
        bool keepSourceTime = false, int? frameRate = null)
    {
        var args = new List<string> { "-protocol_whitelist", "file" };
        if (loop) args.AddRange(["-stream_loop", "-1"]);
        if (frameRate is { } rate) args.AddRange(["-r", rate.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        if (seek is { } s)
        {
            args.AddRange(["-ss", Number(s)]);
            // -itsoffset adds back exactly what -ss takes off (the same microseconds).
            if (keepSourceTime) args.AddRange(["-itsoffset", Number(s)]);
        }
        if (duration is { } d) args.AddRange(["-t", Number(d)]);
        args.AddRange(["-i", MediaSourceResolver.ForFfmpeg(localPath)]);
        return args;
    }
}
