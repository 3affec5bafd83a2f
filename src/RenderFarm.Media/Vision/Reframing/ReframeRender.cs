using System.Globalization;
using System.Text;
using RenderFarm.Media.Compilation;

namespace RenderFarm.Media.Vision.Reframing;

/// <summary>The crop's left edge (source pixels) at a time: one point of the camera path a Result reports.</summary>
public readonly record struct PathPoint(double Time, int X);

/// <summary>
/// VideoH2V's render, pure: the crop position of every source frame (ffmpeg's sendcmd commands, one per frame, so
/// the crop moves smoothly between the path's keyframes) and the filter graph: the crop scaled to the output, and
/// for padded shots the whole frame scaled to the output's width over a blurred copy of itself filling the output,
/// switched on for those shots' times.
/// </summary>
public sealed record ReframeLayout(int SourceWidth, int SourceHeight, int CropWidth, int OutputWidth, int OutputHeight)
{
    /// <summary>The crop filter's instance name, the target of the commands.</summary>
    public const string CropFilter = "crop@h2v";

    /// <summary>The crop's left edge for a camera centre, kept inside the frame.</summary>
    public int Left(double centre) => (int)Math.Clamp(Math.Round(centre - CropWidth / 2.0), 0, SourceWidth - CropWidth);

    /// <summary>
    /// A shot's camera path as crop edges, keeping only the keyframes needed to draw it within a pixel (a held
    /// camera is its first and last point; a steady move its ends).
    /// </summary>
    public IReadOnlyList<PathPoint> Keyframes(ShotFraming shot)
    {
        var points = shot.Path.Keyframes.Select(k => new PathPoint(k.Time, Left(k.Centre))).ToList();
        if (points.Count <= 2) return points;
        var kept = new List<PathPoint> { points[0] };
        var anchor = 0;
        for (var i = 2; i < points.Count; i++)
        {
            // Can the segment from the anchor to point i draw every point between within a pixel?
            var (a, b) = (points[anchor], points[i]);
            var fits = Enumerable.Range(anchor + 1, i - anchor - 1).All(j => Math.Abs(Interpolate(a, b, points[j].Time) - points[j].X) <= 1);
            if (fits) continue;
            kept.Add(points[i - 1]);
            anchor = i - 1;
        }
        kept.Add(points[^1]);
        return kept;
    }

    /// <summary>The crop's left edge at <paramref name="time"/>: the path of the shot holding it, linear between its keyframes.</summary>
    public static int At(IReadOnlyList<(ShotFraming Shot, IReadOnlyList<PathPoint> Path)> shots, double time)
    {
        var (_, path) = shots.FirstOrDefault(s => time >= s.Shot.Start && time < s.Shot.End);
        path ??= shots[^1].Path;
        if (time <= path[0].Time) return path[0].X;
        for (var i = 1; i < path.Count; i++)
            if (time <= path[i].Time) return (int)Math.Round(Interpolate(path[i - 1], path[i], time));
        return path[^1].X;
    }

    private static double Interpolate(PathPoint a, PathPoint b, double time) =>
        b.Time <= a.Time ? b.X : a.X + (b.X - a.X) * (time - a.Time) / (b.Time - a.Time);

    /// <summary>
    /// sendcmd's commands: before each source frame (at <paramref name="frameTimes"/>, ascending) the crop's x for
    /// it. A command is timed half a frame early so it is in force when its frame arrives; unchanged values are left out.
    /// </summary>
    public string Commands(IReadOnlyList<(ShotFraming Shot, IReadOnlyList<PathPoint> Path)> shots, IReadOnlyList<double> frameTimes)
    {
        var text = new StringBuilder();
        int? last = null;
        for (var i = 0; i < frameTimes.Count; i++)
        {
            var x = At(shots, frameTimes[i]);
            if (x == last) continue;
            var at = i == 0 ? 0 : Math.Max(0, frameTimes[i] - (frameTimes[i] - frameTimes[i - 1]) / 2);
            text.Append(CultureInfo.InvariantCulture, $"{at:0.######} {CropFilter} x {x};\n");
            last = x;
        }
        return text.ToString();
    }

    /// <summary>
    /// The filter graph from input 0's video to <c>[v]</c>: the crop moved by <paramref name="commandsFile"/>, and for
    /// <paramref name="padded"/> time ranges the padded picture over it.
    /// </summary>
    public string Graph(string commandsFile, int firstX, IReadOnlyList<(double Start, double End)> padded)
    {
        var track = string.Join(',',
            FilterGraphText.Filter("sendcmd", ("f", commandsFile)),
            FilterGraphText.Filter(CropFilter, ("w", CropWidth), ("h", SourceHeight), ("x", firstX), ("y", 0)),
            FilterGraphText.Filter("scale", ("w", OutputWidth), ("h", OutputHeight)),
            FilterGraphText.Filter("setsar", ("r", 1)));
        if (padded.Count == 0) return $"[0:v:0]{track},{FilterGraphText.Filter("format", ("pix_fmts", "yuv420p"))}[v]";

        // The blur is made on a small copy (an eighth of the output), so it is cheap and wide.
        var (smallW, smallH) = (Even(OutputWidth / 8.0), Even(OutputHeight / 8.0));
        var background = string.Join(',',
            FilterGraphText.Filter("scale", ("w", smallW), ("h", smallH), ("force_original_aspect_ratio", "increase")),
            FilterGraphText.Filter("crop", ("w", smallW), ("h", smallH)),
            FilterGraphText.Filter("boxblur", ("luma_radius", 6), ("luma_power", 2)),
            FilterGraphText.Filter("scale", ("w", OutputWidth), ("h", OutputHeight)),
            FilterGraphText.Filter("setsar", ("r", 1)));
        var (fitW, fitH) = Fit();
        var foreground = FilterGraphText.Filter("scale", ("w", fitW), ("h", fitH));
        var pad = FilterGraphText.Filter("overlay", ("x", (OutputWidth - fitW) / 2), ("y", (OutputHeight - fitH) / 2));
        var enable = string.Join('+', padded.Select(p => $"between(t,{FilterGraphText.Number(p.Start)},{FilterGraphText.Number(p.End)})"));
        var choose = FilterGraphText.Filter("overlay", ("x", 0), ("y", 0), ("enable", enable));
        return $"[0:v:0]split=3[t][b][f];[t]{track}[track];[b]{background}[bg];[f]{foreground}[fg];[bg][fg]{pad}[pad];" +
               $"[track][pad]{choose},{FilterGraphText.Filter("format", ("pix_fmts", "yuv420p"))}[v]";
    }

    /// <summary>The whole source frame scaled to fit the output (its width, for a landscape source in a portrait output).</summary>
    public (int Width, int Height) Fit()
    {
        var scale = Math.Min((double)OutputWidth / SourceWidth, (double)OutputHeight / SourceHeight);
        return (Math.Min(OutputWidth, Even(SourceWidth * scale)), Math.Min(OutputHeight, Even(SourceHeight * scale)));
    }

    public static int Even(double v) => Math.Max(2, (int)Math.Round(v / 2) * 2);
}
