namespace RenderFarm.Media.AudioAnalysis;

/// <summary>
/// Self-similarity of a piece at block resolution: <see cref="Matrix"/>[i][j] is the chroma similarity of
/// blocks i and j (1 = same pitch classes). A repeated passage shows as a stripe parallel to the diagonal;
/// a section boundary as a place where the pattern of repetitions changes, which <see cref="Novelty"/> finds.
/// </summary>
public sealed record SelfSimilarity(double[][] Matrix)
{
    public int Size => Matrix.Length;

    public static SelfSimilarity FromProfiles(IReadOnlyList<float[]> profiles)
    {
        var n = profiles.Count;
        var m = new double[n][];
        for (var i = 0; i < n; i++) m[i] = new double[n];
        for (var i = 0; i < n; i++)
            for (var j = i; j < n; j++) m[i][j] = m[j][i] = Chroma.Similarity(profiles[i], profiles[j]);
        return new SelfSimilarity(m);
    }

    /// <summary>
    /// Structure novelty (after Serra et al., 2014): each block's row of the matrix, smoothed along the
    /// diagonals over <paramref name="smooth"/> blocks and read relative to the block itself (lag l is the block
    /// l later, wrapping round), says where its music repeats. Inside a section that pattern slides along
    /// unchanged; at a boundary it changes. Likeness is counted above halfway from the piece's mean to 1. The novelty at block i is the distance between the mean pattern of
    /// the <paramref name="halfWidth"/> blocks before i and of those from i on. Unlike Foote's checkerboard it
    /// does not need sections to be uniform inside (a verse of four different chords is one section).
    /// </summary>
    public double[] Novelty(int smooth, int halfWidth)
    {
        var n = Size;
        var enhanced = DiagonalMean(Math.Max(1, smooth));
        var result = new double[n];
        if (n < 2) return result;
        // Only likeness well above the piece's usual counts (a recurrence): otherwise the chance likeness of
        // unrelated chords, changing at every chord, drowns the few lags where music really repeats.
        var mean = enhanced.Average(row => row.Average());
        var floor = mean + 0.5 * (1 - mean);
        foreach (var row in enhanced)
            for (var j = 0; j < n; j++) row[j] = Math.Max(0, row[j] - floor) / (1 - floor + 1e-12);
        // Lags near 0 are the music's likeness to its own neighbourhood, which slides along inside a section
        // rather than standing still: only repetitions further away than the smoothing say where sections lie.
        var near = Math.Min(n / 2, Math.Max(1, smooth));
        var before = new double[n + 1];
        var after = new double[n + 1];
        for (var i = 1; i < n; i++)
        {
            var (from, to) = (Math.Max(0, i - halfWidth), Math.Min(n, i + halfWidth));
            Array.Clear(before);
            Array.Clear(after);
            for (var k = from; k < i; k++)
                for (var l = near; l <= n - near; l++) before[l] += enhanced[k][(k + l) % n];
            for (var k = i; k < to; k++)
                for (var l = near; l <= n - near; l++) after[l] += enhanced[k][(k + l) % n];
            double sum = 0;
            for (var l = near; l <= n - near; l++)
            {
                var d = before[l] / (i - from) - after[l] / (to - i);
                sum += d * d;
            }
            result[i] = Math.Sqrt(sum / n);
        }
        return result;
    }

    /// <summary>The matrix averaged along its diagonals over <paramref name="length"/> blocks centred on each cell: repeated passages stay high, chance matches of single blocks fade.</summary>
    internal double[][] DiagonalMean(int length)
    {
        var n = Size;
        var result = new double[n][];
        var half = length / 2;
        for (var i = 0; i < n; i++)
        {
            result[i] = new double[n];
            for (var j = 0; j < n; j++)
            {
                double sum = 0;
                var count = 0;
                for (var k = -half; k < length - half; k++)
                {
                    var (a, b) = (i + k, j + k);
                    if (a < 0 || b < 0 || a >= n || b >= n) continue;
                    sum += Matrix[a][b];
                    count++;
                }
                result[i][j] = count == 0 ? 0 : sum / count;
            }
        }
        return result;
    }

    /// <summary>
    /// How alike two passages are: the mean similarity along their aligned diagonal (starts aligned, then
    /// shifted up to <paramref name="slack"/> blocks either way for the best match), scaled down when their
    /// lengths differ. 1 = the same music.
    /// </summary>
    public double PassageSimilarity(int startA, int endA, int startB, int endB, int slack = 2)
    {
        var (la, lb) = (endA - startA, endB - startB);
        if (la <= 0 || lb <= 0) return 0;
        var length = Math.Min(la, lb);
        var best = 0.0;
        for (var offset = -slack; offset <= slack; offset++)
        {
            double sum = 0;
            var count = 0;
            for (var k = 0; k < length; k++)
            {
                var (i, j) = (startA + k, startB + k + offset);
                if (j < 0 || j >= Size || i >= Size) continue;
                sum += Matrix[i][j];
                count++;
            }
            if (count >= length / 2) best = Math.Max(best, sum / count);
        }
        return best * Math.Sqrt((double)length / Math.Max(la, lb));
    }
}
