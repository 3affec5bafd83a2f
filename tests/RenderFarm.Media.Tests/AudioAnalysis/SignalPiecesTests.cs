using FluentAssertions;
using RenderFarm.Core.Json;
using RenderFarm.Media.AudioAnalysis;
using Xunit;

namespace RenderFarm.Media.Tests.AudioAnalysis;

/// <summary>The pieces of the audio engines on small arrays whose answer is known.</summary>
public sealed class SignalPiecesTests
{
    private const int Rate = 8000;

    private static float[] Sine(double hz, double seconds, int rate = Rate, double gain = 0.5) =>
        [.. Enumerable.Range(0, (int)(seconds * rate)).Select(i => (float)(gain * Math.Sin(2 * Math.PI * hz * i / rate)))];

    /// <summary>Short noise bursts at <paramref name="times"/> over silence.</summary>
    private static float[] Bursts(double seconds, IEnumerable<double> times, int rate = Rate)
    {
        var pcm = new float[(int)(seconds * rate)];
        var random = new Random(1);
        foreach (var t in times)
            for (var i = 0; i < rate / 50; i++)
            {
                var at = (int)(t * rate) + i;
                if (at < pcm.Length) pcm[at] += (float)((random.NextDouble() - 0.5) * Math.Exp(-i / (rate / 200.0)));
            }
        return pcm;
    }

    /// <summary>An onset envelope with a pulse every <paramref name="period"/> frames (fractional periods accumulate).</summary>
    private static float[] Pulses(int frames, Func<int, double> period, double phase = 5)
    {
        var envelope = new float[frames];
        for (var t = phase; t < frames; t += period((int)t)) envelope[(int)Math.Round(t) % frames] = 1;
        return envelope;
    }

    [Fact]
    public void The_spectrogram_peaks_at_a_sines_frequency_bin()
    {
        var s = Spectrogram.Compute(Sine(1000, 1), Rate, 1024, 256);
        s.Frames.Should().Be(Rate / 256 + 1);
        var middle = s.Magnitudes[s.Frames / 2];
        Array.IndexOf(middle, middle.Max()).Should().Be((int)Math.Round(1000 / s.BinHz));
    }

    [Fact]
    public void Onset_strength_peaks_at_each_attack()
    {
        double[] attacks = [0.5, 1.2, 1.9, 2.4];
        var onset = OnsetStrength.Compute(new MonoAudio(Bursts(3, attacks), Rate));
        onset.FrameRate.Should().BeApproximately(100, 1);
        foreach (var t in attacks)
        {
            var frame = (int)Math.Round(t * onset.FrameRate);
            var near = onset.Envelope.Skip(frame - 3).Take(7).Max();
            near.Should().BeGreaterThan(3, $"an attack at {t} s stands out");
        }
        // Between attacks the envelope is quiet.
        onset.Envelope.Skip((int)(0.8 * onset.FrameRate)).Take((int)(0.3 * onset.FrameRate)).Max().Should().BeLessThan(0.5f);
    }

    [Fact]
    public void Autocorrelation_tempo_finds_the_pulse_period_and_the_prior_picks_the_level()
    {
        var options = new BeatTrackerOptions();
        // 100 frames a second, a pulse every 50 frames: 120 BPM.
        var path = TempoEstimator.Estimate(Pulses(2000, _ => 50), 100, options);
        path.Periods.Should().OnlyContain(p => Math.Abs(p - 50) < 0.5);
        path.Strengths.Average().Should().BeGreaterThan(0.5);
        // Pulses every 25 frames are periodic at 25 and 50 alike (240 and 120 BPM): a prior centred at 240 BPM picks 25.
        var fast = TempoEstimator.Estimate(Pulses(2000, _ => 25), 100, options with { PreferredBpm = 240 });
        fast.Periods.Average().Should().BeApproximately(25, 0.5);
    }

    [Fact]
    public void The_tempo_path_follows_a_change_but_not_a_single_odd_window()
    {
        var envelope = Pulses(3000, t => t < 1500 ? 60 : 45);
        var path = TempoEstimator.Estimate(envelope, 100, new BeatTrackerOptions());
        path.PeriodAt(500).Should().BeApproximately(60, 1);
        path.PeriodAt(2500).Should().BeApproximately(45, 1);
        // States are lags 40 and 41 (2.5% apart, 0.036 octaves): a jump there and back costs 2 * 0.036 * penalty.
        TempoEstimator.Viterbi([[1, 0], [1, 0], [0, 1], [1, 0], [1, 0]], 40, penalty: 20).Should().Equal(0, 0, 0, 0, 0);
        TempoEstimator.Viterbi([[1, 0], [1, 0], [0, 1], [0, 1], [0, 1], [0, 1]], 40, penalty: 20).Should().Equal(0, 0, 1, 1, 1, 1);
    }

    [Fact]
    public void Dynamic_programming_keeps_the_period_through_missing_and_extra_onsets()
    {
        var envelope = Pulses(1000, _ => 50);
        envelope[255] = 0;                 // a missing beat
        envelope[280] = 0.8f;              // an off-beat onset
        envelope[530] = 0; envelope[531] = 1; // a late one
        var beats = BeatDynamicProgramming.Track(envelope, [.. Enumerable.Repeat(50.0, 1000)], tightness: 100);
        beats.Should().HaveCount(20);
        beats.Should().Contain(255).And.NotContain(280);
        beats.Zip(beats.Skip(1), (a, b) => b - a).Should().OnlyContain(gap => gap >= 49 && gap <= 51);
    }

