using RenderFarm.Core.Imaging;

namespace RenderFarm.AI.Faces;

/// <summary>
/// Where a part of a picture (the tile at <see cref="SourceX"/>, <see cref="SourceY"/>) lands in a model's square
/// input when scaled to fit it whole (keeping its aspect) and centred, the rest black: MediaPipe's
/// keep-aspect-ratio letterbox, so faces are not squashed.
/// </summary>
public readonly record struct FaceLetterbox(int Size, double Scale, double OffsetX, double OffsetY, int SourceX, int SourceY, int SourceWidth, int SourceHeight)
{
    public static FaceLetterbox Fit(int width, int height, int size) => Fit(0, 0, width, height, size);

    public static FaceLetterbox Fit(int x, int y, int width, int height, int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        var scale = (double)size / Math.Max(width, height);
        return new FaceLetterbox(size, scale, (size - width * scale) / 2, (size - height * scale) / 2, x, y, width, height);
    }

    /// <summary>
    /// The squares a picture is looked at in: one when it is nearly square, else squares of its short side spread
    /// along its long side, neighbours overlapping by at least a third, so a face (at most a third of the short side
    /// wide) lies whole in one of them and is seen at the resolution of the short side, not of the long one.
    /// </summary>
    public static IReadOnlyList<(int X, int Y, int Width, int Height)> Tiles(int width, int height)
    {
        var side = Math.Min(width, height);
        var along = Math.Max(width, height);
        if (along <= side * 1.25) return [(0, 0, width, height)];
        var count = (int)Math.Ceiling((along - side) / (side * 2 / 3.0)) + 1;
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var start = (int)Math.Round((double)(along - side) * i / (count - 1));
            return width >= height ? (start, 0, side, side) : (0, start, side, side);
        })];
    }

    /// <summary>A point given in fractions of the square's side, in the picture's pixels.</summary>
    public (double X, double Y) ToPicture(double squareX, double squareY) =>
        (SourceX + (squareX * Size - OffsetX) / Scale, SourceY + (squareY * Size - OffsetY) / Scale);

    /// <summary>A length given in fractions of the square's side, in the picture's pixels.</summary>
    public double ToPictureLength(double fraction) => fraction * Size / Scale;

    /// <summary>
    /// The model input [1, Size, Size, 3] (channels last, RGB) with values in [-1, 1] as BlazeFace was trained, the
    /// padding black (-1). Reduced, an input pixel is the mean of the picture pixels under it (no aliasing when a
    /// 1080p frame becomes 256 px); enlarged, it is sampled bilinearly.
    /// </summary>
    public float[] Tensor(RgbImage picture)
    {
        picture.Checked();
        if (SourceX < 0 || SourceY < 0 || SourceX + SourceWidth > picture.Width || SourceY + SourceHeight > picture.Height)
            throw new ArgumentException($"the tile {SourceWidth}x{SourceHeight} at ({SourceX},{SourceY}) is not inside the {picture.Width}x{picture.Height} picture");
        var tensor = new float[Size * Size * 3];
        Array.Fill(tensor, -1f);
        var step = 1 / Scale; // picture pixels per input pixel
        var (x0, x1) = (Math.Max(0, (int)Math.Round(OffsetX)), Math.Min(Size, (int)Math.Round(OffsetX + SourceWidth * Scale)));
        var (y0, y1) = (Math.Max(0, (int)Math.Round(OffsetY)), Math.Min(Size, (int)Math.Round(OffsetY + SourceHeight * Scale)));
        Span<double> mean = stackalloc double[3];
        for (var y = y0; y < y1; y++)
            for (var x = x0; x < x1; x++)
            {
                if (step >= 1)
                    Average(picture, Span(x, OffsetX, step, SourceX, SourceWidth), Span(y, OffsetY, step, SourceY, SourceHeight), mean);
                else
                    Bilinear(picture, SourceX + (x + 0.5 - OffsetX) * step - 0.5, SourceY + (y + 0.5 - OffsetY) * step - 0.5,
                        SourceX, SourceY, SourceWidth, SourceHeight, mean);
                var o = (y * Size + x) * 3;
                for (var c = 0; c < 3; c++) tensor[o + c] = (float)(mean[c] / 255 * 2 - 1);
            }
        return tensor;
    }

    // The picture pixels [from, to) under input pixel i along one axis (at least one).
    private static (int From, int To) Span(int i, double offset, double step, int source, int length)
    {
        var from = Math.Clamp((int)Math.Round((i - offset) * step), 0, length - 1);
        var to = Math.Clamp((int)Math.Round((i + 1 - offset) * step), from + 1, length);
        return (source + from, source + to);
    }

    private static void Average(RgbImage picture, (int From, int To) xs, (int From, int To) ys, Span<double> mean)
    {
        double r = 0, g = 0, b = 0;
        var p = picture.Pixels;
        for (var y = ys.From; y < ys.To; y++)
        {
            var o = (y * picture.Width + xs.From) * 3;
            for (var x = xs.From; x < xs.To; x++, o += 3) { r += p[o]; g += p[o + 1]; b += p[o + 2]; }
        }
        var n = (double)(xs.To - xs.From) * (ys.To - ys.From);
        mean[0] = r / n; mean[1] = g / n; mean[2] = b / n;
    }

    private static void Bilinear(RgbImage picture, double x, double y, int left, int top, int width, int height, Span<double> mean)
    {
        x = Math.Clamp(x, left, left + width - 1);
        y = Math.Clamp(y, top, top + height - 1);
        var ix = (int)x;
        var iy = (int)y;
        var ix1 = Math.Min(ix + 1, left + width - 1);
        var iy1 = Math.Min(iy + 1, top + height - 1);
        var (fx, fy) = (x - ix, y - iy);
        var p = picture.Pixels;
        for (var c = 0; c < 3; c++)
        {
            double At(int xx, int yy) => p[(yy * picture.Width + xx) * 3 + c];
            mean[c] = (At(ix, iy) * (1 - fx) + At(ix1, iy) * fx) * (1 - fy) + (At(ix, iy1) * (1 - fx) + At(ix1, iy1) * fx) * fy;
        }
    }
}
