using RenderFarm.Media.Ai;
using RenderFarm.Media.Ffmpeg;
using RenderFarm.TestSupport;

namespace RenderFarm.Matting.Tests;

/// <summary>The pictures handed to the model are the ones on screen at the analysed times (ffmpeg, no model).</summary>
public sealed class AnalysisDecodingTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>A 4 s 25 fps video whose frame N is a flat gray of luma 16 + 2N (lossless, so levels survive).</summary>
    private string NumberedFrames()
    {
        var path = _dir.File("numbered.mkv");
        Tool.Ffmpeg("-f", "lavfi", "-i", "color=c=black:s=32x32:r=25:d=4", "-vf", "geq=lum='16+2*N':cb=128:cr=128", "-c:v", "ffv1", path);
        return path;
    }

    [Theory]
    [InlineData(0.0, 1.0, 3.0)]
    [InlineData(0.5, 1.0, 3.0)]
    [InlineData(0.3, 1.5, 5.0)]
    [InlineData(2.22, 0.8, 4.0)]
    public async Task Each_analysed_picture_is_the_frame_on_screen_at_its_time(double start, double speed, double analysisFps)
    {
        var source = NumberedFrames();
        // Every frame's red level after the same scaling and colour conversion as the analysis path.
        var levels = Tool.Ffmpeg("-i", source, "-vf", "scale=8:8:flags=bilinear,format=rgb24", "-f", "rawvideo", "-")
            .Chunk(8 * 8 * 3).Select(f => f[0]).ToList();
        levels.Should().OnlyHaveUniqueItems().And.HaveCount(100);
        var plan = MattePlan.For(new MatteRequest(source, start, speed, 25, 25, 32, 32, 0), analysisFps);
        var shown = new List<int>();

        var count = await new FfmpegFramePipe().DecodeAsync(IsNetMatteProducer.DecodeArguments(source, plan, 8), 8 * 8 * 3,
            (frame, _, _) =>
            {
                shown.Add(levels.IndexOf(frame[0]));
                return Task.CompletedTask;
            }, TestContext.Current.CancellationToken);

        count.Should().Be(plan.AnalysedFrames);
        shown.Should().Equal(Enumerable.Range(0, plan.AnalysedFrames).Select(k => (int)Math.Floor(plan.AnalysisTime(k) * 25 + 1e-6)));
    }

    [Fact]
    public async Task An_encoder_that_fails_reports_ffmpegs_error()
    {
        var act = () => new FfmpegFramePipe().EncodeAsync(
            ["-f", "rawvideo", "-pix_fmt", "gray", "-s", "8x8", "-i", "pipe:0", "-c:v", "no_such_codec", _dir.File("x.mkv")],
            async (stdin, ct) => { for (var i = 0; i < 100; i++) await stdin.WriteAsync(new byte[64], ct); },
            TestContext.Current.CancellationToken);

        (await act.Should().ThrowAsync<FfmpegException>()).WithMessage("*no_such_codec*");
    }
}
