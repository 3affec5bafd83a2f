using RenderFarm.Core.Imaging;
using RenderFarm.AI.Ocr;
using RenderFarm.Onnx;
using RenderFarm.TestSupport;

namespace RenderFarm.AI.Tests.Ocr;

public sealed class PaddleOcrOptionsTests
{
    [Fact]
    public void A_setting_out_of_range_is_refused_naming_it()
    {
        FluentActions.Invoking(() => new PaddleOcr(new PaddleOcrOptions { DetectionMaxSide = 100 })).Should().Throw<ArgumentException>()
            .WithMessage("PaddleOcrOptions.DetectionMaxSide must be between 320 and 4096, not 100*");
        FluentActions.Invoking(() => new PaddleOcrOptions { MinConfidence = double.NaN }.Validate()).Should().Throw<ArgumentException>()
            .Which.ParamName.Should().Be("MinConfidence");
    }

    [Fact]
    public void Missing_models_fail_the_first_read_with_one_line_naming_the_setup_script_and_the_variable()
    {
        using var dir = new TempDir();
        using var ocr = new PaddleOcr(new PaddleOcrOptions { ModelDirectory = dir.Path }); // constructing opens nothing

        var error = FluentActions.Invoking(() => ocr.Read(new RgbImage(new byte[3 * 4], 2, 2))).Should().Throw<FileNotFoundException>().Which;

        error.Message.Should().Be($"The PaddleOCR models were not found ('{dir.Path}' does not hold ch_PP-OCRv4_det_infer.onnx, " +
            "ch_PP-OCRv4_rec_infer.onnx and ppocr_keys_v1.txt); run scripts/setup-models.sh or set RENDERFARM_OCR_MODELS");
    }
}
