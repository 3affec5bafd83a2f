namespace RenderFarm.AI.Ocr;

/// <summary>A text box found by the detector: corners clockwise from the top-left, in picture pixels, and the mean text probability inside it.</summary>
public sealed record DetectedBox(IReadOnlyList<(double X, double Y)> Corners, double Score);

/// <summary>PaddleOCR's DB post-processing settings (its defaults for PP-OCRv4).</summary>
public sealed record DbOptions
{
    /// <summary>A pixel is text when its probability is above this (det_db_thresh).</summary>
    public double PixelThreshold { get; init; } = 0.3;

    /// <summary>A region is kept when the mean probability inside its box is at least this (det_db_box_thresh).</summary>
    public double BoxThreshold { get; init; } = 0.6;

    /// <summary>How far a box is grown: area x ratio / perimeter on every side (det_db_unclip_ratio), since DB shrinks text regions in training.</summary>
    public double UnclipRatio { get; init; } = 1.5;

    /// <summary>At most this many regions are looked at (max_candidates).</summary>
    public int MaxCandidates { get; init; } = 1000;
}

/// <summary>
/// Turns the DB detector's probability map into text boxes, as PaddleOCR's DBPostProcess does: threshold the
/// map, take each connected region (8-connected), its minimum-area rectangle, score the rectangle by the mean
/// probability inside it, grow it ("unclip"), scale it to the picture, and order the boxes top to bottom,
/// left to right. Regions whose rectangle is under 3 px on its short side (5 px once grown) are dropped.
/// </summary>
public static class DbBoxDecoder
{
    private const double MinSide = 3;

    /// <param name="probability">The map, <paramref name="mapWidth"/> x <paramref name="mapHeight"/>, rows top to bottom.</param>
    /// <param name="imageWidth">The picture's width: boxes are scaled from the map to it.</param>
    public static IReadOnlyList<DetectedBox> Decode(ReadOnlySpan<float> probability, int mapWidth, int mapHeight, int imageWidth, int imageHeight, DbOptions? options = null)
    {
        options ??= new DbOptions();
        if (probability.Length != mapWidth * mapHeight) throw new ArgumentException($"a {mapWidth}x{mapHeight} map has {mapWidth * mapHeight} values, not {probability.Length}");
        var boxes = new List<DetectedBox>();
        var regions = Regions(probability, mapWidth, mapHeight, (float)options.PixelThreshold);
        foreach (var region in regions.Take(options.MaxCandidates))
        {
            var rect = MinAreaRectangle(ConvexHull(region));
            if (Math.Min(rect.Width, rect.Height) < MinSide) continue;
            var corners = rect.Corners();
            var score = MeanInside(probability, mapWidth, mapHeight, corners);
            if (score < options.BoxThreshold) continue;
            var grown = Unclip(rect, options.UnclipRatio);
            if (Math.Min(grown.Width, grown.Height) < MinSide + 2) continue;
            var scaled = Order(grown.Corners()).Select(p => (
                Math.Clamp(Math.Round(p.X / mapWidth * imageWidth), 0, imageWidth - 1),
                Math.Clamp(Math.Round(p.Y / mapHeight * imageHeight), 0, imageHeight - 1))).ToList();
            // PaddleOCR's filter_tag_det_res: a box 3 px or less across in the picture is noise.
            if (Distance(scaled[0], scaled[1]) <= 3 || Distance(scaled[0], scaled[3]) <= 3) continue;
            boxes.Add(new DetectedBox(scaled, score));
        }
        return ReadingOrder(boxes);
    }

    /// <summary>
    /// Boxes by the top of their first corner, then left to right; PaddleOCR's sorted_boxes also treats boxes whose
    /// tops are less than 10 px apart as one row.
    /// </summary>
    public static IReadOnlyList<DetectedBox> ReadingOrder(IEnumerable<DetectedBox> boxes)
    {
        var sorted = boxes.OrderBy(b => b.Corners[0].Y).ThenBy(b => b.Corners[0].X).ToList();
        for (var i = 0; i < sorted.Count - 1; i++)
            for (var j = i; j >= 0; j--)
            {
                var (a, b) = (sorted[j], sorted[j + 1]);
                if (Math.Abs(b.Corners[0].Y - a.Corners[0].Y) < 10 && b.Corners[0].X < a.Corners[0].X) (sorted[j], sorted[j + 1]) = (b, a);
                else break;
            }
        return sorted;
    }

