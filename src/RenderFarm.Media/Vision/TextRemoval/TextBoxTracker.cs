using RenderFarm.Media.Vision.Captions;

namespace RenderFarm.Media.Vision.TextRemoval;

/// <summary>A box of text to remove and the time range it is removed in (seconds).</summary>
public sealed record TextTrack(PixelBox Box, double Start, double End, int Samples);

/// <summary>
/// Makes per-frame text boxes consistent over time (pure): a box that overlaps a box of the previous sample is the
/// same caption line, so a line becomes one track whose box is the union of its boxes (padded) and whose time
/// range covers every moment it may have been on screen: from the sample before its first sighting to the sample
/// after its last. Holding one box for the whole span keeps the inpainted patch still instead of flickering.
/// </summary>
public static class TextBoxTracker
{
    /// <summary>Boxes overlapping by at least this much of the smaller one are the same line.</summary>
    public const double SameLineOverlap = 0.5;

    /// <param name="samples">Box lists of frames sampled every <paramref name="interval"/> seconds.</param>
    /// <param name="pad">Pixels added on every side (outlines and anti-aliasing reach past the detected box).</param>
    /// <param name="width">Frame width: boxes are kept one pixel inside the frame, as ffmpeg's delogo needs.</param>
    public static IReadOnlyList<TextTrack> Track(IReadOnlyList<(double Time, IReadOnlyList<PixelBox> Boxes)> samples, double interval,
        double duration, int pad, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(interval);
        var open = new List<Open>();
        var done = new List<Open>();
        foreach (var (time, boxes) in samples.OrderBy(s => s.Time))
        {
            var next = new List<Open>();
            foreach (var box in boxes)
            {
                var match = open.FirstOrDefault(t => time - t.Last <= 1.5 * interval && Overlap(t.Recent, box) >= SameLineOverlap && !next.Contains(t));
                if (match is null) { match = new Open(box, time); }
                else { match.Union = Union(match.Union, box); match.Recent = box; match.Last = time; match.Samples++; }
                next.Add(match);
            }
            done.AddRange(open.Where(t => !next.Contains(t)));
            open = next;
        }
        done.AddRange(open);
        return [.. done.OrderBy(t => t.First).ThenBy(t => t.Union.Y).Select(t => new TextTrack(
            Clamp(t.Union, pad, width, height), Math.Max(0, t.First - interval), Math.Min(duration, t.Last + interval), t.Samples))];
    }

    /// <summary>Intersection over the smaller box's area (0 when apart).</summary>
    public static double Overlap(PixelBox a, PixelBox b)
    {
        int w = Math.Min(a.Right, b.Right) - Math.Max(a.X, b.X), h = Math.Min(a.Bottom, b.Bottom) - Math.Max(a.Y, b.Y);
        if (w <= 0 || h <= 0) return 0;
        var smaller = Math.Min((long)a.Width * a.Height, (long)b.Width * b.Height);
        return smaller == 0 ? 0 : (double)w * h / smaller;
    }

    private static PixelBox Union(PixelBox a, PixelBox b)
    {
        int x = Math.Min(a.X, b.X), y = Math.Min(a.Y, b.Y);
        return new PixelBox(x, y, Math.Max(a.Right, b.Right) - x, Math.Max(a.Bottom, b.Bottom) - y);
    }

    private static PixelBox Clamp(PixelBox b, int pad, int width, int height)
    {
        int x = Math.Max(1, b.X - pad), y = Math.Max(1, b.Y - pad);
        int right = Math.Min(width - 1, b.Right + pad), bottom = Math.Min(height - 1, b.Bottom + pad);
        return new PixelBox(x, y, Math.Max(1, right - x), Math.Max(1, bottom - y));
    }

    private sealed class Open(PixelBox box, double time)
    {
        public PixelBox Union { get; set; } = box;
        public PixelBox Recent { get; set; } = box;
        public double First { get; } = time;
        public double Last { get; set; } = time;
        public int Samples { get; set; } = 1;
    }
}
