using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RenderFarm.Core.Json;
using RenderFarm.Media.Ai;
using RenderFarm.Media.Captions;
using RenderFarm.Media.Production;
using RenderFarm.Media.Rendering;

namespace RenderFarm.Media.Vision.Captions;

/// <summary>CaptionExtraction's parameters (IMS names): frames sampled a second, where captions are, Chinese and English apart, the cue prefix.</summary>
public sealed record CaptionExtractionParams(int Fps, CaptionRegion Roi, bool Sep, string? Formatter);

/// <summary>
/// CaptionExtraction (IMS 字幕提取): burned-in captions to SubRip. <see cref="CaptionSampler"/> reads the region
/// <c>fps</c> times a second, <see cref="CaptionCueBuilder"/> merges what stays on screen into cues. The output
/// .srt holds every cue (Chinese and English lines together); with <c>sep</c> NAME.zh.srt and NAME.en.srt are
/// written beside it, each with its language's lines.
/// </summary>
public sealed partial class CaptionExtractionFunction(CaptionSampler sampler, ITextReader? text) : ProductionFunction<CaptionExtractionParams>
{
    public override string Name => "CaptionExtraction";
    public override ProductionInput Input => ProductionInput.Video;
    public override IReadOnlyList<string> OutputExtensions { get; } = [".srt"];
    public override IReadOnlyList<string> ParamNames { get; } = ["fps", "roi", "sep", "formatter"];

    public override CaptionExtractionParams ParseParams(JsonObjectReader p)
    {
        var formatter = p.String("formatter");
        if (formatter is { Length: > 0 } && (formatter.Length > 200 || !OverrideBlocks().IsMatch(formatter)))
            throw p.Error("formatter", $"must be SRT/ASS override blocks put before every cue's text, e.g. {{\\an8}} (top centre) or {{\\an2}}{{\\fs20}}, at most 200 characters (got '{JsonObjectReader.Excerpt(formatter)}')");
        return new CaptionExtractionParams(p.Integer("fps", 2, 10) ?? 5, CaptionRegion.Parse(p), p.Bool("sep") ?? false, string.IsNullOrEmpty(formatter) ? null : formatter);
    }

    public override async Task<JsonObject> RunAsync(ProductionRun run, CaptionExtractionParams parameters, IProgress<double> progress, CancellationToken ct)
    {
        var reader = text ?? throw new RequestException("FunctionName", "CaptionExtraction needs OCR and this node has none (scripts/setup-models.sh installs PaddleOCR)");
        var facts = await sampler.ProbeAsync(run.InputPath, ct);
        var samples = await sampler.SampleAsync(run.InputPath, facts, parameters.Roi, parameters.Fps, reader, progress, ct);
        var cues = CaptionCueBuilder.Build(samples, 1.0 / parameters.Fps, facts.DurationSeconds);

        await File.WriteAllTextAsync(run.OutputPath, SrtWriter.Write(cues.Select(c => new SrtCue(c.Start, c.End, c.Lines)), parameters.Formatter), ct);
        var files = new JsonArray(Path.GetFileName(run.FinalPath));
        var languages = cues.SelectMany(c => c.Lines).Select(CaptionLanguage.Of).Distinct().Order().ToList();
        if (parameters.Sep)
        {
            var stem = Path.Combine(Path.GetDirectoryName(run.FinalPath)!, Path.GetFileNameWithoutExtension(run.FinalPath));
            foreach (var language in new[] { CaptionLanguage.Chinese, CaptionLanguage.English })
            {
                var file = $"{stem}.{language}.srt";
                var lines = cues.Select(c => new SrtCue(c.Start, c.End, [.. c.Lines.Where(l => CaptionLanguage.Of(l) == language)]));
                await AtomicOutput.WriteTextAsync(file, SrtWriter.Write(lines, parameters.Formatter), ct);
                files.Add(Path.GetFileName(file));
            }
        }
        return new JsonObject
        {
            ["Cues"] = cues.Count,
            ["Languages"] = new JsonArray([.. languages.Select(l => JsonValue.Create(l))]),
            ["Files"] = files,
            ["Roi"] = parameters.Roi.ToString(),
            ["Captions"] = new JsonArray([.. cues.Select(c => new JsonObject
            {
                ["Start"] = Math.Round(c.Start, 3), ["End"] = Math.Round(c.End, 3), ["Text"] = c.Text, ["Confidence"] = Math.Round(c.Confidence, 3),
            })]),
        };
    }

    [GeneratedRegex(@"^(\{\\[^{}\r\n]+\})+$")]
    private static partial Regex OverrideBlocks();
}
