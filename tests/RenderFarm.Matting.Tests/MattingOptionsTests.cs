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

    [Fact]
    public void The_environment_sets_each_analysis_value_and_a_bad_one_is_named()
    {
        var variables = new Dictionary<string, string>
        {
            ["RENDERFARM_MATTING_FPS"] = "2.5", ["RENDERFARM_MATTING_SIZE"] = "512",
            ["RENDERFARM_MATTING_SMOOTHING"] = "0", ["RENDERFARM_MATTING_THREADS"] = "2", ["RENDERFARM_MATTING_MOTION"] = "0.03",
        };
        MattingOptions.FromEnvironment(v => variables.GetValueOrDefault(v)).Should().Be(new MattingOptions
        {
            AnalysisFps = 2.5, MatteSize = 512, TemporalSmoothing = 0, InferenceThreads = 2, MotionThreshold = 0.03,
        });
        MattingOptions.FromEnvironment(_ => null).Should().Be(new MattingOptions(), "unset variables keep the defaults");

        var notANumber = () => MattingOptions.FromEnvironment(v => v == "RENDERFARM_MATTING_FPS" ? "fast" : null);
        notANumber.Should().Throw<ArgumentException>().WithMessage("RENDERFARM_MATTING_FPS: 'fast' is not a number");
        var tooBig = () => MattingOptions.FromEnvironment(v => v == "RENDERFARM_MATTING_SIZE" ? "9000" : null);
        tooBig.Should().Throw<ArgumentException>().WithMessage("RENDERFARM_MATTING_SIZE: MattingOptions.MatteSize is 9000; it must be between 64 and 2048");
        var negative = () => MattingOptions.FromEnvironment(v => v == "RENDERFARM_MATTING_MOTION" ? "-1" : null);
        negative.Should().Throw<ArgumentException>().WithMessage("RENDERFARM_MATTING_MOTION: MattingOptions.MotionThreshold is -1; it must be between 0 and 1");
    }
}
