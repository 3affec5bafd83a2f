using FluentAssertions;
using RenderFarm.Media.AudioAnalysis;
using RenderFarm.TestSupport.Audio;
using Xunit;

namespace RenderFarm.Media.Tests.AudioAnalysis;

/// <summary>
/// Acceptance of AudioBeatDetection's engine on synthetic music with known beats (30 s, drums, bass,
/// chords and melody), synthesised in memory at a low sample rate to stay fast.
/// </summary>
public sealed class BeatTrackerTests(ITestOutputHelper output)
{
    private const int Rate = 11025;

    [Theory]
    [InlineData(90)]
    [InlineData(120)]
    [InlineData(150)]
    public void Finds_the_beats_and_tempo_of_steady_music(double bpm)
    {
        var track = SyntheticMusic.Beats(Rate, 30, seed: (int)bpm, (0, bpm));
        var result = new BeatTracker().Analyse(new MonoAudio(track.Samples, Rate));

        var f = BeatScore.FMeasure([.. result.Beats.Select(b => b.Time)], track.Beats);
        output.WriteLine($"{bpm} BPM: F={f:0.000}, tempo {result.Bpm} ({Math.Round((result.Bpm / bpm - 1) * 100, 2):+0.00;-0.00;0.00}%), confidence {result.Confidence}, " +
            $"{result.Beats.Count} beats of {track.Beats.Length}, bar {result.BeatsPerBar}, downbeat F={BeatScore.FMeasure(result.Downbeats, track.Downbeats):0.000}");
        f.Should().BeGreaterThanOrEqualTo(0.9);
        result.Bpm.Should().BeApproximately(bpm, bpm * 0.02);
        result.Tempos.Should().ContainSingle();
        result.BeatsPerBar.Should().Be(4);
        BeatScore.FMeasure(result.Downbeats, track.Downbeats).Should().BeGreaterThanOrEqualTo(0.9);
        result.Confidence.Should().BeGreaterThan(0.3);
    }

    [Fact]
    public void Follows_a_tempo_change()
    {
        var track = SyntheticMusic.Beats(Rate, 30, seed: 7, (0, 100), (15, 130));
        var result = new BeatTracker().Analyse(new MonoAudio(track.Samples, Rate));

        var estimated = result.Beats.Select(b => b.Time).ToArray();
        var f = BeatScore.FMeasure(estimated, track.Beats);
        var after = BeatScore.FMeasure([.. estimated.Where(t => t > 16)], [.. track.Beats.Where(t => t > 16)]);
        output.WriteLine($"100->130 BPM at 15 s: F={f:0.000} (after the change {after:0.000}), sections " +
            string.Join(", ", result.Tempos.Select(s => $"{s.Start:0.0}-{s.End:0.0} s {s.Bpm} BPM")));
        f.Should().BeGreaterThanOrEqualTo(0.9);
        after.Should().BeGreaterThanOrEqualTo(0.9);
        result.Tempos.Should().HaveCount(2);
        result.Tempos[0].Bpm.Should().BeApproximately(100, 2);
        result.Tempos[1].Bpm.Should().BeApproximately(130, 2.6);
        result.Tempos[1].Start.Should().BeApproximately(15, 2);
    }

    [Fact]
    public void Noise_has_low_confidence_and_silence_no_beats()
    {
        var random = new Random(3);
        var noise = new float[Rate * 10];
        for (var i = 0; i < noise.Length; i++) noise[i] = (float)(random.NextDouble() - 0.5);
        var result = new BeatTracker().Analyse(new MonoAudio(noise, Rate));
        output.WriteLine($"noise: confidence {result.Confidence}, {result.Bpm} BPM");
        result.Confidence.Should().BeLessThan(0.2);

        var silence = new BeatTracker().Analyse(new MonoAudio(new float[Rate * 5], Rate));
        silence.Beats.Should().BeEmpty();
        silence.Bpm.Should().Be(0);
    }
}
