using FluentAssertions;
using RenderFarm.Core.Planning;
using RenderFarm.Core.Timelines;
using Xunit;
using static RenderFarm.Core.Tests.TestTimelines;

namespace RenderFarm.Core.Tests;

/// <summary>Where a clip lands on the output (IMS X/Y/Width/Height, AdaptMode, Crop).</summary>
public sealed class GeometryTests
{
    private static readonly OutputFormat Landscape = new(1920, 1080, 25);

    /// <summary>A clip parsed from the IMS fields given (plus a MediaURL).</summary>
    private static VideoClip Clip(string fields = "") =>
        Parse($$"""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"m.mp4"{{(fields.Length > 0 ? "," + fields : "")}}}]}]}""")
            .Timeline.VideoTracks[0].Clips[0];

    private static LayerGeometry Of(string fields, MediaFacts media, OutputFormat output) => LayerGeometry.Of(Clip(fields), media, output);

    [Fact]
    public void Without_Width_and_Height_a_landscape_clip_is_letterboxed_in_a_portrait_frame()
    {
        var g = Of("", Video(10, 1920, 1080), Portrait);

        g.Box.Should().Be(new PixelBox(0, 0, 1080, 1920));
        g.Mode.Should().Be(AdaptMode.Contain);
        g.ContentWidth.Should().Be(1080);
        // 1080 × 9/16 = 607.5 rows of picture; sizes are even.
        g.ContentHeight.Should().BeOneOf(606, 608);
        g.Crop.Should().BeNull();
        g.Opaque.Should().BeFalse();           // black bars above and below
        g.FullFrame(Portrait).Should().BeFalse();
    }

    [Fact]
    public void A_letterboxed_clip_with_a_background_paints_the_whole_frame()
    {
        var g = Of("""
            "Effects":[{"Type":"Background","SubType":"Blur","Radius":0.1}]
            """, Video(10, 1920, 1080), Portrait);

        g.Opaque.Should().BeTrue();
        g.FullFrame(Portrait).Should().BeTrue();
        g.ContentHeight.Should().BeLessThan(1920);
    }

    [Fact]
    public void A_clip_of_the_output_aspect_fills_the_frame()
    {
        var g = Of("", Video(10, 640, 360), Landscape);

        g.Box.Should().Be(new PixelBox(0, 0, 1920, 1080));
        (g.ContentWidth, g.ContentHeight).Should().Be((1920, 1080));
        g.FullFrame(Landscape).Should().BeTrue();
    }

    [Theory]
    [InlineData(1080, 1920)]
    [InlineData(1920, 1080)]
    [InlineData(320, 240)]
    public void Half_width_at_the_top_right_gives_a_quarter_frame_box(int width, int height)
    {
        var output = new OutputFormat(width, height, 25);

        var g = Of("\"X\":0.5,\"Y\":0,\"Width\":0.5", Video(10, width, height), output);

        g.Box.Should().Be(new PixelBox(width / 2, 0, width / 2, height / 2));
        g.Mode.Should().Be(AdaptMode.Fill);
        (g.ContentWidth, g.ContentHeight).Should().Be((width / 2, height / 2));
    }

    [Fact]
    public void Only_Height_given_takes_the_width_from_the_source_aspect()
    {
        var g = Of("\"Height\":0.5", Video(10, 1920, 1080), Landscape);

        g.Box.Should().Be(new PixelBox(0, 0, 960, 540));
    }

    [Fact]
    public void Width_and_Height_both_given_default_to_Fill()
    {
        var g = Of("\"Width\":0.5,\"Height\":0.5", Video(10, 1080, 1920), Landscape);

        g.Mode.Should().Be(AdaptMode.Fill);
        g.Box.Should().Be(new PixelBox(0, 0, 960, 540));
        (g.ContentWidth, g.ContentHeight).Should().Be((960, 540)); // stretched
        g.Opaque.Should().BeTrue();
    }

    [Fact]
    public void Contain_in_a_given_box_keeps_the_aspect()
    {
        var g = Of("\"Width\":0.5,\"Height\":0.5,\"AdaptMode\":\"Contain\"", Video(10, 1080, 1920), Landscape);

        g.Mode.Should().Be(AdaptMode.Contain);
        g.Box.Should().Be(new PixelBox(0, 0, 960, 540));
        g.ContentHeight.Should().Be(540);
        // 540 × 9/16 = 303.75 columns of picture.
        g.ContentWidth.Should().BeOneOf(302, 304);
        g.Opaque.Should().BeFalse();
    }

    [Theory]
    [InlineData("{\"Type\":\"Background\",\"SubType\":\"Color\",\"Color\":\"#00FF00\"}", true)]
    [InlineData("{\"Type\":\"Background\",\"SubType\":\"Color\",\"Color\":\"#00FF0080\"}", false)]
    [InlineData("{\"Type\":\"Background\",\"SubType\":\"Blur\"}", true)]
    public void A_letterboxed_clip_is_opaque_only_with_an_opaque_background(string background, bool opaque)
    {
        var g = Of("\"Effects\":[" + background + "]", Video(10, 1080, 1920), Landscape);

        g.Opaque.Should().Be(opaque, "a see-through Background colour lets the layers below show in the bands");
    }

