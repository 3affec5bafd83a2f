namespace RenderFarm.Media.Audio;

/// <summary>What a mixed input is: speech (sets the ducking), music (ducked under speech) or effects.</summary>
public enum TrackRole { Voice, Music, Effects }

/// <summary>One input of a mix: its samples (48 kHz, stereo), its role and a level relative to the target (LU).</summary>
public sealed record MixTrack(string Name, Pcm Audio, TrackRole Role, double LevelLu);

/// <summary>
/// How to mix: the integrated loudness of the result (LUFS), its true-peak ceiling (dBTP), how far music
/// goes down under speech (dB) and how fast (attack before speech starts, release after it ends), fades
/// at the ends, and a tail kept after the last speech or effect.
/// </summary>
public sealed record MixSettings
{
    public double TargetLufs { get; init; } = -16;
    public double TruePeakDbtp { get; init; } = -1;
    /// <summary>Room left under the ceiling for the encoder's overshoot (AAC added 0.4 dB to espeak speech in the tests).</summary>
    public double CodecMarginDb { get; init; } = 1;
    public double DuckDb { get; init; } = 15;
    public double AttackSeconds { get; init; } = Compilation.Ducking.AttackSeconds;
    public double ReleaseSeconds { get; init; } = Compilation.Ducking.ReleaseSeconds;
    public double FadeInSeconds { get; init; } = 0.5;
    public double FadeOutSeconds { get; init; } = 1;
    public double TailSeconds { get; init; } = 1;
}

/// <summary>One input as measured and placed: its loudness before, the gain applied, and (music) the speech it was ducked under.</summary>
public sealed record MixedTrack(string Name, TrackRole Role, double LoudnessLufs, double GainDb);

/// <summary>The mix and what was done: every input's measure and gain, the speech found, the result's loudness and true peak.</summary>
public sealed record MixResult(Pcm Audio, IReadOnlyList<MixedTrack> Tracks, IReadOnlyList<Span> Speech, double LoudnessLufs, double TruePeakDbtp);

/// <summary>
/// Mixes several inputs into one track (pure, on samples): every input is measured (EBU R128) and brought
/// to the target plus its level; music is ducked under the speech that <see cref="SpeechDetector"/> finds in
/// the voice inputs; the mix is faded at both ends, brought to the target loudness, and held under the
/// true-peak ceiling by a look-ahead limiter (then measured again, a few rounds, so limiting does not leave
/// it quieter than the target).
/// </summary>
public sealed class AudioMixer(SpeechDetector detector)
{
    public MixResult Mix(IReadOnlyList<MixTrack> tracks, MixSettings settings)
    {
        if (tracks.Count == 0) throw new ArgumentException("a mix needs at least one input", nameof(tracks));
        var rate = tracks[0].Audio.SampleRate;
        var voices = tracks.Where(t => t.Role == TrackRole.Voice).ToList();
        var speech = Merge(voices.SelectMany(v => detector.Detect(v.Audio)));
        var length = MixLength(tracks, rate, settings);
        var mix = Pcm.Silence(2, length, rate);
        var placed = new List<MixedTrack>();
        foreach (var track in tracks)
        {
            var loudness = Loudness.Integrated(track.Audio);
            // A silent input is mixed as it is: no gain could bring it to a level.
            var gainDb = loudness <= Loudness.Silent ? 0 : settings.TargetLufs + track.LevelLu - loudness;
            placed.Add(new MixedTrack(track.Name, track.Role, Math.Round(loudness, 2), Math.Round(gainDb, 2)));
            var gain = (float)Loudness.FromDb(gainDb);
            var duck = track.Role == TrackRole.Music ? DuckEnvelope(speech, length, rate, settings) : null;
            for (var c = 0; c < 2; c++)
            {
                var source = track.Audio.Channels[Math.Min(c, track.Audio.Channels.Length - 1)];
                var target = mix.Channels[c];
                var n = Math.Min(length, source.Length);
                for (var i = 0; i < n; i++) target[i] += source[i] * gain * (duck?[i] ?? 1f);
            }
        }
        Fade(mix, settings);
        var ceiling = settings.TruePeakDbtp - settings.CodecMarginDb;
        var measured = Loudness.Integrated(mix);
        var result = mix;
        var applied = 0.0;
        for (var round = 0; round < 4 && measured > Loudness.Silent; round++)
        {
            applied += settings.TargetLufs - measured;
            result = Limit(Scaled(mix, applied), ceiling);
            measured = Loudness.Integrated(result);
            if (Math.Abs(measured - settings.TargetLufs) < 0.2) break;
        }
        return new MixResult(result, placed, speech, Math.Round(measured, 2), Math.Round(Math.Max(-150, Loudness.TruePeak(result)), 2));
    }

