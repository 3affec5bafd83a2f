using System.Globalization;
using RenderFarm.AI.Recognition;
using RenderFarm.Media.Analysis;
using RenderFarm.TestSupport;

namespace RenderFarm.AI.Tests.Recognition;

/// <summary>The media analyzer with the real pocketsphinx recogniser: speech under a two-shot video.</summary>
public sealed class MediaAnalysisTranscriptTests : IDisposable
{
    private const string Fox = "The quick brown fox jumps over the lazy dog.";
    private const string Coffee = "I would like a cup of coffee this morning.";

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Each_shot_gets_the_sentence_spoken_during_it_and_the_whole_transcript_has_both()
    {
        var clip = new SpokenClip(_dir.Path).Silence(0.5).Say(Fox).Silence(1.5).Say(Coffee).Silence(0.5);
        // The picture cuts in the pause between the sentences, on a frame boundary (25 fps).
        var cut = Math.Round((clip.Sentences[0].End + clip.Sentences[1].Start) / 2 * 25) / 25;
        var video = _dir.File("talk.mp4");
        string Colour(string c, double seconds) => string.Create(CultureInfo.InvariantCulture, $"color=c={c}:s=320x240:r=25:d={seconds}");
        Tool.Ffmpeg("-f", "lavfi", "-i", Colour("0x2050C0", cut), "-f", "lavfi", "-i", Colour("0xE08020", clip.Duration - cut),
            "-i", clip.Write("talk.wav"), "-filter_complex", "[0:v][1:v]concat=n=2:v=1:a=0[v]", "-map", "[v]", "-map", "2:a",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k", video);

        var analysis = await new MediaAnalyzer(new PocketsphinxRecognizer(_dir.File("asr-cache")), textReader: null)
            .AnalyseAsync(video, _dir.File("keyframes"), null, TestContext.Current.CancellationToken);

        TestContext.Current.TestOutputHelper?.WriteLine($"whole: {analysis.Transcript}\n1: {analysis.Shots[0].Transcript}\n2: {analysis.Shots[1].Transcript}");
        analysis.HasAudio.Should().BeTrue();
        analysis.Shots.Should().HaveCount(2);
        analysis.Shots[1].In.Should().BeApproximately(cut, 0.041);
        SpokenClip.WordsRight(Fox, analysis.Shots[0].Transcript!).Should().BeGreaterThanOrEqualTo(0.6);
        SpokenClip.WordsRight(Coffee, analysis.Shots[1].Transcript!).Should().BeGreaterThanOrEqualTo(0.6);
        analysis.Shots[0].Transcript!.ToLowerInvariant().Should().Contain("dog").And.NotContain("coffee");
        analysis.Shots[1].Transcript!.ToLowerInvariant().Should().Contain("coffee").And.NotContain("dog");
        analysis.Transcript.Should().Be($"{analysis.Shots[0].Transcript} {analysis.Shots[1].Transcript}");
    }
}
