using FluentAssertions;
using RenderFarm.Media.Vision.Reframing;
using Xunit;

namespace RenderFarm.Media.Tests.Production.Vision;

/// <summary>VideoH2V's virtual camera and shot decisions on known subject tracks (1920 px frame, 608 px crop, 5 samples a second).</summary>
public sealed class CameraPlannerTests
{
    private const double Frame = 1920, Crop = 608, Fps = 5;
    private static readonly CameraOptions Camera = new();

    private static List<SubjectSample> Track(double seconds, Func<double, double?> centre, double width = 100) =>
        [.. Enumerable.Range(0, (int)(seconds * Fps)).Select(i =>
        {
            var t = i / Fps;
            return centre(t) is { } c ? new SubjectSample(t, c - width / 2, c + width / 2) : new SubjectSample(t, null, null);
        })];

    private static double MaxStep(ShotPath path) =>
        path.Keyframes.Zip(path.Keyframes.Skip(1), (a, b) => Math.Abs(b.Centre - a.Centre)).DefaultIfEmpty(0).Max();

    [Fact]
    public void The_camera_holds_still_on_a_subject_that_jitters_inside_the_dead_zone()
    {
        // A face at 700 px, detected with +-30 px of noise and one wild detection at 1500 px.
        var random = new Random(7);
        var samples = Track(6, t => Math.Abs(t - 3) < 0.01 ? 1500 : 700 + (random.NextDouble() - 0.5) * 60);
        var path = CameraPlanner.Plan(samples, Frame, Crop, Camera);
        path.Still.Should().BeTrue();
        path.Keyframes.Select(k => k.Centre).Distinct().Should().ContainSingle().Which.Should().BeApproximately(700, 35);
    }

    [Fact]
    public void The_camera_follows_a_moving_subject_smoothly_keeping_it_in_the_crop()
    {
        // A face crossing from 300 to 1620 px in 5 s (264 px/s), held 1 s at each end.
        static double Face(double t) => t < 1 ? 300 : t > 6 ? 1620 : 300 + (t - 1) * 264;
        var samples = Track(7, t => Face(t));
        var path = CameraPlanner.Plan(samples, Frame, Crop, Camera);
        path.Still.Should().BeFalse();
        foreach (var (time, centre) in path.Keyframes)
            Math.Abs(centre - Face(time)).Should().BeLessThan(Crop / 2 - 50, $"the face at {time:0.0} s stays inside the crop");
        // No jumps: at most 0.2 crop widths per 0.2 s sample (the speed limit is 2.5 crop widths a second: 304 px per sample).
        MaxStep(path).Should().BeLessThan(80);
        // Smooth: the speed changes by at most the acceleration limit (6 crop widths/s^2: 0.24 crop widths/s per 0.04... per sample).
        var speeds = path.Keyframes.Zip(path.Keyframes.Skip(1), (a, b) => (b.Centre - a.Centre) / (b.Time - a.Time)).ToList();
        speeds.Zip(speeds.Skip(1), (a, b) => Math.Abs(b - a) * Fps).Max().Should().BeLessThanOrEqualTo(Camera.MaxAcceleration * Crop + 1e-6);
    }

    [Fact]
    public void Frames_without_a_subject_take_the_nearest_detection_and_a_shot_without_any_stays_centred()
    {
        var gaps = Track(4, t => t is > 1 and < 2 ? null : 500);
        CameraPlanner.Plan(gaps, Frame, Crop, Camera).Keyframes.Should().OnlyContain(k => Math.Abs(k.Centre - 500) < 1);
        CameraPlanner.Plan(Track(2, _ => null), Frame, Crop, Camera).Keyframes.Should().OnlyContain(k => k.Centre == Frame / 2);
    }

    [Fact]
    public void The_camera_keeps_the_crop_inside_the_frame()
    {
        var path = CameraPlanner.Plan(Track(3, _ => 40), Frame, Crop, Camera);
        path.Keyframes.Should().OnlyContain(k => k.Centre == Crop / 2);
    }

    [Fact]
    public void At_a_cut_the_camera_recentres_at_once_on_the_next_shots_subject()
    {
        // Shot 1 (0-3 s): a face at 400 px; shot 2 (3-6 s): a face at 1500 px.
        var frames = Enumerable.Range(0, 30).Select(i =>
        {
            var t = i / Fps;
            var c = t < 3 ? 400 : 1500;
            return new FrameObservation(t, [new Span(c - 50, c + 50)], null);
        }).ToList();
        var shots = ReframePlanner.Plan(frames, [3.0], 6, Frame, Crop, Camera);
        shots.Should().HaveCount(2);
        shots.Should().OnlyContain(s => s.Mode == FramingMode.Track && s.Subject == SubjectKind.Faces && s.Path.Still);
        shots[0].Path.Keyframes.Should().OnlyContain(k => k.Centre == 400);
        shots[1].Path.Keyframes.Should().OnlyContain(k => k.Centre == 1500);
        shots[1].Path.Keyframes[0].Time.Should().Be(3);
    }

    [Fact]
    public void A_shot_whose_two_faces_cannot_both_fit_the_crop_is_padded_and_one_that_fits_is_tracked()
    {
        List<FrameObservation> Two(double gap) => [.. Enumerable.Range(0, 10).Select(i =>
            new FrameObservation(i / Fps, [new Span(400, 500), new Span(400 + gap, 500 + gap)], null))];
        ReframePlanner.Plan(Two(900), [], 2, Frame, Crop, Camera).Single().Mode.Should().Be(FramingMode.Pad);
        var near = ReframePlanner.Plan(Two(300), [], 2, Frame, Crop, Camera).Single();
        near.Mode.Should().Be(FramingMode.Track);
        near.Path.Keyframes[0].Centre.Should().Be(600); // the middle of both faces (400-800)
        // A small face in the background is not a subject: the shot is tracked on the large one.
        var background = Enumerable.Range(0, 10).Select(i => new FrameObservation(i / Fps, [new Span(400, 600), new Span(1600, 1640)], null)).ToList();
        ReframePlanner.Plan(background, [], 2, Frame, Crop, Camera).Single().Mode.Should().Be(FramingMode.Track);
    }

    [Fact]
    public void Without_faces_the_camera_centres_on_the_columns_with_the_most_motion_and_contrast()
    {
        // 192 analysed columns: busy around column 150 (1500 px), flat elsewhere.
        var energy = Enumerable.Range(0, 192).Select(x => Math.Abs(x - 150) < 8 ? 40.0 : 1.0).ToArray();
        var frames = Enumerable.Range(0, 10).Select(i => new FrameObservation(i / Fps, [], energy)).ToList();
        var shot = ReframePlanner.Plan(frames, [], 2, Frame, Crop, Camera).Single();
        shot.Subject.Should().Be(SubjectKind.Salient);
        shot.Path.Keyframes[0].Centre.Should().BeApproximately(1505, 15);

        var grey = new byte[4 * 2];
        grey[1] = 200; // one bright pixel in column 1
        var columns = ReframePlanner.ColumnEnergy(grey, new byte[8], 4, 2);
        columns[1].Should().BeGreaterThan(columns[3]);
        columns[3].Should().Be(0);
    }
}
