using RenderFarm.Core.Text;
namespace RenderFarm.Core.Batch.Matching;

/// <summary>
/// Splits text into the terms relevance is computed on. English (and other alphabetic) words: lower-cased,
/// stop words and one-letter words skipped, reduced by a small suffix stemmer (so "bakeries"/"bakery" and
/// "baking"/"baked"/"bake" agree). Chinese: character bigrams inside runs of ideographs (the usual
/// substitute for word segmentation) plus single characters, which let a one-character word ("猫") match
/// "小猫"; bigrams and characters containing a function character (的了是在…) are skipped.
/// A single-character term is weighted <see cref="UnigramWeight"/> in a query: it is weaker evidence.
/// </summary>
public static class TextTerms
{
    public const double UnigramWeight = 0.3;

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "by", "for", "with", "from", "into", "onto", "as",
        "is", "are", "was", "were", "be", "been", "being", "am", "it", "its", "this", "that", "these", "those", "there", "here",
        "we", "you", "he", "she", "they", "i", "me", "my", "our", "your", "his", "her", "their", "them", "us",
        "do", "does", "did", "has", "have", "had", "not", "no", "so", "then", "than", "too", "very", "can", "will", "just",
        "all", "each", "every", "some", "any", "up", "down", "out", "over", "about", "after", "before", "while", "where", "when",
        "what", "which", "who", "how", "why", "again", "also", "only", "own", "same", "such", "more", "most", "other",
    };

    private const string FunctionChars = "的了是在和与及或也都就而这那我你他她它们有为以于之其不个着把被从到对上下中很还又并要会能说吗呢吧啊";

    /// <summary>The terms of a text in order (a term repeats as often as it occurs).</summary>
    public static List<string> Of(string? text)
    {
        var terms = new List<string>();
        if (string.IsNullOrEmpty(text)) return terms;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (IsIdeograph(c))
            {
                var start = i;
                while (i < text.Length && IsIdeograph(text[i])) i++;
                Chinese(text.AsSpan(start, i - start), terms);
            }
            else if (char.IsLetterOrDigit(c))
            {
                var start = i;
                while (i < text.Length && char.IsLetterOrDigit(text[i]) && !IsIdeograph(text[i])) i++;
                var word = text[start..i].ToLowerInvariant();
                if (word.Length >= 2 && !StopWords.Contains(word)) terms.Add(EnglishStemmer.Stem(word));
            }
            else i++;
        }
        return terms;
    }

    /// <summary>How much a query term counts: single Chinese characters less than words and bigrams.</summary>
    public static double QueryWeight(string term) => term.Length == 1 ? UnigramWeight : 1;

    private static void Chinese(ReadOnlySpan<char> run, List<string> terms)
    {
        for (var k = 0; k < run.Length; k++)
        {
            var a = run[k];
            if (FunctionChars.Contains(a)) continue;
            terms.Add(a.ToString());
            if (k + 1 < run.Length && !FunctionChars.Contains(run[k + 1])) terms.Add(string.Concat(a, run[k + 1]));
        }
    }

    public static bool IsIdeograph(char c) => c is >= '\u4E00' and <= '\u9FFF' or >= '\u3400' and <= '\u4DBF' or >= '\uF900' and <= '\uFAFF';
}
