using RenderFarm.AI.Ocr;

namespace RenderFarm.AI.Tests.Ocr;

public sealed class DbBoxDecoderTests
{
    private static float[] Map(int width, int height, params (int X0, int Y0, int X1, int Y1, float P)[] regions)
    {
        var map = new float[width * height];
        foreach (var (x0, y0, x1, y1, p) in regions)
            for (var y = y0; y <= y1; y++)
                for (var x = x0; x <= x1; x++) map[y * width + x] = p;
        return map;
    }

    [Fact]
    public void A_region_becomes_its_rectangle_grown_by_the_unclip_distance_and_scaled_to_the_picture()
    {
        // Pixel centres x 5..24, y 6..11: a 19 x 5 rectangle centred on (14.5, 8.5); grown by 19*5*1.5/48 = 2.97 a side.
        var map = Map(40, 20, (5, 6, 24, 11, 0.9f));

        var box = DbBoxDecoder.Decode(map, 40, 20, 80, 40).Should().ContainSingle().Subject;

        box.Score.Should().BeApproximately(0.9, 1e-6);
        // Map to picture: x2; (2.03, 3.03)-(26.97, 13.97) becomes (4, 6)-(54, 28) once rounded.
        box.Corners.Should().Equal((4.0, 6.0), (54.0, 6.0), (54.0, 28.0), (4.0, 28.0));
    }

    [Fact]
    public void Regions_too_faint_or_too_thin_are_dropped()
    {
        var map = Map(40, 30, (2, 2, 30, 8, 0.5f), (2, 15, 30, 16, 0.95f));

        DbBoxDecoder.Decode(map, 40, 30, 40, 30).Should().BeEmpty("the first region's mean 0.5 is under the box threshold 0.6, the second is 1 px tall");
    }

    [Fact]
    public void Boxes_come_top_to_bottom_and_left_to_right_within_a_row()
    {
        var map = Map(100, 60, (60, 30, 90, 40, 0.9f), (5, 32, 40, 42, 0.9f), (10, 3, 90, 12, 0.9f));

        var boxes = DbBoxDecoder.Decode(map, 100, 60, 100, 60);

        boxes.Select(b => (b.Corners[0].X < 30, b.Corners[0].Y < 20)).Should().Equal((true, true), (true, false), (false, false));
    }

    [Fact]
    public void A_slanted_region_gets_a_rotated_rectangle()
    {
        // A bar 40 long and 6 wide at 30 degrees.
        var map = new float[100 * 100];
        var (dx, dy) = (Math.Cos(Math.PI / 6), Math.Sin(Math.PI / 6));
        for (var y = 0; y < 100; y++)
            for (var x = 0; x < 100; x++)
            {
                var (u, v) = ((x - 50) * dx + (y - 50) * dy, -(x - 50) * dy + (y - 50) * dx);
                if (Math.Abs(u) <= 20 && Math.Abs(v) <= 3) map[y * 100 + x] = 0.9f;
            }

        var box = DbBoxDecoder.Decode(map, 100, 100, 100, 100).Should().ContainSingle().Subject;

        var (p0, p1) = (box.Corners[0], box.Corners[1]);
        (Math.Atan2(p1.Y - p0.Y, p1.X - p0.X) * 180 / Math.PI).Should().BeApproximately(30, 3, "the top edge follows the text");
        p0.X.Should().BeLessThan(box.Corners[2].X);
    }

    [Fact]
    public void The_minimum_area_rectangle_of_a_rotated_square_is_that_square()
    {
        var (c, s) = (Math.Cos(0.4), Math.Sin(0.4));
        var hull = new[] { (0.0, 0.0), (10 * c, 10 * s), (10 * c - 10 * s, 10 * s + 10 * c), (-10 * s, 10 * c) };

        var rect = DbBoxDecoder.MinAreaRectangle(hull);

        (rect.Width * rect.Height).Should().BeApproximately(100, 1e-6);
        rect.Width.Should().BeApproximately(10, 1e-6);
    }
}
