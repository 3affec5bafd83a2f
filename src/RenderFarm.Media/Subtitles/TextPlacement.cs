using RenderFarm.Core.Planning;
using RenderFarm.Core.Timelines;

namespace RenderFarm.Media.Subtitles;

/// <summary>A point in output pixels.</summary>
internal readonly record struct AssPoint(double X, double Y)
{
    public AssPoint Offset(double dx, double dy) => new(X + dx, Y + dy);
}

/// <summary>
/// Where a text goes, by the IMS rule: Alignment picks the corner or edge of the text block that is anchored, and
/// X/Y are margins from the matching frame edges; on a centre axis they offset the anchor right/down from the middle.
/// </summary>
internal static class TextPlacement
{
    /// <summary>The ASS \an anchor: numpad layout, 7 8 9 on top, 1 2 3 at the bottom.</summary>
    public static int AnCode(TextAlignment alignment)
    {
        var (column, row) = Cell(alignment);
        return (2 - row) * 3 + 1 + column;
    }

    public static AssPoint Anchor(TextStyle style, OutputFormat output)
    {
        var (column, row) = Cell(style.Alignment);
        return new AssPoint(
            Along(column, style.X.ToPixels(output.Width), output.Width),
            Along(row, style.Y.ToPixels(output.Height), output.Height));
    }

    /// <summary>The width AutoWrap and AutoScale fit the text to: TextWidth, else the frame less the X margin on both sides.</summary>
    public static double FitWidth(TextStyle style, OutputFormat output)
    {
        var width = style.TextWidth is { } textWidth
            ? new Extent(textWidth).ToPixels(output.Width)
            : output.Width - 2 * style.X.ToPixels(output.Width);
        return Math.Clamp(width, 1, output.Width);
    }

    /// <summary>libass wraps at PlayResX - MarginL - MarginR even for \pos events, so the event margins set the wrap width.</summary>
    public static (int Left, int Right) WrapMargins(double width, OutputFormat output)
    {
        var total = output.Width - (int)Math.Round(width);
        return (total / 2, total - total / 2);
    }

    private static double Along(int cell, double margin, int size) => cell switch
    {
        0 => margin,
        1 => size / 2.0 + margin,
        _ => size - margin,
    };

    // TextAlignment is declared row by row (top, centre, bottom), each row left to right.
    private static (int Column, int Row) Cell(TextAlignment alignment) => ((int)alignment % 3, (int)alignment / 3);
}
