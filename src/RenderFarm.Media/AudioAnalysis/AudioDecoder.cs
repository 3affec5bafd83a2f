using System.Buffers.Binary;
using System.Globalization;
using RenderFarm.Core.Json;
using RenderFarm.Media.Ffmpeg;
using RenderFarm.Media.Sources;

namespace RenderFarm.Media.AudioAnalysis;

/// <summary>
/// Decodes the first audio stream of a music or video file into mono float PCM at a fixed rate with
/// ffmpeg (channels averaged), for the audio analysis engines. Input problems are
/// <see cref="RequestException"/> at the caller's JSON path: missing, not media, no audio stream, too long.
/// </summary>
public sealed class AudioDecoder(MediaProber prober, string? ffmpegPath = null)
{
    /// <summary>Enough for beats (onsets up to 11 kHz) and chroma, and half the data of 44.1 kHz.</summary>
    public const int DefaultSampleRate = 22050;

    /// <summary>An hour at 22050 Hz is 317 MB of floats: the longest input decoded.</summary>
    public const double MaxSeconds = 3600;

    public async Task<MonoAudio> DecodeAsync(string mediaPath, string jsonPath, int sampleRate = DefaultSampleRate, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 4000);
        var facts = await prober.ProbeAsync(mediaPath, jsonPath, ct).ConfigureAwait(false);
        if (!facts.HasAudio)
            throw new RequestException(jsonPath, $"'{Path.GetFileName(mediaPath)}' has no audio stream to analyse");
        if (facts.DurationSeconds > MaxSeconds)
            throw new RequestException(jsonPath, string.Create(CultureInfo.InvariantCulture,
                $"the audio lasts {facts.DurationSeconds:0.#} s; at most {MaxSeconds:0} s can be analysed"));

        var pcm = new List<float>((int)Math.Min(int.MaxValue / 8, Math.Max(0, facts.DurationSeconds) * sampleRate + sampleRate));
        var result = await ToolProcess.RunAsync(ffmpegPath ?? FfmpegRunner.FfmpegPath,
        [
            "-hide_banner", "-nostdin", "-loglevel", "error", "-protocol_whitelist", "file",
            "-i", MediaSourceResolver.ForFfmpeg(mediaPath), "-map", "0:a:0", "-vn", "-sn", "-dn",
            "-ac", "1", "-ar", sampleRate.ToString(CultureInfo.InvariantCulture), "-t", MaxSeconds.ToString(CultureInfo.InvariantCulture),
            "-f", "f32le", "pipe:1",
        ], stdout => ReadFloatsAsync(stdout, pcm, ct), ct).ConfigureAwait(false);
        if (result.ExitCode != 0)
            throw new RequestException(jsonPath, $"the audio could not be decoded: {FfmpegException.MeaningfulLine(result.StderrTail) ?? $"ffmpeg exit code {result.ExitCode}"}");
        return new MonoAudio([.. pcm], sampleRate);
    }

    /// <summary>Little-endian 32-bit floats from the pipe, a partial value carried over between reads.</summary>
    private static async Task ReadFloatsAsync(Stream stdout, List<float> pcm, CancellationToken ct)
    {
        var buffer = new byte[1 << 16];
        var filled = 0;
        int read;
        while ((read = await stdout.ReadAsync(buffer.AsMemory(filled), ct).ConfigureAwait(false)) > 0)
        {
            filled += read;
            var whole = filled / 4 * 4;
            for (var i = 0; i < whole; i += 4) pcm.Add(BinaryPrimitives.ReadSingleLittleEndian(buffer.AsSpan(i, 4)));
            Array.Copy(buffer, whole, buffer, 0, filled - whole);
            filled -= whole;
        }
    }
}
