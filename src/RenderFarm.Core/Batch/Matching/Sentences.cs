namespace RenderFarm.Core.Batch.Matching;

/// <summary>
/// Splits a voice-over script into sentences: after Chinese 。！？；… and English ! ? ; (and a full stop followed
/// by a space or the end), and at line breaks. A piece without any letter or digit (stray punctuation) joins
/// the sentence before it.
/// </summary>
public static class Sentences
{
    private const string Enders = "。！？；…!?;\n";

    public static List<string> Split(string script)
    {
        var sentences = new List<string>();
        var start = 0;
        for (var i = 0; i < script.Length; i++)
        {
            var c = script[i];
            var ends = Enders.Contains(c) || (c == '.' && (i + 1 == script.Length || char.IsWhiteSpace(script[i + 1])));
            if (!ends) continue;
            // Keep closing quotes and repeated marks ("！！", "?”") with the sentence they end.
            while (i + 1 < script.Length && (Enders.Contains(script[i + 1]) && script[i + 1] != '\n' || "”’\"')）」』".Contains(script[i + 1]))) i++;
            Add(script[start..(i + 1)]);
            start = i + 1;
        }
        Add(script[start..]);
        return sentences;

        void Add(string piece)
        {
            piece = piece.Trim();
            if (piece.Length == 0) return;
            if (!piece.Any(char.IsLetterOrDigit) && sentences.Count > 0) sentences[^1] += piece;
            else if (piece.Any(char.IsLetterOrDigit)) sentences.Add(piece);
        }
    }
}
