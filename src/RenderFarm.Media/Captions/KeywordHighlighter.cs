using RenderFarm.Core.Text;
using System.Text.RegularExpressions;

namespace RenderFarm.Media.Captions;

public enum HighlightKind { Number, Quoted, Term }

/// <summary>Characters [<paramref name="Start"/>, Start+<paramref name="Length"/>) of a caption line to highlight; <paramref name="Text"/> is that substring.</summary>
public sealed record HighlightRange(int Start, int Length, HighlightKind Kind, string Text)
{
    public int End => Start + Length;
}

/// <summary>
/// Picks the key words of each caption line (pure; no I/O). Three kinds, merged where they overlap (Quoted wins over
/// Number over Term), returned per line in order:
/// <list type="number">
/// <item><b>Numbers</b>: Arabic numbers with decimals/thousands separators and an optional %, ％, ‰, 万 or 亿 ("2026", "45%", "3.5亿");
/// Chinese numerals of 2+ characters ("二十", "三百五十"), or after 第/百分之 ("第一", "百分之四十五"), except 万一, 千万, 一一.</item>
/// <item><b>Quoted terms</b>, quotes included: "…", “…”, 「…」, 『…』, 《…》 with 1–24 characters inside.</item>
/// <item><b>Rare-but-repeated terms</b> by tf-idf over the lines (each line a document). Terms: English words lower-cased,
/// possessive 's dropped and stemmed by a small suffix stemmer (-ies→y, -sses→ss, -ing, -ed, -es after s/x/z/ch/sh, -s, -ly;
/// stems keep 3+ letters), words under 3 letters and stop words skipped; Chinese as character bigrams inside runs of
/// ideographs, skipping bigrams with a function character (的了是在和与及或也都就而这那我你他她它们有为以于之其不个着把被从到对上下中很还又并要会能说).
/// A term qualifies if it occurs at least twice in the whole text (a one-off is not "key") and in at most
/// max(1, ⌊N/2⌋) of the N lines (rare). In each line the qualifying terms are scored tf(line)·ln(1 + N/df) and the best
/// <c>maxTermsPerLine</c> (ties: earlier first) are highlighted at every occurrence in the line; a bigram that only
/// extends an already chosen one (云计 + 计算 = 云计算) comes free.</item>
/// </list>
/// </summary>
public static partial class KeywordHighlighter
{
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "the", "and", "for", "are", "but", "not", "you", "all", "any", "can", "had", "her", "was", "one", "our", "out", "has", "have",
        "his", "how", "its", "may", "new", "now", "old", "see", "two", "who", "did", "get", "him", "let", "say", "she", "too", "use",
        "that", "with", "this", "from", "they", "will", "would", "there", "their", "what", "about", "which", "when", "make", "like",
        "time", "just", "know", "take", "into", "year", "your", "some", "could", "them", "than", "then", "look", "only", "come",
        "over", "also", "back", "after", "work", "first", "well", "even", "want", "because", "these", "give", "most", "very",
        "were", "been", "being", "does", "doing", "done", "each", "every", "more", "much", "many", "such", "here", "where", "while",
        "should", "must", "might", "shall", "into", "onto", "upon", "those", "other", "same", "both", "either", "neither", "own",
        "yet", "still", "again", "ever", "never", "always", "often", "once", "why", "whose", "whom", "our", "ours", "yours",
        "mine", "theirs", "itself", "himself", "herself", "themselves", "ourselves", "yourself", "through", "between", "under",
        "above", "below", "before", "during", "without", "within", "against", "among", "across", "toward", "towards", "via",
        "per", "off", "down", "way", "thing", "things", "lot", "lots", "really", "quite", "rather", "almost", "already",
    };

    private const string FunctionChars = "的了是在和与及或也都就而这那我你他她它们有为以于之其不个着把被从到对上下中很还又并要会能说";
    private const string ChineseNumerals = "零〇一二两三四五六七八九十百千万亿";
    private static readonly HashSet<string> NumeralStopWords = ["万一", "千万", "一一"];

    [GeneratedRegex(@"(?<![A-Za-z\d.,])\d+(?:[.,:]\d+)*(?:\s?[%％‰]|万亿|万|亿)?")]
    private static partial Regex ArabicNumber();

    [GeneratedRegex(@"(?:百分之|第)?[零〇一二两三四五六七八九十百千万亿]+(?:点[零〇一二三四五六七八九]+)?")]
    private static partial Regex ChineseNumber();

    [GeneratedRegex(@"""[^""\n]{1,24}""|“[^”\n]{1,24}”|「[^」\n]{1,24}」|『[^』\n]{1,24}』|《[^》\n]{1,24}》")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"[A-Za-z](?:[A-Za-z'’\-]*[A-Za-z])?")]
    private static partial Regex Word();

    /// <summary>Highlights for each caption (by its text).</summary>
    public static IReadOnlyList<IReadOnlyList<HighlightRange>> Highlight(IReadOnlyList<Caption> captions, int maxTermsPerLine = 2) =>
        Highlight(captions.Select(c => c.Text).ToArray(), maxTermsPerLine);

    /// <summary>Highlights for each line, the lines together being the text the rarity of terms is measured in.</summary>
    public static IReadOnlyList<IReadOnlyList<HighlightRange>> Highlight(IReadOnlyList<string> lines, int maxTermsPerLine = 2)
    {
        var terms = lines.Select(Terms).ToArray();
        var total = new Dictionary<string, int>(StringComparer.Ordinal);
        var lineCount = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var lineTerms in terms)
        {
            foreach (var (term, _, _) in lineTerms) total[term] = total.GetValueOrDefault(term) + 1;
            foreach (var term in lineTerms.Select(t => t.Term).Distinct()) lineCount[term] = lineCount.GetValueOrDefault(term) + 1;
        }
        var n = lines.Count;
        var maxDf = Math.Max(1, n / 2);

        var result = new List<IReadOnlyList<HighlightRange>>(n);
        for (var l = 0; l < n; l++)
        {
            var line = lines[l];
            var ranges = new List<(int Start, int End, HighlightKind Kind)>();
            ranges.AddRange(Numbers(line).Select(r => (r.Start, r.End, HighlightKind.Number)));
            ranges.AddRange(Quoted().Matches(line).Select(m => (m.Index, m.Index + m.Length, HighlightKind.Quoted)));

            var candidates = terms[l]
                .Where(t => total[t.Term] >= 2 && lineCount[t.Term] <= maxDf)
                .GroupBy(t => t.Term)
                .Select(g => (Term: g.Key, Score: g.Count() * Math.Log(1 + (double)n / lineCount[g.Key]), First: g.Min(t => t.Start),
                    Spans: g.Select(t => (t.Start, t.End)).ToArray()))
                .OrderByDescending(c => c.Score).ThenBy(c => c.First)
                .ToList();
            var chosen = new List<(int Start, int End)>();
            var picked = 0;
            foreach (var candidate in candidates)
            {
                var extendsChosen = chosen.Count > 0 && candidate.Spans.All(s => chosen.Any(c => s.Start < c.End && c.Start < s.End));
                if (!extendsChosen && picked >= maxTermsPerLine) continue;
                if (!extendsChosen) picked++;
                chosen.AddRange(candidate.Spans);
            }
            ranges.AddRange(chosen.Select(c => (c.Start, c.End, HighlightKind.Term)));
            result.Add(Merge(line, ranges));
        }
        return result;
    }

    private static IEnumerable<(int Start, int End)> Numbers(string line)
    {
        foreach (Match m in ArabicNumber().Matches(line)) yield return (m.Index, m.Index + m.Length);
        foreach (Match m in ChineseNumber().Matches(line))
        {
            var prefixed = m.Value.StartsWith("百分之", StringComparison.Ordinal) || m.Value.StartsWith('第');
            var numeral = m.Value.StartsWith("百分之", StringComparison.Ordinal) ? m.Value[3..] : m.Value.StartsWith('第') ? m.Value[1..] : m.Value;
            if (numeral.Length == 0) continue;
            if (prefixed || numeral.Length >= 2 && !NumeralStopWords.Contains(numeral))
                yield return (m.Index, m.Index + m.Length);
        }
    }

    private static IReadOnlyList<HighlightRange> Merge(string line, List<(int Start, int End, HighlightKind Kind)> ranges)
    {
        var merged = new List<(int Start, int End, HighlightKind Kind)>();
        foreach (var r in ranges.OrderBy(r => r.Start).ThenByDescending(r => r.End))
        {
            if (merged.Count > 0 && r.Start < merged[^1].End)
            {
                var last = merged[^1];
                merged[^1] = (last.Start, Math.Max(last.End, r.End), Priority(last.Kind) >= Priority(r.Kind) ? last.Kind : r.Kind);
            }
            else merged.Add(r);
        }
        return merged.Select(r => new HighlightRange(r.Start, r.End - r.Start, r.Kind, line[r.Start..r.End])).ToArray();

        static int Priority(HighlightKind kind) => kind switch { HighlightKind.Quoted => 3, HighlightKind.Number => 2, _ => 1 };
    }

    /// <summary>The terms of one line with their character spans (see the class summary for what a term is).</summary>
    internal static List<(string Term, int Start, int End)> Terms(string line)
    {
        var terms = new List<(string, int, int)>();
        foreach (Match m in Word().Matches(line))
        {
            var word = m.Value.ToLowerInvariant().Replace('’', '\'');
            if (word.EndsWith("'s", StringComparison.Ordinal)) word = word[..^2];
            if (word.Length < 3 || StopWords.Contains(word)) continue;
            terms.Add((EnglishStemmer.Stem(word), m.Index, m.Index + m.Length));
        }
        for (var i = 0; i + 1 < line.Length; i++)
        {
            char a = line[i], b = line[i + 1];
            if (!IsIdeograph(a) || !IsIdeograph(b)) continue;
            if (FunctionChars.Contains(a) || FunctionChars.Contains(b) || ChineseNumerals.Contains(a) || ChineseNumerals.Contains(b)) continue;
            terms.Add((string.Concat(a, b), i, i + 2));
        }
        return terms;
    }

    private static bool IsIdeograph(char c) => c is >= '\u4E00' and <= '\u9FFF' or >= '\u3400' and <= '\u4DBF';
}
