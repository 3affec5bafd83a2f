namespace RenderFarm.Media.Vision.Reframing;

/// <summary>A span along the crop's axis, in source pixels.</summary>
public readonly record struct Span(double From, double To)
{
    public double Width => To - From;
    public double Centre => (From + To) / 2;
}

/// <summary>
/// What one sampled frame shows, in source pixels along the crop's axis: the faces' spans, and the salient energy
/// (motion and contrast) of each column of the analysed picture (null when the frame was not measured).
/// </summary>
public sealed record FrameObservation(double Time, IReadOnlyList<Span> Faces, double[]? Energy);

/// <summary>How a shot is framed: a crop that follows the subject, or the whole frame over a blurred copy of itself.</summary>
public enum FramingMode { Track, Pad }

/// <summary>What the subject of a shot is: faces, the most salient region (no face), or nothing found (the frame's middle).</summary>
public enum SubjectKind { Faces, Salient, None }

/// <summary>One shot's framing: its times, how it is framed and what it follows, and the crop centre at each sample.</summary>
public sealed record ShotFraming(double Start, double End, FramingMode Mode, SubjectKind Subject, ShotPath Path);

/// <summary>
/// VideoH2V's decisions, pure: for each shot, the subject in each sampled frame (the faces, all of them that are at
/// least <see cref="SecondaryFaceShare"/> as wide as the largest; without faces the window of the crop's width that
/// holds the most salient energy), whether the subject fits the crop (else the shot is padded), and the camera path
/// (<see cref="CameraPlanner"/>).
/// </summary>
public static class ReframePlanner
{
    /// <summary>Faces narrower than this share of the frame's largest face are background faces, not subjects.</summary>
    public const double SecondaryFaceShare = 0.5;

    /// <summary>A shot is padded when in at least this share of its frames with faces the faces do not fit the crop.</summary>
    public const double PadShare = 0.3;

    /// <summary>A frame's energy below this mean (per column, 0-255 scale) is a still, flat picture: no salient region.</summary>
    public const double MinEnergy = 0.5;

    /// <param name="cuts">Shot boundaries (seconds, ascending, inside the video).</param>
    /// <param name="pad">Null: pad a shot whose faces do not fit; true: pad every shot; false: never.</param>
    public static IReadOnlyList<ShotFraming> Plan(IReadOnlyList<FrameObservation> frames, IReadOnlyList<double> cuts, double duration,
        double frameWidth, double cropWidth, CameraOptions camera, bool? pad = null)
    {
        var bounds = new List<double> { 0 };
        bounds.AddRange(cuts.Where(c => c > 0 && c < duration));
        bounds.Add(duration);
        var shots = new List<ShotFraming>();
        for (var i = 0; i + 1 < bounds.Count; i++)
        {
            var (start, end) = (bounds[i], bounds[i + 1]);
            var last = i + 2 == bounds.Count;
            var inShot = frames.Where(f => f.Time >= start && (f.Time < end || last)).ToList();
            var faced = inShot.Select(f => (f.Time, Faces: Subjects(f.Faces))).Where(f => f.Faces.Count > 0).ToList();
            var tooWide = faced.Count(f => Union(f.Faces).Width > cropWidth);
            var mode = pad ?? (faced.Count > 0 && tooWide >= PadShare * faced.Count) ? FramingMode.Pad : FramingMode.Track;
            SubjectKind kind;
            List<SubjectSample> samples;
            if (faced.Count > 0)
            {
                kind = SubjectKind.Faces;
                samples = [.. inShot.Select(f => Subjects(f.Faces) is { Count: > 0 } s ? Sample(f.Time, Union(s)) : new SubjectSample(f.Time, null, null))];
            }
            else
            {
                samples = [.. inShot.Select(f => Salient(f, frameWidth, cropWidth) is { } s ? Sample(f.Time, s) : new SubjectSample(f.Time, null, null))];
                kind = samples.Any(s => s.Centre is not null) ? SubjectKind.Salient : SubjectKind.None;
            }
            var path = CameraPlanner.Plan(samples, frameWidth, cropWidth, camera);
            if (path.Keyframes.Count == 0) path = new ShotPath(true, [(start, frameWidth / 2)]);
            shots.Add(new ShotFraming(start, end, mode, kind, path));
        }
        return shots;
    }

    private static SubjectSample Sample(double time, Span s) => new(time, s.From, s.To);

    /// <summary>The faces that are subjects: those at least <see cref="SecondaryFaceShare"/> as wide as the largest.</summary>
    internal static IReadOnlyList<Span> Subjects(IReadOnlyList<Span> faces)
    {
        if (faces.Count == 0) return faces;
        var largest = faces.Max(f => f.Width);
        return [.. faces.Where(f => f.Width >= SecondaryFaceShare * largest)];
    }

    internal static Span Union(IReadOnlyList<Span> spans) => new(spans.Min(s => s.From), spans.Max(s => s.To));

    /// <summary>
    /// The salient region of a frame: in the window of the crop's width whose columns hold the most energy, the
    /// centroid of the energy above the frame's mean, given as a span half the crop wide (the camera centres on it);
    /// null when the picture is flat and still.
    /// </summary>
    internal static Span? Salient(FrameObservation frame, double frameWidth, double cropWidth)
    {
        if (frame.Energy is not { Length: > 0 } energy || energy.Average() < MinEnergy) return null;
        var columns = energy.Length;
        var window = Math.Clamp((int)Math.Round(cropWidth / frameWidth * columns), 1, columns);
        double sum = 0, best = double.MinValue;
        var bestStart = 0;
        for (var x = 0; x < columns; x++)
        {
            sum += energy[x];
            if (x >= window) sum -= energy[x - window];
            if (x >= window - 1 && sum > best) (best, bestStart) = (sum, x - window + 1);
        }
        // Many windows can hold the same busy region whole: centre on its energy above the frame's mean instead.
        var mean = energy.Average();
        double weight = 0, moment = 0;
        for (var x = bestStart; x < bestStart + window; x++)
        {
            var w = Math.Max(0, energy[x] - mean);
            weight += w;
            moment += w * (x + 0.5);
        }
        var scale = frameWidth / columns;
        var centre = (weight > 0 ? moment / weight : bestStart + window / 2.0) * scale;
        return new Span(centre - cropWidth / 4, centre + cropWidth / 4);
    }

    /// <summary>
    /// Each column's salient energy in a grey picture: how much it changed since the previous sample (motion) plus a
    /// quarter of its local contrast (horizontal and vertical differences), averaged down the column.
    /// </summary>
    public static double[] ColumnEnergy(byte[] grey, byte[]? previous, int width, int height)
    {
        var energy = new double[width];
        for (var y = 0; y < height; y++)
        {
            var row = y * width;
            for (var x = 0; x < width; x++)
            {
                var v = grey[row + x];
                var motion = previous is null ? 0 : Math.Abs(v - previous[row + x]);
                var dx = x + 1 < width ? Math.Abs(grey[row + x + 1] - v) : 0;
                var dy = y + 1 < height ? Math.Abs(grey[row + width + x] - v) : 0;
                energy[x] += motion + 0.25 * (dx + dy);
            }
        }
        for (var x = 0; x < width; x++) energy[x] /= height;
        return energy;
    }
}
