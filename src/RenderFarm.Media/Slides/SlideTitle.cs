using RenderFarm.Media.Ai;

namespace RenderFarm.Media.Slides;

/// <summary>A slide's title: its largest line of text (ties go to the higher one), ignoring lines that read as noise.</summary>
public static class SlideTitle
{
    public static string? Choose(IReadOnlyList<TextLine> lines, double minConfidence = 0.5)
    {
        var readable = lines.Where(l => l.Confidence >= minConfidence && l.Text.Count(char.IsLetterOrDigit) >= 2).ToList();
        if (readable.Count == 0) return null;
        static double Height(TextLine l) => l.Bottom - l.Top;
        var tallest = readable.Max(Height);
        // Lines within 15% of the tallest are the same size of type (box heights vary with ascenders and
        // descenders); the first of them starts the title, and a line of that size right under it (less than
        // half a line apart) continues it: a two-line title reads as one, a bullet further down does not.
        var large = readable.Where(l => Height(l) >= 0.85 * tallest).OrderBy(l => l.Top).ThenBy(l => l.Left).ToList();
        var title = new List<TextLine> { large[0] };
        foreach (var line in large.Skip(1))
        {
            if (line.Top - title[^1].Bottom > 0.5 * tallest) break;
            title.Add(line);
        }
        return string.Join(' ', title.Select(l => l.Text));
    }
}
