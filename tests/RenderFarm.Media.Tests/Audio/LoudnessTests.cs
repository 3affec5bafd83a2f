using FluentAssertions;
using RenderFarm.Media.Audio;
using Xunit;

namespace RenderFarm.Media.Tests.Audio;

public sealed class LoudnessTests
{
    private static Pcm Sine(double hz, double amplitude, double seconds, double phase = 0, int channels = 2)
    {
        var n = (int)(seconds * Loudness.SampleRate);
        var samples = new float[n];
        for (var i = 0; i < n; i++) samples[i] = (float)(amplitude * Math.Sin(2 * Math.PI * hz * i / Loudness.SampleRate + phase));
        return new Pcm(Enumerable.Range(0, channels).Select(_ => (float[])samples.Clone()).ToArray(), Loudness.SampleRate);
    }

    [Fact]
    public void A_stereo_1kHz_sine_at_minus_23_dBFS_measures_minus_23_LUFS_as_EBU_Tech_3341_says()
    {
        Loudness.Integrated(Sine(1000, Loudness.FromDb(-23), 10)).Should().BeApproximately(-23, 0.1);
    }

    [Fact]
    public void Quiet_stretches_are_gated_out_of_the_integrated_loudness()
    {
        var loud = Sine(1000, Loudness.FromDb(-23), 10);
        var withPause = new Pcm(loud.Channels.Select(c => c.Concat(new float[10 * Loudness.SampleRate]).ToArray()).ToArray(), Loudness.SampleRate);
        Loudness.Integrated(withPause).Should().BeApproximately(-23, 0.1, "silence is under the absolute gate");
    }

    [Fact]
    public void True_peak_finds_the_peak_between_samples()
    {
        // A quarter-rate sine at 45 degrees: every sample is 0.707 of the crest, the crest falls between samples.
        var audio = Sine(Loudness.SampleRate / 4.0, 0.5, 1, Math.PI / 4, channels: 1);
        Loudness.ToDb(audio.Channels[0].Max(Math.Abs)).Should().BeApproximately(Loudness.ToDb(0.5) - 3.01, 0.05);
        Loudness.TruePeak(audio).Should().BeApproximately(Loudness.ToDb(0.5), 0.3);
    }
}
