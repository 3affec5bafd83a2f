using RenderFarm.Core.Batch;
using RenderFarm.Core.Batch.Matching;
using RenderFarm.Core.Json;
using RenderFarm.Onnx.Embedding;

namespace RenderFarm.Cluster.Jobs;

/// <summary>
/// An IMS batch request (InputConfig / EditingConfig / OutputConfig) turned into planned outputs:
/// parse (voices checked against the node's speech engine), pick the planner for the mode, gather
/// the facts it needs (probes, spoken durations), plan. Every failure is a <see cref="RequestException"/>
/// naming the field, raised before anything is stored.
/// </summary>
public static class BatchPlanning
{
    private static readonly Lazy<ISentenceEncoder> encoder = new(() => SentenceEncoders.FromEnvironment());
    private static readonly Lazy<RelevanceRanking> ranking = new(() => new RelevanceRanking(Encoder));
    private static readonly Lazy<IReadOnlyList<IBatchPlanner>> planners = new(() =>
        [new ScriptToVideoPlanner(), new ImageTextMatchingPlanner(Ranking)]);

    /// <summary>The farm's sentence encoder: all-MiniLM-L6-v2, or the model RENDERFARM_EMBEDDING_MODEL names. One per process.</summary>
    public static ISentenceEncoder Encoder => encoder.Value;

    /// <summary>
    /// How this farm ranks media texts against a sentence (Image-Text Matching, library search, MediaSearchInput):
    /// BM25F fused with <see cref="Encoder"/>, using the vectors the library stored at analysis.
    /// </summary>
    public static RelevanceRanking Ranking => ranking.Value;

    /// <summary>
    /// The planners of this farm; a mode none of them supports is refused with the field that chose it.
    /// Image-Text Matching ranks with <see cref="Ranking"/> over the media texts (the media library's texts of the
    /// request's media, see <see cref="BatchFactsGatherer"/>). A node touches this at start, so a bad model setting stops it there.
    /// </summary>
    public static IReadOnlyList<IBatchPlanner> Planners => planners.Value;

    /// <summary>Parses and picks the planner (cheap: no I/O), so a bad request fails before facts are gathered.</summary>
    public static (BatchRequest Request, IBatchPlanner Planner) Parse(string body, IReadOnlyCollection<string> voices)
    {
        var request = BatchRequestParser.Parse(body, new BatchParseOptions(KnownVoices: voices));
        var planner = Planners.FirstOrDefault(p => p.Supports(request.Mode.Mode))
            ?? throw new RequestException(ModeField(request), $"{request.Mode.Name} is not supported yet ({request.Mode.Reason}); give MediaGroupArray for Script-to-Video");
        return (request, planner);
    }

    public static async Task<BatchPlan> PlanAsync(BatchRequest request, IBatchPlanner planner, IBatchFactsSource facts, CancellationToken ct)
    {
        var resolved = await facts.ResolveLibraryAsync(request, ct);
        return planner.Plan(resolved, await facts.GatherAsync(resolved, Needed(resolved, planner), ct));
    }

    /// <summary>Image-Text Matching speaks sentence by sentence, so it asks for the lengths of sentences, not whole scripts.</summary>
    public static FactsNeeded Needed(BatchRequest request, IBatchPlanner planner) =>
        planner is ImageTextMatchingPlanner matching ? matching.FactsNeeded(request) : FactsNeeded.For(request);

    /// <summary>The InputConfig field whose presence chose an Image-Text Matching mode.</summary>
    private static string ModeField(BatchRequest request) => request.Input switch
    {
        { Media.Count: > 0 } => "InputConfig.MediaArray",
        { MediaSearch: not null } => "InputConfig.MediaSearchInput",
        _ => "InputConfig",
    };
}
