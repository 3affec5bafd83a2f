using RenderFarm.Media.Ai;

namespace RenderFarm.Matting.Tests;

/// <summary>Which source times are analysed and where output frames fall between them (no model).</summary>
public sealed class MattePlanTests
{
    private static MatteRequest Request(long frames = 30, int fps = 25, double speed = 1, double start = 0, double threshold = 0) =>
        new("/media/clip.mp4", start, speed, fps, frames, 1080, 1920, threshold);

    [Theory]
    [InlineData(30, 25, 1.0, 5.0, 7)]   // last output frame at 1.16 s: 0, 0.2, .. 1.2
    [InlineData(26, 25, 1.0, 5.0, 6)]   // last at exactly 1.0 s: no extra analysis past it
    [InlineData(30, 25, 2.0, 5.0, 13)]  // twice as fast: 2.32 s of source
    [InlineData(1, 25, 1.0, 5.0, 1)]
    [InlineData(250, 25, 1.0, 0.5, 6)]  // 9.96 s at one picture per 2 s
    public void The_analysed_pictures_span_the_clip_at_the_analysis_rate(long frames, int fps, double speed, double analysisFps, int analysed)
    {
        var plan = MattePlan.For(Request(frames, fps, speed, start: 3), analysisFps);

        plan.AnalysedFrames.Should().Be(analysed);
        plan.AnalysisTime(0).Should().Be(3);
        var lastShown = 3 + (frames - 1) / (double)fps * speed;
        plan.AnalysisTime(analysed - 1).Should().BeGreaterThanOrEqualTo(lastShown - 1e-9);
        plan.AnalysisTime(analysed - 1).Should().BeLessThan(lastShown + 1 / analysisFps);
        for (long n = 0; n < frames; n++)
        {
            // Output frame n shows source time start + n / fps * speed, which is where it sits on the grid.
            var shown = 3 + n / (double)fps * speed;
            plan.AnalysisTime(0).Should().BeLessThanOrEqualTo(shown);
            (plan.Start + plan.Position(n) / analysisFps).Should().BeApproximately(shown, 1e-9);
        }
    }

    [Theory]
    [InlineData("Frames", 0L, 25, 1.0, 0.0)]
    [InlineData("Fps", 10L, 0, 1.0, 0.0)]
    [InlineData("Speed", 10L, 25, 0.0, 0.0)]
    [InlineData("Threshold", 10L, 25, 1.0, 256.0)]
    [InlineData("Threshold", 10L, 25, 1.0, double.NaN)]
    public void A_request_field_out_of_range_is_named(string field, long frames, int fps, double speed, double threshold)
    {
        var act = () => MattePlan.For(Request(frames, fps, speed, threshold: threshold), 5);

        act.Should().Throw<ArgumentException>().WithMessage($"MatteRequest.{field} is *");
    }
}
