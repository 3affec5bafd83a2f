using System.Text.Json.Nodes;
using RenderFarm.Core.Json;

namespace RenderFarm.Core.Templates;

/// <summary>One output of a template batch: which template makes it and the ClipsParam that fills it.</summary>
public sealed record TemplateOutput(int Index, string TemplateId, JsonObject ClipsParam, string TemplatePath, string ClipsPath);

/// <summary>
/// SubmitBatchMediaProducingJob's EditingConfig.TemplateConfig, planned into one (template, ClipsParam) pair per
/// output. TemplateConfig: TemplateIds (1 to <see cref="MaxTemplates"/> stored templates to choose among),
/// Selection (Sequential: output i takes TemplateIds[i mod n], the default; Random: a pick per output, the same
/// for the same Seed), ClipsParams (one ClipsParam per output: that output's media and texts; its length is the
/// number of outputs) or ClipsParam (one for all, with OutputConfig.Count outputs). Pure: no template is read here.
/// </summary>
public static class TemplateBatchPlan
{
    public const int MaxTemplates = 10, MaxOutputs = 100;

    public static readonly IReadOnlyList<string> Selections = ["Sequential", "Random"];

    /// <param name="config">The TemplateConfig object.</param>
    /// <param name="count">OutputConfig.Count, when given.</param>
    /// <param name="seed">The request's Seed (Random selection).</param>
    /// <param name="path">Where the TemplateConfig sits, for errors.</param>
    /// <exception cref="RequestException">A field is missing, of the wrong type, or out of range.</exception>
    public static IReadOnlyList<TemplateOutput> Plan(JsonObject config, int? count, int seed, string path = "EditingConfig.TemplateConfig")
    {
        var idsPath = $"{path}.TemplateIds";
        var ids = Field(config, "TemplateIds") switch
        {
            JsonArray list => list.Select((n, i) => n is JsonValue v && v.TryGetValue<string>(out var id) && id.Length > 0
                ? id : throw new RequestException($"{idsPath}[{i}]", "must be a template id (text)")).ToList(),
            JsonValue v when v.TryGetValue<string>(out var single) && single.Length > 0 => [single],
            null => throw new RequestException(idsPath, "is required: the templates (1 to 10 TemplateIds) the outputs are made from"),
            _ => throw new RequestException(idsPath, "must be a list of template ids"),
        };
        if (ids.Count is 0 or > MaxTemplates) throw new RequestException(idsPath, $"must hold 1 to {MaxTemplates} template ids (got {ids.Count})");

        var selection = Field(config, "Selection") is { } s
            ? Selections.FirstOrDefault(x => s is JsonValue sv && sv.TryGetValue<string>(out var text) && x.Equals(text, StringComparison.OrdinalIgnoreCase))
              ?? throw new RequestException($"{path}.Selection", $"unknown value '{s.ToJsonString()}'; supported: {string.Join(", ", Selections)}")
            : "Sequential";

        var many = Field(config, "ClipsParams");
        var one = Field(config, "ClipsParam");
        if (many is not null && one is not null) throw new RequestException($"{path}.ClipsParam", "cannot be combined with ClipsParams (one per output)");
        List<(JsonObject Value, string Path)> clips;
        if (many is not null)
        {
            if (many is not JsonArray list) throw new RequestException($"{path}.ClipsParams", "must be a list with one ClipsParam per output");
            clips = list.Select((n, i) => (ClipsParam(n, $"{path}.ClipsParams[{i}]"), $"{path}.ClipsParams[{i}]")).ToList();
            if (count is { } c && c != clips.Count)
                throw new RequestException("OutputConfig.Count", $"is {c} but TemplateConfig.ClipsParams holds {clips.Count} (one per output)");
        }
        else
        {
            var shared = one is null ? new JsonObject() : ClipsParam(one, $"{path}.ClipsParam");
            clips = Enumerable.Range(0, count ?? 1).Select(_ => ((JsonObject)shared.DeepClone(), $"{path}.ClipsParam")).ToList();
        }
        if (clips.Count is 0 or > MaxOutputs) throw new RequestException($"{path}.ClipsParams", $"must make 1 to {MaxOutputs} outputs (got {clips.Count})");

        var random = new Random(seed);
        return clips.Select((c, i) =>
        {
            var pick = selection == "Random" ? random.Next(ids.Count) : i % ids.Count;
            return new TemplateOutput(i, ids[pick], c.Value, $"{idsPath}[{pick}]", c.Path);
        }).ToList();
    }

    private static JsonObject ClipsParam(JsonNode? node, string path) => node switch
    {
        JsonObject o => (JsonObject)o.DeepClone(),
        JsonValue v when v.TryGetValue<string>(out var text) => RequestJson.Normalise(text, path),
        _ => throw new RequestException(path, "must be a JSON object mapping placeholder names to values"),
    };

    private static JsonNode? Field(JsonObject o, string name) =>
        o.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}
