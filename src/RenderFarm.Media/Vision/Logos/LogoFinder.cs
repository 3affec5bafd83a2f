namespace RenderFarm.Media.Vision.Logos;

/// <summary>How <see cref="LogoFinder"/> tells a static logo from the picture.</summary>
public sealed record LogoFinderOptions
{
    /// <summary>Least share of the frames in which a logo pixel is on an edge.</summary>
    public double PersistentFraction { get; init; } = 0.75;

    /// <summary>Most temporal standard deviation of a logo pixel (levels, its most varying channel); semi-transparent marks move a little with the background.</summary>
    public double MaxDeviation { get; init; } = 16;

    /// <summary>Fewest sampled frames for a decision (with fewer, nothing is found).</summary>
    public int MinFrames { get; init; } = 8;

    /// <summary>Largest logo as a share of the frame's width and of its height (a wider static structure is scenery or a letterbox).</summary>
    public double MaxSizeFraction { get; init; } = 0.4;

    /// <summary>Fewest persistent edge pixels of a logo, as a share of the frame's pixels.</summary>
    public double MinPixelsFraction { get; init; } = 0.0008;

    /// <summary>Persistent pixels closer than this share of the frame's width are one logo (the letters of a word).</summary>
    public double GroupingFraction { get; init; } = 0.012;

    /// <summary>Share of the remaining picture that must change for a persistent structure to count as an overlay.</summary>
    public double ChangingFraction { get; init; } = 0.25;

    /// <summary>Least confidence of a reported logo.</summary>
    public double MinConfidence { get; init; } = 0.4;
}

/// <summary>A static structure found: its box (in the evidence's pixels), confidence 0-1 and the figures behind it.</summary>
public sealed record LogoCandidate(LogoBox Box, double Confidence, int Pixels, double Fill, double Corner);

/// <summary>The finder's answer: the logo (null when none), every candidate considered and the share of the picture that changed.</summary>
public sealed record LogoSearch(LogoCandidate? Logo, IReadOnlyList<LogoCandidate> Candidates, double Changing, string? Reason);

/// <summary>
/// Finds a burned-in static logo or watermark (pure): pixels on an edge in most sampled frames whose colour
/// holds still are grouped into connected components (after a dilation that joins the letters of a word);
/// components wider or taller than <see cref="LogoFinderOptions.MaxSizeFraction"/> of the frame (scenery,
/// letterbox bars) or too small are dropped; the rest are scored by size, preferring corners, and the best is
/// the logo when its confidence (how much the rest of the picture changes x how dense its edges are x
/// closeness to a corner) reaches <see cref="LogoFinderOptions.MinConfidence"/>. A picture that barely
/// changes gives no logo: a logo cannot be told from static scenery there.
/// </summary>
public static class LogoFinder
{
    public static LogoSearch Find(LogoEvidence evidence, LogoFinderOptions? options = null)
    {
        var o = options ?? new LogoFinderOptions();
        int w = evidence.Width, h = evidence.Height, n = w * h;
        if (evidence.Frames < o.MinFrames) return new LogoSearch(null, [], 0, $"only {evidence.Frames} frames were sampled ({o.MinFrames} are needed)");

        var persistent = new bool[n];
        var changing = new bool[n];
        for (var i = 0; i < n; i++)
        {
            changing[i] = evidence.Deviation(i) > o.MaxDeviation;
            persistent[i] = !changing[i] && evidence.EdgeFraction(i) >= o.PersistentFraction;
        }

        var radius = Math.Max(1, (int)Math.Round(o.GroupingFraction * Math.Max(w, h)));
        var labels = Label(Dilate(persistent, w, h, radius), w, h, out var count);
        var boxes = new (int MinX, int MinY, int MaxX, int MaxY, int Pixels)[count + 1];
        for (var k = 1; k <= count; k++) boxes[k] = (int.MaxValue, int.MaxValue, -1, -1, 0);
        for (var i = 0; i < n; i++)
        {
            if (!persistent[i]) continue;
            var k = labels[i];
            int x = i % w, y = i / w;
            var b = boxes[k];
            boxes[k] = (Math.Min(b.MinX, x), Math.Min(b.MinY, y), Math.Max(b.MaxX, x), Math.Max(b.MaxY, y), b.Pixels + 1);
        }

        var minPixels = Math.Max(6, (int)Math.Ceiling(o.MinPixelsFraction * n));
        var kept = new List<(LogoBox Box, int Pixels)>();
        for (var k = 1; k <= count; k++)
        {
            var b = boxes[k];
            if (b.Pixels < minPixels) continue;
            var box = new LogoBox(b.MinX, b.MinY, b.MaxX - b.MinX + 1, b.MaxY - b.MinY + 1);
            if (box.Width > o.MaxSizeFraction * w || box.Height > o.MaxSizeFraction * h || box.Width < 3 || box.Height < 3) continue;
            kept.Add((box, b.Pixels));
        }

        // "The rest of the picture changes": the share of changing pixels outside every kept structure.
        int outside = 0, moving = 0;
        for (var i = 0; i < n; i++)
        {
            int x = i % w, y = i / w;
            if (kept.Any(c => x >= c.Box.X && x < c.Box.Right && y >= c.Box.Y && y < c.Box.Bottom)) continue;
            outside++;
            if (changing[i]) moving++;
        }
        var changingShare = outside == 0 ? 0 : (double)moving / outside;
        var dynamics = Math.Min(1, changingShare / o.ChangingFraction);

        var candidates = kept.Select(c =>
        {
            var fill = (double)c.Pixels / c.Box.Area;
            var corner = Corner(c.Box, w, h);
            // A text or shape logo has edges over a good part of its box; scattered static specks do not.
            var confidence = dynamics * Math.Min(1, fill / 0.2) * (0.7 + 0.3 * corner);
            return new LogoCandidate(c.Box, Math.Round(confidence, 3), c.Pixels, Math.Round(fill, 3), Math.Round(corner, 3));
        }).OrderByDescending(c => c.Pixels * (0.5 + 0.5 * c.Corner) * c.Confidence).ToList();

        var best = candidates.FirstOrDefault();
        if (best is not null && best.Confidence >= o.MinConfidence) return new LogoSearch(best, candidates, changingShare, null);
        var reason = changingShare < o.ChangingFraction
            ? $"the picture barely changes ({changingShare:P0} of it), so a logo cannot be told from static scenery"
            : best is null ? "no persistent static structure of a logo's size" : $"the best static structure has confidence {best.Confidence:0.00} (under {o.MinConfidence:0.00})";
        return new LogoSearch(null, candidates, changingShare, reason);
    }

