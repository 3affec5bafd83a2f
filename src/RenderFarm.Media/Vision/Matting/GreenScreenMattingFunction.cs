using System.Text.Json.Nodes;
using RenderFarm.Core.Json;
using RenderFarm.Core.Planning;
using RenderFarm.Core.Timelines;
using RenderFarm.Media.Ffmpeg;
using RenderFarm.Media.Matting;
using RenderFarm.Media.Production;

namespace RenderFarm.Media.Vision.Matting;

/// <summary>VideoGreenScreenMatting's parameters: the screen key (Color, Auto, Thres as in AI_Matting) and the background image.</summary>
public sealed record GreenScreenMattingParams(ChromaKey Key, ParamMedia? Background) : ICutoutParams;

/// <summary>
/// VideoGreenScreenMatting (IMS 绿幕抠图): a video shot before a green (or blue) screen with the screen keyed
/// out by the timeline's AI_Matting engine: the key colour estimated from the first frame's border
/// (<see cref="KeyColourEstimator"/>, unless Auto is false) and the same chroma key and despill
/// (<see cref="MattingFilters.ChromaKey"/>). With JobParams.bgimage the subject is laid over the image (scaled to
/// cover) as an MP4; without it the output is a WebM (VP9) with an alpha channel.
/// </summary>
public sealed class GreenScreenMattingFunction(FfmpegRunner ffmpeg, MediaProber prober, KeyColourEstimator keys)
    : CutoutFunction<GreenScreenMattingParams>(ffmpeg, prober)
{
    public override string Name => "VideoGreenScreenMatting";
    public override ProductionInput Input => ProductionInput.Video;
    public override IReadOnlyList<string> OutputExtensions { get; } = [".webm", ".mp4"];
    public override IReadOnlyList<string> ParamNames { get; } = [BackgroundParam, "Color", "Auto", "Thres"];
    public override double MaxSeconds => 3600;

    public override IReadOnlyList<string> OutputExtensionsOf(GreenScreenMattingParams parameters, MediaFacts? input) =>
        parameters.Background is null ? [".webm"] : [".mp4"];

    public override GreenScreenMattingParams ParseParams(JsonObjectReader p) =>
        new(MattingEffectParser.ReadChromaKey(p, autoByDefault: true), ReadBackground(p));

    public override async Task<JsonObject> RunAsync(ProductionRun run, GreenScreenMattingParams parameters, IProgress<double> progress, CancellationToken ct)
    {
        var facts = await CheckedInputAsync(run, parameters, ct);
        var key = parameters.Key;
        var estimated = key.Auto ? await keys.EstimateAsync(run.InputPath, 0, key.Colour, ct) : null;
        var colour = estimated ?? key.Colour;
        progress.Report(0.05);
        var result = await WriteAsync(run, facts, new ColourCutout(colour, key.Similarity), parameters, 0.05, progress, ct);
        result["KeyColor"] = "#" + colour.Hex;
        result["KeyColorEstimated"] = estimated is not null;
        return result;
    }
}
