namespace RenderFarm.Matting.Tests;

public sealed class MattingOptionsTests
{
    [Fact]
    public void The_defaults_are_valid()
    {
        var options = new MattingOptions().Validate();

        options.AnalysisFps.Should().Be(5);
        options.MatteSize.Should().Be(1024);
    }

    [Theory]
    [InlineData("AnalysisFps")]
    [InlineData("MatteSize")]
    [InlineData("TemporalSmoothing")]
    [InlineData("InferenceThreads")]
    public void A_value_out_of_range_is_rejected_with_its_name_and_range(string field)
    {
        var options = field switch
        {
            "AnalysisFps" => new MattingOptions { AnalysisFps = 0.1 },
            "MatteSize" => new MattingOptions { MatteSize = 4096 },
            "TemporalSmoothing" => new MattingOptions { TemporalSmoothing = double.NaN },
            _ => new MattingOptions { InferenceThreads = -1 },
        };

        var act = () => options.Validate();

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage($"MattingOptions.{field} is *; it must be between * and *");
    }
}
