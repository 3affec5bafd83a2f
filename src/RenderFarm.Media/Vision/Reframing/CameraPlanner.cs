namespace RenderFarm.Media.Vision.Reframing;

/// <summary>
/// Where the subject is in one sampled frame, along the axis the crop moves on (x for landscape to portrait), in
/// source pixels: the span that should be inside the crop (a face box, or the faces' union) or null when nothing
/// was found in that frame.
/// </summary>
public readonly record struct SubjectSample(double Time, double? From, double? To)
{
    public double? Centre => From is { } a && To is { } b ? (a + b) / 2 : null;
}

/// <summary>How the virtual camera moves: the dead zone and its speed and acceleration limits, in source pixels.</summary>
public sealed record CameraOptions
{
    /// <summary>
    /// The camera holds still through a shot when the subject's centre stays within this share of the crop's
    /// width (its range, after removing detection jitter). Range 0-1.
    /// </summary>
    public double DeadZone { get; init; } = 0.2;

    /// <summary>At most this many crop widths a second. Range 0.05-20.</summary>
    public double MaxSpeed { get; init; } = 2.5;

    /// <summary>The speed changes by at most this many crop widths a second, per second. Range 0.1-100.</summary>
    public double MaxAcceleration { get; init; } = 6;

    /// <summary>The subject's track is smoothed over about this long (Gaussian sigma) before the camera follows it. Range 0-5 s.</summary>
    public double SmoothingSeconds { get; init; } = 0.4;
}

/// <summary>The camera's plan for one shot: whether it holds still, and its crop centre at each sample time.</summary>
public sealed record ShotPath(bool Still, IReadOnlyList<(double Time, double Centre)> Keyframes);

/// <summary>
/// The virtual camera of VideoH2V, pure: for one shot, the centre of a crop <c>cropWidth</c> wide inside a frame
/// <c>frameWidth</c> wide, at each sampled time. AutoFlip's rules: frames without a subject take the nearest
/// frame's; isolated detection errors are removed by a median; when the subject's centre stays inside the dead zone
/// the camera holds still on it; otherwise it follows a Gaussian-smoothed track with limited speed and
/// acceleration, planned forwards and backwards so it starts moving before the subject leaves the frame. A new
/// shot is a new plan: the camera re-centres at a cut.
/// </summary>
public static class CameraPlanner
{
    public static ShotPath Plan(IReadOnlyList<SubjectSample> samples, double frameWidth, double cropWidth, CameraOptions options)
    {
        if (samples.Count == 0) return new ShotPath(true, []);
        var half = cropWidth / 2;
        double Clamp(double c) => Math.Clamp(c, half, Math.Max(half, frameWidth - half));
        var targets = Filled(samples, frameWidth / 2);
        targets = Median(targets, 2);
        var times = samples.Select(s => s.Time).ToArray();

        var range = targets.Max() - targets.Min();
        if (range <= options.DeadZone * cropWidth)
        {
            // Held on the middle of the subject's range: the whole range lies within the dead zone around it.
            var still = Clamp((targets.Max() + targets.Min()) / 2);
            return new ShotPath(true, [.. times.Select(t => (t, still))]);
        }

        var smooth = Gaussian(times, targets, options.SmoothingSeconds).Select(Clamp).ToArray();
        var path = Limited(times, smooth, options.MaxSpeed * cropWidth, options.MaxAcceleration * cropWidth);
        return new ShotPath(false, [.. times.Zip(path.Select(Clamp))]);
    }

    /// <summary>Each sample's subject centre; a sample without one takes the nearest sample's that has one (the frame's middle when none has).</summary>
    internal static double[] Filled(IReadOnlyList<SubjectSample> samples, double fallback)
    {
        var known = samples.Select((s, i) => (s.Centre, i)).Where(x => x.Centre is not null).ToArray();
        if (known.Length == 0) return [.. samples.Select(_ => fallback)];
        return [.. samples.Select((s, i) => s.Centre ?? known.MinBy(k => Math.Abs(k.i - i)).Centre!.Value)];
    }

    /// <summary>A running median over 2 * <paramref name="radius"/> + 1 samples (fewer at the ends): one wrong detection does not move the camera.</summary>
    internal static double[] Median(double[] values, int radius) =>
        [.. values.Select((_, i) =>
        {
            var window = values[Math.Max(0, i - radius)..Math.Min(values.Length, i + radius + 1)].Order().ToArray();
            return window.Length % 2 == 1 ? window[window.Length / 2] : (window[window.Length / 2 - 1] + window[window.Length / 2]) / 2;
        })];

    /// <summary>Gaussian smoothing over time, normalised at the shot's ends (no pull towards zero there).</summary>
    internal static double[] Gaussian(double[] times, double[] values, double sigma)
    {
        if (sigma <= 0) return [.. values];
        return [.. times.Select(t =>
        {
            double sum = 0, weight = 0;
            for (var j = 0; j < times.Length; j++)
            {
                var d = (times[j] - t) / sigma;
                if (Math.Abs(d) > 3) continue;
                var w = Math.Exp(-d * d / 2);
                sum += w * values[j];
                weight += w;
            }
            return sum / weight;
        })];
    }

    /// <summary>
    /// The path nearest <paramref name="target"/> whose speed never exceeds <paramref name="maxSpeed"/> and whose speed
    /// changes by at most <paramref name="maxAcceleration"/> per second: a forward pass (the camera follows) and a
    /// backward pass over it (the camera anticipates), averaged, then limited once more forwards so the limits hold.
    /// </summary>
    internal static double[] Limited(double[] times, double[] target, double maxSpeed, double maxAcceleration)
    {
        var forward = Follow(times, target, maxSpeed, maxAcceleration, reverse: false);
        var backward = Follow(times, target, maxSpeed, maxAcceleration, reverse: true);
        var mean = forward.Zip(backward, (a, b) => (a + b) / 2).ToArray();
        return Follow(times, mean, maxSpeed, maxAcceleration, reverse: false);
    }

    private static double[] Follow(double[] times, double[] target, double maxSpeed, double maxAcceleration, bool reverse)
    {
        var n = target.Length;
        var path = new double[n];
        var order = reverse ? Enumerable.Range(0, n).Reverse().ToArray() : Enumerable.Range(0, n).ToArray();
        path[order[0]] = target[order[0]];
        var speed = 0.0;
        for (var k = 1; k < n; k++)
        {
            int i = order[k], prev = order[k - 1];
            var dt = Math.Abs(times[i] - times[prev]);
            if (dt <= 0) { path[i] = path[prev]; continue; }
            var wanted = (target[i] - path[prev]) / dt;
            // Brake in time: never faster than the speed from which the remaining distance can still be stopped.
            var stopping = Math.Sqrt(2 * maxAcceleration * Math.Abs(target[i] - path[prev]));
            wanted = Math.Clamp(wanted, -Math.Min(maxSpeed, stopping), Math.Min(maxSpeed, stopping));
            speed = Math.Clamp(wanted, speed - maxAcceleration * dt, speed + maxAcceleration * dt);
            path[i] = path[prev] + speed * dt;
        }
        return path;
    }
}
