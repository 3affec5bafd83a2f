using FluentAssertions;
using RenderFarm.Core.Json;
using RenderFarm.Media.AudioAnalysis;
using RenderFarm.Media.Ffmpeg;
using RenderFarm.TestSupport;
using Xunit;

namespace RenderFarm.Media.Tests.AudioAnalysis;

/// <summary>The decoder on tiny files: stereo WAV in, mono PCM at the asked rate out; no audio stream is a request error.</summary>
public sealed class AudioDecoderTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Decodes_a_files_audio_to_mono_at_the_asked_rate()
    {
        var file = _dir.File("tone.m4a");
        // Left 440 Hz, right silent: the mono mix keeps the tone at half amplitude.
        Tool.Ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=1", "-af", "pan=stereo|c0=c0|c1=0*c0", "-c:a", "aac", file);
        var audio = await new AudioDecoder(new MediaProber(_dir.File("probe"))).DecodeAsync(file, "Input", 8000, TestContext.Current.CancellationToken);
        audio.SampleRate.Should().Be(8000);
        audio.DurationSeconds.Should().BeApproximately(1, 0.05);
        var crossings = audio.Samples.Zip(audio.Samples.Skip(1)).Count(p => p.First < 0 && p.Second >= 0);
        crossings.Should().BeInRange(430, 460); // AAC adds a little padding
    }

    [Fact]
    public async Task A_video_without_sound_is_an_error_naming_the_input()
    {
        var file = new TestMedia(_dir.Path).ColourVideo("silent.mp4", "red", 0.5, 64, 48);
        var decode = () => new AudioDecoder(new MediaProber(_dir.File("probe"))).DecodeAsync(file, "Input.Media", ct: TestContext.Current.CancellationToken);
        (await decode.Should().ThrowAsync<RequestException>()).Which.Message.Should().Be("Input.Media: 'silent.mp4' has no audio stream to analyse");
    }
}
