using System.Text.Json.Nodes;
using RenderFarm.Core.Json;
using RenderFarm.Media.Production;

namespace RenderFarm.Media.AudioAnalysis;

/// <summary>
/// MusicSegmentDetect (IMS 副歌检测): the chorus (highlight) of a song with its start, end and score
/// (<see cref="ChorusDetector"/>); with <c>all</c>, every repeated section, labelled and grouped. Written as the output .json.
/// </summary>
public sealed class MusicSegmentDetectFunction(AudioDecoder decoder) : ProductionFunction<ChorusDetectorOptions>
{
    public override string Name => "MusicSegmentDetect";
    public override ProductionInput Input => ProductionInput.Audio;
    public override IReadOnlyList<string> OutputExtensions { get; } = [".json"];
    public override IReadOnlyList<string> ParamNames { get; } = ["all", "minSegment", "repeatThreshold"];

    public override ChorusDetectorOptions ParseParams(JsonObjectReader p)
    {
        var defaults = new ChorusDetectorOptions();
        return (defaults with
        {
            All = p.Bool("all") ?? false,
            MinSegmentSeconds = p.Number("minSegment", 2, 120) ?? defaults.MinSegmentSeconds,
            RepeatThreshold = p.Number("repeatThreshold", 0, 1) ?? defaults.RepeatThreshold,
        }).Validate(p.Path);
    }

    public override async Task<JsonObject> RunAsync(ProductionRun run, ChorusDetectorOptions parameters, IProgress<double> progress, CancellationToken ct)
    {
        var audio = await decoder.DecodeAsync(run.InputPath, "Input.Media", ct: ct);
        progress.Report(0.4);
        var found = await Task.Run(() => new ChorusDetector(parameters).Analyse(audio), ct);
        var result = new JsonObject
        {
            ["Duration"] = Math.Round(found.DurationSeconds, 3),
            ["Segments"] = new JsonArray(found.Segments.Select(s => (JsonNode)new JsonObject
            {
                ["Start"] = Math.Round(s.Start, 3), ["End"] = Math.Round(s.End, 3), ["Score"] = Math.Round(s.Score, 3),
                ["Label"] = s.Label, ["Group"] = s.Group,
            }).ToArray()),
        };
        await File.WriteAllTextAsync(run.OutputPath, result.ToJsonString(), ct);
        progress.Report(1);
        return result;
    }
}
