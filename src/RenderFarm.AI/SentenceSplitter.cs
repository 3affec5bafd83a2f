using static RenderFarm.Media.Captions.CjkText;
using System.Text;
using System.Text.RegularExpressions;

namespace RenderFarm.AI;

/// <summary>One step of a synthesis plan: a sentence to speak, or exact silence.</summary>
internal abstract record PlanStep;

/// <summary>A sentence: caption text, the text actually spoken, and the espeak SSML document that speaks it.</summary>
internal sealed record SentencePlan(string Written, string Spoken, string Ssml) : PlanStep;

internal sealed record SilencePlan(double Seconds) : PlanStep;

/// <summary>
/// Splits text into the sentences that are synthesized (one espeak call each) and captioned.
/// <para>Rules, applied to the written text left to right:</para>
/// <list type="number">
/// <item>Chinese punctuation ends a sentence always: 。！？；，、 and the variants ．｡､ (IMS captions break at commas too).</item>
/// <item>English . ! ? ; end a sentence when followed by white space, the end of the text or a CJK character;
/// a period after a single letter ("J. Smith"), after dotted initials ("p.m.", "U.S.") or after Mr, Mrs, Ms, Dr, Prof, Sr, Jr, St, vs, etc, No does not
/// (so "at 3 p.m. Then" stays one sentence: the price of not splitting "3 p.m. today").
/// An ellipsis … follows the same rule.</item>
/// <item>An English comma (followed by white space) ends a sentence only once the sentence has at least
/// <c>englishCommaMinChars</c> (default 40) characters, so short clauses stay together and long sentences break at
/// their commas. An ASCII comma next to a CJK character counts as a Chinese comma.</item>
/// <item>Closing quotes and brackets (” ’ " ' ) ） 」 』 》 】) and repeated end marks ("?!", "……") right after the end mark stay with the sentence.</item>
/// <item>A line break in plain text, an SSML &lt;s&gt;/&lt;p&gt; boundary and a &lt;break&gt; end the sentence too.</item>
/// <item>A piece with no letter or digit (only punctuation) is appended to the previous sentence's written form and not spoken.</item>
/// </list>
/// White space is collapsed to one space and removed between two CJK characters.
/// </summary>
public static class SentenceSplitter
{
    public const int DefaultEnglishCommaMinChars = 40;

    /// <summary>The sentences (written forms) of plain text by the rules above.</summary>
    public static IReadOnlyList<string> Split(string text, int englishCommaMinChars = DefaultEnglishCommaMinChars) =>
        Plan(SsmlParser.PlainText(text).Items, englishCommaMinChars, null)
            .OfType<SentencePlan>().Select(s => s.Written).ToArray();

