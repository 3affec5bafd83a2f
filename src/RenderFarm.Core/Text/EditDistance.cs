namespace RenderFarm.Core.Text;

/// <summary>The one Levenshtein distance of the project (caption cues of CaptionExtraction, OCR accuracy figures).</summary>
public static class EditDistance
{
    /// <summary>Insertions, deletions and substitutions turning <paramref name="a"/> into <paramref name="b"/>, over UTF-16 units (captions are BMP text).</summary>
    public static int Between(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
