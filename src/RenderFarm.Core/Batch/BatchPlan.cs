using System.Globalization;
using RenderFarm.Core.Json;

namespace RenderFarm.Core.Batch;

/// <summary>
/// Turns one batch request into its outputs' timelines. Script-to-Video and Image-Text Matching
/// each have one; <see cref="Supports"/> says which modes a planner handles.
/// </summary>
public interface IBatchPlanner
{
    bool Supports(BatchMode mode);
    BatchPlan Plan(BatchRequest request, IBatchFacts facts);
}

/// <summary>One shot of an output: a source range of a medium (or an image shown for a time) and where it sits.</summary>
public sealed record PlannedShot(string MediaUrl, int Group, bool IsImage, double In, double Out, double TimelineIn)
{
    public double Seconds => Out - In;
    /// <summary>Identifies the shot (medium and start) regardless of how much of it is shown.</summary>
    public string Key => string.Create(CultureInfo.InvariantCulture, $"{MediaUrl}@{In:0.###}");
}

/// <summary>One voice-over clip: its text, voice, where it starts and how long it is spoken (from the facts).</summary>
public sealed record PlannedSpeech(int? Group, string Text, string? Voice, double TimelineIn, double Seconds);

/// <summary>
/// A planned output: the IMS Timeline and OutputMediaConfig (ready for SubmitMediaProducingJob),
/// its length, and what was picked for it.
/// </summary>
public sealed record PlannedOutput(
    int Index,
    string MediaUrl,
    string TimelineJson,
    string OutputMediaConfigJson,
    double DurationSeconds,
    IReadOnlyList<PlannedShot> Shots,
    IReadOnlyList<PlannedSpeech> Speech,
    string? Title,
    string? Sticker,
    string? Music,
    string? BackgroundImage)
{
    /// <summary>The shots in order, as one comparable string.</summary>
    public string Sequence => string.Join(" | ", Shots.Select(s => s.Key));

    /// <summary>A SubmitMediaProducingJob request body for this output (Timeline and OutputMediaConfig as objects).</summary>
    public string ProducingJobJson => $"{{\"Timeline\":{TimelineJson},\"OutputMediaConfig\":{OutputMediaConfigJson}}}";
}

/// <summary>
/// How different the outputs are: how many distinct shot sequences there are among Count outputs,
/// and the mean over all pairs of outputs of the share of shots they do not have in common
/// (1 - Jaccard similarity of their shot sets; 0 = same shots, 1 = nothing shared).
/// </summary>
public sealed record PlanDiversity(int DistinctSequences, int Count, double MeanPairwiseDifference)
{
    public double DistinctRatio => Count == 0 ? 0 : (double)DistinctSequences / Count;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{DistinctSequences}/{Count} distinct shot sequences, mean pairwise difference {MeanPairwiseDifference:0.00}");

    public static PlanDiversity Of(IReadOnlyList<PlannedOutput> outputs)
    {
        var distinct = outputs.Select(o => o.Sequence).Distinct(StringComparer.Ordinal).Count();
        var sets = outputs.Select(o => o.Shots.Select(s => s.Key).ToHashSet(StringComparer.Ordinal)).ToList();
        double sum = 0;
        var pairs = 0;
        for (var i = 0; i < sets.Count; i++)
            for (var j = i + 1; j < sets.Count; j++)
            {
                var union = sets[i].Count + sets[j].Count - sets[i].Count(sets[j].Contains);
                sum += union == 0 ? 0 : 1 - (double)sets[i].Count(sets[j].Contains) / union;
                pairs++;
            }
        return new PlanDiversity(distinct, outputs.Count, pairs == 0 ? 0 : sum / pairs);
    }
}

/// <summary>The outputs of one batch request, the mode they were planned in, and the planner's warnings.</summary>
public sealed record BatchPlan(ModeDecision Mode, IReadOnlyList<PlannedOutput> Outputs, PlanDiversity Diversity, IReadOnlyList<Warning> Warnings);