    private const string CjkEnders = "。！？；，、．｡､";
    private const string AsciiEnders = ".!?;";
    private const string Closers = "”’\"')）」』》】〕]}";
    private static readonly HashSet<string> Abbreviations =
        new(["mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "etc", "e.g", "i.e", "no"], StringComparer.OrdinalIgnoreCase);

    private readonly record struct Unit(string Written, string Spoken, string? Markup, Wrap? Wrap, bool Atomic)
    {
        public char First => Written.Length > 0 ? Written[0] : ' ';
    }

    /// <summary>Turns parsed content into sentences and silences. <paramref name="normalize"/> rewrites spoken plain text (per language).</summary>
    internal static List<PlanStep> Plan(IReadOnlyList<SpeechItem> items, int englishCommaMinChars, Func<string, string>? normalize)
    {
        // Flatten into units (one per character of splittable text) and separators (null unit = boundary, NaN-free double = break).
        var tokens = new List<(Unit? Unit, double? Break)>();
        foreach (var item in items)
        {
            switch (item)
            {
                case TextItem { Atomic: true } t:
                    tokens.Add((new Unit(t.Written, t.Spoken, t.Markup, t.Wrap, true), null));
                    break;
                case TextItem t:
                    foreach (var c in t.Written) tokens.Add((new Unit(c.ToString(), c.ToString(), null, t.Wrap, false), null));
                    break;
                case BreakItem b:
                    tokens.Add((null, b.Seconds));
                    break;
                case BoundaryItem:
                    tokens.Add((null, null));
                    break;
            }
        }

        var builder = new Builder(normalize);
        for (var i = 0; i < tokens.Count; i++)
        {
            var (unit, pause) = tokens[i];
            if (unit is not { } u)
            {
                builder.Flush();
                if (pause is { } seconds) builder.Silence(seconds);
                continue;
            }
            builder.Add(u);
            if (u.Atomic) continue;
            var c = u.Written[0];
            if (!CjkEnders.Contains(c) && !AsciiEnders.Contains(c) && c != '…' && c != ',') continue;
            var j = i + 1;
            while (j < tokens.Count && tokens[j].Unit is { Atomic: false } next && (Closers.Contains(next.First) || IsEndMark(next.First))) j++;
            var after = j < tokens.Count && tokens[j].Unit is { } following ? following.First : '\n';
            if (!EndsSentence(c, after, builder)) continue;
            for (var k = i + 1; k < j; k++) builder.Add(tokens[k].Unit!.Value);
            i = j - 1;
            builder.Flush();
        }
        builder.Flush();
        return builder.Steps;

        bool EndsSentence(char c, char after, Builder current)
        {
            var open = after == '\n' || char.IsWhiteSpace(after) || IsCjk(after);
            if (CjkEnders.Contains(c)) return true;
            if (c == ',') return IsCjk(after) || IsCjk(current.CharBefore(1)) || (open && current.Length >= englishCommaMinChars);
            if (!open) return false;
            if (c == '.') return !current.EndsWithAbbreviation();
            return true;
        }
    }

    private static bool IsEndMark(char c) => CjkEnders.Contains(c) || ".!?…".Contains(c);

    private sealed class Builder(Func<string, string>? normalize)
    {
        private readonly List<Unit> _units = [];
        private string _pendingPrefix = "";
        public List<PlanStep> Steps { get; } = [];

        public int Length { get; private set; }

        public void Add(Unit unit)
        {
            if (_units.Count == 0 && !unit.Atomic && string.IsNullOrWhiteSpace(unit.Written)) return; // no leading white space
            _units.Add(unit);
            Length += unit.Written.Length;
        }

        /// <summary>The character <paramref name="back"/> positions before the last one added (1 = the one before the last).</summary>
        public char CharBefore(int back)
        {
            for (var i = _units.Count - 1; i >= 0; i--)
            {
                var w = _units[i].Written;
                if (back < w.Length) return w[w.Length - 1 - back];
                back -= w.Length;
            }
            return ' ';
        }

        public bool EndsWithAbbreviation()
        {
            // The word before the final '.', e.g. "Dr" or "e.g" or a single letter.
            var sb = new StringBuilder();
            for (var back = 1; ; back++)
            {
                var c = CharBefore(back);
                if (!(char.IsLetter(c) || c == '.')) break;
                sb.Insert(0, c);
                if (sb.Length > 8) return false;
            }
            var word = sb.ToString();
            return word.Length == 1 && char.IsLetter(word[0]) || Abbreviations.Contains(word) || IsDottedInitials(word);

            // "p.m", "U.S", "e.g": single letters joined by dots.
            static bool IsDottedInitials(string w) =>
                w.Length >= 3 && w.Split('.').All(part => part.Length == 1 && char.IsLetter(part[0]));
        }

        public void Silence(double seconds)
        {
            if (seconds <= 0) return;
            if (Steps.Count > 0 && Steps[^1] is SilencePlan previous) Steps[^1] = new SilencePlan(previous.Seconds + seconds);
            else Steps.Add(new SilencePlan(seconds));
        }

        public void Flush()
        {
            if (_units.Count == 0) return;
            var written = NormalizeSpace(string.Concat(_units.Select(u => u.Written)));
            var spokenParts = new StringBuilder();
            var ssml = new StringBuilder("<speak>");
            var index = 0;
            while (index < _units.Count)
            {
                var unit = _units[index];
                if (unit.Atomic)
                {
                    spokenParts.Append(unit.Spoken);
                    ssml.Append(unit.Wrap?.OpenAll()).Append(unit.Markup ?? SsmlParser.Escape(unit.Spoken)).Append(unit.Wrap?.CloseAll());
                    index++;
                    continue;
                }
                var run = new StringBuilder();
                while (index < _units.Count && !_units[index].Atomic && ReferenceEquals(_units[index].Wrap, unit.Wrap))
                    run.Append(_units[index++].Spoken);
                var text = normalize is null ? run.ToString() : normalize(run.ToString());
                spokenParts.Append(text);
                ssml.Append(unit.Wrap?.OpenAll()).Append(SsmlParser.Escape(text)).Append(unit.Wrap?.CloseAll());
            }
            ssml.Append("</speak>");
            var spoken = NormalizeSpace(spokenParts.ToString());
            _units.Clear();
            Length = 0;

            if (!written.Any(char.IsLetterOrDigit) || !spoken.Any(char.IsLetterOrDigit))
            {
                // Punctuation only (or nothing to say): keep it for the caption, speak nothing.
                if (written.Length == 0) return;
                if (Steps.Count > 0 && Steps[^1] is SentencePlan last) Steps[^1] = last with { Written = NormalizeSpace(last.Written + written) };
                else _pendingPrefix += written;
                return;
            }
            Steps.Add(new SentencePlan(NormalizeSpace(_pendingPrefix + written), spoken, ssml.ToString()));
            _pendingPrefix = "";
        }
    }
}

/// <summary>Rewrites spoken text so espeak-ng reads it the way a native voice would.</summary>
internal static partial class TextNormalizer
{
    [GeneratedRegex(@"(\d+(?:\.\d+)?)\s*[%％]")]
    private static partial Regex Percent();

    /// <summary>For Chinese voices, "45%" → "百分之45" (espeak's Mandarin reads % as the English word "percent").</summary>
    public static Func<string, string>? For(string language) =>
        language is "cmn" or "yue" ? text => Percent().Replace(text, "百分之$1") : null;
}
