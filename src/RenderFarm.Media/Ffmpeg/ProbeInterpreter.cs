using System.Globalization;
using System.Text.Json;
using FFMpegCore;
using RenderFarm.Core.Planning;

namespace RenderFarm.Media.Ffmpeg;

/// <summary>
/// Turns FFMpegCore's analysis of a file into <see cref="MediaFacts"/>. Pure: no process, no file.
/// Streams, sizes, rotation and dispositions come from FFMpegCore's typed view; durations and frame
/// counts from its raw ffprobe fields, because the typed durations are cut to whole milliseconds and
/// say zero both for "none" and for "0".
/// </summary>
internal static class ProbeInterpreter
{
    // Codecs that are pictures: a single frame of one of these is a still, not a clip.
    private static readonly HashSet<string> ImageCodecs = new(StringComparer.Ordinal)
    {
        "png", "mjpeg", "jpeg2000", "jpegls", "webp", "bmp", "gif", "tiff", "ppm", "pgm", "pbm", "pam",
        "qoi", "pcx", "sgi", "targa", "dpx", "exr", "xbm", "xwd", "sunrast", "photocd",
    };

    // Demuxers that read other files or the network by design (a playlist inside an allowed root could
    // otherwise pull in anything); only self-contained media is accepted.
    private static readonly HashSet<string> ReferencingFormats = new(StringComparer.Ordinal)
    {
        "hls", "applehttp", "dash", "concat", "imf", "sdp", "rtsp", "rtp", "tee", "webm_dash_manifest",
    };

    /// <exception cref="InvalidDataException">The reason the file is not usable media.</exception>
    public static MediaFacts Interpret(IMediaAnalysis analysis)
    {
        var formatNames = (analysis.Format.FormatName ?? "").Split(',');
        if (formatNames.FirstOrDefault(ReferencingFormats.Contains) is { } referencing)
            throw new InvalidDataException($"{referencing} files refer to other files or URLs; only self-contained media is accepted");
        if (formatNames.Contains("tty"))
            throw new InvalidDataException("it is a text file");

        // Cover art in audio files is a "video" stream with attached_pic=1: it is not picture content.
        var video = analysis.VideoStreams.FirstOrDefault(v => v.Disposition?.GetValueOrDefault("attached_pic") != true);
        var hasAudio = analysis.AudioStreams.Count > 0;
        if (video is null && !hasAudio) throw new InvalidDataException("it has no audio or video stream");

        var formatDuration = Seconds(analysis.Raw.Format.Duration);
        var (width, height) = video is null ? (0, 0) : DisplaySize(video);
        var isStill = video is not null && IsStill(video, RawStream(analysis, video.Index), formatNames, formatDuration);
        var alpha = video is not null && HasAlpha(video.PixelFormat);
        if (isStill) return new MediaFacts(0, width, height, HasVideo: true, HasAudio: hasAudio, IsStill: true, HasAlpha: alpha);

        var duration = formatDuration ?? analysis.Raw.Streams.Select(stream => Seconds(stream.Duration)).Max();
        if (duration is not > 0) throw new InvalidDataException("its duration is unknown");
        return new MediaFacts(duration.Value, width, height, video is not null, hasAudio, IsStill: false, FrameRate(video), alpha);
    }

    /// <summary>
    /// Pixel formats that carry alpha (ffmpeg's names: rgba, bgra, argb, abgr, ya8, yuva420p, gbrap, ...), and pal8,
    /// whose palette may hold transparent entries (GIF decodes to bgra, a palette PNG to pal8).
    /// </summary>
    internal static bool HasAlpha(string? pixelFormat) =>
        pixelFormat is { } f && (f == "pal8" || f.StartsWith("ya", StringComparison.Ordinal) || f.StartsWith("yuva", StringComparison.Ordinal)
            || f.StartsWith("gbrap", StringComparison.Ordinal) || f.Contains("rgba", StringComparison.Ordinal) || f.Contains("bgra", StringComparison.Ordinal)
            || f.StartsWith("argb", StringComparison.Ordinal) || f.StartsWith("abgr", StringComparison.Ordinal));

    /// <summary>
    /// avg_frame_rate (frames over duration: right for variable-rate phone videos), else r_frame_rate; 0 when
    /// neither is a plausible rate (FFMpegCore gives NaN for ffprobe's "0/0").
    /// </summary>
    private static double FrameRate(VideoStream? video) =>
        video is null ? 0
        : video.AverageFrameRate is > 0 and <= MaxFrameRate ? video.AverageFrameRate
        : video.RealFrameRate is > 0 and <= MaxFrameRate ? video.RealFrameRate
        : 0;

    private const double MaxFrameRate = 1000;

    private static bool IsStill(VideoStream video, FFProbeStream? raw, string[] formatNames, double? formatDuration)
    {
        // The image2 demuxer family (image2, png_pipe, jpeg_pipe, ...) reads one picture per file.
        if (formatNames.Any(n => n == "image2" || n.EndsWith("_pipe", StringComparison.Ordinal))) return true;
        if (!ImageCodecs.Contains(video.CodecName ?? "")) return false;
        var frames = FrameCount(raw);
        return frames == 1 || (frames is null && Seconds(raw?.Duration) is null && formatDuration is null);
    }

    /// <summary>Coded size, swapped when the display matrix (or an old "rotate" tag) turns it by 90 or 270 degrees.</summary>
    private static (int Width, int Height) DisplaySize(VideoStream video)
    {
        var (width, height) = (video.Width ?? 0, video.Height ?? 0);
        var quarter = ((long)Math.Round(video.Rotation / 90.0) % 4 + 4) % 4;
        return quarter is 1 or 3 ? (height, width) : (width, height);
    }

    private static FFProbeStream? RawStream(IMediaAnalysis analysis, int index) =>
        analysis.Raw.Streams.FirstOrDefault(s => s.Index == index);

    /// <summary>nb_frames is not in FFMpegCore's model; ffprobe writes it as a string, hand-made JSON may not.</summary>
    private static double? FrameCount(FFProbeStream? stream) =>
        stream?.ExtensionData?.TryGetValue("nb_frames", out var value) != true ? null : value.ValueKind switch
        {
            JsonValueKind.Number => value.GetDouble(),
            JsonValueKind.String => Number(value.GetString()),
            _ => null,
        };

    /// <summary>
    /// A time as ffprobe writes it: "H:MM:SS.micro" (-sexagesimal, which FFMpegCore always asks for) or plain
    /// seconds. The sexagesimal parts are added up exactly (decimal) and the sum parsed once, so it gives the
    /// very double that ffprobe's plain "SS.micro" gives; null for absent, "N/A" or non-finite values.
    /// </summary>
    internal static double? Seconds(string? text)
    {
        var parts = (text ?? "").Split(':');
        if (parts.Length == 3)
        {
            // "%d:%02d:%09.6f": a negative time carries its sign in each part.
            var total = 0m;
            foreach (var part in parts)
            {
                if (!decimal.TryParse(part, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
                    return null;
                total = total * 60 + value;
            }
            return Number(total.ToString(CultureInfo.InvariantCulture));
        }
        return parts.Length == 1 ? Number(text) : null;
    }

    private static double? Number(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value : null;
}
