using System.Globalization;
using RenderFarm.Media.Captions;

namespace RenderFarm.Media.Analysis;

/// <summary>
/// Turns tesseract's TSV output into text: words (level 5) at or above a confidence, a line of the
/// picture per line of text, words joined by spaces except between CJK characters (tesseract puts a
/// space between every Chinese character it reads).
/// </summary>
public static class TesseractTsv
{
    private const string WordLevel = "5";

    public static string ToText(string tsv, double minConfidence)
    {
        var lines = new List<(string Key, List<string> Words)>();
        foreach (var row in tsv.Split('\n'))
        {
            // level page block par line word left top width height conf text
            var cells = row.TrimEnd('\r').Split('\t');
            if (cells.Length < 12 || cells[0] != WordLevel) continue;
            if (!double.TryParse(cells[10], NumberStyles.Float, CultureInfo.InvariantCulture, out var confidence) || confidence < minConfidence) continue;
            var word = cells[11].Trim();
            if (word.Length == 0) continue;
            var key = string.Join('.', cells[1..5]);
            if (lines.Count == 0 || lines[^1].Key != key) lines.Add((key, []));
            lines[^1].Words.Add(word);
        }
        return string.Join('\n', lines.Select(l => CjkText.NormalizeSpace(string.Join(' ', l.Words))));
    }
}
