using FluentAssertions;
using RenderFarm.Media.Audio;
using RenderFarm.Media.Ffmpeg;
using RenderFarm.Media.Production;
using RenderFarm.TestSupport;
using Xunit;

namespace RenderFarm.Media.Tests.Audio;

/// <summary>Espeak sentences with 2.5 s pauses between them over a music bed of low tones: the truth is known.</summary>
public sealed class MixingFixture : IDisposable
{
    public TempDir Dir { get; } = new();
    public string Voice { get; }
    public IReadOnlyList<(double Start, double End)> Speech { get; }
    public string Music { get; }

    public MixingFixture()
    {
        (Voice, Speech) = MixingMedia.Voice(Dir.Path,
            ["The quarterly report is ready for review.", "Sales grew in every region this year.", "Thank you all for listening."], 2.5);
        Music = MixingMedia.Music(Dir.Path, 30);
    }

    public void Dispose() => Dir.Dispose();
}

public sealed class AudioMixingTests(MixingFixture media, ITestOutputHelper log) : IClassFixture<MixingFixture>
{
    private static readonly PcmCodec Codec = new(new FfmpegRunner(), new FfmpegFramePipe());

    [Fact]
    public async Task The_speech_detector_finds_each_espeak_sentence_and_the_pauses_between_them()
    {
        var voice = await Codec.DecodeAsync(media.Voice, "Input.Media", TestContext.Current.CancellationToken);
        var found = new SpeechDetector().Detect(voice);
        found.Should().HaveCount(media.Speech.Count, "one span per sentence, none in the pauses");
        for (var i = 0; i < found.Count; i++)
        {
            found[i].Start.Should().BeApproximately(media.Speech[i].Start, 0.15, $"sentence {i} starts");
            found[i].End.Should().BeApproximately(media.Speech[i].End, 0.15, $"sentence {i} ends");
        }
    }

    [Fact]
    public async Task Voice_and_music_mix_to_the_target_loudness_under_the_ceiling_with_the_music_ducked_under_speech()
    {
        var function = new AudioMixingFunction(Codec);
        var parameters = ProductionFunctions.ParseParams(function, $"{{inputs:[{{media:'{media.Music}',role:music}}]}}");
        var output = media.Dir.File("mix.m4a");
        var result = await ProductionRunner.RunAsync(function, parameters, media.Voice,
            new Dictionary<string, string> { ["JobParams.inputs[0].media"] = media.Music }, output, media.Dir.File("work"), new Progress<double>(), TestContext.Current.CancellationToken);

        var (integrated, truePeak) = MixingMedia.Ebur128(output);
        integrated.Should().BeApproximately(-16, 1, "the default target is -16 LUFS (measured by ffmpeg's ebur128)");
        truePeak.Should().BeLessThan(-1, "true peak stays under -1 dBTP after AAC encoding");
        result["Loudness"]!.GetValue<double>().Should().BeApproximately(integrated, 0.5, "our measure agrees with ffmpeg's");

        // The music's level (55 Hz) in the middle of each sentence against the middle of each pause.
        var under = media.Speech.Select(s => MixingMedia.ToneLevel(output, MixingMedia.MusicHz, s.Start + 0.3, s.End - 0.3)).ToList();
        var between = media.Speech.Zip(media.Speech.Skip(1), (a, b) => MixingMedia.ToneLevel(output, MixingMedia.MusicHz, a.End + 0.7, b.Start - 0.4)).ToList();
        log.WriteLine($"ebur128: {integrated:0.0} LUFS, {truePeak:0.0} dBTP; ours {result["Loudness"]}; music under speech {string.Join(", ", under.Select(u => u.ToString("0.0")))} dB, between {string.Join(", ", between.Select(b => b.ToString("0.0")))} dB");
        under.Max().Should().BeLessThan(between.Min() - 10, $"music under speech ({string.Join(", ", under.Select(u => u.ToString("0.0")))} dB) is at least 10 dB under the pauses ({string.Join(", ", between.Select(b => b.ToString("0.0")))} dB)");
        Inspect.Probe(output).Duration.Should().BeApproximately(Inspect.Probe(media.Voice).Duration + 1, 0.2, "the mix runs to the end of the voice plus the 1 s tail");
    }

    [Fact]
    public async Task An_input_without_sound_is_refused_naming_the_field()
    {
        var video = new TestMedia(media.Dir.File("silent")).ColourVideo("picture.mp4", "red", 1);
        var act = () => Codec.DecodeAsync(video, "JobParams.inputs[0].media", TestContext.Current.CancellationToken);
        (await act.Should().ThrowAsync<RenderFarm.Core.Json.RequestException>()).Which.Message.Should().Be("JobParams.inputs[0].media: has no audio stream");
    }
}
