using RenderFarm.Core.Imaging;
using RenderFarm.Media.Ai;

namespace RenderFarm.Media.Vision.Highlights;

/// <summary>
/// What the highlight engines know of one sampled frame: its time (seconds), mean luma and its spread
/// (0-255), the share of crushed-black (&lt; 16) and blown-white (&gt; 239) pixels, sharpness (variance of
/// the 4-neighbour Laplacian of luma), a look vector (<see cref="FrameMeasurer.LookLength"/> values: a
/// 4x4x4 colour histogram then an 8x8 luma thumbnail, each part summing to 1 or scaled 0-1) and the faces found in it.
/// </summary>
public sealed record FrameMeasure(double Time, double Luma, double Contrast, double Dark, double Bright, double Sharpness,
    float[] Look, IReadOnlyList<DetectedFace> Faces, int Width, int Height);

/// <summary>Measures a frame (pure): exposure figures, Laplacian sharpness and the look vector.</summary>
public static class FrameMeasurer
{
    private const int Bins = 4, Thumb = 8;

    /// <summary>64 histogram bins + 64 thumbnail cells.</summary>
    public const int LookLength = Bins * Bins * Bins + Thumb * Thumb;

    public static FrameMeasure Measure(RgbImage picture, double time, IReadOnlyList<DetectedFace> faces)
    {
        var (w, h, px) = (picture.Width, picture.Height, picture.Pixels);
        var luma = new float[w * h];
        var look = new float[LookLength];
        var thumbCount = new int[Thumb * Thumb];
        double sum = 0, sumSq = 0;
        int dark = 0, bright = 0;
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
            {
                var i = y * w + x;
                int r = px[3 * i], g = px[3 * i + 1], b = px[3 * i + 2];
                var l = 0.299f * r + 0.587f * g + 0.114f * b;
                luma[i] = l;
                sum += l;
                sumSq += l * l;
                if (l < 16) dark++;
                else if (l > 239) bright++;
                look[(r * Bins / 256 * Bins + g * Bins / 256) * Bins + b * Bins / 256]++;
                var cell = y * Thumb / h * Thumb + x * Thumb / w;
                look[Bins * Bins * Bins + cell] += l / 255f;
                thumbCount[cell]++;
            }
        var n = (double)w * h;
        for (var i = 0; i < Bins * Bins * Bins; i++) look[i] /= (float)n;
        for (var c = 0; c < Thumb * Thumb; c++) look[Bins * Bins * Bins + c] /= Math.Max(1, thumbCount[c]);
        var mean = sum / n;
        return new FrameMeasure(time, mean, Math.Sqrt(Math.Max(0, sumSq / n - mean * mean)), dark / n, bright / n,
            LaplacianVariance(luma, w, h), look, faces, w, h);
    }

    /// <summary>Variance of the 4-neighbour Laplacian over the inner pixels: high for crisp edges, near 0 when blurred or flat.</summary>
    public static double LaplacianVariance(float[] luma, int w, int h)
    {
        if (w < 3 || h < 3) return 0;
        double sum = 0, sumSq = 0;
        for (var y = 1; y < h - 1; y++)
            for (var x = 1; x < w - 1; x++)
            {
                var i = y * w + x;
                double v = luma[i - 1] + luma[i + 1] + luma[i - w] + luma[i + w] - 4 * luma[i];
                sum += v;
                sumSq += v * v;
            }
        var count = (double)(w - 2) * (h - 2);
        var mean = sum / count;
        return sumSq / count - mean * mean;
    }

    /// <summary>How different two looks are, 0 (same) to 1: half the colour-histogram L1 distance averaged with the thumbnails' mean absolute difference.</summary>
    public static double Distance(float[] a, float[] b)
    {
        double hist = 0, thumb = 0;
        const int split = Bins * Bins * Bins;
        for (var i = 0; i < split; i++) hist += Math.Abs(a[i] - b[i]);
        for (var i = split; i < LookLength; i++) thumb += Math.Abs(a[i] - b[i]);
        return 0.5 * (hist / 2) + 0.5 * (thumb / (LookLength - split));
    }
}
