using FluentAssertions;
using RenderFarm.Core.Imaging;
using RenderFarm.Media.Ai;
using RenderFarm.Media.Analysis;
using RenderFarm.Media.Vision.Highlights;
using Xunit;

namespace RenderFarm.Media.Tests.Vision;

/// <summary>The highlight engines' pure parts on measured arrays: frame faults, face preference, moment and segment choice.</summary>
public sealed class HighlightScoringTests
{
    private const int W = 320, H = 180;

    /// <summary>A look whose histogram sits in one bin and whose thumbnail is one grey level: distinct per <paramref name="bin"/>.</summary>
    private static float[] Look(int bin, float grey = 0.5f)
    {
        var look = new float[FrameMeasurer.LookLength];
        look[bin] = 1;
        for (var i = 64; i < look.Length; i++) look[i] = grey;
        return look;
    }

    private static FrameMeasure Frame(double time, double luma = 120, double contrast = 50, double sharpness = 300, int look = 0,
        double dark = 0, double bright = 0, DetectedFace? face = null) =>
        new(time, luma, contrast, dark, bright, sharpness, Look(look), face is null ? [] : [face], W, H);

    private static readonly DetectedFace WholeFace = new(120, 40, 60, 70, 0.9);

    [Fact]
    public void Black_flat_dark_blown_and_fading_frames_are_faulted_and_score_zero()
    {
        var shots = new[] { new PlannedShot(0, 10, 5) };
        var frames = new[]
        {
            Frame(0.0, luma: 2, contrast: 1),              // black
            Frame(1.0, luma: 200, contrast: 3),            // flat white
            Frame(2.0, luma: 20, contrast: 15, dark: 0.8), // dark
            Frame(3.0, luma: 230, bright: 0.7),            // blown out
            Frame(5.0, luma: 60), Frame(5.25, luma: 80), Frame(5.5, luma: 100), // a fade: 80 luma a second
            Frame(8.0), Frame(8.25),                       // steady
        };
        var scores = FrameScorer.Score(frames, shots);
        scores.Select(s => s.Fault).Should().Equal(FrameFault.Blank, FrameFault.Blank, FrameFault.Dark, FrameFault.Clipped,
            FrameFault.Transition, FrameFault.Transition, FrameFault.Transition, FrameFault.None, FrameFault.None);
        scores.Where(s => s.Fault != FrameFault.None).Should().OnlyContain(s => s.Total == 0);
        scores[^1].Total.Should().BeGreaterThan(0.3);
    }

    [Fact]
    public void A_luma_jump_across_a_shot_cut_is_not_a_fade()
    {
        var shots = new[] { new PlannedShot(0, 2, 1), new PlannedShot(2, 4, 3) };
        var scores = FrameScorer.Score([Frame(1.75, luma: 60), Frame(2.0, luma: 180, look: 5)], shots);
        scores.Select(s => s.Shot).Should().Equal(0, 1);
        scores.Should().OnlyContain(s => s.Fault == FrameFault.None);
    }

    [Fact]
    public void A_dissolve_changes_the_look_fast_and_is_a_transition()
    {
        var a = Look(3);
        var mid = a.Zip(Look(40), (x, y) => (x + y) / 2).ToArray();
        var frames = new[] { Frame(0.0, look: 3), new FrameMeasure(0.25, 120, 50, 0, 0, 300, mid, [], W, H), Frame(0.5, look: 40) };
        FrameScorer.Score(frames, [new PlannedShot(0, 5, 2)]).Should().OnlyContain(s => s.Fault == FrameFault.Transition);
    }

    [Fact]
    public void A_whole_face_beats_a_cut_face_and_no_face_but_not_sharpness()
    {
        var shots = new[] { new PlannedShot(0, 10, 5) };
        var cut = new DetectedFace(0, 40, 60, 70, 0.9);          // touches the left edge
        var tiny = new DetectedFace(150, 80, 6, 7, 0.9);          // 0.07% of the frame
        var unsure = new DetectedFace(120, 40, 60, 70, 0.2);      // below the certainty needed
        var scores = FrameScorer.Score(
        [
            Frame(1, face: WholeFace), Frame(3, face: cut), Frame(5), Frame(7, face: tiny), Frame(9, face: unsure),
            Frame(11, sharpness: 5, face: WholeFace),
        ], [.. shots, new PlannedShot(10, 12, 11)]);
        scores[0].Faces.Should().Be(1);
        scores[1].Faces.Should().BeApproximately(0.25, 1e-9);
        scores[3].Faces.Should().BeLessThan(0.25);
        scores[4].Faces.Should().Be(0);
        scores[0].Total.Should().BeGreaterThan(scores[1].Total);
        scores[1].Total.Should().BeGreaterThan(scores[2].Total);
        scores[5].Total.Should().BeLessThan(scores[2].Total, "a blurred face is a worse cover than a sharp frame without one");
        HighlightPicker.Cover(scores).Time.Should().Be(1);
    }

