using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;
using RenderFarm.Media.Compilation;
using RenderFarm.Media.Ffmpeg;

namespace RenderFarm.Cluster.Hosting;

/// <summary>Which accelerator this node has: an NVIDIA GPU when the driver exposes one, else the CPU.</summary>
public static class GpuProbe
{
    public static string Describe()
    {
        const string nvidia = "/proc/driver/nvidia/gpus";
        if (Directory.Exists(nvidia) && Directory.EnumerateDirectories(nvidia).Any())
            return $"nvidia ({Directory.EnumerateDirectories(nvidia).Count()} GPU)";
        return $"cpu ({Environment.ProcessorCount} cores, no GPU driver)";
    }
}

/// <summary>
/// Whether this node can encode H.264 on its GPU: ffmpeg lists h264_nvenc (Debian's ffmpeg always does)
/// and a short test encode succeeds (it fails without an NVIDIA driver and a free encoder session).
/// Run once at the start of a gpu node; without an NVIDIA driver (<see cref="GpuProbe"/>) ffmpeg is not asked.
/// </summary>
public static class NvencCheck
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(30); // a wedged driver must not stop the node starting

    /// <summary>Whether `ffmpeg -encoders` output has an h264_nvenc line (" V....D h264_nvenc  NVIDIA NVENC H.264 encoder").</summary>
    public static bool Lists(string encoders) =>
        encoders.Split('\n').Any(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, EncoderSettings.NvencEncoder, ..]);

    /// <summary>Runs the check and logs its outcome in one line either way.</summary>
    /// <param name="device">What <see cref="GpuProbe.Describe"/> found.</param>
    public static async Task<bool> RunAsync(FfmpegRunner ffmpeg, string device, ILogger log, CancellationToken ct)
    {
        var (usable, outcome) = device.StartsWith("nvidia", StringComparison.Ordinal)
            ? await CheckAsync(ffmpeg, ct)
            : (false, $"no NVIDIA driver: {device}");
        if (usable) log.LogInformation("h264_nvenc usable ({Outcome}): this node takes encode-segment-nvenc tasks", outcome);
        else log.LogWarning("h264_nvenc not usable ({Outcome}): no nvenc segments on this node, they stay libx264", outcome);
        return usable;
    }

    private static async Task<(bool Usable, string Outcome)> CheckAsync(FfmpegRunner ffmpeg, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(TestTimeout);
        var clock = Stopwatch.StartNew();
        try
        {
            if (!Lists(Encoding.UTF8.GetString(await ffmpeg.CaptureStdoutAsync(["-encoders"], deadline.Token))))
                return (false, "ffmpeg does not list h264_nvenc");
            // The null muxer writes nothing: half a second of a small test picture exercises the encoder only.
            await ffmpeg.RunAsync(["-f", "lavfi", "-i", "testsrc2=size=256x256:rate=25:duration=0.5",
                "-c:v", EncoderSettings.NvencEncoder, "-f", "null", "nothing"], ct: deadline.Token);
            return (true, $"test encode succeeded in {clock.Elapsed.TotalSeconds:0.0} s");
        }
        catch (FfmpegException e) { return (false, $"test encode failed: {e.Message}"); }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (false, $"test encode did not finish within {TestTimeout.TotalSeconds:0} s");
        }
    }
}
