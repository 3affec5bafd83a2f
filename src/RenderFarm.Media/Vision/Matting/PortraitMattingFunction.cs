using System.Text.Json.Nodes;
using RenderFarm.Core.Json;
using RenderFarm.Core.Planning;
using RenderFarm.Core.Timelines;
using RenderFarm.Media.Ai;
using RenderFarm.Media.Ffmpeg;
using RenderFarm.Media.Production;

namespace RenderFarm.Media.Vision.Matting;

/// <summary>PortraitMatting's parameters: the matte threshold (Thres as in AI_RealMatting, 0-254) and the background image.</summary>
public sealed record PortraitMattingParams(double Threshold, ParamMedia? Background) : ICutoutParams;

/// <summary>
/// PortraitMatting (IMS 人像抠图): the people of a video or a picture cut out by the timeline's AI_RealMatting
/// engine (<see cref="IMatteProducer"/>: ISNet, its mattes cached and shared with renders). A video gives a
/// WebM (VP9) with alpha, or an MP4 over JobParams.bgimage; a picture gives a PNG with alpha (or over the
/// image). The video is written at its own frame rate rounded to whole frames per second (at most
/// <see cref="MaxFps"/>), so that each frame has its matte.
/// </summary>
public sealed class PortraitMattingFunction(FfmpegRunner ffmpeg, MediaProber prober, IMatteProducer? matting)
    : CutoutFunction<PortraitMattingParams>(ffmpeg, prober)
{
    public const int MaxFps = 60, DefaultFps = 25;

    public override string Name => "PortraitMatting";
    public override ProductionInput Input => ProductionInput.VideoOrImage;
    public override IReadOnlyList<string> OutputExtensions { get; } = [".webm", ".mp4", ".png"];
    public override IReadOnlyList<string> ParamNames { get; } = [BackgroundParam, "Thres"];

    /// <summary>ISNet costs about 2.5 s of CPU per analysed picture (5 a second): ten minutes take hours without a GPU.</summary>
    public override double MaxSeconds => 600;

    public override IReadOnlyList<string> OutputExtensionsOf(PortraitMattingParams parameters, MediaFacts? input) =>
        input is { IsStill: true } ? [".png"]
        : parameters.Background is null ? input is null ? [".webm", ".png"] : [".webm"]
        : input is null ? [".mp4", ".png"] : [".mp4"];

    public override PortraitMattingParams ParseParams(JsonObjectReader p) =>
        new(p.Number("Thres", 0, PersonMatte.MaxThreshold) ?? 0, ReadBackground(p));

    /// <summary>The whole frames per second a video is written at: its own rate rounded (unknown: <see cref="DefaultFps"/>).</summary>
    public static int OutputFps(double frameRate) => frameRate > 0 ? Math.Clamp((int)Math.Round(frameRate), 1, MaxFps) : DefaultFps;

    public override async Task<JsonObject> RunAsync(ProductionRun run, PortraitMattingParams parameters, IProgress<double> progress, CancellationToken ct)
    {
        var producer = matting ?? throw new RequestException("FunctionName",
            "person matting (ISNet) is not available on this node: scripts/setup-models.sh installs its model");
        var facts = await CheckedInputAsync(run, parameters, ct);
        int? fps = facts.IsStill ? null : OutputFps(facts.FrameRate);
        var frames = fps is { } f ? Math.Max(1, (long)Math.Round(facts.DurationSeconds * f)) : 1;
        // The raw matte (threshold 0): the cut is applied when composing, as renders do, so one cached matte serves every Thres.
        var matte = await producer.ProduceAsync(new MatteRequest(run.InputPath, 0, 1, fps ?? 1, frames, facts.Width, facts.Height, 0), ct);
        progress.Report(0.8);
        var result = await WriteAsync(run, facts, new MatteCutout(matte, parameters.Threshold, fps), parameters, 0.8, progress, ct);
        if (fps is { } rate) (result["Fps"], result["Frames"]) = (rate, frames);
        return result;
    }
}