    /// <summary>The pixels (x, y) of each 8-connected region of values above <paramref name="threshold"/>, in order of first pixel (row-major).</summary>
    internal static List<List<(int X, int Y)>> Regions(ReadOnlySpan<float> map, int width, int height, float threshold)
    {
        var label = new int[map.Length]; // 0 = unvisited or background, else region index + 1
        var regions = new List<List<(int X, int Y)>>();
        var stack = new Stack<int>();
        for (var start = 0; start < map.Length; start++)
        {
            if (label[start] != 0 || !(map[start] > threshold)) continue;
            var region = new List<(int X, int Y)>();
            regions.Add(region);
            label[start] = regions.Count;
            stack.Push(start);
            while (stack.Count > 0)
            {
                var i = stack.Pop();
                int x = i % width, y = i / width;
                region.Add((x, y));
                for (var dy = -1; dy <= 1; dy++)
                    for (var dx = -1; dx <= 1; dx++)
                    {
                        int nx = x + dx, ny = y + dy;
                        if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
                        var n = ny * width + nx;
                        if (label[n] != 0 || !(map[n] > threshold)) continue;
                        label[n] = regions.Count;
                        stack.Push(n);
                    }
            }
        }
        return regions;
    }

    /// <summary>The convex hull of pixel centres, anticlockwise in image coordinates (Andrew's monotone chain); only each row's end pixels can be on it.</summary>
    internal static List<(double X, double Y)> ConvexHull(IEnumerable<(int X, int Y)> pixels)
    {
        var ends = new Dictionary<int, (int Min, int Max)>();
        foreach (var (x, y) in pixels)
            ends[y] = ends.TryGetValue(y, out var e) ? (Math.Min(e.Min, x), Math.Max(e.Max, x)) : (x, x);
        var points = ends.SelectMany(e => new[] { (X: (double)e.Value.Min, Y: (double)e.Key), (X: (double)e.Value.Max, Y: (double)e.Key) })
            .Distinct().OrderBy(p => p.X).ThenBy(p => p.Y).ToList();
        if (points.Count < 3) return points;
        static double Cross((double X, double Y) o, (double X, double Y) a, (double X, double Y) b) => (a.X - o.X) * (b.Y - o.Y) - (a.Y - o.Y) * (b.X - o.X);
        var hull = new List<(double X, double Y)>();
        foreach (var pass in new[] { points, Enumerable.Reverse(points).ToList() })
        {
            var start = hull.Count;
            foreach (var p in pass)
            {
                while (hull.Count >= start + 2 && Cross(hull[^2], hull[^1], p) <= 0) hull.RemoveAt(hull.Count - 1);
                hull.Add(p);
            }
            hull.RemoveAt(hull.Count - 1);
        }
        return hull;
    }

    /// <summary>A rotated rectangle: centre, side lengths, and the direction of its width side (unit vector).</summary>
    internal readonly record struct Rectangle(double CentreX, double CentreY, double Width, double Height, double DirX, double DirY)
    {
        public (double X, double Y)[] Corners()
        {
            var (wx, wy) = (DirX * Width / 2, DirY * Width / 2);
            var (hx, hy) = (-DirY * Height / 2, DirX * Height / 2);
            return [(CentreX - wx - hx, CentreY - wy - hy), (CentreX + wx - hx, CentreY + wy - hy),
                    (CentreX + wx + hx, CentreY + wy + hy), (CentreX - wx + hx, CentreY - wy + hy)];
        }
    }

