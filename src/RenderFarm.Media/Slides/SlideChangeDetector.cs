namespace RenderFarm.Media.Slides;

/// <summary>
/// How slide changes are told apart from what moves on a slide: frames are compared cell by cell (a grid of
/// <see cref="CellSize"/>-pixel squares on small grey frames); a cell changes when its mean difference exceeds
/// <see cref="CellThreshold"/> grey levels; cells that change in more than <see cref="DynamicFraction"/> of
/// all frame pairs are moving picture (a talking-head inset, an embedded video) and are left out; a slide
/// changes when at least <see cref="ChangedFraction"/> of the remaining cells change at once (a cursor
/// covers a cell or two). Changes closer than <see cref="MinSlideSeconds"/> are one change (a fade or a
/// build spans several frames): the largest is kept.
/// </summary>
public sealed record SlideChangeOptions
{
    public int Width { get; init; } = 160;
    public int Height { get; init; } = 90;
    public int CellSize { get; init; } = 8;
    public double CellThreshold { get; init; } = 8;
    public double DynamicFraction { get; init; } = 0.2;
    public double ChangedFraction { get; init; } = 0.05;
    public double MinSlideSeconds { get; init; } = 2;
}

/// <summary>The times of the slide changes (seconds) and the cells left out as moving picture.</summary>
public sealed record SlideChanges(IReadOnlyList<double> Cuts, IReadOnlyList<double> Scores, int DynamicCells, int Cells);

/// <summary>Finds slide changes in grey frames sampled at a fixed rate (pure; see <see cref="SlideChangeOptions"/>).</summary>
public static class SlideChangeDetector
{
    /// <param name="frames">Grey frames of Width x Height bytes, frame i shown at i / <paramref name="fps"/> s.</param>
    public static SlideChanges Detect(IReadOnlyList<byte[]> frames, double fps, SlideChangeOptions options)
    {
        int columns = options.Width / options.CellSize, rows = options.Height / options.CellSize, cells = columns * rows;
        if (frames.Count < 2) return new SlideChanges([], [], 0, cells);
        var changed = new bool[frames.Count][];
        var activity = new int[cells];
        for (var f = 1; f < frames.Count; f++)
        {
            changed[f] = new bool[cells];
            for (var c = 0; c < cells; c++)
            {
                if (CellDifference(frames[f - 1], frames[f], c % columns, c / columns, options) <= options.CellThreshold) continue;
                changed[f][c] = true;
                activity[c]++;
            }
        }
        var dynamic = activity.Select(a => a > options.DynamicFraction * (frames.Count - 1)).ToArray();
        var still = dynamic.Count(d => !d);
        var scores = new double[frames.Count];
        for (var f = 1; f < frames.Count; f++)
            scores[f] = still == 0 ? 0 : Enumerable.Range(0, cells).Count(c => changed[f][c] && !dynamic[c]) / (double)still;

        // Candidates above the threshold, grouped when closer than a slide's least length; each group's strongest is the cut.
        var minFrames = Math.Max(1, (int)Math.Round(options.MinSlideSeconds * fps));
        var cuts = new List<(int Frame, double Score)>();
        for (var f = 1; f < frames.Count; f++)
        {
            if (scores[f] < options.ChangedFraction) continue;
            if (cuts.Count > 0 && f - cuts[^1].Frame < minFrames)
            {
                if (scores[f] > cuts[^1].Score) cuts[^1] = (f, scores[f]);
                continue;
            }
            cuts.Add((f, scores[f]));
        }
        // The change happened between the last frame of the old slide and the first of the new one.
        return new SlideChanges(cuts.Select(c => (c.Frame - 0.5) / fps).ToList(), cuts.Select(c => Math.Round(c.Score, 3)).ToList(),
            dynamic.Count(d => d), cells);
    }

    private static double CellDifference(byte[] a, byte[] b, int column, int row, SlideChangeOptions options)
    {
        var sum = 0;
        for (var y = row * options.CellSize; y < (row + 1) * options.CellSize; y++)
        {
            var offset = y * options.Width;
            for (var x = column * options.CellSize; x < (column + 1) * options.CellSize; x++)
                sum += Math.Abs(a[offset + x] - b[offset + x]);
        }
        return sum / (double)(options.CellSize * options.CellSize);
    }
}
