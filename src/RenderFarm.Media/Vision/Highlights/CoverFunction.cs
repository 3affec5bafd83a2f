using System.Text.Json.Nodes;
using RenderFarm.Core.Json;
using RenderFarm.Media.Compilation;
using RenderFarm.Media.Ffmpeg;
using RenderFarm.Media.Production;
using RenderFarm.Media.Rendering;
using RenderFarm.Media.Sources;

namespace RenderFarm.Media.Vision.Highlights;

/// <summary>Cover's parameters: an image (JPEG) or an animated GIF of <see cref="Moments"/> highlight moments.</summary>
public sealed record CoverParams(bool Gif, int Moments);

/// <summary>
/// Cover (IMS 智能封面): the video's best frame as a JPEG at the source size (<see cref="FrameScorer"/>: sharp, well
/// exposed, not a fade, faces preferred and whole), or with <c>Model: gif</c> an animated GIF of several highlight
/// moments from different shots (<see cref="HighlightPicker"/>), 320 px wide at 10 frames a second, one palette for
/// the whole GIF (palettegen/paletteuse). A GIF is written to the output when its name ends in .gif, otherwise
/// beside the cover JPEG as NAME.gif. The Result names the chosen times and their scores with their parts.
/// </summary>
public sealed class CoverFunction(FfmpegRunner ffmpeg, VideoSampler sampler) : ProductionFunction<CoverParams>
{
    public const int GifWidth = 320, GifFps = 10, DefaultMoments = 4;

    /// <summary>Seconds of each GIF moment.</summary>
    public const double MomentSeconds = 1.2;

    public override string Name => "Cover";
    public override ProductionInput Input => ProductionInput.Video;
    public override IReadOnlyList<string> OutputExtensions { get; } = [".jpg", ".jpeg", ".gif"];
    public override IReadOnlyList<string> ParamNames { get; } = ["Model", "Count"];

    public override CoverParams ParseParams(JsonObjectReader p) =>
        new(p.OneOf("Model", ["image", "gif"]) == "gif", p.Integer("Count", 3, 10) ?? DefaultMoments);

    public override async Task<JsonObject> RunAsync(ProductionRun run, CoverParams parameters, IProgress<double> progress, CancellationToken ct)
    {
        var toGif = run.FinalPath.EndsWith(".gif", StringComparison.OrdinalIgnoreCase);
        if (toGif && !parameters.Gif) throw new RequestException("Output.Media", "a .gif output needs JobParams Model \"gif\"; a cover image is written as .jpg");
        var video = await sampler.SampleAsync(run.InputPath, run.WorkDirectory, new SyncProgress<double>(f => progress.Report(0.8 * f)), ct);
        var scores = FrameScorer.Score(video.Frames, video.Shots);
        var cover = HighlightPicker.Cover(scores);
        var result = new JsonObject
        {
            ["Cover"] = Json(cover),
            ["Shots"] = video.Shots.Count,
            ["SampledFrames"] = scores.Count,
            ["Faults"] = new JsonObject(scores.Where(s => s.Fault != FrameFault.None).GroupBy(s => s.Fault)
                .Select(g => KeyValuePair.Create(g.Key.ToString(), (JsonNode?)g.Count()))),
        };
        if (!toGif) await StillAsync(run.InputPath, cover.Time, run.OutputPath, ct);
        if (parameters.Gif)
        {
            var moments = HighlightPicker.Moments(scores, video.Frames, video.Shots, parameters.Moments, MomentSeconds)
                .Where(m => m.End > m.Start).ToList();
            if (moments.Count == 0) throw new RequestException("Input.Media", "has no frame fit for a cover (every sampled frame is blank, dark, blown out or in a fade)");
            var gif = toGif ? run.OutputPath : Path.ChangeExtension(run.FinalPath, ".gif");
            using (var beside = toGif ? null : new AtomicOutput(gif))
            {
                await GifAsync(run.InputPath, moments, beside?.TempPath ?? gif, ct);
                beside?.Commit();
            }
            result["Gif"] = Path.GetFileName(toGif ? run.FinalPath : gif);
            result["Moments"] = new JsonArray([.. moments.Select(m =>
            {
                var o = Json(m.Frame);
                o["Start"] = Math.Round(m.Start, 3);
                o["End"] = Math.Round(m.End, 3);
                return (JsonNode)o;
            })]);
        }
        progress.Report(1);
        return result;
    }

    private static JsonObject Json(FrameScore s) => new()
    {
        ["Time"] = Math.Round(s.Time, 3),
        ["Shot"] = s.Shot,
        ["Score"] = Math.Round(s.Total > 0 ? s.Total : s.Quality, 4),
        ["Sharpness"] = Math.Round(s.Sharpness, 4),
        ["Exposure"] = Math.Round(s.Exposure, 4),
        ["Faces"] = Math.Round(s.Faces, 4),
        ["Fault"] = s.Fault == FrameFault.None ? null : s.Fault.ToString(),
    };

    private Task StillAsync(string input, double time, string output, CancellationToken ct) =>
        ffmpeg.RunAsync(
        [
            "-protocol_whitelist", "file", "-ss", FilterGraphText.Number(time), "-i", MediaSourceResolver.ForFfmpeg(input),
            "-map", "0:v:0", "-frames:v", "1", "-q:v", "2", "-f", "image2", "-c:v", "mjpeg", "-update", "1", MediaSourceResolver.ForFfmpeg(output),
        ], null, ct);

    /// <summary>Each moment is its own input (seeked there), scaled and joined; one palette made from all of them.</summary>
    private Task GifAsync(string input, IReadOnlyList<HighlightMoment> moments, string output, CancellationToken ct)
    {
        var args = new List<string> { "-protocol_whitelist", "file" };
        foreach (var m in moments)
            args.AddRange(["-ss", FilterGraphText.Number(m.Start), "-t", FilterGraphText.Number(m.End - m.Start), "-i", MediaSourceResolver.ForFfmpeg(input)]);
        var chains = moments.Select((_, i) => $"[{i}:v:0]{FilterGraphText.Filter("fps", ("fps", GifFps))},{FilterGraphText.Filter("scale", ("w", GifWidth), ("h", -2), ("flags", "lanczos"))},setsar=1,setpts=PTS-STARTPTS[m{i}]");
        var graph = string.Join(';', chains) + ";"
            + string.Concat(moments.Select((_, i) => $"[m{i}]")) + FilterGraphText.Filter("concat", ("n", moments.Count), ("v", 1), ("a", 0))
            + ",split[a][b];[a]" + FilterGraphText.Filter("palettegen", ("stats_mode", "diff")) + "[p];[b][p]" + FilterGraphText.Filter("paletteuse", ("dither", "bayer")) + "[out]";
        args.AddRange(["-filter_complex", graph, "-map", "[out]", "-loop", "0", "-f", "gif", MediaSourceResolver.ForFfmpeg(output)]);
        return ffmpeg.RunAsync(args, null, ct);
    }
}
