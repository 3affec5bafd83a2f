namespace RenderFarm.Media.Captions;

/// <summary>
/// Highlighted words travel through caption text between two private-use characters, so line
/// wrapping can move them with their words; the ASS writer turns them into colour tags. User text
/// never carries them: <see cref="Strip"/> removes any before marks are added.
/// </summary>
public static class HighlightMarks
{
    public const char Open = '\uE000';
    public const char Close = '\uE001';

    public static bool IsMark(char c) => c is Open or Close;

    public static string Strip(string text) => text.Contains(Open) || text.Contains(Close)
        ? string.Concat(text.Where(c => !IsMark(c)))
        : text;

    /// <summary>Wraps each range of <paramref name="text"/> in marks (ranges in order, not overlapping).</summary>
    public static string Apply(string text, IEnumerable<HighlightRange> ranges)
    {
        var marked = new System.Text.StringBuilder(text.Length + 8);
        var at = 0;
        foreach (var range in ranges.OrderBy(r => r.Start))
        {
            if (range.Start < at) continue;
            marked.Append(text, at, range.Start - at).Append(Open).Append(text, range.Start, range.Length).Append(Close);
            at = range.End;
        }
        return marked.Append(text, at, text.Length - at).ToString();
    }
}
