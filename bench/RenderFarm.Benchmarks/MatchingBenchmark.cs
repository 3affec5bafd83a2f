using System.Diagnostics;
using System.Globalization;
using RenderFarm.Core.Batch.Matching;
using RenderFarm.Onnx.Embedding;
using RenderFarm.TestSupport.Matching;

namespace RenderFarm.Benchmarks;

/// <summary>
/// Image-Text Matching accuracy: top-1 of BM25F alone, of the sentence encoder alone and of the farm's
/// default (their fusion, <see cref="HybridRelevanceRanker"/>) on the matching sets (tests/RenderFarm.TestSupport/
/// Matching/matching-sets.json): paraphrases sharing no content word with their shot, today's English and
/// Chinese sentences, and unrelated sentences that should match nothing. --sweep prints the fusion weights'
/// neighbourhood, from which the defaults were chosen.
/// </summary>
public static class MatchingBenchmark
{
    public static Task<int> RunAsync(string[] args)
    {
        var load = Stopwatch.StartNew();
        var encoder = SentenceEncoders.FromEnvironment();
        Console.WriteLine($"matching benchmark: encoder {encoder.Name} (floor {encoder.MinSimilarity:0.00}) loaded in {load.Elapsed.TotalSeconds:0.00} s, {Environment.ProcessorCount} cores");
        var paraphrase = MatchingSets.Paraphrase;
        var lexical = MatchingSets.Lexical;
        var embed = Stopwatch.StartNew();
        var onParaphrase = new HybridRelevanceRanker(paraphrase.Texts, encoder);
        var onLexical = new HybridRelevanceRanker(lexical.Texts, encoder);
        var onAll = new HybridRelevanceRanker(MatchingSets.AllTexts, encoder);
        Console.WriteLine($"embedding    : {paraphrase.Shots.Count + lexical.Shots.Count} shots in {embed.Elapsed.TotalMilliseconds:0} ms");
        Console.WriteLine();
        Console.WriteLine($"{"set",-26} {"BM25F",8} {"encoder",8} {"default",8}");
        Row($"paraphrase ({paraphrase.Sentences.Count})", paraphrase, paraphrase.Sentences, onParaphrase);
        Row($"lexical English ({lexical.Sentences.Count(s => !s.Chinese)})", lexical, lexical.Sentences.Where(s => !s.Chinese), onLexical);
        Row($"lexical Chinese ({lexical.Sentences.Count(s => s.Chinese)})", lexical, lexical.Sentences.Where(s => s.Chinese), onLexical);
        var unrelated = MatchingSets.Unrelated;
        Console.WriteLine($"{$"unrelated, no match ({unrelated.Count})",-26} {Share(unrelated.Count(u => new TextRelevanceRanker(MatchingSets.AllTexts).Scores(u).All(s => s == 0)), unrelated.Count),8} " +
                          $"{Share(unrelated.Count(u => onAll.Meaning(u).All(s => s == 0)), unrelated.Count),8} {Share(unrelated.Count(u => onAll.Scores(u).All(s => s == 0)), unrelated.Count),8}");
        Console.WriteLine();
        var query = Stopwatch.StartNew();
        foreach (var s in paraphrase.Sentences) onParaphrase.Scores(s.Text);
        Console.WriteLine($"query        : {query.Elapsed.TotalMilliseconds / paraphrase.Sentences.Count:0.0} ms per sentence (embedding it and scoring {paraphrase.Shots.Count} shots)");
        Console.WriteLine();
        Console.WriteLine("paraphrase misses of the default:");
        foreach (var r in MatchingSets.Rank(paraphrase, onParaphrase).Where(r => !r.Hit))
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {r.Sentence.Shot,-12} got {r.Top ?? "no match",-12} {r.TopScore:0.000} vs {r.TargetScore:0.000}: {r.Sentence.Text}"));
        Console.WriteLine("unrelated sentences (best BM25F and best meaning score, all shots):");
        var lexicalAll = new TextRelevanceRanker(MatchingSets.AllTexts);
        foreach (var u in unrelated)
        {
            var words = lexicalAll.Scores(u);
            var meaning = onAll.Meaning(u);
            int Best(double[] scores) => Enumerable.Range(0, scores.Length).MaxBy(i => scores[i]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  BM25F {words.Max(),5:0.00} {MatchingSets.AllTexts[Best(words)].MediaUrl,-22} meaning {meaning.Max(),5:0.00} {MatchingSets.AllTexts[Best(meaning)].MediaUrl,-22} {u}"));
        }
        if (args.Contains("--sweep")) Sweep(encoder, paraphrase, lexical);
        return Task.FromResult(0);
    }

    private static void Row(string name, MatchingSet set, IEnumerable<SetSentence> sentences, HybridRelevanceRanker fused)
    {
        var subset = set with { Sentences = sentences.ToList() };
        var bm25 = MatchingSets.Accuracy(MatchingSets.Rank(subset, new TextRelevanceRanker(set.Texts)));
        var meaning = MatchingSets.Accuracy(MatchingSets.Rank(subset, new MeaningOnly(fused)));
        var both = MatchingSets.Accuracy(MatchingSets.Rank(subset, fused));
        Console.WriteLine($"{name,-26} {bm25,8:P0} {meaning,8:P0} {both,8:P0}");
    }

    private static string Share(int count, int of) => $"{count}/{of}";

    private static void Sweep(ISentenceEncoder encoder, MatchingSet paraphrase, MatchingSet lexical)
    {
        Console.WriteLine();
        Console.WriteLine("floor  weight  half   paraphrase  English  Chinese  unrelated-no-match");
        foreach (var floor in new[] { 0.2, 0.25, 0.3 })
        foreach (var weight in new[] { 0.1, 0.25, 0.5 })
        foreach (var half in new[] { 2.0, 5.0, 10.0, 20.0 })
        {
            var floored = new Floored(encoder, floor);
            var w = new FusionWeights(weight, half);
            var p = MatchingSets.Accuracy(MatchingSets.Rank(paraphrase, new HybridRelevanceRanker(paraphrase.Texts, floored, weights: w)));
            var onLexical = new HybridRelevanceRanker(lexical.Texts, floored, weights: w);
            var results = MatchingSets.Rank(lexical, onLexical);
            var all = new HybridRelevanceRanker(MatchingSets.AllTexts, floored, weights: w);
            var none = MatchingSets.Unrelated.Count(u => all.Scores(u).All(s => s == 0));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{floor,5:0.00} {weight,7:0.00} {half,5:0.0} {p,11:P0} {MatchingSets.Accuracy(results.Where(r => !r.Sentence.Chinese)),8:P0} {MatchingSets.Accuracy(results.Where(r => r.Sentence.Chinese)),8:P0} {none,6}/{MatchingSets.Unrelated.Count}"));
        }
    }

    private sealed class MeaningOnly(HybridRelevanceRanker fused) : IRelevanceRanker
    {
        public IReadOnlyList<MediaText> Texts => fused.Texts;
        public double[] Scores(string sentence) => fused.Meaning(sentence);
    }

    /// <summary>The encoder with another floor (same vectors: the floor only changes scoring).</summary>
    private sealed class Floored(ISentenceEncoder inner, double floor) : ISentenceEncoder
    {
        public string Name => inner.Name;
        public double MinSimilarity => floor;
        public float[][] Embed(IReadOnlyList<string> texts, CancellationToken ct = default) => inner.Embed(texts, ct);
    }
}
