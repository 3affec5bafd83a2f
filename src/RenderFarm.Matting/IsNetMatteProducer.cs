using RenderFarm.Core.Imaging;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RenderFarm.Media.Ai;
using RenderFarm.Media.Compilation;
using RenderFarm.Media.Ffmpeg;

namespace RenderFarm.Matting;

/// <summary>
/// The AI_RealMatting engine: for a <see cref="MatteRequest"/>, a lossless grayscale video (FFV1 in
/// Matroska) with exactly <see cref="MatteRequest.Frames"/> frames at <see cref="MatteRequest.Fps"/>,
/// frame n being the person matte of the clip's output frame n. ISNet analyses the source at
/// <see cref="MattingOptions.AnalysisFps"/> pictures per source second, those that changed since the
/// last analysed one (<see cref="MotionGate"/>); output frames in between get the linear blend of the
/// two nearest (temporally smoothed) mattes, then the IMS threshold cut (see <see cref="MatteSequence"/>).
/// Results are cached in the cache directory under a key hashing the source file's identity (path,
/// size, modification time), every request field, the analysis settings and the model's sha256;
/// files are written under a temporary name and renamed, so the cache never holds half a file.
/// One request is analysed at a time per producer (a model run already uses every core).
/// </summary>
public sealed class IsNetMatteProducer : IMatteProducer, IDisposable
{
    private const string FormatVersion = "isnet-matte-v2";
    private readonly string cacheDirectory;
    private readonly MattingOptions options;
    private readonly ILogger logger;
    private readonly FfmpegFramePipe ffmpeg;
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly bool ownsMatter;
    private IsNetPersonMatter? matter;
    private long analysed;

