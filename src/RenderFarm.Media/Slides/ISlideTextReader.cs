namespace RenderFarm.Media.Slides;

/// <summary>One line of text found in a picture: its words joined, its box (pixels) and the mean word confidence (0-100).</summary>
public sealed record TextLine(string Text, int Left, int Top, int Width, int Height, double Confidence);

/// <summary>
/// Reads the lines of text in a picture with their boxes, so a slide's title can be told by its size. The OCR
/// engine behind it is the node's (tesseract today, <see cref="Analysis.TesseractLineReader"/>); another engine
/// plugs in by implementing this.
/// </summary>
public interface ISlideTextReader
{
    Task<IReadOnlyList<TextLine>> ReadLinesAsync(string imagePath, CancellationToken ct);
}

/// <summary>A slide's title: its largest line of text (ties go to the higher one), ignoring lines that read as noise.</summary>
public static class SlideTitle
{
    public static string? Choose(IReadOnlyList<TextLine> lines, double minConfidence = 50)
    {
        var readable = lines.Where(l => l.Confidence >= minConfidence && l.Text.Count(char.IsLetterOrDigit) >= 2).ToList();
        if (readable.Count == 0) return null;
        var tallest = readable.Max(l => l.Height);
        // Lines within 15% of the tallest are the same size of type (box heights vary with ascenders and
        // descenders); the first of them starts the title, and a line of that size right under it (less than
        // half a line apart) continues it: a two-line title reads as one, a bullet further down does not.
        var large = readable.Where(l => l.Height >= 0.85 * tallest).OrderBy(l => l.Top).ThenBy(l => l.Left).ToList();
        var title = new List<TextLine> { large[0] };
        foreach (var line in large.Skip(1))
        {
            if (line.Top - (title[^1].Top + title[^1].Height) > 0.5 * tallest) break;
            title.Add(line);
        }
        return string.Join(' ', title.Select(l => l.Text));
    }
}
