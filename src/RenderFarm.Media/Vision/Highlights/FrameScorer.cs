using RenderFarm.Media.Analysis;

namespace RenderFarm.Media.Vision.Highlights;

/// <summary>Why a frame cannot be a cover: nothing to see (flat), too dark, blown out, or inside a fade or dissolve.</summary>
public enum FrameFault { None, Blank, Dark, Clipped, Transition }

/// <summary>
/// One frame's cover score and its parts (each 0-1): <see cref="Total"/> is 0 for a frame with a
/// <see cref="Fault"/>; <see cref="Quality"/> is the same formula without that gate (a last resort when every frame has one).
/// </summary>
public sealed record FrameScore(double Time, int Shot, double Total, double Quality, double Sharpness, double Exposure, double Faces, FrameFault Fault);

/// <summary>The constants of <see cref="FrameScorer"/>: thresholds in luma units (0-255) and look distance (0-1) per second.</summary>
public sealed record FrameScoringOptions
{
    /// <summary>Laplacian variance (luma, at the sampling size) that counts as half sharp; a crisp photo at 320 px is several times this.</summary>
    public double SharpnessHalf { get; init; } = 60;

    /// <summary>Below this luma spread the frame is flat: black, white or one colour.</summary>
    public double MinContrast { get; init; } = 10;

    /// <summary>Mean luma below this, or more than <see cref="MaxCrushed"/> of pixels crushed black: too dark.</summary>
    public double MinLuma { get; init; } = 28;

    public double MaxCrushed { get; init; } = 0.6;

    /// <summary>More than this share of pixels blown to white: clipped.</summary>
    public double MaxBlown { get; init; } = 0.5;

    /// <summary>Mean luma changing faster than this (per second) towards a neighbouring sample of the same shot: a fade.</summary>
    public double MaxLumaRate { get; init; } = 15;

    /// <summary>The look changing faster than this (per second) towards a neighbouring sample of the same shot: a dissolve or wipe.</summary>
    public double MaxLookRate { get; init; } = 0.6;

    /// <summary>Face detector certainty a face needs to count.</summary>
    public double MinFaceScore { get; init; } = 0.5;

    /// <summary>A face at least this share of the frame counts fully; a smaller one by the square root of its share of it.</summary>
    public double FullFaceArea { get; init; } = 0.02;

    /// <summary>What a face touching the frame edge (cut) counts, relative to a whole one.</summary>
    public double CutFaceWeight { get; init; } = 0.25;

    public double SharpnessWeight { get; init; } = 0.55;
    public double FaceWeight { get; init; } = 0.45;
}

/// <summary>
/// Scores sampled frames as covers (pure). Exposure (spread, mid-tone mean, few crushed or blown pixels) multiplies
/// sharpness plus a face bonus: <c>Exposure * (Ws * Sharpness + Wf * Faces * sqrt(Sharpness))</c>, so a face counts
/// only as far as it is sharp, and a sharp frame without a face can still win over a blurred one with a face.
/// Faces: the best whole face by size; a face cut by the frame edge counts a quarter. Frames that are flat, too dark,
/// blown out, or changing fast in luma or look relative to a neighbour of the same shot (fades, dissolves) score 0.
/// </summary>
public static class FrameScorer
{
    public static IReadOnlyList<FrameScore> Score(IReadOnlyList<FrameMeasure> frames, IReadOnlyList<PlannedShot> shots, FrameScoringOptions? options = null)
    {
        var o = options ?? new FrameScoringOptions();
        var shotOf = frames.Select(f => ShotIndex(shots, f.Time)).ToArray();
        var scores = new FrameScore[frames.Count];
        for (var i = 0; i < frames.Count; i++)
        {
            var f = frames[i];
            var sharp = f.Sharpness / (f.Sharpness + o.SharpnessHalf);
            var exposure = Exposure(f);
            var faces = Faces(f, o);
            var quality = exposure * (o.SharpnessWeight * sharp + o.FaceWeight * faces * Math.Sqrt(sharp));
            var fault = f.Contrast < o.MinContrast ? FrameFault.Blank
                : f.Luma < o.MinLuma || f.Dark > o.MaxCrushed ? FrameFault.Dark
                : f.Bright > o.MaxBlown ? FrameFault.Clipped
                : Changing(frames, shotOf, i, o) ? FrameFault.Transition
                : FrameFault.None;
            scores[i] = new FrameScore(f.Time, shotOf[i], fault == FrameFault.None ? quality : 0, quality, sharp, exposure, faces, fault);
        }
        return scores;
    }

    /// <summary>The index of the shot holding <paramref name="time"/> (the last shot holds its end); 0 without shots.</summary>
    public static int ShotIndex(IReadOnlyList<PlannedShot> shots, double time)
    {
        for (var s = shots.Count - 1; s > 0; s--)
            if (time >= shots[s].In) return s;
        return 0;
    }

    /// <summary>Spread (full at 48), mean away from the extremes (full within 80-160), few crushed or blown pixels.</summary>
    private static double Exposure(FrameMeasure f)
    {
        var spread = Math.Min(1, f.Contrast / 48);
        var level = 1 - Math.Clamp((Math.Abs(f.Luma - 120) - 40) / 90, 0, 1);
        return spread * level * Math.Clamp(1 - 0.8 * (f.Dark + f.Bright), 0, 1);
    }

    private static double Faces(FrameMeasure f, FrameScoringOptions o)
    {
        double best = 0;
        var area = (double)f.Width * f.Height;
        foreach (var face in f.Faces)
        {
            if (face.Score < o.MinFaceScore || face.Width <= 0 || face.Height <= 0) continue;
            var size = Math.Min(1, Math.Sqrt(face.Width * face.Height / area / o.FullFaceArea));
            // A box within 1% of an edge is taken as cut by it (detectors clamp boxes to the picture).
            double mx = 0.01 * f.Width, my = 0.01 * f.Height;
            var whole = face.X >= mx && face.Y >= my && face.X + face.Width <= f.Width - mx && face.Y + face.Height <= f.Height - my;
            best = Math.Max(best, size * (whole ? 1 : o.CutFaceWeight));
        }
        return best;
    }

    private static bool Changing(IReadOnlyList<FrameMeasure> frames, int[] shotOf, int i, FrameScoringOptions o)
    {
        foreach (var j in new[] { i - 1, i + 1 })
        {
            if (j < 0 || j >= frames.Count || shotOf[j] != shotOf[i]) continue;
            var dt = Math.Abs(frames[j].Time - frames[i].Time);
            if (dt <= 0) continue;
            if (Math.Abs(frames[j].Luma - frames[i].Luma) / dt > o.MaxLumaRate) return true;
            if (FrameMeasurer.Distance(frames[j].Look, frames[i].Look) / dt > o.MaxLookRate) return true;
        }
        return false;
    }
}
