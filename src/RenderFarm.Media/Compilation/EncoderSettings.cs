namespace RenderFarm.Media.Compilation;

/// <summary>
/// How video and audio are encoded: H.264 (libx264) + AAC. Without a bitrate the quality is CRF based.
/// <see cref="Threads"/> limits encoder and filter threads (null: ffmpeg decides).
/// </summary>
public sealed record EncoderSettings(string Preset = "veryfast", int Crf = 20, int? Threads = null, int AudioBitrateKbps = 192)
{
    public const int AudioSampleRate = 48000;
    public static readonly EncoderSettings Default = new();
}

/// <summary>An ffmpeg command ready to run: its arguments and the filter graph text they reference.</summary>
public sealed record FfmpegCommand(IReadOnlyList<string> Arguments, string? FilterGraph, string? FilterGraphPath, long ExpectedFrames);
