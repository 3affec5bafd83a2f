using FluentAssertions;
using RenderFarm.Core.Json;
using RenderFarm.Media.Analysis;
using RenderFarm.TestSupport;
using Xunit;

namespace RenderFarm.Media.Tests.Analysis;

/// <summary>Images, sound without pictures, and inputs or settings the analyzer refuses.</summary>
public sealed class MediaAnalyzerInputTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Keyframes => _dir.File("keyframes");

    [Fact]
    public async Task An_image_is_one_shot_at_zero_with_its_text_a_keyframe_and_its_colour()
    {
        var image = AnalysisMedia.Image(_dir.File("sign.png"), "0x203080", "white", "SUNSET BEACH", 1600, 900);

        var analysis = await new MediaAnalyzer(recognizer: null, AnalysisMedia.TextReader).AnalyseAsync(image, Keyframes, null, Ct);

        (analysis.DurationSeconds, analysis.Width, analysis.Height, analysis.HasAudio, analysis.Transcript).Should().Be((0, 1600, 900, false, null));
        var shot = analysis.Shots.Should().ContainSingle().Subject;
        (shot.In, shot.Out).Should().Be((0, 0));
        shot.OcrText.Should().Contain("SUNSET BEACH");
        var keyframe = Inspect.FrameAt(Path.Combine(Keyframes, shot.KeyframeFile), 0);
        (keyframe.Width, keyframe.Height).Should().Be((1280, 720), "keyframes are scaled to 1280 on the long side");
        var corner = Inspect.Mean(keyframe, 4, 4, 40, 40);
        corner.B.Should().BeApproximately(0x80, 10);
        var (r, g, b) = MediaAnalyzerVideoTests.Rgb(shot.Visual.MeanColour);
        (r, g, b).Should().Match<(double R, double G, double B)>(c => Math.Abs(c.R - 0x20) < 25 && Math.Abs(c.G - 0x30) < 25 && Math.Abs(c.B - 0x80) < 25);
        analysis.Visual.Should().Be(shot.Visual, "the whole of an image is its one shot");
    }

    [Fact]
    public async Task Sound_alone_is_one_shot_over_its_duration_without_keyframe_or_text()
    {
        var tone = new TestMedia(_dir.File("media")).Tone("tone.m4a", 440, 3);
        var progress = new List<double>();

        var analysis = await new MediaAnalyzer(recognizer: null, AnalysisMedia.TextReader).AnalyseAsync(tone, Keyframes, new SyncProgress<double>(progress.Add), Ct);

        (analysis.Width, analysis.Height, analysis.HasAudio, analysis.Transcript).Should().Be((0, 0, true, null));
        analysis.DurationSeconds.Should().BeApproximately(3, 0.1);
        var shot = analysis.Shots.Should().ContainSingle().Subject;
        (shot.In, shot.Out, shot.KeyframeFile, shot.OcrText, shot.Transcript).Should().Be((0, analysis.DurationSeconds, "", "", null));
        shot.Visual.MeanColour.Should().Be("#000000");
        progress.Should().EndWith(1.0);
    }

    [Fact]
    public async Task A_medium_longer_than_the_limit_is_refused_naming_the_setting()
    {
        var clip = new TestMedia(_dir.File("media")).ColourVideo("long.mp4", "red", 3);
        var analyzer = new MediaAnalyzer(null, null, new MediaAnalyzerOptions { MaxDurationSeconds = 2 });

        var error = await FluentActions.Awaiting(() => analyzer.AnalyseAsync(clip, Keyframes, null, Ct)).Should().ThrowAsync<RequestException>();

        error.Which.Path.Should().Be(MediaAnalyzer.MediaField);
        error.Which.Message.Should().Be("media: the medium lasts 3 s; analysis takes at most 2 s (MediaAnalyzerOptions.MaxDurationSeconds)");
        Directory.Exists(Keyframes).Should().BeFalse("nothing is written for a refused medium");
    }

    [Fact]
    public async Task A_file_that_is_not_media_is_refused_with_one_line()
    {
        var text = _dir.File("notes.mp4");
        await File.WriteAllTextAsync(text, "just some words\n", Ct);

        var error = await FluentActions.Awaiting(() => new MediaAnalyzer(null, null).AnalyseAsync(text, Keyframes, null, Ct))
            .Should().ThrowAsync<RequestException>();

        error.Which.Path.Should().Be("media");
        error.Which.Message.Should().StartWith("media: ").And.Contain("is not a readable audio, video or image file").And.NotContain("\n");
    }

    [Theory]
    [InlineData("SceneThreshold", "MediaAnalyzerOptions.SceneThreshold must be between 0.01 and 1, not 0")]
    [InlineData("MaxShots", "MediaAnalyzerOptions.MaxShots must be between 1 and 10000, not 0")]
    [InlineData("KeyframeMaxSide", "MediaAnalyzerOptions.KeyframeMaxSide must be between 64 and 4096 px, not 0")]
    public void A_setting_out_of_range_is_refused_naming_it(string setting, string message)
    {
        var options = setting switch
        {
            "SceneThreshold" => new MediaAnalyzerOptions { SceneThreshold = 0 },
            "MaxShots" => new MediaAnalyzerOptions { MaxShots = 0 },
            _ => new MediaAnalyzerOptions { KeyframeMaxSide = 0 },
        };

        var error = FluentActions.Invoking(() => new MediaAnalyzer(null, null, options)).Should().Throw<ArgumentException>();

        error.Which.ParamName.Should().Be(setting);
        error.Which.Message.Should().StartWith(message);
    }

    [Fact]
    public async Task Too_short_shots_are_merged_and_the_shot_count_is_capped_leaving_only_the_current_keyframes()
    {
        var video = AnalysisMedia.Video(_dir.File("shots.mp4"), FourShotVideo.Shots);

        var merged = await new MediaAnalyzer(null, null, new MediaAnalyzerOptions { MinShotSeconds = 1.8 })
            .AnalyseAsync(video, Keyframes, null, Ct);
        var capped = await new MediaAnalyzer(null, null, new MediaAnalyzerOptions { MaxShots = 2 })
            .AnalyseAsync(video, Keyframes, null, Ct);

        merged.Shots.Select(s => Math.Round(s.In, 2)).Should().Equal([0, 2, 6], "the 1.6 s shot at 2 s is merged into the next one");
        capped.Shots.Should().HaveCount(2);
        capped.Shots[1].In.Should().BeOneOf([2.0, 3.6], "a cut between the red and green shots scores lower than the two others");
        Directory.GetFiles(Keyframes).Select(Path.GetFileName).Should().BeEquivalentTo(capped.Shots.Select(s => s.KeyframeFile),
            "the third keyframe of the first analysis into the same directory is removed");
    }

    [Fact]
    public async Task Cancelling_stops_the_analysis()
    {
        var video = AnalysisMedia.Video(_dir.File("shots.mp4"), FourShotVideo.Shots);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var analyzer = new MediaAnalyzer(null, AnalysisMedia.TextReader);
        // Cancel as soon as the scan is done: the keyframe tool or the OCR then running is stopped.
        var progress = new SyncProgress<double>(p => { if (p >= 0.3) cancel.Cancel(); });

        await FluentActions.Awaiting(() => analyzer.AnalyseAsync(video, Keyframes, progress, cancel.Token))
            .Should().ThrowAsync<OperationCanceledException>();

        (Directory.Exists(Keyframes) ? Directory.GetFiles(Keyframes).Length : 0).Should().BeLessThan(4);
    }
}
