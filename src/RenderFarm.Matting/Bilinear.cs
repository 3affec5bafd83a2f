using RenderFarm.Core.Imaging;

namespace RenderFarm.Matting;

/// <summary>
/// Bilinear resampling with pixel centres aligned (as ffmpeg's and PyTorch's align_corners=false
/// scalers do), for pictures going into the model and mattes coming out of it.
/// </summary>
internal static class Bilinear
{
    /// <summary>Source coordinate and weight of the next sample for each destination index along one axis.</summary>
    private static (int[] Index, float[] Fraction) Axis(int source, int destination)
    {
        var index = new int[destination];
        var fraction = new float[destination];
        var scale = (double)source / destination;
        for (var i = 0; i < destination; i++)
        {
            var s = Math.Clamp((i + 0.5) * scale - 0.5, 0, source - 1);
            index[i] = Math.Min((int)s, Math.Max(source - 2, 0));
            fraction[i] = source == 1 ? 0 : (float)(s - index[i]);
        }
        return (index, fraction);
    }

    /// <summary>
    /// Resizes packed RGB24 to <paramref name="size"/> x <paramref name="size"/> and writes it as
    /// planar floats (R plane, G plane, B plane) normalised as (v - 128) / 256, the model's input.
    /// </summary>
    public static void ToModelInput(RgbImage image, int size, float[] destination)
    {
        var (xi, xf) = Axis(image.Width, size);
        var (yi, yf) = Axis(image.Height, size);
        var px = image.Pixels;
        var plane = size * size;
        var stride = image.Width * 3;
        var nextX = image.Width > 1 ? 3 : 0;
        var nextY = image.Height > 1 ? stride : 0;
        for (var y = 0; y < size; y++)
        {
            var row = yi[y] * stride;
            var fy = yf[y];
            for (var x = 0; x < size; x++)
            {
                var i = row + xi[x] * 3;
                var fx = xf[x];
                var o = y * size + x;
                for (var c = 0; c < 3; c++)
                {
                    var top = px[i + c] + (px[i + nextX + c] - px[i + c]) * fx;
                    var bottom = px[i + nextY + c] + (px[i + nextY + nextX + c] - px[i + nextY + c]) * fx;
                    destination[c * plane + o] = (top + (bottom - top) * fy - 128f) / 256f;
                }
            }
        }
    }

    /// <summary>Resizes a one-channel float image.</summary>
    public static float[] Resize(ReadOnlySpan<float> source, int width, int height, int toWidth, int toHeight)
    {
        var result = new float[toWidth * toHeight];
        if (width == toWidth && height == toHeight)
        {
            source.CopyTo(result);
            return result;
        }
        var (xi, xf) = Axis(width, toWidth);
        var (yi, yf) = Axis(height, toHeight);
        var nextX = width > 1 ? 1 : 0;
        var nextY = height > 1 ? width : 0;
        for (var y = 0; y < toHeight; y++)
        {
            var row = yi[y] * width;
            var fy = yf[y];
            for (var x = 0; x < toWidth; x++)
            {
                var i = row + xi[x];
                var fx = xf[x];
                var top = source[i] + (source[i + nextX] - source[i]) * fx;
                var bottom = source[i + nextY] + (source[i + nextY + nextX] - source[i + nextY]) * fx;
                result[y * toWidth + x] = top + (bottom - top) * fy;
            }
        }
        return result;
    }
}
