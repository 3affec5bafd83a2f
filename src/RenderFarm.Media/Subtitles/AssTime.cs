namespace RenderFarm.Media.Subtitles;

/// <summary>
/// Event times. libass shows an event on a frame when Start &lt;= now &lt; End, with now the frame time in whole
/// milliseconds (truncated), while ASS stores centiseconds. Each bound is snapped to the frame grid and written
/// half a frame early, so the first frame at or after the bound is inside and the frame before it is not: the
/// ±5 ms centisecond rounding stays clear of both frames up to 60 fps (half a frame there is 8.3 ms).
/// </summary>
internal static class AssTime
{
    /// <summary>Event bounds in centiseconds showing a text on the frames t with start &lt;= t &lt; end; null when no frame qualifies.</summary>
    public static (long Start, long End)? Span(double start, double end, int fps)
    {
        var first = FirstFrameAtOrAfter(start, fps);
        var last = FirstFrameAtOrAfter(end, fps);
        return last > first ? (Bound(first, fps), Bound(last, fps)) : null;
    }

    /// <summary>h:mm:ss.cc</summary>
    public static string Format(long centiseconds) =>
        $"{centiseconds / 360_000}:{centiseconds / 6000 % 60:00}:{centiseconds / 100 % 60:00}.{centiseconds % 100:00}";

    // The tolerance absorbs binary fractions such as 0.1 * 30 = 3.0000000000000004.
    private static long FirstFrameAtOrAfter(double seconds, int fps) => (long)Math.Ceiling(seconds * fps - 1e-6);

    private static long Bound(long frame, int fps) =>
        Math.Max(0, (long)Math.Round((frame - 0.5) * 100 / fps, MidpointRounding.AwayFromZero));
}
