using RenderFarm.Core.Imaging;
using RenderFarm.AI.Ocr;
using RenderFarm.Onnx;

namespace RenderFarm.AI.Tests.Ocr;

public sealed class OcrPreprocessingTests
{
    private static RgbImage Solid(int width, int height, Func<int, int, (byte R, byte G, byte B)> colour)
    {
        var pixels = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                (pixels[(y * width + x) * 3], pixels[(y * width + x) * 3 + 1], pixels[(y * width + x) * 3 + 2]) = colour(x, y);
        return new RgbImage(pixels, width, height);
    }

    [Theory]
    [InlineData(1080, 1920, 960, 544, 960)]
    [InlineData(1920, 1080, 960, 960, 544)]
    [InlineData(100, 50, 960, 96, 64)]
    [InlineData(20, 10, 960, 32, 32)]
    public void The_detector_sees_the_picture_within_the_limit_in_multiples_of_32(int width, int height, int limit, int expectedWidth, int expectedHeight)
    {
        OcrPreprocessing.DetectionSize(width, height, limit).Should().Be((expectedWidth, expectedHeight));
    }

    [Fact]
    public void Detection_input_is_planar_BGR_normalised_with_the_ImageNet_mean_and_deviation()
    {
        var tensor = OcrPreprocessing.DetectionInput(Solid(10, 6, (_, _) => (255, 0, 128)), 64, 32);

        tensor.Should().HaveCount(3 * 64 * 32);
        var plane = 64 * 32;
        tensor[0].Should().BeApproximately((128 / 255f - 0.485f) / 0.229f, 1e-4f, "channel 0 is blue");
        tensor[plane + 100].Should().BeApproximately((0 - 0.456f) / 0.224f, 1e-4f, "channel 1 is green");
        tensor[2 * plane + plane - 1].Should().BeApproximately((1 - 0.406f) / 0.225f, 1e-4f, "channel 2 is red");
    }

    [Theory]
    [InlineData(100, 20, 240, 320)]
    [InlineData(1000, 20, 2400, 2400)]
    [InlineData(30, 30, 48, 320)]
    public void Recognition_input_is_48_high_keeping_the_aspect_and_padded_to_320(double width, double height, int resized, int padded)
    {
        OcrPreprocessing.RecognitionWidth(width, height).Should().Be((resized, padded));
    }

    [Fact]
    public void A_line_is_cut_out_scaled_to_48_px_and_padded_with_zeros()
    {
        // Black left half, white right half; the box is the whole picture: 199 x 99 (pixel centres) -> 97 x 48.
        var image = Solid(200, 100, (x, _) => x < 100 ? ((byte)0, (byte)0, (byte)0) : ((byte)255, (byte)255, (byte)255));

        var (tensor, width) = OcrPreprocessing.RecognitionInput(image, [(0, 0), (199, 0), (199, 99), (0, 99)]);

        width.Should().Be(320);
        tensor.Should().HaveCount(3 * 48 * 320);
        tensor[10 * 320 + 5].Should().Be(-1, "black is -1");
        tensor[10 * 320 + 90].Should().Be(1, "white is 1");
        tensor[10 * 320 + 200].Should().Be(0, "the padding is 0");
    }

    [Fact]
    public void A_box_much_taller_than_wide_is_turned_a_quarter_anticlockwise()
    {
        // Red top half, blue bottom half: turned anticlockwise, the top goes left.
        var image = Solid(20, 100, (_, y) => y < 50 ? ((byte)255, (byte)0, (byte)0) : ((byte)0, (byte)0, (byte)255));

        var (tensor, _) = OcrPreprocessing.RecognitionInput(image, [(0, 0), (19, 0), (19, 99), (0, 99)]);

        // 99 x 19 after turning -> 251 x 48; channel 0 (blue) is -1 where red is, 1 where blue is.
        tensor[24 * 320 + 10].Should().Be(-1, "the left is the red top");
        tensor[24 * 320 + 240].Should().Be(1, "the right is the blue bottom");
    }
}
