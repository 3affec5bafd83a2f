using RenderFarm.Core.Imaging;
using RenderFarm.Onnx;

namespace RenderFarm.AI.Ocr;

/// <summary>
/// PP-OCR's input tensors, made as PaddleOCR's Python pipeline makes them: channels in BGR order (as
/// OpenCV reads pictures), bilinear resampling with pixel centres aligned (cv2.resize, no antialiasing),
/// planar NCHW floats.
/// </summary>
public static class OcrPreprocessing
{
    /// <summary>The height of a recognition input (the model was trained on 48 px lines).</summary>
    public const int RecognitionHeight = 48;

    /// <summary>Recognition inputs are padded to at least this width (PaddleOCR's rec_image_shape 3,48,320).</summary>
    public const int RecognitionMinWidth = 320;

    // ImageNet mean and deviation, applied by PaddleOCR to the B, G, R channels in that order.
    private static readonly float[] DetectionMean = [0.485f, 0.456f, 0.406f];
    private static readonly float[] DetectionStd = [0.229f, 0.224f, 0.225f];

    /// <summary>
    /// The detection input size (PaddleOCR's DetResizeForTest, limit type "max"): the picture scaled so its long
    /// side is at most <paramref name="maxSide"/> (never enlarged), each side then rounded to a multiple of 32, at least 32.
    /// </summary>
    public static (int Width, int Height) DetectionSize(int width, int height, int maxSide)
    {
        var ratio = Math.Max(width, height) > maxSide ? (double)maxSide / Math.Max(width, height) : 1;
        static int Round32(int v) => Math.Max((int)Math.Round(v / 32.0, MidpointRounding.ToEven) * 32, 32);
        return (Round32((int)(width * ratio)), Round32((int)(height * ratio)));
    }

    /// <summary>The picture resized to <paramref name="width"/> x <paramref name="height"/>, as the detector's [1,3,H,W] input: (v / 255 - mean) / std per channel.</summary>
    public static float[] DetectionInput(RgbImage image, int width, int height)
    {
        var sx = (double)image.Width / width;
        var sy = (double)image.Height / height;
        var tensor = new float[3 * width * height];
        Warp(image, new Affine(0.5 * sx - 0.5, 0.5 * sy - 0.5, sx, 0, 0, sy), width, height, tensor, width,
            (c, v) => (v / 255f - DetectionMean[c]) / DetectionStd[c]);
        return tensor;
    }

    /// <summary>
    /// The width of a line's recognition input (PaddleOCR's resize_norm_img with a batch of one): the crop scaled
    /// to 48 px high keeping its aspect; the tensor is at least 320 wide, the rest padded.
    /// </summary>
    public static (int Resized, int Padded) RecognitionWidth(double cropWidth, double cropHeight)
    {
        var ratio = cropWidth / cropHeight;
        var padded = (int)(RecognitionHeight * Math.Max((double)RecognitionMinWidth / RecognitionHeight, ratio));
        var resized = Math.Min((int)Math.Ceiling(RecognitionHeight * ratio), padded);
        return (Math.Max(resized, 1), padded);
    }

