using FluentAssertions;
using RenderFarm.Core.Timelines;
using RenderFarm.Media.Ffmpeg;
using RenderFarm.Media.Matting;
using RenderFarm.TestSupport;
using Xunit;

namespace RenderFarm.Media.Tests.Matting;

/// <summary>The Auto key colour: the median of the border pixels of the key's kind.</summary>
public sealed class KeyColourEstimatorTests
{
    /// <summary>A 64x64 RGB frame: <paramref name="border"/> around the edges (a band 4 px wide), <paramref name="centre"/> inside.</summary>
    private static byte[] Frame((byte R, byte G, byte B) border, (byte R, byte G, byte B) centre, Func<int, int, (byte, byte, byte)?>? over = null)
    {
        var rgb = new byte[64 * 64 * 3];
        for (var y = 0; y < 64; y++)
            for (var x = 0; x < 64; x++)
            {
                var edge = x < 4 || y < 4 || x >= 60 || y >= 60;
                var (r, g, b) = over?.Invoke(x, y) ?? (edge ? border : centre);
                var i = (y * 64 + x) * 3;
                (rgb[i], rgb[i + 1], rgb[i + 2]) = (r, g, b);
            }
        return rgb;
    }

    [Fact]
    public void The_border_colour_is_found_whatever_the_centre_shows()
    {
        var rgb = Frame((120, 220, 40), (255, 255, 255));

        KeyColourEstimator.FromBorder(rgb, 64, 64, ChromaKey.Green).Should().Be(new Rgba(120, 220, 40));
    }

    [Fact]
    public void Border_pixels_of_another_kind_do_not_count()
    {
        // A subject touching the bottom edge (red, a third of the border) and grey corners.
        var rgb = Frame((30, 200, 90), (255, 0, 0), (x, y) => y >= 60 && x < 40 ? ((byte)255, (byte)0, (byte)0) : x < 4 && y < 4 ? ((byte)128, (byte)128, (byte)128) : null);

        KeyColourEstimator.FromBorder(rgb, 64, 64, ChromaKey.Green).Should().Be(new Rgba(30, 200, 90));
    }

    [Fact]
    public void A_border_without_the_key_colour_kind_gives_no_estimate()
    {
        var rgb = Frame((30, 200, 90), (255, 0, 0));

        KeyColourEstimator.FromBorder(rgb, 64, 64, ChromaKey.Blue).Should().BeNull("a blue screen was asked for and the border is green");
        KeyColourEstimator.FromBorder(Frame((128, 128, 128), (0, 255, 0)), 64, 64, ChromaKey.Green).Should().BeNull();
    }

    [Fact]
    public async Task The_first_frame_the_clip_shows_is_read_from_the_file()
    {
        using var dir = new TempDir();
        var path = dir.File("screen.mp4");
        // Blue for 1 s, then green: a clip entered at In 1.5 keys green.
        Tool.Ffmpeg("-f", "lavfi", "-i", "color=c=0x0047BB:s=160x120:r=25:d=1", "-f", "lavfi", "-i", "color=c=0x20C040:s=160x120:r=25:d=1",
            "-filter_complex", "[0:v][1:v]concat=n=2:v=1", "-c:v", "libx264", "-preset", "ultrafast", "-qp", "0", "-pix_fmt", "yuv444p", path);
        var estimator = new KeyColourEstimator(new FfmpegRunner());

        var green = await estimator.EstimateAsync(path, 1.5, ChromaKey.Green, CancellationToken.None);
        var blue = await estimator.EstimateAsync(path, 0, ChromaKey.Blue, CancellationToken.None);

        Close(green!.Value, 0x20, 0xC0, 0x40).Should().BeTrue($"#{green.Value.Hex} is the green of the frame at 1.5 s");
        Close(blue!.Value, 0x00, 0x47, 0xBB).Should().BeTrue($"#{blue.Value.Hex} is the blue of the first frame");
    }

    private static bool Close(Rgba c, int r, int g, int b) => Math.Abs(c.R - r) <= 3 && Math.Abs(c.G - g) <= 3 && Math.Abs(c.B - b) <= 3;
}
