using FluentAssertions;
using RenderFarm.Media.Vision.Reframing;
using Xunit;

namespace RenderFarm.Media.Tests.Production.Vision;

/// <summary>VideoH2V's render plan: path keyframes, per-frame crop commands and the filter graph's pad switch.</summary>
public sealed class ReframeLayoutTests
{
    private static readonly ReframeLayout Layout = new(1920, 1080, 608, 1080, 1920);

    private static ShotFraming Shot(double start, double end, bool still, params (double Time, double Centre)[] keys) =>
        new(start, end, FramingMode.Track, SubjectKind.Faces, new ShotPath(still, keys));

    [Fact]
    public void A_steady_move_keeps_its_ends_and_a_bend_and_the_crop_stays_inside_the_frame()
    {
        var shot = Shot(0, 3, false, (0, 400), (0.5, 450), (1, 500), (1.5, 550), (2, 550), (2.5, 550), (3, 2000));
        Layout.Keyframes(shot).Should().Equal(new PathPoint(0, 96), new PathPoint(1.5, 246), new PathPoint(2.5, 246), new PathPoint(3, 1312));
        Layout.Left(0).Should().Be(0);
    }

    [Fact]
    public void Each_frame_gets_the_interpolated_crop_half_a_frame_early_and_a_cut_jumps_at_once()
    {
        var shots = new[] { Shot(0, 1, false, (0, 400), (1, 500)), Shot(1, 2, true, (1, 1500), (2, 1500)) }
            .Select(s => (s, Layout.Keyframes(s))).ToList();
        var frames = Enumerable.Range(0, 8).Select(i => i * 0.25).ToList();
        Layout.Commands(shots, frames).Should().Be(
            "0 crop@h2v x 96;\n0.125 crop@h2v x 121;\n0.375 crop@h2v x 146;\n0.625 crop@h2v x 171;\n0.875 crop@h2v x 1196;\n");
    }

    [Fact]
    public void Padded_shots_switch_on_the_blurred_background_picture_for_their_times_only()
    {
        var graph = Layout.Graph("/tmp/a b/crop.cmd", 96, [(2.0, 3.999)]);
        graph.Should().Contain(@"sendcmd=f=/tmp/a\\\ b/crop.cmd");
        graph.Should().Contain(@"enable=between(t\,2\,3.999)");
        graph.Should().Contain("boxblur");
        Layout.Fit().Should().Be((1080, 608));
        Layout.Graph("crop.cmd", 96, []).Should().NotContain("boxblur");
    }
}
