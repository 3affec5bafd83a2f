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
    public static IReadOnlyList<string> Arguments(string localPath, double? seek = null, double? duration = null, bool loop = false)
    {
        var args = new List<string> { "-protocol_whitelist", "file" };
        if (loop) args.AddRange(["-stream_loop", "-1"]);
        if (seek is { } s) args.AddRange(["-ss", Number(s)]);
        if (duration is { } d) args.AddRange(["-t", Number(d)]);
        args.AddRange(["-i", MediaSourceResolver.ForFfmpeg(localPath)]);
        return args;
    }
}