    /// <summary>The smallest-area rectangle holding the hull (one side lies on a hull edge: rotating calipers).</summary>
    internal static Rectangle MinAreaRectangle(IReadOnlyList<(double X, double Y)> hull)
    {
        if (hull.Count == 0) return default;
        if (hull.Count == 1) return new Rectangle(hull[0].X, hull[0].Y, 0, 0, 1, 0);
        var best = default(Rectangle);
        var bestArea = double.MaxValue;
        for (var i = 0; i < hull.Count; i++)
        {
            var (a, b) = (hull[i], hull[(i + 1) % hull.Count]);
            var length = Math.Sqrt((b.X - a.X) * (b.X - a.X) + (b.Y - a.Y) * (b.Y - a.Y));
            if (length == 0) continue;
            var (dx, dy) = ((b.X - a.X) / length, (b.Y - a.Y) / length);
            double minU = double.MaxValue, maxU = double.MinValue, minV = double.MaxValue, maxV = double.MinValue;
            foreach (var p in hull)
            {
                var u = p.X * dx + p.Y * dy;
                var v = -p.X * dy + p.Y * dx;
                (minU, maxU, minV, maxV) = (Math.Min(minU, u), Math.Max(maxU, u), Math.Min(minV, v), Math.Max(maxV, v));
            }
            var area = (maxU - minU) * (maxV - minV);
            if (area >= bestArea) continue;
            bestArea = area;
            var (cu, cv) = ((minU + maxU) / 2, (minV + maxV) / 2);
            best = new Rectangle(cu * dx - cv * dy, cu * dy + cv * dx, maxU - minU, maxV - minV, dx, dy);
        }
        return best;
    }

    /// <summary>
    /// The rectangle grown by area x ratio / perimeter on every side. PaddleOCR offsets the polygon with rounded
    /// corners (pyclipper) and takes the minimum-area rectangle of the result: the same rectangle.
    /// </summary>
    internal static Rectangle Unclip(Rectangle r, double ratio)
    {
        var perimeter = 2 * (r.Width + r.Height);
        var distance = perimeter > 0 ? r.Width * r.Height * ratio / perimeter : 0;
        return r with { Width = r.Width + 2 * distance, Height = r.Height + 2 * distance };
    }

    /// <summary>
    /// Corners as PaddleOCR's get_mini_boxes orders them: of the two leftmost, the upper is first and the lower
    /// last; of the two rightmost, the upper is second and the lower third.
    /// </summary>
    internal static (double X, double Y)[] Order(IEnumerable<(double X, double Y)> corners)
    {
        var byX = corners.OrderBy(p => p.X).ToArray();
        var (topLeft, bottomLeft) = byX[1].Y > byX[0].Y ? (byX[0], byX[1]) : (byX[1], byX[0]);
        var (topRight, bottomRight) = byX[3].Y > byX[2].Y ? (byX[2], byX[3]) : (byX[3], byX[2]);
        return [topLeft, topRight, bottomRight, bottomLeft];
    }

    /// <summary>The mean of the map over the pixels whose centres lie in the (convex) quadrilateral, edges included (box_score_fast).</summary>
    internal static double MeanInside(ReadOnlySpan<float> map, int width, int height, IReadOnlyList<(double X, double Y)> quad)
    {
        var x0 = Math.Clamp((int)Math.Floor(quad.Min(p => p.X)), 0, width - 1);
        var x1 = Math.Clamp((int)Math.Ceiling(quad.Max(p => p.X)), 0, width - 1);
        var y0 = Math.Clamp((int)Math.Floor(quad.Min(p => p.Y)), 0, height - 1);
        var y1 = Math.Clamp((int)Math.Ceiling(quad.Max(p => p.Y)), 0, height - 1);
        double sum = 0;
        var count = 0;
        for (var y = y0; y <= y1; y++)
            for (var x = x0; x <= x1; x++)
            {
                if (!Inside(quad, x, y)) continue;
                sum += map[y * width + x];
                count++;
            }
        return count == 0 ? 0 : sum / count;
    }

    private static bool Inside(IReadOnlyList<(double X, double Y)> quad, double x, double y)
    {
        bool negative = false, positive = false;
        for (var i = 0; i < quad.Count; i++)
        {
            var (a, b) = (quad[i], quad[(i + 1) % quad.Count]);
            var cross = (b.X - a.X) * (y - a.Y) - (b.Y - a.Y) * (x - a.X);
            if (cross < -1e-6) negative = true;
            if (cross > 1e-6) positive = true;
        }
        return !(negative && positive);
    }

    private static double Distance((double X, double Y) a, (double X, double Y) b) => Math.Sqrt((a.X - b.X) * (a.X - b.X) + (a.Y - b.Y) * (a.Y - b.Y));
}