    /// <summary>1 when the box's centre is at a corner of the frame, 0 at its centre.</summary>
    public static double Corner(LogoBox box, int width, int height)
    {
        double cx = box.X + box.Width / 2.0, cy = box.Y + box.Height / 2.0;
        var dx = Math.Min(cx, width - cx) / width;
        var dy = Math.Min(cy, height - cy) / height;
        return 1 - Math.Min(1, (dx + dy) / 1.0);
    }

    private static bool[] Dilate(bool[] mask, int w, int h, int r)
    {
        // Separable square dilation: rows, then columns.
        var rows = new bool[mask.Length];
        for (var y = 0; y < h; y++) DilateLine(mask, rows, y * w, 1, w, r);
        var result = new bool[mask.Length];
        for (var x = 0; x < w; x++) DilateLine(rows, result, x, w, h, r);
        return result;
    }

    /// <summary>One line of the dilation: element j of the line is set when the source line has one set within r of j.</summary>
    private static void DilateLine(bool[] source, bool[] target, int start, int step, int length, int r)
    {
        var last = -2 * r - 1;
        for (var j = 0; j < length + r; j++)
        {
            if (j < length && source[start + j * step]) last = j;
            var at = j - r;
            if (at >= 0 && at < length) target[start + at * step] = j - last <= 2 * r;
        }
    }

    private static int[] Label(bool[] mask, int w, int h, out int count)
    {
        var labels = new int[mask.Length];
        var stack = new Stack<int>();
        var next = 0;
        for (var start = 0; start < mask.Length; start++)
        {
            if (!mask[start] || labels[start] != 0) continue;
            labels[start] = ++next;
            stack.Push(start);
            while (stack.Count > 0)
            {
                var i = stack.Pop();
                int x = i % w, y = i / w;
                if (x > 0) Visit(i - 1);
                if (x < w - 1) Visit(i + 1);
                if (y > 0) Visit(i - w);
                if (y < h - 1) Visit(i + w);
            }
        }
        count = next;
        return labels;

        void Visit(int j)
        {
            if (!mask[j] || labels[j] != 0) return;
            labels[j] = next;
            stack.Push(j);
        }
    }
}
