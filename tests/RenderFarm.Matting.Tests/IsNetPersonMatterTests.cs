namespace RenderFarm.Matting.Tests;

/// <summary>ISNet on a real photo: the person is matted in, the background out.</summary>
public sealed class IsNetPersonMatterTests(MattingModel model)
{
    [Fact]
    public void The_astronaut_is_foreground_and_the_background_is_not()
    {
        var image = model.AstronautPixels();
        image.Width.Should().Be(512);

        var matte = model.Matter.Run(image, image.Width, image.Height, TestContext.Current.CancellationToken);

        matte.Width.Should().Be(512);
        matte.Height.Should().Be(512);
        var (x, y, w, h) = MattingModel.Person;
        matte.Mean(x, y, w, h).Should().BeGreaterThan(0.9, "the box lies inside the person");
        foreach (var (bx, by, bw, bh) in MattingModel.Background)
            matte.Mean(bx, by, bw, bh).Should().BeLessThan(0.1, $"the box at ({bx},{by}) is background");
        model.Matter.ModelSize.Should().Be(1024);
        model.Matter.ExecutionProvider.Should().BeOneOf("CPU", "CUDA");
    }

    [Fact]
    public void A_missing_model_names_the_setup_script()
    {
        var act = () => new IsNetPersonMatter(new MattingOptions { ModelPath = "/nonexistent/isnet.onnx" });

        act.Should().Throw<FileNotFoundException>().WithMessage("*/nonexistent/isnet.onnx*scripts/setup-models.sh*");
    }
}
