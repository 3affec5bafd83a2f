using System.Runtime.InteropServices;
using RenderFarm.Core.Json;
using RenderFarm.Media.Ffmpeg;
using RenderFarm.Media.Sources;

namespace RenderFarm.Media.Audio;

/// <summary>
/// Audio files to samples and back through ffmpeg (the only I/O of the audio functions): decoding takes the
/// first audio stream as 48 kHz stereo float; encoding picks the codec from the output's extension.
/// </summary>
public sealed class PcmCodec(FfmpegRunner ffmpeg, FfmpegFramePipe pipe)
{
    public const int Channels = 2;
    /// <summary>Longest input decoded (samples are held in memory: 20 minutes of stereo float is 460 MB).</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromMinutes(20);

    public static readonly IReadOnlyList<string> Extensions = [".m4a", ".wav", ".mp3", ".flac", ".aac"];

    /// <exception cref="RequestException">At <paramref name="jsonPath"/>: no audio stream, not media, or too long.</exception>
    public async Task<Pcm> DecodeAsync(string localPath, string jsonPath, CancellationToken ct)
    {
        byte[] bytes;
        try
        {
            bytes = await ffmpeg.CaptureStdoutAsync(
            [
                "-i", MediaSourceResolver.ForFfmpeg(localPath), "-map", "0:a:0", "-vn",
                "-t", ((int)MaxDuration.TotalSeconds + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
                "-ac", Channels.ToString(System.Globalization.CultureInfo.InvariantCulture), "-ar", Loudness.SampleRate.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "-f", "f32le", "pipe:1",
            ], ct);
        }
        catch (FfmpegException e) when (e.StderrTail.Contains("matches no streams", StringComparison.Ordinal))
        {
            throw new RequestException(jsonPath, "has no audio stream");
        }
        catch (FfmpegException e)
        {
            throw new RequestException(jsonPath, $"is not a readable audio or video file ({FfmpegException.MeaningfulLine(e.StderrTail.Split('\n')) ?? "ffmpeg failed"})");
        }
        var floats = MemoryMarshal.Cast<byte, float>(bytes.AsSpan(0, bytes.Length - bytes.Length % (4 * Channels)));
        var frames = floats.Length / Channels;
        if (frames > MaxDuration.TotalSeconds * Loudness.SampleRate)
            throw new RequestException(jsonPath, $"is longer than the {MaxDuration.TotalMinutes:0} minutes an audio function takes");
        if (frames == 0) throw new RequestException(jsonPath, "has an empty audio stream");
        var channels = new float[Channels][];
        for (var c = 0; c < Channels; c++)
        {
            channels[c] = new float[frames];
            for (var i = 0; i < frames; i++) channels[c][i] = floats[i * Channels + c];
        }
        return new Pcm(channels, Loudness.SampleRate);
    }

    /// <summary>Writes <paramref name="audio"/> to <paramref name="outputPath"/> in the format its extension names.</summary>
    public async Task EncodeAsync(Pcm audio, string outputPath, CancellationToken ct)
    {
        var codec = Path.GetExtension(outputPath).ToLowerInvariant() switch
        {
            ".wav" => (string[])["-c:a", "pcm_s16le"],
            ".mp3" => ["-c:a", "libmp3lame", "-b:a", "192k"],
            ".flac" => ["-c:a", "flac"],
            ".aac" => ["-c:a", "aac", "-b:a", "192k", "-f", "adts"],
            _ => ["-c:a", "aac", "-b:a", "192k", "-f", "mp4"],
        };
        await pipe.EncodeAsync(
        [
            "-f", "f32le", "-ar", audio.SampleRate.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-ac", audio.Channels.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), "-i", "pipe:0",
            .. codec, MediaSourceResolver.ForFfmpeg(outputPath),
        ], async (stdin, token) =>
        {
            const int chunk = 4800;
            var buffer = new float[chunk * audio.Channels.Length];
            for (var start = 0; start < audio.Length; start += chunk)
            {
                var n = Math.Min(chunk, audio.Length - start);
                for (var i = 0; i < n; i++)
                    for (var c = 0; c < audio.Channels.Length; c++) buffer[i * audio.Channels.Length + c] = audio.Channels[c][start + i];
                await stdin.WriteAsync(MemoryMarshal.AsBytes(buffer.AsSpan(0, n * audio.Channels.Length)).ToArray(), token);
            }
        }, ct);
    }
}
