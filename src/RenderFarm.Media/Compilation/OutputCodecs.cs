using System.Globalization;
using RenderFarm.Core.Planning;

namespace RenderFarm.Media.Compilation;

/// <summary>
/// The encoder and muxer arguments of each output kind (pure). A segmented render writes its pieces in
/// an intermediate that concatenates without re-encoding: the output's own codec (MP4 for H.264/H.265,
/// WebM for VP9, alpha included), except GIF, whose segments are lossless FFV1 in Matroska so that the
/// palette is computed once over the whole video when they are assembled. The audio intermediate holds the
/// output's own audio codec (AAC in MP4; Opus, MP3 or PCM in Matroska), so assembling only copies it.
/// </summary>
public static class OutputCodecs
{
    /// <summary>RenderFarm's CRF defaults where the node's (x264) number does not apply: comparable quality.</summary>
    public const int DefaultH265Crf = 24, DefaultVp9Crf = 32;

    /// <summary>GIF frames from <paramref name="input"/>: one palette for the whole video (from every frame), then dithered onto it.</summary>
    public static string GifFrames(FilterGraph graph, string input)
    {
        var copies = graph.Split(input, 2);
        var palette = graph.Chain(copies[0], "palettegen=stats_mode=full");
        return graph.Chain([copies[1], palette], ["paletteuse=dither=bayer:bayer_scale=3"]);
    }

    /// <summary>The final file's muxer.</summary>
    public static string Muxer(OutputEncoding e) => e.Container switch
    {
        OutputContainer.Mov => "mov",
        OutputContainer.Webm => "webm",
        OutputContainer.Gif => "gif",
        OutputContainer.Mp3 => "mp3",
        OutputContainer.M4a => "ipod",
        OutputContainer.Wav => "wav",
        _ => "mp4",
    };

    /// <summary>Muxer arguments of the final file (format, faststart and the hvc1 tag players expect for H.265 in MP4/MOV).</summary>
    public static List<string> FinalMuxing(OutputEncoding e)
    {
        var args = new List<string>();
        if (e.Codec == VideoCodec.H265) args.AddRange(["-tag:v", "hvc1"]);
        if (e.Container is OutputContainer.Mp4 or OutputContainer.Mov or OutputContainer.M4a) args.AddRange(["-movflags", "+faststart"]);
        args.AddRange(["-f", Muxer(e)]);
        return args;
    }

    /// <summary>The muxer of a video segment (see the class summary).</summary>
    public static string SegmentMuxer(OutputEncoding e) => e.Codec switch
    {
        VideoCodec.Vp9 => "webm",
        VideoCodec.Gif => "matroska",
        _ => "mp4",
    };

    /// <summary>The muxer of the audio intermediate.</summary>
    public static string AudioMuxer(OutputEncoding e) => AudioCodecName(e) == "aac" ? "mp4" : "matroska";

    /// <summary>File names for the intermediates of a local segmented render.</summary>
    public static string SegmentExtension(OutputEncoding e) => SegmentMuxer(e) switch { "webm" => ".webm", "matroska" => ".mkv", _ => ".mp4" };

    public static string AudioExtension(OutputEncoding e) => AudioMuxer(e) == "mp4" ? ".m4a" : ".mka";

