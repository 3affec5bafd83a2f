using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using RenderFarm.Core.Json;
using RenderFarm.Media.Ai;
using RenderFarm.Media.Ffmpeg;
using RenderFarm.Media.Production;
using RenderFarm.Media.Rendering;
using RenderFarm.Media.Sources;

namespace RenderFarm.Media.Slides;

/// <summary>SlideSplit's parameters: the sampling rate, the detector's sensitivity and least slide length, whether to cut clips and read titles.</summary>
public sealed record SlideSplitParams(double Fps, SlideChangeOptions Detector, bool Clips, bool Titles);

/// <summary>
/// SlideSplit (IMS PPT拆条; IMS documents no FunctionName for it): a lecture or screen recording cut at its
/// slide changes (<see cref="SlideChangeDetector"/> on small grey frames), each segment titled with its
/// slide's largest text (the node's OCR, <see cref="ITextReader"/>), written as a segment list (the output .json) and,
/// with <c>clips</c>, one MP4 per segment beside it (NAME-01.mp4, ...).
/// </summary>
public sealed class SlideSplitFunction(FfmpegRunner ffmpeg, FfmpegFramePipe pipe, ITextReader? text) : ProductionFunction<SlideSplitParams>
{
    public override string Name => "SlideSplit";
    public override ProductionInput Input => ProductionInput.Video;
    public override IReadOnlyList<string> OutputExtensions { get; } = [".json"];
    public override IReadOnlyList<string> ParamNames { get; } = ["fps", "threshold", "minDuration", "clips", "titles"];

    public override SlideSplitParams ParseParams(JsonObjectReader p)
    {
        var defaults = new SlideChangeOptions();
        var detector = defaults with
        {
            ChangedFraction = p.Number("threshold", 0.01, 0.9) ?? defaults.ChangedFraction,
            MinSlideSeconds = p.Number("minDuration", 0.5, 600) ?? defaults.MinSlideSeconds,
        };
        return new SlideSplitParams(p.Number("fps", 1, 10) ?? 4, detector, p.Bool("clips") ?? false, p.Bool("titles") ?? true);
    }

    public override async Task<JsonObject> RunAsync(ProductionRun run, SlideSplitParams parameters, IProgress<double> progress, CancellationToken ct)
    {
        var d = parameters.Detector;
        var frames = new List<byte[]>();
        try
        {
            await pipe.DecodeAsync(
            [
                "-i", MediaSourceResolver.ForFfmpeg(run.InputPath), "-map", "0:v:0", "-an",
                "-vf", $"fps={Num(parameters.Fps)},scale={d.Width}:{d.Height}:flags=area,format=gray",
                "-f", "rawvideo", "pipe:1",
            ], d.Width * d.Height, (frame, _, _) => { frames.Add(frame); return Task.CompletedTask; }, ct);
        }
        catch (FfmpegException e) when (e.StderrTail.Contains("matches no streams", StringComparison.Ordinal))
        {
            throw new RequestException("Input.Media", "has no video stream");
        }
        if (frames.Count == 0) throw new RequestException("Input.Media", "has no video frames");
        progress.Report(0.4);
        var changes = SlideChangeDetector.Detect(frames, parameters.Fps, d);
        var duration = frames.Count / parameters.Fps;
        var bounds = new List<double> { 0 };
        bounds.AddRange(changes.Cuts);
        bounds.Add(duration);
        var segments = new JsonArray();
        var stem = Path.Combine(Path.GetDirectoryName(run.FinalPath)!, Path.GetFileNameWithoutExtension(run.FinalPath));
        for (var i = 0; i + 1 < bounds.Count; i++)
        {
            double start = bounds[i], end = bounds[i + 1];
            var segment = new JsonObject { ["Index"] = i + 1, ["Start"] = Math.Round(start, 2), ["End"] = Math.Round(end, 2) };
            if (parameters.Titles) segment["Title"] = await TitleAsync(run, (start + end) / 2, ct) ?? $"Slide {i + 1}";
            if (parameters.Clips)
            {
                var clip = $"{stem}-{i + 1:D2}.mp4";
                await ClipAsync(run.InputPath, start, end - start, clip, ct);
                segment["Clip"] = Path.GetFileName(clip);
            }
            segments.Add(segment);
            progress.Report(0.4 + 0.6 * (i + 1) / (bounds.Count - 1));
        }
        var result = new JsonObject
        {
            ["Duration"] = Math.Round(duration, 2),
            ["Segments"] = segments,
            ["MovingCells"] = Math.Round(changes.DynamicCells / (double)changes.Cells, 3),
        };
        await File.WriteAllTextAsync(run.OutputPath, result.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }), ct);
        return result;
    }

    private async Task<string?> TitleAsync(ProductionRun run, double at, CancellationToken ct)
    {
        var reader = text ?? throw new RequestException("JobParams.titles", "this node has no OCR engine (scripts/setup-models.sh installs PaddleOCR); give titles:false to split without titles");
        var image = Path.Combine(run.WorkDirectory, $"slide-{at:0.00}.png");
        await ffmpeg.RunAsync(["-ss", Num(at), "-i", MediaSourceResolver.ForFfmpeg(run.InputPath), "-map", "0:v:0", "-frames:v", "1", "-update", "1", MediaSourceResolver.ForFfmpeg(image)], null, ct);
        return SlideTitle.Choose(await reader.ReadAsync(image, ct));
    }

    private async Task ClipAsync(string input, double start, double length, string clip, CancellationToken ct)
    {
        using var output = new AtomicOutput(clip);
        await ffmpeg.RunAsync(
        [
            "-ss", Num(start), "-i", MediaSourceResolver.ForFfmpeg(input), "-t", Num(length),
            "-map", "0:v:0", "-map", "0:a:0?", "-c:v", "libx264", "-preset", "veryfast", "-c:a", "aac", "-f", "mp4",
            MediaSourceResolver.ForFfmpeg(output.TempPath),
        ], null, ct);
        output.Commit();
    }

    private static string Num(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
}