    [Fact]
    public void AdaptMode_needs_both_Width_and_Height()
    {
        var g = Of("\"Width\":0.5,\"AdaptMode\":\"Contain\"", Video(10, 1920, 1080), Landscape);

        g.Mode.Should().Be(AdaptMode.Fill);
        g.Box.Should().Be(new PixelBox(0, 0, 960, 540));
    }

    [Fact]
    public void Values_above_1_are_pixels_and_values_up_to_1_are_fractions()
    {
        var pixels = Of("\"X\":100,\"Y\":50,\"Width\":640,\"Height\":360", Video(10, 1920, 1080), Landscape);
        var fractions = Of("\"X\":0.25,\"Y\":0.5,\"Width\":0.25,\"Height\":0.25", Video(10, 1920, 1080), Landscape);
        var whole = Of("\"Width\":1,\"Height\":1", Video(10, 1920, 1080), Landscape);

        pixels.Box.Should().Be(new PixelBox(100, 50, 640, 360));
        fractions.Box.Should().Be(new PixelBox(480, 540, 480, 270));
        whole.Box.Should().Be(new PixelBox(0, 0, 1920, 1080)); // 1 is 100 %, not one pixel
    }

    [Fact]
    public void Crop_fractions_are_relative_to_the_source_not_the_output()
    {
        var g = Of("""
            "Effects":[{"Type":"Crop","X":0.25,"Y":0,"Width":0.5,"Height":1}]
            """, Video(10, 640, 480), Landscape);

        g.Crop.Should().Be(new SourceCrop(160, 0, 320, 480));
        // The cropped picture is 320x480 (2:3): contained in 1920x1080 it is 720x1080.
        g.ContentHeight.Should().Be(1080);
        g.ContentWidth.Should().Be(720);
    }

    [Fact]
    public void Crop_in_pixels_is_taken_as_given()
    {
        var g = Of("""
            "Effects":[{"Type":"Crop","X":100,"Y":50,"Width":640,"Height":360}]
            """, Video(10, 1920, 1080), Landscape);

        g.Crop.Should().Be(new SourceCrop(100, 50, 640, 360));
        (g.ContentWidth, g.ContentHeight).Should().Be((1920, 1080)); // 16:9 crop fills a 16:9 frame
    }

    [Theory]
    // Pixel crops are checked against the source only once it is probed: they are clamped into it.
    [InlineData(400, 300, 100, 100, 318, 238, 2, 2)]   // starts beyond the 320x240 source: its last 2x2 pixels
    [InlineData(200, 100, 300, 300, 200, 100, 120, 140)] // reaches past the edges: the part inside
    [InlineData(319, 239, 100, 100, 318, 238, 2, 2)]   // starts on the last pixel: moved back to fit 2x2
    [InlineData(10, 10, 101, 51, 10, 10, 100, 50)]     // odd sizes are made even (4:2:0)
    public void A_pixel_crop_beyond_the_source_is_clamped_inside_it(int x, int y, int w, int h, int cx, int cy, int cw, int ch)
    {
        var g = Of($$"""
            "Effects":[{"Type":"Crop","X":{{x}},"Y":{{y}},"Width":{{w}},"Height":{{h}}}]
            """, Video(10, 320, 240), Landscape);

        g.Crop.Should().Be(new SourceCrop(cx, cy, cw, ch));
    }

    [Theory]
    [InlineData(0.0, 0, 0)]
    [InlineData(3.0, 2, 4)]
    [InlineData(5.0, 4, 6)]
    [InlineData(6.9, 6, 6)]
    [InlineData(7.0, 6, 8)]
    [InlineData(-3.0, 0, -4)]
    public void Even_pixels_round_down_into_range_or_to_the_nearest(double value, int down, int nearest)
    {
        EvenPixels.Down(value).Should().Be(down);
        EvenPixels.Nearest(value).Should().Be(nearest);
    }

    [Fact]
    public void A_crop_that_leaves_the_source_is_rejected_by_the_parser()
    {
        var error = ParseError("""
            {"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"m.mp4","Effects":[{"Type":"Crop","X":0.6,"Width":0.5}]}]}]}
            """);

        error.Path.Should().Be("VideoTracks[0].VideoTrackClips[0].Effects[0].Width");
        error.Reason.Should().Contain("1.1");
    }

    [Fact]
    public void Boxes_and_contents_have_even_sizes()
    {
        var g = Of("\"X\":101,\"Y\":51,\"Width\":333,\"Height\":201,\"AdaptMode\":\"Contain\"", Video(10, 1001, 999), Landscape);

        new[] { g.Box.X, g.Box.Y, g.Box.Width, g.Box.Height, g.ContentWidth, g.ContentHeight }.Should().OnlyContain(v => v % 2 == 0);
        g.ContentWidth.Should().BeLessThanOrEqualTo(g.Box.Width);
        g.ContentHeight.Should().BeLessThanOrEqualTo(g.Box.Height);
    }
}
