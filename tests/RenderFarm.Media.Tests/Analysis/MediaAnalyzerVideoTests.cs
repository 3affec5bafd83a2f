using FluentAssertions;
using RenderFarm.Core.Library;
using RenderFarm.Media.Analysis;
using RenderFarm.TestSupport;
using Xunit;

namespace RenderFarm.Media.Tests.Analysis;

/// <summary>A four-shot video with words on each shot, analysed once for all the tests below.</summary>
public sealed class FourShotVideo : IAsyncLifetime
{
    public static readonly ShotSpec[] Shots =
    [
        new("0x2050C0", (0x20, 0x50, 0xC0), "white", "HELLO", 2.0),
        new("0xE0E0E0", (0xE0, 0xE0, 0xE0), "black", "你好世界", 1.6),
        new("0xC03020", (0xC0, 0x30, 0x20), "white", "GARDEN", 2.4),
        new("0x30A040", (0x30, 0xA0, 0x40), "black", "OCEAN", 2.0),
    ];

    public TempDir Dir { get; } = new();
    public string Keyframes => Dir.File("keyframes");
    public string VideoPath => Dir.File("shots.mp4");
    public MediaAnalysis Analysis { get; private set; } = null!;
    public List<double> Progress { get; } = [];

    public async ValueTask InitializeAsync()
    {
        AnalysisMedia.Video(VideoPath, Shots);
        Analysis = await new MediaAnalyzer(recognizer: null, AnalysisMedia.TextReader)
            .AnalyseAsync(VideoPath, Keyframes, new SyncProgress<double>(Progress.Add), TestContext.Current.CancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        Dir.Dispose();
        return ValueTask.CompletedTask;
    }
}

public sealed class MediaAnalyzerVideoTests(FourShotVideo video) : IClassFixture<FourShotVideo>
{
    private const double Frame = 1.0 / AnalysisMedia.Fps;

    private MediaAnalysis Analysis => video.Analysis;

    [Fact]
    public void Shots_start_within_one_frame_of_the_cuts_and_cover_the_video()
    {
        var cuts = new List<double> { 0 };
        foreach (var shot in FourShotVideo.Shots) cuts.Add(cuts[^1] + shot.Seconds);

        Analysis.Shots.Should().HaveCount(4);
        for (var i = 0; i < 4; i++)
        {
            Analysis.Shots[i].In.Should().BeApproximately(cuts[i], Frame + 1e-6, $"shot {i + 1} starts at {cuts[i]} s");
            if (i < 3) Analysis.Shots[i].Out.Should().Be(Analysis.Shots[i + 1].In);
        }
        Analysis.Shots[^1].Out.Should().BeApproximately(8.0, Frame);
        Analysis.DurationSeconds.Should().BeApproximately(8.0, Frame);
        (Analysis.Width, Analysis.Height, Analysis.HasAudio, Analysis.Transcript).Should().Be((640, 360, false, null));
    }

    [Fact]
    public void Each_shot_reads_its_own_words_including_the_chinese_characters_without_spaces()
    {
        for (var i = 0; i < 4; i++)
        {
            var text = Analysis.Shots[i].OcrText;
            text.Should().Contain(FourShotVideo.Shots[i].Text, $"shot {i + 1} shows {FourShotVideo.Shots[i].Text}");
            foreach (var other in FourShotVideo.Shots.Where((_, j) => j != i)) text.Should().NotContain(other.Text);
        }
    }

    [Fact]
    public void Each_keyframe_is_a_file_showing_its_shot_background()
    {
        Analysis.Shots.Select(s => s.KeyframeFile).Should().OnlyHaveUniqueItems();
        for (var i = 0; i < 4; i++)
        {
            var file = Path.Combine(video.Keyframes, Analysis.Shots[i].KeyframeFile);
            Path.GetFileName(file).Should().Be(Analysis.Shots[i].KeyframeFile, "the record holds a file name only");
            File.Exists(file).Should().BeTrue();
            var frame = Inspect.FrameAt(file, 0);
            (frame.Width, frame.Height).Should().Be((640, 360));
            var corner = Inspect.Mean(frame, 4, 4, 40, 40);
            var expected = FourShotVideo.Shots[i].Rgb;
            corner.R.Should().BeApproximately(expected.R, 10);
            corner.G.Should().BeApproximately(expected.G, 10);
            corner.B.Should().BeApproximately(expected.B, 10);
        }
    }

    [Fact]
    public void Each_shot_mean_colour_matches_its_keyframe_and_lies_near_its_background()
    {
        for (var i = 0; i < 4; i++)
        {
            var stats = Analysis.Shots[i].Visual;
            var (r, g, b) = Rgb(stats.MeanColour);
            var keyframe = Inspect.FrameAt(Path.Combine(video.Keyframes, Analysis.Shots[i].KeyframeFile), 0);
            var mean = Inspect.Mean(keyframe, 0, 0, keyframe.Width, keyframe.Height);
            r.Should().BeApproximately(mean.R, 6, $"shot {i + 1}'s mean red");
            g.Should().BeApproximately(mean.G, 6);
            b.Should().BeApproximately(mean.B, 6);
            var background = FourShotVideo.Shots[i].Rgb;
            r.Should().BeApproximately(background.R, 25, "the words cover a small part of the picture");
            g.Should().BeApproximately(background.G, 25);
            b.Should().BeApproximately(background.B, 25);
            stats.MeanLuma.Should().BeApproximately(0.299 * mean.R + 0.587 * mean.G + 0.114 * mean.B, 3);
        }
        Analysis.Shots[1].Visual.MeanSaturation.Should().BeLessThan(10, "the grey shot has no colour");
        Analysis.Shots[2].Visual.MeanSaturation.Should().BeGreaterThan(50, "the red shot is strongly coloured");
    }

    [Fact]
    public void The_whole_video_mean_is_the_duration_weighted_mean_of_the_shots()
    {
        var shots = Analysis.Shots.Select(s => (Seconds: s.Out - s.In, Rgb: Rgb(s.Visual.MeanColour), s.Visual.MeanLuma)).ToList();
        var total = shots.Sum(s => s.Seconds);
        var (r, g, b) = Rgb(Analysis.Visual.MeanColour);
        r.Should().BeApproximately(shots.Sum(s => s.Seconds * s.Rgb.R) / total, 1.5);
        g.Should().BeApproximately(shots.Sum(s => s.Seconds * s.Rgb.G) / total, 1.5);
        b.Should().BeApproximately(shots.Sum(s => s.Seconds * s.Rgb.B) / total, 1.5);
        Analysis.Visual.MeanLuma.Should().BeApproximately(shots.Sum(s => s.Seconds * s.MeanLuma) / total, 0.1);
    }

    [Fact]
    public void Progress_rises_from_the_start_to_one()
    {
        video.Progress.Should().NotBeEmpty().And.BeInAscendingOrder().And.OnlyHaveUniqueItems();
        video.Progress[0].Should().BeLessThan(0.1);
        video.Progress[^1].Should().Be(1);
        video.Progress.Count.Should().BeGreaterThanOrEqualTo(6, "the probe, the scan and each of the four shots report");
    }

    internal static (double R, double G, double B) Rgb(string hex)
    {
        hex.Should().MatchRegex("^#[0-9A-F]{6}$");
        var v = Convert.ToInt32(hex[1..], 16);
        return (v >> 16 & 0xFF, v >> 8 & 0xFF, v & 0xFF);
    }
}
