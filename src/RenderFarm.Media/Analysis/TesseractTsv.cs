using System.Globalization;
using RenderFarm.Media.Captions;
using RenderFarm.Media.Slides;

namespace RenderFarm.Media.Analysis;

/// <summary>
/// Turns tesseract's TSV output into text: words (level 5) at or above a confidence, a line of the
/// picture per line of text, words joined by spaces except between CJK characters (tesseract puts a
/// space between every Chinese character it reads).
/// </summary>
public static class TesseractTsv
{
    private const string WordLevel = "5";

    public static string ToText(string tsv, double minConfidence) =>
        string.Join('\n', ToLines(tsv, minConfidence).Select(l => l.Text));

    /// <summary>The lines with their boxes (the union of their words' boxes) and mean word confidence.</summary>
    public static IReadOnlyList<TextLine> ToLines(string tsv, double minConfidence)
    {
        var lines = new List<(string Key, List<(string Word, int L, int T, int W, int H, double C)> Words)>();
        foreach (var row in tsv.Split('\n'))
        {
            // level page block par line word left top width height conf text
            var cells = row.TrimEnd('\r').Split('\t');
            if (cells.Length < 12 || cells[0] != WordLevel) continue;
            if (!double.TryParse(cells[10], NumberStyles.Float, CultureInfo.InvariantCulture, out var confidence) || confidence < minConfidence) continue;
            var word = cells[11].Trim();
            if (word.Length == 0) continue;
            var box = cells[6..10].Select(c => int.TryParse(c, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : 0).ToArray();
            var key = string.Join('.', cells[1..5]);
            if (lines.Count == 0 || lines[^1].Key != key) lines.Add((key, []));
            lines[^1].Words.Add((word, box[0], box[1], box[2], box[3], confidence));
        }
        return lines.Select(l =>
        {
            int left = l.Words.Min(w => w.L), top = l.Words.Min(w => w.T);
            return new TextLine(CjkText.NormalizeSpace(string.Join(' ', l.Words.Select(w => w.Word))), left, top,
                l.Words.Max(w => w.L + w.W) - left, l.Words.Max(w => w.T + w.H) - top, l.Words.Average(w => w.C));
        }).ToList();
    }
}
