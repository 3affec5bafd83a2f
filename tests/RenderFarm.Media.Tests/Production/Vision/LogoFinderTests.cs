using FluentAssertions;
using RenderFarm.Media.Vision.Logos;
using Xunit;

namespace RenderFarm.Media.Tests.Production.Vision;

/// <summary>
/// The logo finder on grey frames built in memory: a moving textured picture (a drifting interference of
/// waves plus noise) with or without a static mark, so where the logo is, is known to the pixel.
/// </summary>
public sealed class LogoFinderTests
{
    private const int W = 160, H = 90;

    /// <summary>Frame <paramref name="t"/> of moving texture; <paramref name="mark"/> draws static pixels over it.</summary>
    private static byte[] Frame(int t, Random noise, Action<byte[]>? mark = null)
    {
        var f = new byte[W * H];
        for (var y = 0; y < H; y++)
            for (var x = 0; x < W; x++)
                f[y * W + x] = (byte)Math.Clamp(128 + 70 * Math.Sin(0.35 * (x + 4 * t)) * Math.Cos(0.3 * (y - 3 * t)) + noise.Next(-8, 9), 0, 255);
        mark?.Invoke(f);
        return f;
    }

    /// <summary>A 30x12 mark at (x, y): a bright frame with bars inside, on a dark plate (a text-like logo).</summary>
    private static Action<byte[]> Mark(int left, int top) => f =>
    {
        for (var y = 0; y < 12; y++)
            for (var x = 0; x < 30; x++)
                f[(top + y) * W + left + x] = (byte)(y is 0 or 11 || x is 0 or 29 || (x % 5 == 2 && y is > 2 and < 9) ? 235 : 25);
    };

    private static LogoSearch Search(int frames, Func<int, Random, byte[]> frame)
    {
        var evidence = new LogoEvidence(W, H);
        var noise = new Random(7);
        for (var t = 0; t < frames; t++) evidence.Add(frame(t, noise));
        return LogoFinder.Find(evidence);
    }

    [Fact]
    public void A_static_mark_in_a_corner_of_moving_texture_is_found_with_its_box()
    {
        var search = Search(30, (t, n) => Frame(t, n, Mark(124, 70)));
        search.Logo.Should().NotBeNull(search.Reason);
        search.Logo!.Box.IoU(new LogoBox(124, 70, 30, 12)).Should().BeGreaterThanOrEqualTo(0.9, $"found {search.Logo.Box}");
        search.Logo.Confidence.Should().BeGreaterThan(0.7);
        search.Changing.Should().BeGreaterThan(0.5);
    }

    [Fact]
    public void Of_two_static_marks_of_one_size_the_one_near_a_corner_is_the_logo()
    {
        var search = Search(30, (t, n) => Frame(t, n, f => { Mark(6, 6)(f); Mark(65, 39)(f); }));
        search.Candidates.Should().HaveCount(2, "the marks are far apart");
        search.Logo!.Box.IoU(new LogoBox(6, 6, 30, 12)).Should().BeGreaterThanOrEqualTo(0.9, $"found {search.Logo.Box}");
    }

    [Fact]
    public void Moving_texture_without_a_mark_has_no_logo()
    {
        var search = Search(30, (t, n) => Frame(t, n));
        search.Logo.Should().BeNull();
        search.Reason.Should().Contain("no persistent static structure");
    }

    [Fact]
    public void A_picture_that_does_not_change_has_no_logo_even_with_a_mark()
    {
        var search = Search(30, (_, n) => Frame(0, new Random(1), Mark(124, 70)));
        search.Logo.Should().BeNull();
        search.Reason.Should().Contain("barely changes");
    }

    [Fact]
    public void Letterbox_bars_are_not_a_logo()
    {
        var search = Search(30, (t, n) => Frame(t, n, f => { Array.Fill(f, (byte)0, 0, 12 * W); Array.Fill(f, (byte)0, (H - 12) * W, 12 * W); }));
        search.Logo.Should().BeNull(search.Logo?.Box.ToString());
    }

    [Fact]
    public void Too_few_frames_give_no_decision()
    {
        var search = Search(4, (t, n) => Frame(t, n, Mark(124, 70)));
        search.Logo.Should().BeNull();
        search.Reason.Should().Contain("only 4 frames");
    }

    [Fact]
    public void Boxes_scale_outwards_pad_inside_the_frame_and_measure_overlap()
    {
        new LogoBox(10, 5, 7, 3).Scale(2.5, 2).Should().Be(new LogoBox(25, 10, 18, 6));
        new LogoBox(2, 2, 10, 10).Pad(4, 14, 100).Should().Be(new LogoBox(0, 0, 14, 16));
        new LogoBox(0, 0, 10, 10).IoU(new LogoBox(5, 0, 10, 10)).Should().BeApproximately(1 / 3.0, 1e-9);
        new LogoBox(0, 0, 10, 10).IoU(new LogoBox(20, 0, 10, 10)).Should().Be(0);
        DelogoPlan.Regions([new LogoBox(0, 0, 40, 20)], 320, 180).Should().Equal(new LogoBox(1, 1, 42, 22));
        DelogoPlan.AnalysisSize(1920, 1080, 320).Should().Be((320, 180));
        DelogoPlan.AnalysisSize(1080, 1920, 320).Should().Be((180, 320));
        DelogoPlan.SampleRate(10).Should().Be(4);
        DelogoPlan.SampleRate(3600).Should().Be(2);
    }
}