    [Fact]
    public void The_metrical_level_halves_skipping_beats_and_keeps_real_ones()
    {
        var drums = new float[2000];
        for (var t = 0; t < 2000; t += 25) drums[t] = t % 50 == 0 ? 1f : 0.8f; // every 25 frames, alternating strength
        BeatTracker.MetricalLevel(drums, new float[2000], [.. Enumerable.Range(0, 40).Select(i => i * 50)]).Should().Be(0.5);
        BeatTracker.MetricalLevel(drums, new float[2000], [.. Enumerable.Range(0, 80).Select(i => i * 25)]).Should().Be(1);
        var withHats = (float[])drums.Clone();
        for (var t = 25; t < 2000; t += 50) withHats[t] = 0.2f; // weak in-between onsets: hats
        BeatTracker.MetricalLevel(withHats, new float[2000], [.. Enumerable.Range(0, 80).Select(i => i * 25)]).Should().Be(2);
        // Beats on snares only (1.0), kicks midway weaker overall (0.5) but the only ones in the bass: still a beat each.
        var snares = new float[2000];
        var kicks = new float[2000];
        for (var t = 0; t < 2000; t += 50) snares[t] = 1f;
        for (var t = 25; t < 2000; t += 50) (snares[t], kicks[t]) = (0.5f, 1f);
        for (var t = 0; t < 2000; t += 50) kicks[t] = 0.3f;
        BeatTracker.MetricalLevel(snares, kicks, [.. Enumerable.Range(0, 40).Select(i => i * 50)]).Should().Be(0.5);
    }

    [Fact]
    public void A_fitted_line_gives_the_beat_interval()
    {
        BeatTracker.FittedInterval([0.0, 0.51, 0.99, 1.5, 2.01, 2.49]).Should().BeApproximately(0.5, 0.005);
    }

    [Fact]
    public void Chroma_of_a_c_major_triad_is_c_e_and_g()
    {
        var pcm = Sine(261.63, 1).Zip(Sine(329.63, 1), (a, b) => a + b).Zip(Sine(392.0, 1), (a, b) => (a + b) / 3).ToArray();
        var chroma = Chroma.Compute(new MonoAudio(pcm, Rate));
        var mean = chroma.Mean(0, chroma.Frames);
        mean.Select((v, i) => (v, i)).OrderByDescending(x => x.v).Take(3).Select(x => x.i).Should().BeEquivalentTo([0, 4, 7]);
        Chroma.PitchClass(440).Should().Be(9);
        Chroma.Similarity(mean, mean).Should().BeApproximately(1, 1e-4);
        var silence = Chroma.Compute(new MonoAudio(new float[Rate], Rate));
        silence.Vectors.Should().OnlyContain(v => v.All(x => x == 0));
        silence.LoudnessDb.Should().OnlyContain(db => db == Chroma.SilenceDb);
    }

    [Fact]
    public void Self_similarity_shows_repeats_and_boundaries()
    {
        // Sections A B A C of 24 blocks, each cycling through its own four chords (6 blocks each), as verses and choruses do.
        var random = new Random(2);
        float[] Chord() => Chroma.Normalise([.. Enumerable.Range(0, 12).Select(_ => random.NextDouble() < 0.3 ? 1.0 : 0.05)]);
        float[][] a = [Chord(), Chord(), Chord(), Chord()], b = [Chord(), Chord(), Chord(), Chord()], c = [Chord(), Chord(), Chord(), Chord()];
        var profiles = new[] { a, b, a, c }.SelectMany(section => Enumerable.Range(0, 24).Select(i => section[i / 6])).ToList();
        var ssm = SelfSimilarity.FromProfiles(profiles);
        ssm.PassageSimilarity(0, 24, 48, 72).Should().BeApproximately(1, 1e-6);
        ssm.PassageSimilarity(0, 24, 24, 48).Should().BeLessThan(0.8);
        var novelty = ssm.Novelty(4, 8);
        // Each boundary is a peak within two blocks (a second at the detector's block size) of the truth.
        foreach (var boundary in new[] { 24, 48, 72 })
            Array.IndexOf(novelty, novelty.Skip(boundary - 6).Take(13).Max()).Should().BeInRange(boundary - 2, boundary + 2);
        ChorusDetector.Boundaries(ssm, new double[96], 8, 16).Zip(new[] { 0, 24, 48, 72, 96 }).Should().OnlyContain(p => Math.Abs(p.First - p.Second) <= 2);
        ChorusDetector.Boundaries(ssm, new double[96], 8, 16).Should().HaveCount(5);
    }

    [Fact]
    public void The_click_track_clicks_at_the_beats()
    {
        var pcm = ClickTrack.Render([new Beat(0.5, 1), new Beat(1.0, 2)], Rate, 1.5);
        pcm.Should().HaveCount((int)(1.5 * Rate));
        pcm.Take((int)(0.5 * Rate)).Should().OnlyContain(s => s == 0);
        pcm.Skip((int)(0.5 * Rate)).Take(Rate / 20).Max().Should().BeGreaterThan(0.3f);
        pcm.Skip((int)(0.6 * Rate)).Take((int)(0.35 * Rate)).Should().OnlyContain(s => s == 0);
    }

    [Fact]
    public void Bad_options_name_the_field()
    {
        var bpm = () => new BeatTrackerOptions { MinBpm = 10 }.Validate("Params");
        bpm.Should().Throw<RequestException>().Which.Path.Should().Be("Params.MinBpm");
        var nan = () => new BeatTracker(new BeatTrackerOptions { Tightness = double.NaN });
        nan.Should().Throw<RequestException>().Which.Path.Should().Be("Tightness");
        var threshold = () => new ChorusDetectorOptions { RepeatThreshold = 2 }.Validate("Params");
        threshold.Should().Throw<RequestException>().Which.Message.Should().Be("Params.RepeatThreshold: 2 is out of range (0-1)");
    }
}
