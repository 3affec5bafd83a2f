using RenderFarm.Media.Ai;

namespace RenderFarm.Media.Captions;

/// <summary>
/// One caption on screen: <paramref name="Text"/> (lines joined with '\n'), shown from <paramref name="Start"/> to
/// <paramref name="End"/> seconds, cut from sentence <paramref name="SentenceIndex"/>.
/// </summary>
public sealed record Caption(string Text, double Start, double End, int SentenceIndex)
{
    public IReadOnlyList<string> Lines => Text.Split('\n');
}

/// <summary>
/// Turns spoken sentences into captions (pure; no I/O).
/// <list type="bullet">
/// <item>A sentence whose written form fits in <c>maxCharsPerLine</c> characters is one caption spanning the sentence.</item>
/// <item>A longer one is wrapped into n = ⌈length / max⌉ lines aiming at equal lengths: a line ends at a space, between two
/// CJK characters or at a CJK/Latin boundary — preferably right after punctuation — never before closing punctuation
/// (，。、！？；：”’）》」』 , . ! ? ; :) nor after an opening one (“‘（《「『 ( [); a word longer than a line is cut.</item>
/// <item>Lines are grouped <c>maxLinesPerCaption</c> at a time into captions; the sentence's time is shared among its
/// captions in proportion to their spoken weight: CJK character 3, digit 2, letter 1, other 0 (at least 1 per caption),
/// the first caption starting at the sentence's Start and the last ending at its End.</item>
/// </list>
/// </summary>
public static class CaptionPlanner
{
    private const string NoLineStart = "，。、！？；：”’）》」』】,.!?;:)]}%％";
    private const string NoLineEnd = "“‘（《「『【([{";
    private const string Punctuation = "，。、！？；：,.!?;:…";

    public static IReadOnlyList<Caption> Plan(IReadOnlyList<TimedSentence> sentences, int maxCharsPerLine, int maxLinesPerCaption = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCharsPerLine, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLinesPerCaption, 1);
        var captions = new List<Caption>();
        for (var s = 0; s < sentences.Count; s++)
        {
            var sentence = sentences[s];
            var lines = Wrap(sentence.Text.Trim(), maxCharsPerLine);
            if (lines.Count == 0) continue;
            var texts = lines.Chunk(maxLinesPerCaption).Select(group => string.Join('\n', group)).ToArray();
            var weights = texts.Select(Weight).ToArray();
            var total = weights.Sum();
            var duration = sentence.End - sentence.Start;
            double done = 0;
            for (var i = 0; i < texts.Length; i++)
            {
                var start = sentence.Start + duration * done / total;
                done += weights[i];
                var end = i == texts.Length - 1 ? sentence.End : sentence.Start + duration * done / total;
                captions.Add(new Caption(texts[i], start, end, s));
            }
        }
        return captions;
    }

    /// <summary>Spoken weight of caption text: CJK character 3, digit 2, letter 1, anything else 0; at least 1.</summary>
    public static double Weight(string text) =>
        Math.Max(1, text.Sum(c => CjkText.IsCjk(c) && char.IsLetter(c) ? 3 : char.IsDigit(c) ? 2 : char.IsLetter(c) ? 1 : 0));

    /// <summary>Wraps one sentence into lines of at most <paramref name="max"/> characters (rules in the class summary).</summary>
    public static IReadOnlyList<string> Wrap(string text, int max)
    {
        var lines = new List<string>();
        var rest = CjkText.NormalizeSpace(text);
        while (rest.Length > max)
        {
            var count = (int)Math.Ceiling(rest.Length / (double)max);
            var target = (int)Math.Ceiling(rest.Length / (double)count);
            var cut = ChooseCut(rest, max, target);
            lines.Add(rest[..cut].TrimEnd());
            rest = rest[cut..].TrimStart();
        }
        if (rest.Length > 0) lines.Add(rest);
        return lines;
    }

    private static int ChooseCut(string text, int max, int target)
    {
        var best = -1;
        var bestCost = double.MaxValue;
        for (var p = 1; p <= max && p < text.Length; p++)
        {
            if (!CanBreak(text, p)) continue;
            var cost = Math.Abs(p - target) - (Punctuation.Contains(text[p - 1]) || text[p - 1] == ' ' && p > 1 && Punctuation.Contains(text[p - 2]) ? 3.0 : 0);
            if (cost < bestCost)
            {
                bestCost = cost;
                best = p;
            }
        }
        if (best > 0) return best;
        // No allowed break: cut the word, keeping surrogate pairs whole.
        var hard = Math.Min(max, text.Length - 1);
        if (char.IsLowSurrogate(text[hard]) && hard > 1) hard--;
        return hard;
    }

    private static bool CanBreak(string text, int p)
    {
        char before = text[p - 1], after = text[p];
        if (char.IsLowSurrogate(after)) return false;
        if (NoLineStart.Contains(after) || NoLineEnd.Contains(before)) return false;
        if (before == ' ' || after == ' ') return true;
        bool cjkBefore = CjkText.IsCjk(before), cjkAfter = CjkText.IsCjk(after);
        return cjkBefore || cjkAfter;
    }
}