    [Fact]
    public void The_cover_of_an_all_black_video_is_its_best_frame_by_ungated_quality()
    {
        var scores = FrameScorer.Score([Frame(0, luma: 2, contrast: 1), Frame(1, luma: 14, contrast: 6)], [new PlannedShot(0, 2, 1)]);
        HighlightPicker.Cover(scores).Time.Should().Be(1);
    }

    [Fact]
    public void Moments_come_from_distinct_shots_in_time_order_and_stay_inside_them()
    {
        var shots = Enumerable.Range(0, 5).Select(i => new PlannedShot(i * 3, i * 3 + 3, i * 3 + 1.5)).ToList();
        // Shot 3 looks like shot 1 (same bin and thumbnail): a second take of one scene.
        int[] looks = [0, 10, 20, 10, 30];
        var frames = Enumerable.Range(0, 5).SelectMany(s => new[]
        {
            Frame(s * 3 + 0.5, look: looks[s], sharpness: 100 + 100 * s),
            Frame(s * 3 + 2.9, look: looks[s], sharpness: 100 + 100 * s),
        }).ToList();
        var scores = FrameScorer.Score(frames, shots);
        var moments = HighlightPicker.Moments(scores, frames, shots, 4, 1.2);
        moments.Select(m => m.Frame.Shot).Should().Equal(0, 2, 3, 4);
        moments.Should().BeInAscendingOrder(m => m.Start);
        foreach (var m in moments)
        {
            m.Start.Should().BeGreaterThanOrEqualTo(shots[m.Frame.Shot].In + HighlightPicker.ShotMargin);
            m.End.Should().BeLessThanOrEqualTo(shots[m.Frame.Shot].Out - HighlightPicker.ShotMargin);
            (m.End - m.Start).Should().BeApproximately(1.2, 1e-9);
        }
    }

    [Fact]
    public void A_moment_stays_in_the_sharp_part_of_a_shot_that_is_blurred_for_its_first_half()
    {
        var shots = new[] { new PlannedShot(0, 6, 3) };
        var frames = Enumerable.Range(0, 24).Select(i => Frame(i * 0.25, sharpness: i < 12 ? 4 : 300)).ToList();
        var moment = HighlightPicker.Moments(FrameScorer.Score(frames, shots), frames, shots, 3, 1.2).Single();
        moment.Frame.Time.Should().BeGreaterThanOrEqualTo(3);
        moment.Start.Should().BeGreaterThanOrEqualTo(2.875, "the last blurred sample is at 2.75 s");
        (moment.End - moment.Start).Should().BeApproximately(1.2, 1e-9);
    }

    [Fact]
    public void Laplacian_sharpness_falls_when_a_picture_is_blurred_and_looks_tell_pictures_apart()
    {
        var sharp = new byte[W * H * 3];
        for (var y = 0; y < H; y++)
            for (var x = 0; x < W; x++)
                sharp.AsSpan((y * W + x) * 3, 3).Fill((byte)(((x / 4) + (y / 4)) % 2 == 0 ? 230 : 20));
        var blurred = new byte[sharp.Length];
        for (var y = 0; y < H; y++)
            for (var x = 0; x < W; x++)
            {
                int sum = 0, n = 0;
                for (var dy = -3; dy <= 3; dy++)
                    for (var dx = -3; dx <= 3; dx++)
                    {
                        int xx = Math.Clamp(x + dx, 0, W - 1), yy = Math.Clamp(y + dy, 0, H - 1);
                        sum += sharp[(yy * W + xx) * 3];
                        n++;
                    }
                blurred.AsSpan((y * W + x) * 3, 3).Fill((byte)(sum / n));
            }
        var a = FrameMeasurer.Measure(new RgbImage(sharp, W, H), 0, []);
        var b = FrameMeasurer.Measure(new RgbImage(blurred, W, H), 0, []);
        var black = FrameMeasurer.Measure(new RgbImage(new byte[W * H * 3], W, H), 0, []);
        a.Sharpness.Should().BeGreaterThan(20 * b.Sharpness);
        a.Luma.Should().BeApproximately(125, 1);
        black.Contrast.Should().Be(0);
        black.Dark.Should().Be(1);
        FrameMeasurer.Distance(a.Look, a.Look).Should().Be(0);
        FrameMeasurer.Distance(a.Look, black.Look).Should().BeGreaterThan(0.4);
    }

