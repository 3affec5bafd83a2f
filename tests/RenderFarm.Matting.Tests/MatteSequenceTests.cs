using RenderFarm.Media.Ai;

namespace RenderFarm.Matting.Tests;

/// <summary>Smoothing, interpolation and the threshold cut on one-pixel mattes (no model).</summary>
public sealed class MatteSequenceTests
{
    private static MattePlan Plan(long frames, int fps = 10, double speed = 1, double analysisFps = 2) =>
        MattePlan.For(new MatteRequest("/media/clip.mp4", 0, speed, fps, frames, 4, 4, 0), analysisFps);

    private static async Task<List<byte>> Run(MattePlan plan, double smoothing, double threshold, params float[] pushed)
    {
        var frames = new List<byte>();
        var sequence = new MatteSequence(plan, smoothing, threshold, frame => { frames.Add(frame.Single()); return ValueTask.CompletedTask; });
        foreach (var value in pushed) await sequence.PushAsync([value]);
        await sequence.CompleteAsync();
        return frames;
    }

    [Fact]
    public async Task Output_frames_blend_the_two_analysed_mattes_around_them_linearly()
    {
        // 11 frames at 10 fps = 0..1 s; analysed at 0, 0.5, 1 s.
        var frames = await Run(Plan(11), smoothing: 0, threshold: 0, 0f, 1f, 0f);

        frames.Should().Equal(0, 51, 102, 153, 204, 255, 204, 153, 102, 51, 0);
    }

    [Fact]
    public async Task Smoothing_is_centred_so_a_step_is_softened_on_both_sides_without_delay()
    {
        var plan = Plan(16, fps: 2, analysisFps: 2); // one output frame per analysed picture
        var frames = await Run(plan, smoothing: 0.75, threshold: 0, 0f, 0f, 0f, 0f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 0f, 0f, 0f, 0f);

        // Neighbour weight 0.25 each: the frames either side of each edge move by a quarter.
        frames.Should().Equal(0, 0, 0, 64, 191, 255, 255, 255, 255, 255, 255, 191, 64, 0, 0, 0);
    }

    [Fact]
    public async Task Values_below_the_threshold_become_zero_and_others_keep_their_value()
    {
        var frames = await Run(Plan(11), smoothing: 0, threshold: 128, 0f, 1f, 0f);

        frames.Should().Equal(0, 0, 0, 153, 204, 255, 204, 153, 0, 0, 0);
    }

    [Fact]
    public async Task When_the_source_ends_early_the_last_matte_stands_for_the_remaining_frames()
    {
        var plan = Plan(11);
        plan.AnalysedFrames.Should().Be(3);

        var frames = await Run(plan, smoothing: 0, threshold: 0, 1f); // a still image: one picture

        frames.Should().HaveCount(11).And.OnlyContain(v => v == 255);
    }

    [Theory]
    [InlineData(250, 25, 1.0, 5.0)]
    [InlineData(77, 30, 1.5, 3.0)]
    [InlineData(61, 60, 0.25, 0.5)]
    public async Task Exactly_the_requested_number_of_frames_comes_out(long count, int fps, double speed, double analysisFps)
    {
        var plan = Plan(count, fps, speed, analysisFps);
        var frames = await Run(plan, 0.5, 0, Enumerable.Repeat(0.5f, plan.AnalysedFrames).ToArray());

        frames.Should().HaveCount((int)count);
    }
}
