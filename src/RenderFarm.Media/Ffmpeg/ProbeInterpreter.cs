using System.Globalization;
using System.Text.Json;
using RenderFarm.Core.Planning;

namespace RenderFarm.Media.Ffmpeg;

/// <summary>Turns ffprobe's JSON (-show_format -show_streams) into <see cref="MediaFacts"/>.</summary>
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
    public static MediaFacts Interpret(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var format = root.TryGetProperty("format", out var f) ? f : default;
        var formatName = Text(format, "format_name") ?? "";
        var formatNames = formatName.Split(',');
        if (formatNames.FirstOrDefault(ReferencingFormats.Contains) is { } referencing)
            throw new InvalidDataException($"{referencing} files refer to other files or URLs; only self-contained media is accepted");
        if (formatNames.Contains("tty"))
            throw new InvalidDataException("it is a text file");

        JsonElement? video = null;
        var hasAudio = false;
        var streams = Child(root, "streams") is { ValueKind: JsonValueKind.Array } list ? list.EnumerateArray().ToList() : [];
        foreach (var stream in streams)
        {
            var type = Text(stream, "codec_type");
            // Cover art in audio files is a "video" stream with attached_pic=1: it is not picture content.
            if (type == "video" && video is null && Number(Child(stream, "disposition"), "attached_pic") != 1) video = stream;
            else if (type == "audio") hasAudio = true;
        }
        if (video is null && !hasAudio) throw new InvalidDataException("it has no audio or video stream");

        var (width, height) = video is { } v ? DisplaySize(v) : (0, 0);
        var isStill = video is { } vs && IsStill(vs, formatNames, Number(format, "duration"));
        if (isStill) return new MediaFacts(0, width, height, HasVideo: true, HasAudio: hasAudio, IsStill: true);

        var duration = Number(format, "duration")
            ?? streams.Select(stream => Number(stream, "duration")).Max();
        if (duration is not > 0) throw new InvalidDataException("its duration is unknown");
        return new MediaFacts(duration.Value, width, height, video is not null, hasAudio, IsStill: false);
    }

    private static bool IsStill(JsonElement video, string[] formatNames, double? formatDuration)
    {
        // The image2 demuxer family (image2, png_pipe, jpeg_pipe, ...) reads one picture per file.
        if (formatNames.Any(n => n == "image2" || n.EndsWith("_pipe", StringComparison.Ordinal))) return true;
        if (!ImageCodecs.Contains(Text(video, "codec_name") ?? "")) return false;
        var frames = Number(video, "nb_frames");
        return frames == 1 || (frames is null && Number(video, "duration") is null && formatDuration is null);
    }

    /// <summary>Coded size, swapped when the display matrix (or an old "rotate" tag) turns it by 90 or 270 degrees.</summary>
    private static (int Width, int Height) DisplaySize(JsonElement video)
    {
        var width = (int)(Number(video, "width") ?? 0);
        var height = (int)(Number(video, "height") ?? 0);
        var rotation = Number(Child(video, "tags"), "rotate") ?? 0;
        if (video.TryGetProperty("side_data_list", out var sideData) && sideData.ValueKind == JsonValueKind.Array)
            foreach (var item in sideData.EnumerateArray())
                if (Number(item, "rotation") is { } r) rotation = r;
        var quarter = ((long)Math.Round(rotation / 90.0) % 4 + 4) % 4;
        return quarter is 1 or 3 ? (height, width) : (width, height);
    }

    private static JsonElement Child(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var child) ? child : default;

    private static string? Text(JsonElement element, string name) =>
        Child(element, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    /// <summary>ffprobe writes most numbers as strings ("2.000000", "N/A"); accepts both forms.</summary>
    private static double? Number(JsonElement element, string name) => Child(element, name) switch
    {
        { ValueKind: JsonValueKind.Number } n => n.GetDouble(),
        { ValueKind: JsonValueKind.String } s when double.TryParse(s.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            && double.IsFinite(d) => d,
        _ => null,
    };
}