    private static (IReadOnlyList<PlannedShot> Shots, List<FrameMeasure> Frames) TwelveShots(Func<int, int> lookOf, Func<int, double>? contrastOf = null)
    {
        var shots = Enumerable.Range(0, 12).Select(i => new PlannedShot(i * 5, i * 5 + 5, i * 5 + 2.5)).ToList();
        var frames = new List<FrameMeasure>();
        for (var s = 0; s < 12; s++)
            for (var t = 0.25; t < 5; t += 0.5)
                frames.Add(Frame(s * 5 + t, look: lookOf(s), sharpness: 200 + 10 * s, contrast: contrastOf?.Invoke(s) ?? 50));
        return (shots, frames);
    }

    [Fact]
    public void A_summary_takes_segments_from_distinct_shots_inside_their_bounds_adding_up_to_the_duration()
    {
        var (shots, frames) = TwelveShots(s => s * 5);
        var scores = FrameScorer.Score(frames, shots);
        var loud = Enumerable.Range(0, 12).Select(s => s == 7 ? -6.0 : -40.0).ToList();
        var shotScores = SummaryPlanner.ScoreShots(shots, frames, scores, loud);
        shotScores[7].Audio.Should().BeGreaterThan(shotScores[6].Audio);
        var segments = SummaryPlanner.Plan(shotScores, scores, 5);

        segments.Sum(s => s.Length).Should().BeApproximately(5, 1e-9);
        segments.Select(s => s.Shot).Distinct().Should().HaveCountGreaterThanOrEqualTo(3).And.HaveCount(segments.Count);
        segments.Select(s => s.Shot).Should().Contain(7, "the loudest shot is among the best");
        segments.Should().BeInAscendingOrder(s => s.In);
        foreach (var s in segments)
        {
            s.In.Should().BeGreaterThanOrEqualTo(shots[s.Shot].In);
            s.Out.Should().BeLessThanOrEqualTo(shots[s.Shot].Out);
        }
    }

    [Fact]
    public void A_summary_skips_blank_shots_and_does_not_take_two_takes_of_one_scene_before_other_scenes()
    {
        // Shots 0-5 are one scene (same look), 6-8 are other scenes, 9-11 are black.
        var (shots, frames) = TwelveShots(s => s < 6 ? 7 : s * 5, s => s >= 9 ? 1 : 50);
        var scores = FrameScorer.Score(frames, shots);
        var segments = SummaryPlanner.Plan(SummaryPlanner.ScoreShots(shots, frames, scores, null), scores, 16);
        segments.Should().NotContain(s => s.Shot >= 9);
        segments.Count(s => s.Shot < 6).Should().Be(1);
        segments.Select(s => s.Shot).Should().Contain([6, 7, 8]);
    }

    [Fact]
    public void When_the_shots_run_out_the_segments_grow_within_their_shots()
    {
        var shots = new[] { new PlannedShot(0, 4, 2), new PlannedShot(4, 8, 6), new PlannedShot(8, 10, 9) };
        var frames = new List<FrameMeasure>();
        for (var t = 0.25; t < 10; t += 0.5) frames.Add(Frame(t, look: t < 4 ? 1 : t < 8 ? 30 : 50));
        var scores = FrameScorer.Score(frames, shots);
        var segments = SummaryPlanner.Plan(SummaryPlanner.ScoreShots(shots, frames, scores, null), scores, 9);
        segments.Should().HaveCount(3);
        segments.Sum(s => s.Length).Should().BeApproximately(9, 1e-9);
        foreach (var s in segments)
        {
            s.In.Should().BeGreaterThanOrEqualTo(shots[s.Shot].In);
            s.Out.Should().BeLessThanOrEqualTo(shots[s.Shot].Out);
        }
    }
}
