using FluentAssertions;
using RenderFarm.Media.Analysis;
using Xunit;

namespace RenderFarm.Media.Tests.Analysis;

public sealed class ShotPlannerTests
{
    /// <summary>Frames at 10 fps over <paramref name="seconds"/>, scoring 0 except at the given cuts.</summary>
    private static List<SceneSample> Frames(double seconds, params (double Time, double Score)[] cuts) =>
        [.. Enumerable.Range(0, (int)Math.Round(seconds * 10)).Select(i => i / 10.0)
            .Select(t => new SceneSample(t, cuts.FirstOrDefault(c => Math.Abs(c.Time - t) < 1e-9).Score))];

    [Fact]
    public void Cuts_above_the_threshold_start_shots_with_keyframes_in_the_middle()
    {
        var shots = ShotPlanner.Plan(Frames(10, (3, 0.9), (6, 0.2), (8, 0.5)), 10, threshold: 0.3, minShotSeconds: 1, maxShots: 100);

        shots.Should().Equal(new PlannedShot(0, 3, 1.5), new PlannedShot(3, 8, 5.5), new PlannedShot(8, 10, 9));
    }

    [Fact]
    public void A_short_shot_is_merged_into_the_next_and_a_short_last_one_into_the_one_before()
    {
        var shots = ShotPlanner.Plan(Frames(10, (3, 0.9), (3.5, 0.9), (9.5, 0.9)), 10, 0.3, minShotSeconds: 1, maxShots: 100);

        shots.Select(s => (s.In, s.Out)).Should().Equal((0, 3), (3, 10));
    }

    [Fact]
    public void Beyond_the_maximum_only_the_strongest_cuts_stay()
    {
        var shots = ShotPlanner.Plan(Frames(10, (2, 0.5), (4, 0.9), (6, 0.4), (8, 0.8)), 10, 0.3, 0, maxShots: 3);

        shots.Select(s => s.In).Should().Equal(0, 4, 8);
    }

    [Fact]
    public void No_cut_gives_one_shot_over_the_whole_duration()
    {
        ShotPlanner.Plan(Frames(4), 4, 0.3, 1, 500).Should().Equal(new PlannedShot(0, 4, 2));
    }
}
