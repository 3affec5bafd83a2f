using System.Text.Json;
using RenderFarm.Core.Batch.Matching;

namespace RenderFarm.TestSupport.Matching;

/// <summary>One shot of a matching set: what a library knows about it.</summary>
public sealed record SetShot(string Id, string Title, string? Description, IReadOnlyList<string> Tags, string? OcrText)
{
    public MediaText Text => new($"lib/{Id}.mp4", Title: Title, Description: Description, Tags: Tags, OcrText: OcrText);
}

/// <summary>A sentence and the id of the shot it describes.</summary>
public sealed record SetSentence(string Text, string Shot, bool Chinese = false);

public sealed record MatchingSet(IReadOnlyList<SetShot> Shots, IReadOnlyList<SetSentence> Sentences)
{
    public IReadOnlyList<MediaText> Texts => Shots.Select(s => s.Text).ToList();
}

/// <summary>How one sentence ranked: the top shot (null: every score 0, no match), whether it is the described one, the scores.</summary>
public sealed record SentenceResult(SetSentence Sentence, string? Top, double TopScore, double TargetScore)
{
    public bool Hit => Top == Sentence.Shot;
}

/// <summary>
/// The Image-Text Matching sets of Matching/matching-sets.json: Paraphrase (every sentence describes one shot
/// with no content word in common) and Lexical (today's matching tests' sentences, English and Chinese), and
/// top-1 accuracy of a ranker on them (the scripts/bench-matching.sh figures and MatchingSetTests).
/// </summary>
public static class MatchingSets
{
    private static readonly Lazy<SetsFile> Sets = new(() =>
    {
        using var stream = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Matching", "matching-sets.json"));
        return JsonSerializer.Deserialize<SetsFile>(stream) ?? throw new InvalidDataException("matching-sets.json is empty");
    });

    public static MatchingSet Paraphrase => Sets.Value.Paraphrase;
    public static MatchingSet Lexical => Sets.Value.Lexical;

    /// <summary>Sentences (English and Chinese) about nothing in either set.</summary>
    public static IReadOnlyList<string> Unrelated => Sets.Value.Unrelated;

    /// <summary>Both sets' shots as one library (the unrelated sentences are ranked against it).</summary>
    public static IReadOnlyList<MediaText> AllTexts => [.. Paraphrase.Texts, .. Lexical.Texts];

    /// <summary>Each sentence's top shot under <paramref name="ranker"/> (built over <see cref="MatchingSet.Texts"/>); ties go to the first shot.</summary>
    public static IReadOnlyList<SentenceResult> Rank(MatchingSet set, IRelevanceRanker ranker)
    {
        return set.Sentences.Select(sentence =>
        {
            var scores = ranker.Scores(sentence.Text);
            var best = Enumerable.Range(0, scores.Length).MaxBy(i => scores[i]);
            var target = set.Shots.ToList().FindIndex(s => s.Id == sentence.Shot);
            return new SentenceResult(sentence, scores[best] > 0 ? set.Shots[best].Id : null, scores[best], scores[target]);
        }).ToList();
    }

    public static double Accuracy(IEnumerable<SentenceResult> results)
    {
        var list = results.ToList();
        return list.Count == 0 ? 0 : (double)list.Count(r => r.Hit) / list.Count;
    }

    private sealed record SetsFile(MatchingSet Paraphrase, MatchingSet Lexical, IReadOnlyList<string> Unrelated);
}
