using System.Text.Json.Nodes;
using RenderFarm.Core.Json;
using RenderFarm.Core.Planning;
using RenderFarm.Media.Ffmpeg;
using RenderFarm.Media.Production;

namespace RenderFarm.Media.Vision.Matting;

/// <summary>What every matting function's parameters carry: the background image of JobParams.bgimage (null: keep the transparency).</summary>
public interface ICutoutParams
{
    ParamMedia? Background { get; }
}

/// <summary>
/// What the matting functions share: JobParams.bgimage (an image, admitted like Input), the checks of the
/// input (its picture, at most <see cref="MaxSide"/> pixels a side and <see cref="MaxSeconds"/> long) and of the
/// output's extension against it, and the writing of the cut-out (<see cref="CutoutComposer"/>) with its Result.
/// </summary>
public abstract class CutoutFunction<TParams>(FfmpegRunner ffmpeg, MediaProber prober) : ProductionFunction<TParams>
    where TParams : class, ICutoutParams
{
    public const string BackgroundParam = "bgimage";

    /// <summary>Widest and tallest picture taken (4K UHD fits).</summary>
    public const int MaxSide = 4096;

    /// <summary>Longest video taken, in seconds.</summary>
    public abstract double MaxSeconds { get; }

    protected static ParamMedia? ReadBackground(JsonObjectReader p) => p.String(BackgroundParam) switch
    {
        null => null,
        var url when string.IsNullOrWhiteSpace(url) =>
            throw p.Error(BackgroundParam, "is empty: give the URL or path of an image (PNG, JPEG, ...), or leave it out for a transparent output"),
        var url => new ParamMedia(p.FieldPath(BackgroundParam), url, ProductionInput.Image),
    };

    public override IReadOnlyList<ParamMedia> MediaOf(TParams parameters) => parameters.Background is { } b ? [b] : [];

    /// <summary>
    /// Input's facts, once it is known to fit (picture, size, length), the output's extension to suit it and the
    /// parameters, and the background to be an image.
    /// </summary>
    /// <exception cref="RequestException">At Input.Media or Output.Media.</exception>
    protected async Task<MediaFacts> CheckedInputAsync(ProductionRun run, TParams parameters, CancellationToken ct)
    {
        var facts = await prober.ProbeAsync(run.InputPath, "Input.Media", ct);
        ProductionFunctions.RequireStream(facts, Input, "Input.Media");
        if (facts.Width > MaxSide || facts.Height > MaxSide)
            throw new RequestException("Input.Media", $"is {facts.Width}x{facts.Height}; {Name} takes pictures up to {MaxSide}x{MaxSide}");
        if (!facts.IsStill && facts.DurationSeconds > MaxSeconds)
            throw new RequestException("Input.Media", $"is {facts.DurationSeconds:0.#} s long; {Name} takes videos up to {MaxSeconds:0} s");
        ProductionFunctions.RequireExtension(run.FinalPath, OutputExtensionsOf(parameters, facts), "Output.Media",
            $"{Name} of {(facts.IsStill ? "an image" : "a video")} {(parameters.Background is null ? "without" : "with")} JobParams.{BackgroundParam}");
        if (parameters.Background is { } background) // checked at submission when local; a URL only now, downloaded
            ProductionFunctions.RequireStream(await prober.ProbeAsync(run.Media[background.Path], background.Path, ct), ProductionInput.Image, background.Path);
        return facts;
    }

    /// <summary>Writes the cut-out in the format the output's extension names, reporting progress from <paramref name="from"/> to 1; its Result.</summary>
    protected async Task<JsonObject> WriteAsync(ProductionRun run, MediaFacts facts, Cutout cutout, TParams parameters, double from,
        IProgress<double> progress, CancellationToken ct)
    {
        var format = Path.GetExtension(run.FinalPath).ToLowerInvariant() switch
        {
            ".webm" => CutoutFormat.WebmWithAlpha,
            ".mp4" => CutoutFormat.Mp4,
            _ => CutoutFormat.Png,
        };
        var background = parameters.Background is { } b ? run.Media[b.Path] : null;
        var arguments = CutoutComposer.Arguments(new CutoutJob(run.InputPath, facts, cutout, background, format, run.OutputPath));
        var encoded = facts.IsStill ? null : new SyncProgress<FfmpegProgress>(p =>
            progress.Report(from + (1 - from) * Math.Clamp(p.OutTime.TotalSeconds / facts.DurationSeconds, 0, 1)));
        await ffmpeg.RunAsync(arguments, encoded, ct);
        progress.Report(1);
        var (width, height) = CutoutComposer.Size(facts, format);
        var result = new JsonObject
        {
            ["Output"] = Path.GetFileName(run.FinalPath),
            ["Format"] = format switch { CutoutFormat.WebmWithAlpha => "webm", CutoutFormat.Mp4 => "mp4", _ => "png" },
            ["Alpha"] = background is null,
            ["Width"] = width,
            ["Height"] = height,
        };
        if (!facts.IsStill) result["Duration"] = Math.Round(facts.DurationSeconds, 3);
        if (parameters.Background is { } used) result["Background"] = used.Url;
        return result;
    }
}
