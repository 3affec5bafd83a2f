using RenderFarm.Core.Imaging;
using RenderFarm.Core.Json;
using RenderFarm.Core.Planning;
using RenderFarm.Media.Ai;
using RenderFarm.Media.Compilation;
using RenderFarm.Media.Ffmpeg;
using RenderFarm.Media.Sources;

namespace RenderFarm.Media.Vision.Captions;

/// <summary>
/// Reads the caption region of a video: ffmpeg samples <c>fps</c> frames a second and crops them to the region
/// (frames piped as RGB, no file per frame), the OCR reads each; line boxes come back in frame pixels.
/// Shared by CaptionExtraction and VideoDetext.
/// </summary>
public sealed class CaptionSampler(FfmpegFramePipe pipe, MediaProber prober)
{
    /// <summary>Inputs longer than this are refused (OCR of a sampled frame takes about 0.1 s on a CPU core).</summary>
    public const double MaxSeconds = 2 * 3600;

    /// <summary>Inputs wider or taller than this are refused.</summary>
    public const int MaxSide = 4096;

    /// <summary>The input's facts, checked against the limits.</summary>
    /// <exception cref="RequestException">At Input.Media: no video, too long or too large.</exception>
    public async Task<MediaFacts> ProbeAsync(string input, CancellationToken ct)
    {
        var facts = await prober.ProbeAsync(input, "Input.Media", ct).ConfigureAwait(false);
        Production.ProductionFunctions.RequireStream(facts, Production.ProductionInput.Video, "Input.Media");
        if (facts.DurationSeconds > MaxSeconds)
            throw new RequestException("Input.Media", $"is {facts.DurationSeconds / 60:0.#} minutes long; at most {MaxSeconds / 60:0} minutes are read");
        if (facts.Width > MaxSide || facts.Height > MaxSide)
            throw new RequestException("Input.Media", $"is {facts.Width}x{facts.Height}; at most {MaxSide} pixels a side are read");
        return facts;
    }

    /// <summary>One sample every 1/<paramref name="fps"/> s from 0: what <paramref name="reader"/> read inside <paramref name="region"/>.</summary>
    public async Task<IReadOnlyList<CaptionSample>> SampleAsync(string input, MediaFacts facts, CaptionRegion region, int fps, ITextReader reader,
        IProgress<double> progress, CancellationToken ct)
    {
        var box = region.In(facts.Width, facts.Height);
        var expected = Math.Max(1, facts.DurationSeconds * fps);
        var samples = new List<CaptionSample>();
        // fps emits, for each tick, the latest frame whose rounded time is not past it: rounding up makes that the frame
        // on screen at the tick (round=near would show up to half an interval later, skewing every cue's times); start_time=0
        // puts tick 0 at the start even when the first frame comes a little later.
        await pipe.DecodeAsync(
        [
            "-i", MediaSourceResolver.ForFfmpeg(input), "-map", "0:v:0", "-an",
            "-vf", string.Join(',', FilterGraphText.Filter("fps", ("fps", fps), ("start_time", 0), ("round", "up")), FilterGraphText.Filter("crop", ("w", box.Width), ("h", box.Height), ("x", box.X), ("y", box.Y))),
            "-pix_fmt", "rgb24", "-f", "rawvideo", "pipe:1",
        ], box.Width * box.Height * 3, (frame, index, token) =>
        {
            var lines = reader.Read(new RgbImage(frame, box.Width, box.Height), token);
            samples.Add(new CaptionSample((double)index / fps, [.. lines.Select(l => l with { Box = [.. l.Box.Select(p => new TextPoint(p.X + box.X, p.Y + box.Y))] })]));
            progress.Report(Math.Min(1, samples.Count / expected));
            return Task.CompletedTask;
        }, ct).ConfigureAwait(false);
        return samples;
    }
}
