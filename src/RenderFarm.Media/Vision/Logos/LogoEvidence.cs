namespace RenderFarm.Media.Vision.Logos;

/// <summary>
/// Per-pixel statistics of sampled frames (grey, or packed RGB so that a logo whose colour differs from the
/// picture but whose luma does not still shows), accumulated one frame at a time so that memory does not grow
/// with the video's length: per channel the sum and sum of squares (the temporal mean and spread), and in how
/// many frames the pixel sat on an edge (the largest Sobel magnitude of its channels above
/// <see cref="EdgeThreshold"/>). A burned-in logo is where edges persist and the pixel holds still while the
/// rest of the picture changes.
/// </summary>
public sealed class LogoEvidence
{
    private readonly long[] _sum, _sumSquares;
    private readonly int[] _edgeFrames;

    /// <param name="channels">1 for grey frames, 3 for packed RGB24.</param>
    /// <param name="edgeThreshold">Least Sobel magnitude, in levels of a step edge, that counts as an edge.</param>
    public LogoEvidence(int width, int height, int channels = 1, double edgeThreshold = 20)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 3);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 3);
        if (channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(channels), "1 (grey) or 3 (RGB)");
        (Width, Height, Channels, EdgeThreshold) = (width, height, channels, edgeThreshold);
        _sum = new long[width * height * channels];
        _sumSquares = new long[width * height * channels];
        _edgeFrames = new int[width * height];
    }

    public int Width { get; }
    public int Height { get; }
    public int Channels { get; }
    public double EdgeThreshold { get; }
    public int Frames { get; private set; }

    /// <summary>Adds one frame of <see cref="Width"/> x <see cref="Height"/> pixels of <see cref="Channels"/> bytes.</summary>
    public void Add(ReadOnlySpan<byte> frame)
    {
        int c = Channels, w = Width, stride = w * c;
        if (frame.Length != stride * Height) throw new ArgumentException($"a frame of {Width}x{Height}x{c} has {stride * Height} bytes, not {frame.Length}", nameof(frame));
        // |gx| + |gy| of the 3x3 Sobel is 4x a step edge's height; compare against 4x the threshold.
        var limit = (int)Math.Ceiling(EdgeThreshold * 4);
        for (var i = 0; i < frame.Length; i++)
        {
            int v = frame[i];
            _sum[i] += v;
            _sumSquares[i] += v * v;
        }
        for (var y = 1; y < Height - 1; y++)
            for (var x = 1; x < w - 1; x++)
                for (var k = 0; k < c; k++)
                {
                    var i = y * stride + x * c + k;
                    int gx = frame[i - stride + c] + 2 * frame[i + c] + frame[i + stride + c] - frame[i - stride - c] - 2 * frame[i - c] - frame[i + stride - c];
                    int gy = frame[i + stride - c] + 2 * frame[i + stride] + frame[i + stride + c] - frame[i - stride - c] - 2 * frame[i - stride] - frame[i - stride + c];
                    if (Math.Abs(gx) + Math.Abs(gy) < limit) continue;
                    _edgeFrames[y * w + x]++;
                    break;
                }
        Frames++;
    }

    /// <summary>Share of the frames in which pixel <paramref name="i"/> (y * Width + x) was on an edge.</summary>
    public double EdgeFraction(int i) => Frames == 0 ? 0 : (double)_edgeFrames[i] / Frames;

    /// <summary>The largest temporal standard deviation of pixel <paramref name="i"/>'s channels, in levels.</summary>
    public double Deviation(int i)
    {
        if (Frames == 0) return 0;
        var most = 0.0;
        for (var k = i * Channels; k < (i + 1) * Channels; k++)
        {
            var mean = (double)_sum[k] / Frames;
            most = Math.Max(most, Math.Sqrt(Math.Max(0, (double)_sumSquares[k] / Frames - mean * mean)));
        }
        return most;
    }
}
