namespace RenderFarm.Core.Batch.Matching;

/// <summary>Scores how well a sentence describes each of a fixed list of media texts (0 = nothing in common).</summary>
public interface IRelevanceRanker
{
    IReadOnlyList<MediaText> Texts { get; }
    double[] Scores(string sentence);
}

/// <summary>
/// BM25F over the fields of <see cref="MediaText"/>: a term's frequency in each field is normalised by the
/// field's length against the average (b = 0.75) and weighted by the field, then saturated (k1 = 1.2) and
/// multiplied by its inverse document frequency. Field weights: Title 3 and Tags 3 (chosen words that name
/// the content), Description 2 (written about the content, but wordier), OcrText 1 and Transcript 1 (what is
/// shown or said, often incidental to what the shot is about). Document frequencies count distinct texts, so a
/// long video split into many shots that share one text does not make its own words look common.
/// </summary>
public sealed class TextRelevanceRanker : IRelevanceRanker
{
    public const double K1 = 1.2, B = 0.75;
    public static readonly (string Field, double Weight)[] FieldWeights =
        [("Title", 3), ("Tags", 3), ("Description", 2), ("OcrText", 1), ("Transcript", 1)];

    private readonly Dictionary<string, int>[][] _fields; // per document, per field: term counts
    private readonly int[][] _lengths;
    private readonly double[] _averageLength;
    private readonly Dictionary<string, double> _idf = new(StringComparer.Ordinal);

    public IReadOnlyList<MediaText> Texts { get; }

    public TextRelevanceRanker(IReadOnlyList<MediaText> texts)
    {
        Texts = texts;
        var fieldCount = FieldWeights.Length;
        _fields = new Dictionary<string, int>[texts.Count][];
        _lengths = new int[texts.Count][];
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var df = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var d = 0; d < texts.Count; d++)
        {
            var values = FieldValues(texts[d]);
            _fields[d] = new Dictionary<string, int>[fieldCount];
            _lengths[d] = new int[fieldCount];
            for (var f = 0; f < fieldCount; f++)
            {
                var terms = TextTerms.Of(values[f]);
                _lengths[d][f] = terms.Count;
                _fields[d][f] = terms.GroupBy(t => t, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            }
            if (!keys.Add(string.Join('\u0001', values))) continue;
            foreach (var term in _fields[d].SelectMany(f => f.Keys).Distinct(StringComparer.Ordinal))
                df[term] = df.GetValueOrDefault(term) + 1;
        }
        var n = keys.Count;
        foreach (var (term, count) in df) _idf[term] = Math.Log(1 + (n - count + 0.5) / (count + 0.5));
        _averageLength = Enumerable.Range(0, fieldCount).Select(f => texts.Count == 0 ? 0 : _lengths.Average(l => (double)l[f])).ToArray();
    }

    public double[] Scores(string sentence)
    {
        var query = TextTerms.Of(sentence).Distinct(StringComparer.Ordinal).Where(_idf.ContainsKey).ToList();
        var scores = new double[Texts.Count];
        for (var d = 0; d < Texts.Count; d++)
        {
            double score = 0;
            foreach (var term in query)
            {
                double tf = 0;
                for (var f = 0; f < FieldWeights.Length; f++)
                {
                    if (!_fields[d][f].TryGetValue(term, out var count)) continue;
                    var norm = _averageLength[f] == 0 ? 1 : 1 - B + B * _lengths[d][f] / _averageLength[f];
                    tf += FieldWeights[f].Weight * count / norm;
                }
                if (tf > 0) score += TextTerms.QueryWeight(term) * _idf[term] * tf / (K1 + tf);
            }
            scores[d] = score;
        }
        return scores;
    }

    private static string?[] FieldValues(MediaText t) =>
        [t.Title, t.Tags is null ? null : string.Join(" \n ", t.Tags), t.Description, t.OcrText, t.Transcript];
}
