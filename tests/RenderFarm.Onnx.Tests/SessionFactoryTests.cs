using Microsoft.Extensions.Logging;

namespace RenderFarm.Onnx.Tests;

/// <summary>
/// The NuGet runtime (Microsoft.ML.OnnxRuntime.Gpu.Linux) on machines without CUDA 13 and a GPU: a model
/// opens on the CPU and one log line says why. (Run where CUDA loads, the first test fails and says so.)
/// </summary>
public sealed class SessionFactoryTests(TinyEncoder encoder)
{
    [Fact]
    public void Without_CUDA_a_model_opens_on_the_CPU_with_one_log_line_giving_the_reason()
    {
        var reason = OnnxSessionFactory.WhyNoCuda();
        reason.Should().NotBeNull("this test runs where CUDA's provider cannot load (no GPU here); scripts/gpu-check.sh covers GPU machines");
        var log = new LinesLogger();

        using var session = OnnxSessionFactory.Open(encoder.TokenLevelModel, "Text embedding", logger: log);

        session.ExecutionProvider.Should().Be("CPU");
        log.Lines.Should().ContainSingle().Which.Should().Be($"Text embedding runs on the CPU: CUDA is not available ({reason})");
        reason.Should().NotContain("\n").And.NotBeEmpty();
        // The session really runs on the CPU: an id row comes back as the table's row for that token.
        var ids = new Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<long>(new[] { 22L }, [1, 1]);
        var mask = new Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<long>(new[] { 1L }, [1, 1]);
        using var results = session.Session.Run([
            Microsoft.ML.OnnxRuntime.NamedOnnxValue.CreateFromTensor("input_ids", ids),
            Microsoft.ML.OnnxRuntime.NamedOnnxValue.CreateFromTensor("attention_mask", mask)]);
        results.Single().AsEnumerable<float>().Should().Equal(TinyEncoder.Row("cat"));
    }

    [Fact]
    public void The_cpu_device_never_tries_CUDA_and_says_so()
    {
        var log = new LinesLogger();
        using var session = OnnxSessionFactory.Open(encoder.TokenLevelModel, "Person matting", logger: log, device: OnnxDevice.Cpu);
        session.ExecutionProvider.Should().Be("CPU");
        log.Lines.Should().Equal("Person matting runs on the CPU: CUDA is not available (RENDERFARM_ONNX_DEVICE is cpu)");
    }

    [Theory]
    [InlineData(null, OnnxDevice.Auto)]
    [InlineData("", OnnxDevice.Auto)]
    [InlineData("AUTO", OnnxDevice.Auto)]
    [InlineData(" cpu ", OnnxDevice.Cpu)]
    public void The_device_variable_is_read(string? value, OnnxDevice expected) =>
        OnnxSessionFactory.DeviceFromEnvironment(_ => value).Should().Be(expected);

    [Fact]
    public void An_unknown_device_is_refused_naming_the_variable() =>
        FluentActions.Invoking(() => OnnxSessionFactory.DeviceFromEnvironment(_ => "gpu0"))
            .Should().Throw<ArgumentException>().WithMessage("RENDERFARM_ONNX_DEVICE: 'gpu0' is not a device; use auto or cpu");

    private sealed class LinesLogger : ILogger
    {
        public List<string> Lines { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add(formatter(state, exception));
    }
}
