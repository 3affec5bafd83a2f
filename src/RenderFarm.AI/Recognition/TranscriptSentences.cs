using System.Text;
using RenderFarm.Media.Ai;

namespace RenderFarm.AI.Recognition;

/// <summary>How recognised words are grouped into caption sentences.</summary>
/// <param name="PauseSeconds">A silence at least this long between two words ends a sentence. 0.5 s: well above
/// the pauses measured inside sentences (0.05-0.11 s); a quick speaker's shorter sentence pauses (espeak-ng: 0.33-0.40 s)
/// are where <see cref="MaxWords"/>/<see cref="MaxSeconds"/> splits fall, being the longest.</param>
/// <param name="MaxWords">A sentence with more words is split (at its longest pause).</param>
/// <param name="MaxSeconds">A sentence lasting longer is split (at its longest pause).</param>
public sealed record SentenceRules(double PauseSeconds = 0.5, int MaxWords = 16, double MaxSeconds = 7.0)
{
    public const double MinPauseSeconds = 0.05, MaxPauseSeconds = 10;
    public const int MinWords = 1, MaxWordsLimit = 100;
    public const double MinSecondsLimit = 0.5, MaxSecondsLimit = 60;

    /// <exception cref="ArgumentOutOfRangeException">Naming the rule that is out of its range.</exception>
    public void Check()
    {
        if (!(PauseSeconds is >= MinPauseSeconds and <= MaxPauseSeconds))
            throw new ArgumentOutOfRangeException(nameof(PauseSeconds), PauseSeconds, $"PauseSeconds must be in [{MinPauseSeconds}, {MaxPauseSeconds}]");
        if (MaxWords is < MinWords or > MaxWordsLimit)
            throw new ArgumentOutOfRangeException(nameof(MaxWords), MaxWords, $"MaxWords must be in [{MinWords}, {MaxWordsLimit}]");
        if (!(MaxSeconds is >= MinSecondsLimit and <= MaxSecondsLimit))
            throw new ArgumentOutOfRangeException(nameof(MaxSeconds), MaxSeconds, $"MaxSeconds must be in [{MinSecondsLimit}, {MaxSecondsLimit}]");
    }
}

/// <summary>
/// Turns a recogniser's word segmentation into caption sentences: fillers dropped, sentences broken at
/// pauses and kept within a length, text cased for reading. Pure: no I/O.
/// </summary>
public static class TranscriptSentences
{
    public static IReadOnlyList<TimedSentence> Group(IEnumerable<RecognizedWord> segments, SentenceRules rules)
    {
        rules.Check();
        var words = segments.Select(Clean).OfType<RecognizedWord>().OrderBy(w => w.Start).ToList();
        var sentences = new List<TimedSentence>();
        var first = 0;
        for (var i = 1; i <= words.Count; i++)
        {
            if (i < words.Count && words[i].Start - words[i - 1].End < rules.PauseSeconds) continue;
            if (i > first) SplitToFit(words, first, i, rules, sentences);
            first = i;
        }
        return sentences;
    }

    /// <summary>
    /// The word as captions show it, or null for a filler: engine markers (<c>&lt;s&gt;</c>, <c>&lt;sil&gt;</c>,
    /// <c>[NOISE]</c>, <c>+SPN+</c>, <c>(s)</c>) and anything without a letter or digit. The alternative
    /// pronunciation suffix (<c>the(2)</c>) is removed.
    /// </summary>
    public static RecognizedWord? Clean(RecognizedWord word)
    {
        var text = word.Text.Trim();
        if (text.Length == 0 || text[0] is '<' or '[' or '+' or '(') return null;
        var paren = text.IndexOf('(');
        if (paren > 0 && text.EndsWith(')')) text = text[..paren];
        if (!text.Any(char.IsLetterOrDigit)) return null;
        return word with { Text = text };
    }

    /// <summary>Emits words [from, to) as one sentence, or splits them at the longest pause until every piece fits.</summary>
    private static void SplitToFit(List<RecognizedWord> words, int from, int to, SentenceRules rules, List<TimedSentence> output)
    {
        var count = to - from;
        if (count == 1 || (count <= rules.MaxWords && words[to - 1].End - words[from].Start <= rules.MaxSeconds))
        {
            output.Add(new TimedSentence(Text(words, from, to), words[from].Start, words[to - 1].End));
            return;
        }
        // The longest pause; among equal pauses the one nearest the middle, so pieces stay balanced.
        var middle = from + count / 2.0;
        var cut = Enumerable.Range(from + 1, count - 1)
            .OrderByDescending(i => Math.Round(words[i].Start - words[i - 1].End, 3))
            .ThenBy(i => Math.Abs(i - middle))
            .First();
        SplitToFit(words, from, cut, rules, output);
        SplitToFit(words, cut, to, rules, output);
    }

    /// <summary>Words joined by spaces; the first letter upper case, and the pronoun "I" (with its contractions) too.</summary>
    private static string Text(List<RecognizedWord> words, int from, int to)
    {
        var text = new StringBuilder();
        for (var i = from; i < to; i++)
        {
            if (text.Length > 0) text.Append(' ');
            var word = words[i].Text;
            if (word == "i" || word.StartsWith("i'", StringComparison.Ordinal)) word = "I" + word[1..];
            text.Append(word);
        }
        if (text.Length > 0) text[0] = char.ToUpperInvariant(text[0]);
        return text.ToString();
    }
}
