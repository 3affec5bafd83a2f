namespace RenderFarm.Media.Compilation;

/// <summary>
/// How video and audio are encoded: H.264 + AAC, by libx264 or, on a gpu node whose check passed,
/// h264_nvenc (<see cref="Nvenc"/>). Without a bitrate the quality is CRF based (nvenc: the same number as
/// its constant-quality level). <see cref="Preset"/> is libx264's; nvenc uses its own middle preset.
/// <see cref="Threads"/> limits encoder, filter and decoder threads (null: ffmpeg decides, except decoders: see
/// <see cref="DecoderThreads"/>).
/// </summary>
public sealed record EncoderSettings(string Preset = "veryfast", int Crf = 20, int? Threads = null, int AudioBitrateKbps = 192, bool Nvenc = false)
{
    /// <summary>
    /// Threads per input decoder when <see cref="Threads"/> is not set. One: a timeline opens many inputs
    /// and plays one or two at a time, the encoder already keeps the cores busy, and each frame thread
    /// holds frames of its own (measured on the reference timeline, 2 cores: 20% less CPU, 150 MB less memory).
    /// Decoding gives the same frames whatever the thread count, so this is not part of <see cref="Tag"/>.
    /// </summary>
    public int DecoderThreads { get; init; } = 1;

    public const int AudioSampleRate = 48000;
    public const string NvencEncoder = "h264_nvenc";
    public static readonly EncoderSettings Default = new();

    /// <summary>What changes the output bytes: it enters artifact keys (libx264's tag is what every key had before nvenc).</summary>
    public string Tag => Nvenc ? $"nvenc:p4:cq{Crf}:aac{AudioBitrateKbps}" : $"x264:{Preset}:crf{Crf}:aac{AudioBitrateKbps}";
}

/// <summary>An ffmpeg command ready to run: its arguments and the filter graph text they reference.</summary>
public sealed record FfmpegCommand(IReadOnlyList<string> Arguments, string? FilterGraph, string? FilterGraphPath, long ExpectedFrames);
