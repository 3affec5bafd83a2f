namespace RenderFarm.Media.Vision.Logos;

/// <summary>
/// Per-pixel statistics of sampled grey frames, accumulated one frame at a time so that memory does not
/// grow with the video's length: the luma's sum and sum of squares (its temporal mean and spread) and in
/// how many frames the pixel sat on an edge (Sobel magnitude above <see cref="EdgeThreshold"/>). A burned-in
/// logo is where edges persist and the luma holds still while the rest of the picture changes.
/// </summary>
public sealed class LogoEvidence
{
    private readonly long[] _sum, _sumSquares;
    private readonly int[] _edgeFrames;

    /// <param name="edgeThreshold">Least Sobel magnitude, in luma levels of a step edge, that counts as an edge.</param>
    public LogoEvidence(int width, int height, double edgeThreshold = 20)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 3);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 3);
        (Width, Height, EdgeThreshold) = (width, height, edgeThreshold);
        _sum = new long[width * height];
        _sumSquares = new long[width * height];
        _edgeFrames = new int[width * height];
    }

    public int Width { get; }
    public int Height { get; }
    public double EdgeThreshold { get; }
    public int Frames { get; private set; }

    /// <summary>Adds one frame of <see cref="Width"/> x <see cref="Height"/> 8-bit luma.</summary>
    public void Add(ReadOnlySpan<byte> luma)
    {
        if (luma.Length != Width * Height) throw new ArgumentException($"a frame of {Width}x{Height} has {Width * Height} bytes, not {luma.Length}", nameof(luma));
        int w = Width;
        // |gx| + |gy| of the 3x3 Sobel is 4x a step edge's height; compare against 4x the threshold.
        var limit = (int)Math.Ceiling(EdgeThreshold * 4);
        for (var i = 0; i < luma.Length; i++)
        {
            int v = luma[i];
            _sum[i] += v;
            _sumSquares[i] += v * v;
        }
        for (var y = 1; y < Height - 1; y++)
            for (var x = 1; x < w - 1; x++)
            {
                var i = y * w + x;
                int gx = luma[i - w + 1] + 2 * luma[i + 1] + luma[i + w + 1] - luma[i - w - 1] - 2 * luma[i - 1] - luma[i + w - 1];
                int gy = luma[i + w - 1] + 2 * luma[i + w] + luma[i + w + 1] - luma[i - w - 1] - 2 * luma[i - w] - luma[i - w + 1];
                if (Math.Abs(gx) + Math.Abs(gy) >= limit) _edgeFrames[i]++;
            }
        Frames++;
    }

    /// <summary>Share of the frames in which pixel <paramref name="i"/> was on an edge.</summary>
    public double EdgeFraction(int i) => Frames == 0 ? 0 : (double)_edgeFrames[i] / Frames;

    /// <summary>Temporal standard deviation of pixel <paramref name="i"/>'s luma, in levels.</summary>
    public double LumaDeviation(int i)
    {
        if (Frames == 0) return 0;
        var mean = (double)_sum[i] / Frames;
        return Math.Sqrt(Math.Max(0, (double)_sumSquares[i] / Frames - mean * mean));
    }
}
