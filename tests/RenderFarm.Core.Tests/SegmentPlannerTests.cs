using FluentAssertions;
using RenderFarm.Core.Planning;
using Xunit;
using static RenderFarm.Core.Tests.TestTimelines;

namespace RenderFarm.Core.Tests;

/// <summary>Splitting a schedule into render windows (25 fps: 1 s = 25 frames).</summary>
public sealed class SegmentPlannerTests
{
    private static readonly Dictionary<string, MediaFacts> Media = new()
    {
        ["a.mp4"] = Video(4),
        ["long.mp4"] = Video(10),
        ["pic.png"] = Still(),
    };

    /// <summary>
    /// Track 0: six 4 s clips joined by 1 s transitions (spans [75k+75, 75k+100), total 475 frames).
    /// Track 1: seven 3 s images joined by 0.6 s transitions (spans [60k+60, 60k+75)); some spans of
    /// the two tracks overlap (e.g. [225,250) and [240,255)), so a moved cut can land in another span.
    /// </summary>
    private static readonly Schedule WithTransitions = Schedule(
        "{\"VideoTracks\":[" +
        "{\"VideoTrackClips\":[" + string.Join(",", Enumerable.Repeat("""{"MediaURL":"a.mp4","Effects":[{"Type":"Transition","SubType":"fade","Duration":1}]}""", 6)) + "]}," +
        "{\"VideoTrackClips\":[" + string.Join(",", Enumerable.Repeat("""{"Type":"Image","MediaURL":"pic.png","Duration":3,"Effects":[{"Type":"Transition","SubType":"fade","Duration":0.6}]}""", 7)) + "]}]}",
        Media);

    private static readonly Schedule Plain = Schedule("""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"long.mp4"}]}]}""", Media);

    /// <summary>Blend spans found from the layers themselves: a clip that starts before its predecessor on the track ends.</summary>
    private static List<(long From, long To)> Overlaps(Schedule s) =>
        s.Layers.GroupBy(l => l.TrackIndex)
            .SelectMany(track =>
            {
                var layers = track.OrderBy(l => l.StartFrame).ToList();
                return layers.Zip(layers.Skip(1), (a, b) => (From: b.StartFrame, To: a.EndFrame)).Where(o => o.From < o.To);
            })
            .ToList();

    public static TheoryData<double> Targets => [0.5, 1, 2, 3.4, 4, 5, 7.3, 18.9, 30];

    [Fact]
    public void The_fixture_has_the_transitions_the_tests_rely_on()
    {
        WithTransitions.TotalFrames.Should().Be(6 * 100 - 5 * 25);
        Overlaps(WithTransitions).Should().HaveCount(5 + 6);
        Overlaps(WithTransitions).Should().BeEquivalentTo(WithTransitions.TransitionSpans);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Windows_cover_the_timeline_without_gaps_or_overlaps(double target)
    {
        foreach (var schedule in new[] { WithTransitions, Plain })
        {
            var windows = SegmentPlanner.Plan(schedule, target);

            windows.Should().NotBeEmpty();
            windows[0].StartFrame.Should().Be(0);
            windows[^1].EndFrame.Should().Be(schedule.TotalFrames);
            windows.Should().OnlyContain(w => w.FrameCount > 0);
            for (var i = 1; i < windows.Count; i++)
                windows[i].StartFrame.Should().Be(windows[i - 1].EndFrame);
            windows.Sum(w => w.FrameCount).Should().Be(schedule.TotalFrames);
        }
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void No_cut_falls_inside_a_transition(double target)
    {
        var windows = SegmentPlanner.Plan(WithTransitions, target);
        var spans = Overlaps(WithTransitions);

        foreach (var cut in windows.Take(windows.Count - 1).Select(w => w.EndFrame))
        {
            spans.Should().NotContain(s => s.From < cut && cut < s.To, $"the cut at frame {cut} would split a transition");
            SegmentPlanner.IsSafeCut(WithTransitions, cut).Should().BeTrue();
        }
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Windows_are_about_the_target_length(double target)
    {
        var targetFrames = (long)Math.Round(target * 25);
        const long longestDetour = 25 + 15; // a cut moved through one span of each track

        var windows = SegmentPlanner.Plan(WithTransitions, target);

        windows.Take(windows.Count - 1).Where(w => w.FrameCount < targetFrames || w.FrameCount > targetFrames + longestDetour)
            .Should().BeEmpty("every window but the last is cut at the target or just after a transition");
        windows[^1].FrameCount.Should().BeLessThanOrEqualTo(targetFrames + targetFrames / 2 + longestDetour);
        if (targetFrames < WithTransitions.TotalFrames)
            windows.Count.Should().BeInRange((int)(WithTransitions.TotalFrames / (targetFrames * 1.5 + longestDetour)), (int)Math.Ceiling(WithTransitions.TotalFrames / (double)targetFrames));
    }

    [Fact]
    public void A_cut_that_would_split_a_transition_moves_to_its_end()
    {
        var oneTrack = Schedule(
            "{\"VideoTracks\":[{\"VideoTrackClips\":[" + string.Join(",", Enumerable.Repeat("""{"MediaURL":"a.mp4","Effects":[{"Type":"Transition","SubType":"fade","Duration":1}]}""", 3)) + "]}]}",
            Media);

        // 3.4 s = 85 frames falls inside the first transition [75,100).
        var windows = SegmentPlanner.Plan(oneTrack, 3.4);

        windows[0].Should().Be(new RenderWindow(0, 100));
    }

    [Fact]
    public void A_tiny_tail_is_merged_into_the_last_window()
    {
        // 4.96 s = 124 frames: 250 = 124 + 124 + 2, and a 2-frame window would be a sliver.
        var windows = SegmentPlanner.Plan(Plain, 4.96);

        windows.Should().Equal(new RenderWindow(0, 124), new RenderWindow(124, 250));
    }

    [Fact]
    public void A_reasonable_tail_stays_its_own_window()
    {
        // 4 s = 100 frames: 250 = 100 + 100 + 50; half a target is not a sliver.
        var windows = SegmentPlanner.Plan(Plain, 4);

        windows.Should().Equal(new RenderWindow(0, 100), new RenderWindow(100, 200), new RenderWindow(200, 250));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(11)]
    [InlineData(600)]
    public void A_target_at_least_the_timeline_gives_one_window(double target)
    {
        SegmentPlanner.Plan(Plain, target).Should().Equal(new RenderWindow(0, 250));
        SegmentPlanner.Plan(WithTransitions, target + 10).Should().Equal(new RenderWindow(0, WithTransitions.TotalFrames));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void A_non_positive_target_is_refused(double target)
    {
        var act = () => SegmentPlanner.Plan(Plain, target);

        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
