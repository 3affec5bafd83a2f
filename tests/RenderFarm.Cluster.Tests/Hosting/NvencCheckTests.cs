using FluentAssertions;
using Microsoft.Extensions.Logging;
using RenderFarm.Cluster.Hosting;
using RenderFarm.Media.Ffmpeg;
using Xunit;

namespace RenderFarm.Cluster.Tests.Hosting;

/// <summary>The h264_nvenc check a gpu node runs at start. These machines have no GPU: the real check must fall back.</summary>
public sealed class NvencCheckTests
{
    [Fact]
    public void Reads_h264_nvenc_from_the_encoder_list()
    {
        const string listing = """
            Encoders:
             V..... = Video
             ------
             V....D libx264              libx264 H.264 / AVC / MPEG-4 AVC / MPEG-4 part 10 (codec h264)
             V....D h264_nvenc           NVIDIA NVENC H.264 encoder (codec h264)
            """;

        NvencCheck.Lists(listing).Should().BeTrue();
        NvencCheck.Lists(listing.Replace(" V....D h264_nvenc ", " V....D hevc_nvenc ")).Should().BeFalse();
    }

    [Fact]
    public async Task Without_a_GPU_the_test_encode_fails_and_the_node_logs_that_it_stays_on_libx264()
    {
        // As on a machine whose driver shows a GPU that cannot encode: the real ffmpeg check runs and fails here.
        var log = new RecordingLog();

        var usable = await NvencCheck.RunAsync(new FfmpegRunner(), "nvidia (1 GPU)", log, TestContext.Current.CancellationToken);

        usable.Should().BeFalse();
        log.Lines.Should().ContainSingle().Which.Should().StartWith("Warning: h264_nvenc not usable (test encode failed: ")
            .And.EndWith("): no nvenc segments on this node, they stay libx264");
    }

    [Fact]
    public async Task Without_an_NVIDIA_driver_ffmpeg_is_not_asked_and_the_node_says_why()
    {
        var log = new RecordingLog();

        var usable = await NvencCheck.RunAsync(new FfmpegRunner("/nonexistent/ffmpeg"), "cpu (2 cores, no GPU driver)", log, TestContext.Current.CancellationToken);

        usable.Should().BeFalse();
        log.Lines.Should().Equal("Warning: h264_nvenc not usable (no NVIDIA driver: cpu (2 cores, no GPU driver)): no nvenc segments on this node, they stay libx264");
    }

    /// <summary>Keeps each logged line with its level.</summary>
    private sealed class RecordingLog : ILogger
    {
        public List<string> Lines { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add($"{logLevel}: {formatter(state, exception)}");
    }
}
