using RenderFarm.Core.Imaging;

namespace RenderFarm.Matting;

/// <summary>
/// Decides which pictures of the analysis grid the model analyses: the first, then each one whose
/// picture differs from the last analysed one by more than the threshold (mean absolute luma
/// difference, 0..1, of 64x64 block averages: cheap, and blind to noise a pixel wide). Pictures in
/// between get mattes interpolated from the analysed ones around them, so the model runs as often as
/// the picture moves: once for a still image or a static shot. Threshold 0 analyses every picture.
/// Pure: no I/O.
/// </summary>
internal sealed class MotionGate(double threshold)
{
    private const int Grid = 64;
    private float[]? analysed;

    /// <summary>Whether the model should analyse <paramref name="picture"/>; when it should, the picture becomes the reference.</summary>
    public bool ShouldAnalyse(RgbImage picture)
    {
        var luma = Luma(picture);
        if (analysed is not null && threshold > 0 && Difference(analysed, luma) <= threshold) return false;
        analysed = luma;
        return true;
    }

    /// <summary>Mean absolute difference of two luma grids (0..1).</summary>
    internal static double Difference(float[] a, float[] b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++) sum += Math.Abs(a[i] - b[i]);
        return sum / a.Length;
    }

    /// <summary>BT.601 luma (0..1) averaged over a 64x64 grid of blocks.</summary>
    internal static float[] Luma(RgbImage picture)
    {
        var (w, h, rgb) = (picture.Width, picture.Height, picture.Pixels);
        var sums = new double[Grid * Grid];
        var counts = new int[Grid * Grid];
        for (var y = 0; y < h; y++)
        {
            var row = y * Grid / h * Grid;
            for (var x = 0; x < w; x++)
            {
                var p = (y * w + x) * 3;
                var cell = row + x * Grid / w;
                sums[cell] += 0.299 * rgb[p] + 0.587 * rgb[p + 1] + 0.114 * rgb[p + 2];
                counts[cell]++;
            }
        }
        var luma = new float[Grid * Grid];
        for (var i = 0; i < luma.Length; i++) luma[i] = counts[i] == 0 ? 0 : (float)(sums[i] / counts[i] / 255);
        return luma;
    }
}
