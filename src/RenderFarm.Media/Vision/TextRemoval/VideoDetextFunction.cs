using System.Text.Json.Nodes;
using RenderFarm.Core.Json;
using RenderFarm.Media.Ai;
using RenderFarm.Media.Compilation;
using RenderFarm.Media.Ffmpeg;
using RenderFarm.Media.Production;
using RenderFarm.Media.Sources;
using RenderFarm.Media.Vision.Captions;

namespace RenderFarm.Media.Vision.TextRemoval;

/// <summary>VideoDetext's parameters: frames sampled a second to find text and the region captions are in (CaptionExtraction's fps and roi).</summary>
public sealed record VideoDetextParams(int Fps, CaptionRegion Roi);

/// <summary>
/// VideoDetext (IMS 智能去字幕): burned-in captions removed. <see cref="CaptionSampler"/> finds the text lines in
/// the region <c>fps</c> times a second, <see cref="TextBoxTracker"/> holds each line's box over its whole time on
/// screen, and ffmpeg's delogo fills each box from its border during that time only; every other pixel is the
/// source's (re-encoded at high quality). The sound is re-encoded as AAC.
/// </summary>
public sealed class VideoDetextFunction(FfmpegRunner ffmpeg, CaptionSampler sampler, ITextReader? text) : ProductionFunction<VideoDetextParams>
{
    public override string Name => "VideoDetext";
    public override ProductionInput Input => ProductionInput.Video;
    public override IReadOnlyList<string> OutputExtensions { get; } = [".mp4"];
    public override IReadOnlyList<string> ParamNames { get; } = ["fps", "roi"];

    public override VideoDetextParams ParseParams(JsonObjectReader p) => new(p.Integer("fps", 2, 10) ?? 5, CaptionRegion.Parse(p));

    public override async Task<JsonObject> RunAsync(ProductionRun run, VideoDetextParams parameters, IProgress<double> progress, CancellationToken ct)
    {
        var reader = text ?? throw new RequestException("FunctionName", "VideoDetext needs OCR text detection and this node has none (scripts/setup-models.sh installs PaddleOCR)");
        var facts = await sampler.ProbeAsync(run.InputPath, ct);
        var samples = await sampler.SampleAsync(run.InputPath, facts, parameters.Roi, parameters.Fps, reader,
            new Progress<double>(p => progress.Report(0.5 * p)), ct);
        var boxes = samples.Select(s => (s.Time, (IReadOnlyList<PixelBox>)[.. s.Lines.Select(l => PixelBox.Around([l]))])).ToList();
        // Outlines and shadows reach a little past the detected glyphs: about 1% of the frame height.
        var pad = Math.Max(4, facts.Height / 90);
        var tracks = TextBoxTracker.Track(boxes, 1.0 / parameters.Fps, facts.DurationSeconds, pad, facts.Width, facts.Height);

        // A graph of many boxes can pass the length one argument may have: it goes in a script file.
        var script = Path.Combine(run.WorkDirectory, "detext.filter");
        await File.WriteAllTextAsync(script, Graph(tracks), ct);
        await ffmpeg.RunAsync(
        [
            "-i", MediaSourceResolver.ForFfmpeg(run.InputPath), "-map", "0:v:0", "-map", "0:a:0?", "-filter_script:v", script,
            "-c:v", "libx264", "-preset", "veryfast", "-crf", "16", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "192k",
            "-movflags", "+faststart", "-f", "mp4", MediaSourceResolver.ForFfmpeg(run.OutputPath),
        ], new Progress<FfmpegProgress>(p => progress.Report(0.5 + 0.5 * Math.Clamp(p.OutTime.TotalSeconds / Math.Max(0.1, facts.DurationSeconds), 0, 1))), ct);
        return new JsonObject
        {
            ["Roi"] = parameters.Roi.ToString(),
            ["Boxes"] = new JsonArray([.. tracks.Select(t => new JsonObject
            {
                ["X"] = t.Box.X, ["Y"] = t.Box.Y, ["Width"] = t.Box.Width, ["Height"] = t.Box.Height,
                ["Start"] = Math.Round(t.Start, 3), ["End"] = Math.Round(t.End, 3),
            })]),
        };
    }

    /// <summary>One delogo per track, enabled during its time range only (no track: the picture passes through).</summary>
    public static string Graph(IReadOnlyList<TextTrack> tracks) => tracks.Count == 0 ? "null" : string.Join(',', tracks.Select(t =>
        FilterGraphText.Filter("delogo", ("x", t.Box.X), ("y", t.Box.Y), ("w", t.Box.Width), ("h", t.Box.Height),
            ("enable", $"between(t,{FilterGraphText.Number(t.Start)},{FilterGraphText.Number(t.End)})"))));
}
