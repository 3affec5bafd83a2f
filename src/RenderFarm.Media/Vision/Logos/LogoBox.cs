namespace RenderFarm.Media.Vision.Logos;

/// <summary>A rectangle in pixels (left, top, width, height) of some frame size.</summary>
public readonly record struct LogoBox(int X, int Y, int Width, int Height)
{
    public int Right => X + Width;
    public int Bottom => Y + Height;
    public int Area => Width * Height;

    /// <summary>The same region in a frame <paramref name="sx"/> by <paramref name="sy"/> times larger, rounded outwards.</summary>
    public LogoBox Scale(double sx, double sy)
    {
        int left = (int)Math.Floor(X * sx), top = (int)Math.Floor(Y * sy);
        return new LogoBox(left, top, (int)Math.Ceiling(Right * sx) - left, (int)Math.Ceiling(Bottom * sy) - top);
    }

    /// <summary>Grown by <paramref name="pad"/> pixels on every side, kept inside a frame of the given size.</summary>
    public LogoBox Pad(int pad, int frameWidth, int frameHeight) =>
        FromEdges(X - pad, Y - pad, Right + pad, Bottom + pad).Clamp(0, frameWidth, frameHeight);

    /// <summary>Kept <paramref name="margin"/> pixels inside a frame of the given size (null when nothing is left).</summary>
    public LogoBox Clamp(int margin, int frameWidth, int frameHeight) =>
        FromEdges(Math.Max(X, margin), Math.Max(Y, margin), Math.Min(Right, frameWidth - margin), Math.Min(Bottom, frameHeight - margin));

    /// <summary>Intersection over union, 0 for disjoint boxes.</summary>
    public double IoU(LogoBox other)
    {
        var w = Math.Min(Right, other.Right) - Math.Max(X, other.X);
        var h = Math.Min(Bottom, other.Bottom) - Math.Max(Y, other.Y);
        if (w <= 0 || h <= 0) return 0;
        var inter = (double)w * h;
        return inter / (Area + other.Area - inter);
    }

    public int[] ToArray() => [X, Y, Width, Height];

    private static LogoBox FromEdges(int left, int top, int right, int bottom) =>
        new(left, top, Math.Max(0, right - left), Math.Max(0, bottom - top));
}
