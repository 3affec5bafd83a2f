using System.Globalization;
using System.Text;

namespace RenderFarm.Onnx.Embedding;

/// <summary>
/// BERT's uncased tokenizer: the basic tokenizer (drop control characters, lower-case, strip accents, split at
/// whitespace and punctuation, every CJK ideograph its own token) followed by WordPiece (greedy longest match
/// from the vocabulary, continuation pieces prefixed "##"; a word with no segmentation, or longer than
/// <see cref="MaxWordChars"/>, becomes [UNK]). Immutable, so one instance serves every thread.
/// </summary>
public sealed class WordPieceTokenizer
{
    /// <summary>Words longer than this are [UNK], as in BERT (it bounds the greedy search).</summary>
    public const int MaxWordChars = 100;

    /// <summary>Vocabulary files larger than this are refused (BERT vocabularies hold 20k-120k entries).</summary>
    public const int MaxVocabularySize = 1_000_000;

    // Latin-1 Supplement and Latin Extended-A (U+00C0..U+017F) without their accents. string.Normalize does not
    // decompose under InvariantGlobalization, so BERT's NFD-and-drop-marks is done with this table.
    private const string AccentFree =
        "AAAAAAÆCEEEEIIIIÐNOOOOO×ØUUUUYÞßaaaaaaæceeeeiiiiðnooooo÷øuuuuyþyAaAaAaCcCcCcCcDdĐđEeEeEeEeEeGgGgGgGgHhĦħIiIiIiIiIıĲĳJjKkĸLlLlLlĿŀŁłNnNnNnŉŊŋOoOoOoŒœRrRrRrSsSsSsSsTtTtŦŧUuUuUuUuUuUuWwYyYZzZzZzſ";

    private readonly Dictionary<string, int> _ids;

    public WordPieceTokenizer(IReadOnlyList<string> vocabulary)
    {
        _ids = new Dictionary<string, int>(vocabulary.Count, StringComparer.Ordinal);
        for (var i = 0; i < vocabulary.Count; i++) _ids.TryAdd(vocabulary[i], i); // the first of duplicates wins, as in BERT
        Pad = Required("[PAD]");
        Unknown = Required("[UNK]");
        Cls = Required("[CLS]");
        Sep = Required("[SEP]");
    }

    /// <summary>A vocab.txt: one token per line, the line number is the id.</summary>
    /// <exception cref="InvalidDataException">The file lacks [PAD], [UNK], [CLS] or [SEP], or is too large.</exception>
    public static WordPieceTokenizer Load(string path)
    {
        var lines = new List<string>();
        foreach (var line in File.ReadLines(path, Encoding.UTF8))
        {
            if (lines.Count == MaxVocabularySize)
                throw new InvalidDataException($"{path} has more than {MaxVocabularySize} entries; it is not a WordPiece vocab.txt");
            lines.Add(line.TrimEnd('\r'));
        }
        return new WordPieceTokenizer(lines);
    }

    public int Pad { get; }
    public int Unknown { get; }
    public int Cls { get; }
    public int Sep { get; }
    public int VocabularySize => _ids.Count;