    /// <param name="cacheDirectory">Where matte videos are kept (created if missing).</param>
    /// <param name="options">Analysis settings; validated here.</param>
    /// <param name="logger">Receives the execution provider choice and one line per produced matte.</param>
    /// <param name="matter">A model session to share (not disposed here); null: one is loaded from
    /// <paramref name="options"/> when the first matte that is not cached is needed.</param>
    /// <param name="ffmpegPath">ffmpeg to run; null: RENDERFARM_FFMPEG, else ffmpeg on PATH.</param>
    public IsNetMatteProducer(string cacheDirectory, MattingOptions? options = null, ILogger? logger = null,
        IsNetPersonMatter? matter = null, string? ffmpegPath = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cacheDirectory);
        this.cacheDirectory = Directory.CreateDirectory(cacheDirectory).FullName;
        this.options = (options ?? new MattingOptions()).Validate();
        this.logger = logger ?? NullLogger.Instance;
        this.matter = matter;
        ownsMatter = matter is null;
        ffmpeg = new FfmpegFramePipe(ffmpegPath);
    }

    /// <summary>Pictures this producer has analysed with the model (cache hits analyse none).</summary>
    public long AnalysedFrames => Interlocked.Read(ref analysed);

    public async Task<string> ProduceAsync(MatteRequest request, CancellationToken ct)
    {
        var plan = MattePlan.For(request, options.AnalysisFps);
        var source = new FileInfo(request.SourcePath);
        if (!source.Exists) throw new FileNotFoundException($"matting source {request.SourcePath} does not exist", request.SourcePath);
        var modelPath = matter?.ModelPath ?? options.ResolveModelPath();
        var output = Path.Combine(cacheDirectory, CacheKey(request, source, options, ModelFingerprint.Sha256(modelPath)) + ".mkv");
        if (File.Exists(output)) { RenderFarm.Core.Housekeeping.DiskCache.MarkUsed(output); return output; } // used: last to go when the cache is over its cap

        await gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (File.Exists(output)) return output; // made by the request we waited for
            var partial = Path.Combine(cacheDirectory, $".{Path.GetFileNameWithoutExtension(output)}.{Guid.NewGuid():N}.partial.mkv");
            try
            {
                var watch = Stopwatch.StartNew();
                var analysedBefore = AnalysedFrames;
                await ProduceAsync(request, plan, Matter(), partial, ct).ConfigureAwait(false);
                File.Move(partial, output, overwrite: true);
                logger.LogInformation("Matted {Source}: {Frames} frames at {Fps} fps from {Analysed} analysed pictures in {Seconds:0.0} s",
                    request.SourcePath, request.Frames, request.Fps, AnalysedFrames - analysedBefore, watch.Elapsed.TotalSeconds);
                return output;
            }
            finally
            {
                File.Delete(partial); // nothing left once moved; a failed attempt's half file otherwise
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private IsNetPersonMatter Matter() => matter ??= new IsNetPersonMatter(options, logger);

    private async Task ProduceAsync(MatteRequest request, MattePlan plan, IsNetPersonMatter model, string output, CancellationToken ct)
    {
        var width = Math.Min(request.SourceWidth, options.MatteSize);
        var height = Math.Min(request.SourceHeight, options.MatteSize);
        var size = model.ModelSize;
        await ffmpeg.EncodeAsync(EncodeArguments(width, height, request, output), async (stdin, token) =>
        {
            var sequence = new MatteSequence(plan, options.TemporalSmoothing, request.Threshold,
                frame => stdin.WriteAsync(frame, token));
            var gate = new MotionGate(options.MotionThreshold);
            var index = 0;
            await ffmpeg.DecodeAsync(DecodeArguments(request.SourcePath, plan, size), size * size * 3, async (rgb, _, frameToken) =>
            {
                var picture = new RgbImage(rgb, size, size);
                if (gate.ShouldAnalyse(picture))
                {
                    var matte = model.Run(picture, width, height, frameToken);
                    Interlocked.Increment(ref analysed);
                    await sequence.PushAsync(index, matte.Values).ConfigureAwait(false);
                }
                index++;
            }, token).ConfigureAwait(false);
            if (sequence.Pushed == 0)
                throw new InvalidDataException($"{request.SourcePath} has no picture at {Num(plan.Start)} s to matte");
            await sequence.CompleteAsync().ConfigureAwait(false);
        }, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Decodes the analysed pictures, squashed to the model's square input. The picture analysed for
    /// time t is the one on screen at t: the fps filter runs at a fine rate (about 1000/s, so
    /// timestamps round by at most half a millisecond) and framestep keeps every M-th of those, one
    /// per 1/AnalysisFps seconds. Input seeking stops a second early because ffmpeg's accurate seek
    /// drops the frame that is on screen at the seek time when it started before it; the fps
    /// filter's start_time then picks that frame. One analysis step of extra input lets the last
    /// picture be found.
    /// </summary>
    internal static List<string> DecodeArguments(string source, MattePlan plan, int size)
    {
        var step = (int)Math.Ceiling(1000 / plan.AnalysisFps);
        var seek = plan.Start > SeekMargin ? plan.Start - SeekMargin : 0;
        var lead = plan.Start - seek;
        var args = new List<string>();
        if (seek > 0) args.AddRange(["-ss", FilterGraphText.Number(seek)]);
        args.AddRange(["-t", FilterGraphText.Number(lead + plan.AnalysedSpan + 1 / plan.AnalysisFps), "-i", source,
            "-map", "0:v:0", "-an", "-sn", "-dn",
            "-vf", $"fps=fps={FilterGraphText.Number(plan.AnalysisFps * step)}:start_time={FilterGraphText.Number(lead)},framestep={step},scale={size}:{size}:flags=bilinear,format=rgb24",
            "-frames:v", plan.AnalysedFrames.ToString(CultureInfo.InvariantCulture),
            "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"]);
        return args;
    }

    /// <summary>Seconds decoded before the first analysed time: more than one frame of any video above 1 fps.</summary>
    private const double SeekMargin = 1;

    /// <summary>Raw gray frames in, FFV1 (lossless, every frame a key frame) in Matroska out.</summary>
    internal static List<string> EncodeArguments(int width, int height, MatteRequest request, string output) =>
    [
        "-f", "rawvideo", "-pix_fmt", "gray", "-s", $"{width}x{height}", "-framerate", request.Fps.ToString(CultureInfo.InvariantCulture),
        "-i", "pipe:0", "-frames:v", request.Frames.ToString(CultureInfo.InvariantCulture),
        "-c:v", "ffv1", "-level", "3", "-g", "1", "-pix_fmt", "gray", "-f", "matroska", output,
    ];

    internal static string CacheKey(MatteRequest request, FileInfo source, MattingOptions options, string modelSha256)
    {
        var identity = string.Join('\n',
            FormatVersion, source.FullName, source.Length, source.LastWriteTimeUtc.Ticks,
            Num(request.SourceStart), Num(request.Speed), request.Fps, request.Frames,
            request.SourceWidth, request.SourceHeight, Num(request.Threshold),
            Num(options.AnalysisFps), Num(options.MotionThreshold), options.MatteSize, Num(options.TemporalSmoothing), modelSha256);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)));
    }

    /// <summary>Round-trip text for the cache key (arguments use <see cref="FilterGraphText.Number"/>).</summary>
    private static string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    public void Dispose()
    {
        if (ownsMatter) matter?.Dispose();
        gate.Dispose();
    }
}
