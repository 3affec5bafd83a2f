namespace RenderFarm.AI.Faces;

/// <summary>A face box (centre and size, in fractions of the model's input side as decoded, or in picture pixels once mapped) with its score (0-1).</summary>
public readonly record struct FaceCandidate(double CentreX, double CentreY, double Width, double Height, double Score)
{
    public double Left => CentreX - Width / 2;
    public double Top => CentreY - Height / 2;
    public double Right => CentreX + Width / 2;
    public double Bottom => CentreY + Height / 2;

    public double IntersectionOverUnion(FaceCandidate other)
    {
        var w = Math.Max(0, Math.Min(Right, other.Right) - Math.Max(Left, other.Left));
        var h = Math.Max(0, Math.Min(Bottom, other.Bottom) - Math.Max(Top, other.Top));
        var inner = w * h;
        var union = Width * Height + other.Width * other.Height - inner;
        return union > 0 ? inner / union : 0;
    }
}

/// <summary>
/// BlazeFace's outputs to face boxes, as MediaPipe's face detection graph decodes them. Both models (front
/// 128x128 and back 256x256) predict for 896 anchors: a 16x16 grid with 2 anchors a cell, then an 8x8 grid with 6
/// (anchors are cell centres, all of size 1: MediaPipe's fixed_anchor_size). For each anchor the model gives a
/// raw score (a logit) and 16 numbers: the box centre's offset from the anchor, its width and height, then six
/// key points, all in input pixels. Boxes above the score threshold are merged by weighted non-maximum
/// suppression: overlapping boxes (IoU at least <see cref="SuppressionIou"/>) are averaged, weighted by score.
/// </summary>
public static class BlazeFaceDecoder
{
    public const int Values = 16;
    public static readonly (int Cells, int AnchorsPerCell)[] Layers = [(16, 2), (8, 6)];
    public static readonly int Anchors = Layers.Sum(l => l.Cells * l.Cells * l.AnchorsPerCell);

    /// <summary>MediaPipe's min_suppression_threshold for BlazeFace.</summary>
    public const double SuppressionIou = 0.3;

    // MediaPipe clips logits to this before the sigmoid (score_clipping_thresh).
    private const double LogitClip = 100;

    /// <summary>
    /// The faces of one layer pair: <paramref name="scores"/> and <paramref name="boxes"/> hold each layer's outputs in
    /// order (raw scores: one per anchor; boxes: <see cref="Values"/> per anchor), <paramref name="inputSize"/> is the
    /// model's input side in pixels. Returns candidates scoring above <paramref name="minScore"/>, before suppression.
    /// </summary>
    public static List<FaceCandidate> Candidates(IReadOnlyList<float[]> scores, IReadOnlyList<float[]> boxes, int inputSize, double minScore)
    {
        if (scores.Count != Layers.Length || boxes.Count != Layers.Length)
            throw new ArgumentException($"BlazeFace has {Layers.Length} output layers, not {scores.Count} score and {boxes.Count} box arrays");
        var found = new List<FaceCandidate>();
        for (var layer = 0; layer < Layers.Length; layer++)
        {
            var (cells, perCell) = Layers[layer];
            var count = cells * cells * perCell;
            if (scores[layer].Length != count || boxes[layer].Length != count * Values)
                throw new ArgumentException($"BlazeFace layer {layer} needs {count} scores and {count * Values} box values, not {scores[layer].Length} and {boxes[layer].Length}");
            for (var i = 0; i < count; i++)
            {
                var score = Sigmoid(scores[layer][i]);
                if (score < minScore) continue;
                var cell = i / perCell;
                var anchorX = (cell % cells + 0.5) / cells;
                var anchorY = (cell / cells + 0.5) / cells;
                var b = boxes[layer].AsSpan(i * Values, Values);
                found.Add(new FaceCandidate(anchorX + b[0] / inputSize, anchorY + b[1] / inputSize, b[2] / inputSize, b[3] / inputSize, score));
            }
        }
        return found;
    }

    /// <summary>
    /// Weighted non-maximum suppression (MediaPipe's WEIGHTED overlap type): from the highest score down, each box
    /// takes every remaining box overlapping it by at least <paramref name="iou"/>; the group becomes one box, the
    /// score-weighted mean of its boxes, with the group's highest score. Most certain first.
    /// </summary>
    public static IReadOnlyList<FaceCandidate> Suppress(IEnumerable<FaceCandidate> candidates, double iou = SuppressionIou)
    {
        var remaining = candidates.Where(c => c.Width > 0 && c.Height > 0).OrderByDescending(c => c.Score).ToList();
        var faces = new List<FaceCandidate>();
        while (remaining.Count > 0)
        {
            var top = remaining[0];
            var group = remaining.Where(c => top.IntersectionOverUnion(c) >= iou).ToList();
            remaining.RemoveAll(group.Contains);
            if (!group.Contains(top)) { group.Add(top); remaining.Remove(top); }
            var weight = group.Sum(c => c.Score);
            faces.Add(new FaceCandidate(
                group.Sum(c => c.CentreX * c.Score) / weight, group.Sum(c => c.CentreY * c.Score) / weight,
                group.Sum(c => c.Width * c.Score) / weight, group.Sum(c => c.Height * c.Score) / weight, top.Score));
        }
        return faces;
    }

    private static double Sigmoid(float logit) => 1 / (1 + Math.Exp(-Math.Clamp(logit, -LogitClip, LogitClip)));
}