    /// <summary>
    /// The model input for <paramref name="text"/>: [CLS], its word pieces, [SEP], at most
    /// <paramref name="maxLength"/> ids in all (the pieces are cut, [SEP] always ends it).
    /// </summary>
    public int[] Encode(string text, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 2);
        var ids = new List<int>(Math.Min(maxLength, 64)) { Cls };
        foreach (var word in BasicTokens(text))
        {
            foreach (var piece in WordPieces(word))
            {
                if (ids.Count == maxLength - 1) goto full;
                ids.Add(piece);
            }
        }
        full:
        ids.Add(Sep);
        return [.. ids];
    }

    /// <summary>The word pieces of <paramref name="text"/> as vocabulary strings (no [CLS]/[SEP]); for logs and tests.</summary>
    public IReadOnlyList<string> Tokenize(string text)
    {
        var byId = _ids.ToDictionary(kv => kv.Value, kv => kv.Key);
        return BasicTokens(text).SelectMany(WordPieces).Select(id => byId[id]).ToList();
    }

    /// <summary>BERT's BasicTokenizer with do_lower_case and strip_accents.</summary>
    internal static List<string> BasicTokens(string text)
    {
        var tokens = new List<string>();
        var word = new StringBuilder();
        void Flush()
        {
            if (word.Length > 0) tokens.Add(word.ToString());
            word.Clear();
        }
        for (var i = 0; i < text.Length; i++)
        {
            int cp;
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                cp = char.ConvertToUtf32(text[i], text[i + 1]);
                i++;
            }
            else cp = text[i];

            if (cp == 0 || cp == 0xFFFD || IsControl(cp)) continue;
            if (IsWhitespace(cp))
            {
                Flush();
                continue;
            }
            if (IsCjk(cp) || IsPunctuation(cp))
            {
                Flush();
                tokens.Add(char.ConvertFromUtf32(cp));
                continue;
            }
            var category = CharUnicodeInfo.GetUnicodeCategory(cp);
            if (category == UnicodeCategory.NonSpacingMark) continue; // a combining accent
            foreach (var c in char.ConvertFromUtf32(cp)) word.Append(StripAccent(char.ToLowerInvariant(c)));
        }
        Flush();
        return tokens;
    }

    private IEnumerable<int> WordPieces(string word)
    {
        if (word.Length > MaxWordChars)
        {
            yield return Unknown;
            yield break;
        }
        var pieces = new List<int>();
        for (var start = 0; start < word.Length;)
        {
            var found = -1;
            var end = word.Length;
            for (; end > start; end--)
            {
                if (end < word.Length && char.IsLowSurrogate(word[end]) && char.IsHighSurrogate(word[end - 1])) continue;
                var piece = start == 0 ? word[start..end] : "##" + word[start..end];
                if (_ids.TryGetValue(piece, out found)) break;
            }
            if (end == start)
            {
                yield return Unknown; // BERT gives up on the whole word, not just the rest
                yield break;
            }
            pieces.Add(found);
            start = end;
        }
        foreach (var p in pieces) yield return p;
    }

    private int Required(string token) =>
        _ids.TryGetValue(token, out var id) ? id : throw new InvalidDataException($"the vocabulary has no {token} entry; it is not a BERT WordPiece vocab.txt");

    private static char StripAccent(char c) => c is >= '\u00C0' and <= '\u017F' ? AccentFree[c - 0xC0] : c;

    private static bool IsWhitespace(int cp) =>
        cp is ' ' or '\t' or '\n' or '\r' || CharUnicodeInfo.GetUnicodeCategory(cp) == UnicodeCategory.SpaceSeparator;

    private static bool IsControl(int cp)
    {
        if (cp is '\t' or '\n' or '\r') return false;
        var category = CharUnicodeInfo.GetUnicodeCategory(cp);
        return category is UnicodeCategory.Control or UnicodeCategory.Format;
    }

    /// <summary>BERT counts every non-alphanumeric ASCII character as punctuation ($, ^, `), plus Unicode's P* classes.</summary>
    private static bool IsPunctuation(int cp)
    {
        if (cp is >= 33 and <= 47 or >= 58 and <= 64 or >= 91 and <= 96 or >= 123 and <= 126) return true;
        return CharUnicodeInfo.GetUnicodeCategory(cp) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;
    }

    /// <summary>The CJK Unified Ideograph blocks BERT's tokenizer splits per character (not kana or hangul).</summary>
    private static bool IsCjk(int cp) =>
        cp is >= 0x4E00 and <= 0x9FFF or >= 0x3400 and <= 0x4DBF or >= 0x20000 and <= 0x2A6DF or >= 0x2A700 and <= 0x2B73F
            or >= 0x2B740 and <= 0x2B81F or >= 0x2B820 and <= 0x2CEAF or >= 0xF900 and <= 0xFAFF or >= 0x2F800 and <= 0x2FA1F;
}