    private static int MixLength(IReadOnlyList<MixTrack> tracks, int rate, MixSettings settings)
    {
        // Music beds run as long as what they accompany (plus the tail), never the other way round.
        var leads = tracks.Where(t => t.Role != TrackRole.Music).ToList();
        if (leads.Count == 0) return tracks.Max(t => t.Audio.Length);
        var longest = leads.Max(t => t.Audio.Length) + (int)(settings.TailSeconds * rate);
        return Math.Min(longest, Math.Max(leads.Max(t => t.Audio.Length), tracks.Max(t => t.Audio.Length)));
    }

    private static IReadOnlyList<Span> Merge(IEnumerable<Span> spans)
    {
        var merged = new List<Span>();
        foreach (var s in spans.OrderBy(s => s.Start))
        {
            if (merged.Count > 0 && s.Start <= merged[^1].End) merged[^1] = merged[^1] with { End = Math.Max(merged[^1].End, s.End) };
            else merged.Add(s);
        }
        return merged;
    }

    /// <summary>
    /// The music's gain per sample: down by DuckDb during speech, reached over the attack before speech
    /// starts (the mix is offline, so it can look ahead) and left over the release after it ends.
    /// </summary>
    internal static float[] DuckEnvelope(IReadOnlyList<Span> speech, int length, int rate, MixSettings settings)
    {
        var depth = new float[length];
        foreach (var s in speech)
        {
            var start = (int)(s.Start * rate);
            var end = Math.Min(length, (int)(s.End * rate));
            var attack = Math.Max(1, (int)(settings.AttackSeconds * rate));
            var release = Math.Max(1, (int)(settings.ReleaseSeconds * rate));
            for (var i = Math.Max(0, start - attack); i < Math.Min(length, end + release); i++)
            {
                var d = i < start ? 1 - (start - i) / (float)attack : i < end ? 1 : 1 - (i - end) / (float)release;
                if (d > depth[i]) depth[i] = d;
            }
        }
        var envelope = new float[length];
        for (var i = 0; i < length; i++) envelope[i] = (float)Loudness.FromDb(-settings.DuckDb * depth[i]);
        return envelope;
    }

    private static double MaxAbs(float[] x, int start, int end)
    {
        var max = 0f;
        for (var i = start; i < end; i++) max = Math.Max(max, Math.Abs(x[i]));
        return max;
    }

    private static void Fade(Pcm audio, MixSettings settings)
    {
        var fadeIn = Math.Min(audio.Length / 2, (int)(settings.FadeInSeconds * audio.SampleRate));
        var fadeOut = Math.Min(audio.Length / 2, (int)(settings.FadeOutSeconds * audio.SampleRate));
        foreach (var channel in audio.Channels)
        {
            for (var i = 0; i < fadeIn; i++) channel[i] *= i / (float)fadeIn;
            for (var i = 0; i < fadeOut; i++) channel[audio.Length - 1 - i] *= i / (float)fadeOut;
        }
    }

    private static Pcm Scaled(Pcm audio, double gainDb)
    {
        var gain = (float)Loudness.FromDb(gainDb);
        return audio with { Channels = audio.Channels.Select(c => c.Select(v => v * gain).ToArray()).ToArray() };
    }

    /// <summary>
    /// A look-ahead peak limiter: each 5 ms block gets the gain that keeps its true peak under the ceiling;
    /// a block's gain is the least of its own and its neighbours' (so gain falls before a peak arrives), rises
    /// back by at most 1 dB per block, and is interpolated linearly between blocks (no steps to click).
    /// </summary>
    internal static Pcm Limit(Pcm audio, double ceilingDbtp)
    {
        var ceiling = Loudness.FromDb(ceilingDbtp);
        var block = audio.SampleRate / 200;
        var blocks = (audio.Length + block - 1) / block;
        var need = new double[blocks];
        for (var b = 0; b < blocks; b++)
        {
            int start = b * block, end = Math.Min(audio.Length, start + block);
            // Inter-sample peaks stay within a few dB of the samples: a block 6 dB under the ceiling needs no oversampling.
            var samplePeak = audio.Channels.Max(c => MaxAbs(c, start, end));
            var peak = samplePeak < ceiling / 2 ? samplePeak : audio.Channels.Max(c => Loudness.TruePeakLinear(c, start, end));
            need[b] = peak > ceiling ? ceiling / peak : 1;
        }
        var gains = new double[blocks + 1];
        var rise = Loudness.FromDb(1);
        for (var b = 0; b < blocks; b++)
        {
            var g = Math.Min(need[b], Math.Min(b > 0 ? need[b - 1] : 1, b + 1 < blocks ? need[b + 1] : 1));
            gains[b] = b > 0 ? Math.Min(g, gains[b - 1] * rise) : g;
        }
        gains[blocks] = gains[Math.Max(0, blocks - 1)];
        var output = audio.Channels.Select(c => new float[c.Length]).ToArray();
        for (var i = 0; i < audio.Length; i++)
        {
            var b = i / block;
            var t = (i - b * block) / (double)block;
            var g = (float)(gains[b] + (gains[b + 1] - gains[b]) * t);
            for (var c = 0; c < output.Length; c++) output[c][i] = audio.Channels[c][i] * g;
        }
        return audio with { Channels = output };
    }
}