    /// <summary>
    /// The recognition input [1,3,48,W] of the text inside <paramref name="box"/> (corners clockwise from the text's
    /// top-left, in picture pixels): the box cut out upright (as PaddleOCR's get_rotate_crop_image, a box at least
    /// 1.5 times taller than wide being turned a quarter anticlockwise), scaled to 48 px high, normalised as
    /// (v / 255 - 0.5) / 0.5; zeros pad it on the right.
    /// </summary>
    public static (float[] Tensor, int Width) RecognitionInput(RgbImage image, IReadOnlyList<(double X, double Y)> box)
    {
        if (box.Count != 4) throw new ArgumentException("a text box has four corners", nameof(box));
        var (p0, p1, p2, p3) = (box[0], box[1], box[2], box[3]);
        var w = Math.Max(Distance(p0, p1), Distance(p2, p3));
        var h = Math.Max(Distance(p0, p3), Distance(p1, p2));
        // Crop coordinates (u, v), u along the top edge and v down the left edge, to picture coordinates.
        var (ux, uy) = ((p1.X - p0.X) / Math.Max(Distance(p0, p1), 1e-9), (p1.Y - p0.Y) / Math.Max(Distance(p0, p1), 1e-9));
        var (vx, vy) = ((p3.X - p0.X) / Math.Max(Distance(p0, p3), 1e-9), (p3.Y - p0.Y) / Math.Max(Distance(p0, p3), 1e-9));
        var (ox, oy) = (p0.X, p0.Y);
        if (h / Math.Max(w, 1e-9) >= 1.5)
        {
            // np.rot90: the turned crop's column x is the crop's row x and its row y the crop's column w-1-y.
            (ox, oy) = (ox + (w - 1) * ux, oy + (w - 1) * uy);
            (ux, uy, vx, vy) = (vx, vy, -ux, -uy);
            (w, h) = (h, w);
        }
        var (resized, padded) = RecognitionWidth(w, h);
        var sx = w / resized;
        var sy = h / RecognitionHeight;
        // Output pixel (x, y) samples the crop at ((x + 0.5) sx - 0.5, (y + 0.5) sy - 0.5).
        var (cu, cv) = (0.5 * sx - 0.5, 0.5 * sy - 0.5);
        var affine = new Affine(ox + cu * ux + cv * vx, oy + cu * uy + cv * vy, sx * ux, sx * uy, sy * vx, sy * vy);
        var tensor = new float[3 * RecognitionHeight * padded];
        Warp(image, affine, resized, RecognitionHeight, tensor, padded, (_, v) => (v / 255f - 0.5f) / 0.5f);
        return (tensor, padded);
    }

    private static double Distance((double X, double Y) a, (double X, double Y) b) => Math.Sqrt((a.X - b.X) * (a.X - b.X) + (a.Y - b.Y) * (a.Y - b.Y));

    /// <summary>Picture position of output pixel (x, y): (X0 + x XX + y YX, Y0 + x XY + y YY).</summary>
    internal readonly record struct Affine(double X0, double Y0, double XX, double XY, double YX, double YY);

    /// <summary>
    /// Bilinear samples of the picture at the affine positions of a <paramref name="width"/> x <paramref name="height"/>
    /// grid, edges replicated, written planar in BGR order into a tensor whose rows are <paramref name="stride"/> wide.
    /// </summary>
    internal static void Warp(RgbImage image, Affine at, int width, int height, float[] tensor, int stride, Func<int, float, float> normalise)
    {
        image.Checked();
        var px = image.Pixels;
        var plane = stride * height;
        var maxX = image.Width - 1;
        var maxY = image.Height - 1;
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var sx = Math.Clamp(at.X0 + x * at.XX + y * at.YX, 0, maxX);
                var sy = Math.Clamp(at.Y0 + x * at.XY + y * at.YY, 0, maxY);
                var x0 = (int)sx;
                var y0 = (int)sy;
                var fx = (float)(sx - x0);
                var fy = (float)(sy - y0);
                var x1 = Math.Min(x0 + 1, maxX);
                var y1 = Math.Min(y0 + 1, maxY);
                var i00 = (y0 * image.Width + x0) * 3;
                var i01 = (y0 * image.Width + x1) * 3;
                var i10 = (y1 * image.Width + x0) * 3;
                var i11 = (y1 * image.Width + x1) * 3;
                for (var c = 0; c < 3; c++)
                {
                    var rgb = 2 - c; // tensor channel c is B, G, R
                    var top = px[i00 + rgb] + (px[i01 + rgb] - px[i00 + rgb]) * fx;
                    var bottom = px[i10 + rgb] + (px[i11 + rgb] - px[i10 + rgb]) * fx;
                    tensor[c * plane + y * stride + x] = normalise(c, top + (bottom - top) * fy);
                }
            }
    }
}
