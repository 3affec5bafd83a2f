using System.Globalization;
using RenderFarm.Media.Ai;

namespace RenderFarm.Matting;

/// <summary>
/// Which source pictures a <see cref="MatteRequest"/> analyses and where each output frame falls
/// between them. Output frame n shows source time <c>Start + n / Fps * Speed</c>; the analysed
/// pictures are at <c>Start + k / AnalysisFps</c> for k = 0..<see cref="AnalysedFrames"/>-1, the last
/// at or after the last output frame's time, so every output frame lies between two of them.
/// </summary>
public sealed record MattePlan(double Start, double Speed, int Fps, long OutputFrames, double AnalysisFps, int AnalysedFrames)
{
    public const int MaxFps = 240, MaxSourceSide = 16384;
    public const long MaxFrames = 10_000_000;
    public const double MaxSpeed = 100;

    /// <exception cref="ArgumentException">A request field is out of range; the message names it.</exception>
    public static MattePlan For(MatteRequest request, double analysisFps)
    {
        Validate(request);
        var span = (request.Frames - 1) / (double)request.Fps * request.Speed;
        // The small tolerance keeps a span that is a whole number of steps from gaining a needless extra analysis.
        var steps = (long)Math.Ceiling(span * analysisFps - 1e-9);
        if (steps >= int.MaxValue) throw new ArgumentException("MatteRequest.Frames needs more analysed frames than one request may have", nameof(request));
        return new MattePlan(request.SourceStart, request.Speed, request.Fps, request.Frames, analysisFps, (int)steps + 1);
    }

    /// <summary>Source time of analysed picture k, in seconds.</summary>
    public double AnalysisTime(int k) => Start + k / AnalysisFps;

    /// <summary>Where output frame n falls on the analysis grid: 2.25 is a quarter of the way from picture 2 to picture 3.</summary>
    public double Position(long n) => Math.Min(n / (double)Fps * Speed * AnalysisFps, AnalysedFrames - 1);

    /// <summary>Source seconds from the first analysed picture to the last.</summary>
    public double AnalysedSpan => (AnalysedFrames - 1) / AnalysisFps;

    private static void Validate(MatteRequest r)
    {
        if (string.IsNullOrWhiteSpace(r.SourcePath)) Fail(nameof(r.SourcePath), "is empty");
        if (!double.IsFinite(r.SourceStart) || r.SourceStart < 0) Fail(nameof(r.SourceStart), $"is {Num(r.SourceStart)}; it must be 0 or more seconds");
        if (!double.IsFinite(r.Speed) || r.Speed <= 0 || r.Speed > MaxSpeed) Fail(nameof(r.Speed), $"is {Num(r.Speed)}; it must be above 0 and at most {MaxSpeed}");
        if (r.Fps is < 1 or > MaxFps) Fail(nameof(r.Fps), $"is {r.Fps}; it must be between 1 and {MaxFps}");
        if (r.Frames is < 1 or > MaxFrames) Fail(nameof(r.Frames), $"is {r.Frames}; it must be between 1 and {MaxFrames}");
        if (r.SourceWidth is < 1 or > MaxSourceSide) Fail(nameof(r.SourceWidth), $"is {r.SourceWidth}; it must be between 1 and {MaxSourceSide}");
        if (r.SourceHeight is < 1 or > MaxSourceSide) Fail(nameof(r.SourceHeight), $"is {r.SourceHeight}; it must be between 1 and {MaxSourceSide}");
        if (!(r.Threshold >= 0 && r.Threshold <= 255)) Fail(nameof(r.Threshold), $"is {Num(r.Threshold)}; it must be between 0 and 255");
    }

    private static void Fail(string field, string problem) => throw new ArgumentException($"MatteRequest.{field} {problem}", field);

    private static string Num(double v) => v.ToString(CultureInfo.InvariantCulture);
}