    /// <summary>
    /// Video encoder arguments. <paramref name="final"/>: the output itself (GIF frames); otherwise a segment
    /// (GIF segments are lossless FFV1). H.264 on a gpu node may use h264_nvenc; other codecs always encode on the CPU.
    /// </summary>
    public static List<string> Video(OutputFormat output, EncoderSettings encoder, bool final)
    {
        var e = output.Encoding;
        var threads = encoder.Threads;
        var args = new List<string>();
        switch (e.Codec)
        {
            case VideoCodec.H264 when encoder.Nvenc:
                args.AddRange(["-c:v", EncoderSettings.NvencEncoder, "-preset", "p4", "-pix_fmt", "yuv420p", "-profile:v", e.Profile ?? "high"]);
                if (output.BitrateKbps is { } nvKbps && e.Crf is null) args.AddRange(Abr(nvKbps));
                else
                {
                    args.AddRange(["-rc", "vbr", "-cq", Num(e.Crf ?? encoder.Crf)]); // constant quality, capped by the bitrate if one is given
                    args.AddRange(output.BitrateKbps is { } cap ? Capped(cap) : ["-b:v", "0"]);
                }
                break;
            case VideoCodec.H264:
                args.AddRange(["-c:v", "libx264", "-preset", e.Preset ?? encoder.Preset, "-pix_fmt", "yuv420p", "-profile:v", e.Profile ?? "high"]);
                args.AddRange(RateControl(output, e.Crf ?? encoder.Crf));
                break;
            case VideoCodec.H265:
                args.AddRange(["-c:v", "libx265", "-preset", e.Preset ?? encoder.Preset, "-pix_fmt", "yuv420p", "-profile:v", e.Profile ?? "main"]);
                args.AddRange(RateControl(output, e.Crf ?? DefaultH265Crf));
                // x265 sizes its own thread pool: a thread limit goes through its parameters.
                args.AddRange(["-x265-params", threads is { } t ? $"log-level=error:pools={t}:frame-threads={Math.Min(t, 4)}" : "log-level=error"]);
                threads = null;
                break;
            case VideoCodec.Vp9:
                args.AddRange(["-c:v", "libvpx-vp9", "-pix_fmt", e.Alpha ? "yuva420p" : "yuv420p", "-deadline", "good", "-cpu-used", "4", "-row-mt", "1"]);
                // VP9 constant quality needs -b:v 0; with a bitrate it is constrained quality (or plain VBR without Crf).
                if (e.Crf is null && output.BitrateKbps is { } kbps) args.AddRange(["-b:v", $"{kbps}k"]);
                else args.AddRange(["-crf", Num(e.Crf ?? DefaultVp9Crf), "-b:v", output.BitrateKbps is { } cq ? $"{cq}k" : "0"]);
                if (e.Alpha) args.AddRange(["-auto-alt-ref", "0"]); // libvpx cannot encode the alpha plane with alt-ref frames
                break;
            case VideoCodec.Gif when final:
                args.AddRange(["-c:v", "gif"]);
                break;
            case VideoCodec.Gif:
                args.AddRange(["-c:v", "ffv1", "-pix_fmt", "yuv420p"]);
                break;
            default:
                throw new InvalidOperationException($"a {e.Extension} output has no video");
        }
        if (threads is { } n) args.AddRange(["-threads", Num(n)]);
        args.AddRange(["-r", Num(output.Fps)]);
        if (e.Codec != VideoCodec.Gif) args.AddRange(["-g", Num(e.GopFrames ?? output.Fps * 2)]);
        return args;
    }

    /// <summary>Audio encoder arguments of the output's own audio codec.</summary>
    public static IEnumerable<string> Audio(OutputEncoding e, EncoderSettings encoder)
    {
        var codec = AudioCodecName(e);
        List<string> args = ["-c:a", codec];
        if (codec != "pcm_s16le") args.AddRange(["-b:a", $"{encoder.AudioBitrateKbps}k"]);
        args.AddRange(["-ar", Num(EncoderSettings.AudioSampleRate), "-ac", "2"]);
        return args;
    }

    private static string AudioCodecName(OutputEncoding e) => e.Container switch
    {
        OutputContainer.Webm => "libopus",
        OutputContainer.Mp3 => "libmp3lame",
        OutputContainer.Wav => "pcm_s16le",
        _ => "aac",
    };

    /// <summary>x264/x265: CRF; a bitrate alone is an average with a 1.5x peak; both: CRF capped at the bitrate.</summary>
    private static IEnumerable<string> RateControl(OutputFormat output, int crf) => output.BitrateKbps switch
    {
        { } kbps when output.Encoding.Crf is null => Abr(kbps),
        { } cap => ["-crf", Num(crf), .. Capped(cap)],
        null => ["-crf", Num(crf)],
    };

    private static string[] Abr(int kbps) => ["-b:v", $"{kbps}k", "-maxrate", $"{kbps * 3 / 2}k", "-bufsize", $"{kbps * 2}k"];

    private static string[] Capped(int kbps) => ["-maxrate", $"{kbps}k", "-bufsize", $"{kbps * 2}k"];

    private static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);
}
