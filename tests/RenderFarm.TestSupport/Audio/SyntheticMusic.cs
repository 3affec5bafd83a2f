namespace RenderFarm.TestSupport.Audio;

/// <summary>Synthetic music whose beats are known: PCM, the beat and downbeat times it was built on.</summary>
public sealed record SyntheticTrack(float[] Samples, int SampleRate, double[] Beats, double[] Downbeats)
{
    public double DurationSeconds => (double)Samples.Length / SampleRate;
}

/// <summary>A generated song and where each of its sections lies (seconds).</summary>
public sealed record SyntheticSong(float[] Samples, int SampleRate, IReadOnlyList<SongSection> Sections)
{
    public IEnumerable<SongSection> Choruses => Sections.Where(s => s.Name == SyntheticMusic.Chorus);
}

public sealed record SongSection(string Name, double Start, double End);

/// <summary>
/// Synthesises music in memory with known truth: a 4/4 drum kit (kick on 1 and 3, snare on 2 and 4, hats on
/// eighths), a bass on the chord roots, chords as sustained triads and a melody on chord tones, one chord a
/// bar. <see cref="Beats"/> follows a tempo map (for tempo changes); <see cref="Song"/> lays out sections whose
/// chorus is a distinct, louder chord progression. Deterministic for a seed.
/// </summary>
public static class SyntheticMusic
{
    public const string Intro = "intro", Verse = "verse", Chorus = "chorus", Bridge = "bridge";
    public static readonly string[] PopStructure = [Intro, Verse, Chorus, Verse, Chorus, Bridge, Chorus];
    private static readonly string[] SectionKinds = [Intro, Verse, Chorus, Bridge];

    // Chords as MIDI notes of a root-position triad around middle C.
    private static readonly int[] C = [60, 64, 67], Dm = [62, 65, 69], E = [64, 68, 71], Em = [64, 67, 71], F = [65, 69, 72],
        G = [67, 71, 74], Am = [57, 60, 64], Bb = [58, 62, 65], Gm = [55, 58, 62];

    private static readonly Dictionary<string, int[][]> Progressions = new()
    {
        [Intro] = [Am, Am, Em, Em],
        [Verse] = [Am, Em, Am, Dm],
        [Chorus] = [F, G, C, E],
        [Bridge] = [Bb, Gm, Bb, Gm],
    };

    /// <summary>
    /// <paramref name="seconds"/> of drums, bass, chords and melody (I-vi-IV-V) following <paramref name="tempos"/>:
    /// (from time, BPM) pairs in rising time, the first at 0. The first beat falls at 0.25 s.
    /// </summary>
    public static SyntheticTrack Beats(int sampleRate, double seconds, int seed, params (double At, double Bpm)[] tempos)
    {
        var random = new Random(seed);
        var pcm = new float[(int)(seconds * sampleRate)];
        var beats = new List<double>();
        for (var t = 0.25; t < seconds - 0.1;)
        {
            beats.Add(t);
            t += 60 / tempos.Last(x => x.At <= t).Bpm;
        }
        int[][] progression = [C, Am, F, G];
        for (var i = 0; i < beats.Count; i++)
        {
            var beatLength = i + 1 < beats.Count ? beats[i + 1] - beats[i] : beats[i] - beats[i - 1];
            var chord = progression[i / 4 % progression.Length];
            PlayBeat(pcm, sampleRate, random, beats[i], beatLength, i % 4, chord, gain: 1, melodySeed: random.Next());
        }
        Normalise(pcm);
        return new SyntheticTrack(pcm, sampleRate, [.. beats], [.. beats.Where((_, i) => i % 4 == 0)]);
    }

    /// <summary>A song of <paramref name="structure"/> sections, each <paramref name="barsPerSection"/> bars at <paramref name="bpm"/>; the chorus plays louder and fuller.</summary>
    public static SyntheticSong Song(int sampleRate, double bpm, int seed, int barsPerSection = 8, IReadOnlyList<string>? structure = null)
    {
        structure ??= PopStructure;
        var random = new Random(seed);
        var beat = 60 / bpm;
        var sectionSeconds = barsPerSection * 4 * beat;
        var pcm = new float[(int)((structure.Count * sectionSeconds + 1) * sampleRate)];
        var sections = new List<SongSection>();
        for (var s = 0; s < structure.Count; s++)
        {
            var name = structure[s];
            var start = s * sectionSeconds;
            sections.Add(new SongSection(name, start, start + sectionSeconds));
            // Each section kind has its own melody, the same every time it comes back.
            var melody = new Random(seed * 31 + Array.IndexOf(SectionKinds, name));
            var (gain, drums) = name switch { Chorus => (1.0, true), Intro => (0.35, false), _ => (0.5, true) };
            for (var b = 0; b < barsPerSection * 4; b++)
            {
                var chord = Progressions[name][b / 4 % 4];
                PlayBeat(pcm, sampleRate, random, start + b * beat, beat, b % 4, chord, gain, melody.Next(), drums);
            }
        }
        Normalise(pcm);
        return new SyntheticSong(pcm, sampleRate, sections);
    }

    private static void PlayBeat(float[] pcm, int rate, Random random, double at, double beat, int position, int[] chord, double gain, int melodySeed, bool drums = true)
    {
        if (drums)
        {
            if (position is 0 or 2) Kick(pcm, rate, at, 0.9 * gain);
            else Snare(pcm, rate, random, at, 0.6 * gain);
            Hat(pcm, rate, random, at, (0.25 + 0.05 * random.NextDouble()) * gain);
            Hat(pcm, rate, random, at + beat / 2, (0.15 + 0.05 * random.NextDouble()) * gain);
        }
        if (position == 0)
        {
            foreach (var note in chord) Tone(pcm, rate, at, 4 * beat, Hz(note), 0.1 * gain, attack: 0.02, decay: 4 * beat);
            Tone(pcm, rate, at, 2 * beat, Hz(chord[0] - 24), 0.35 * gain, attack: 0.005, decay: 0.5);
        }
        if (position == 2) Tone(pcm, rate, at, 2 * beat, Hz(chord[0] - 24), 0.3 * gain, attack: 0.005, decay: 0.5);
        var pick = new Random(melodySeed);
        var melodyNote = chord[pick.Next(3)] + 12;
        Tone(pcm, rate, at, beat, Hz(melodyNote), 0.18 * gain, attack: 0.01, decay: 0.3);
    }

    private static double Hz(int midi) => 440 * Math.Pow(2, (midi - 69) / 12.0);

    private static void Kick(float[] pcm, int rate, double at, double gain)
    {
        var phase = 0.0;
        Render(pcm, rate, at, 0.3, t =>
        {
            phase += 2 * Math.PI * (45 + 110 * Math.Exp(-t / 0.03)) / rate;
            return gain * Math.Exp(-t / 0.12) * Math.Sin(phase);
        });
    }

    private static void Snare(float[] pcm, int rate, Random random, double at, double gain) =>
        Render(pcm, rate, at, 0.25, t => gain * (Math.Exp(-t / 0.07) * (random.NextDouble() * 2 - 1) * 0.7 + Math.Exp(-t / 0.04) * Math.Sin(2 * Math.PI * 185 * t) * 0.5));

    private static void Hat(float[] pcm, int rate, Random random, double at, double gain)
    {
        var last = 0.0;
        Render(pcm, rate, at, 0.06, t =>
        {
            var noise = random.NextDouble() * 2 - 1;
            var high = noise - last; // first difference: a crude high-pass, the hiss of a hat
            last = noise;
            return gain * 0.5 * Math.Exp(-t / 0.015) * high;
        });
    }

    private static void Tone(float[] pcm, int rate, double at, double length, double hz, double gain, double attack, double decay) =>
        Render(pcm, rate, at, length, t =>
        {
            var envelope = Math.Min(1, t / attack) * Math.Exp(-t / decay) * Math.Min(1, (length - t) / 0.01);
            var w = 2 * Math.PI * hz * t;
            return gain * envelope * (Math.Sin(w) + 0.4 * Math.Sin(2 * w) + 0.2 * Math.Sin(3 * w));
        });

    /// <summary>Adds <paramref name="voice"/>(seconds since its start) to the PCM from <paramref name="at"/> for <paramref name="length"/> seconds; partials above Nyquist are the caller's business.</summary>
    private static void Render(float[] pcm, int rate, double at, double length, Func<double, double> voice)
    {
        var start = (int)Math.Round(at * rate);
        var count = (int)(length * rate);
        for (var i = 0; i < count && start + i < pcm.Length; i++)
            if (start + i >= 0) pcm[start + i] += (float)voice((double)i / rate);
    }

    private static void Normalise(float[] pcm)
    {
        var peak = pcm.Length == 0 ? 0 : pcm.Max(Math.Abs);
        if (peak > 0)
            for (var i = 0; i < pcm.Length; i++) pcm[i] = pcm[i] / peak * 0.9f;
    }
}

/// <summary>Beat-tracking accuracy the way MIREX scores it.</summary>
public static class BeatScore
{
    /// <summary>
    /// F-measure of <paramref name="estimated"/> against <paramref name="truth"/>: each estimate matches at most
    /// one unmatched true beat within +-<paramref name="tolerance"/> seconds; precision and recall combined.
    /// </summary>
    public static double FMeasure(IReadOnlyList<double> estimated, IReadOnlyList<double> truth, double tolerance = 0.07)
    {
        if (estimated.Count == 0 || truth.Count == 0) return 0;
        var used = new bool[truth.Count];
        var matches = 0;
        foreach (var e in estimated)
        {
            var best = -1;
            for (var i = 0; i < truth.Count; i++)
                if (!used[i] && Math.Abs(truth[i] - e) <= tolerance && (best < 0 || Math.Abs(truth[i] - e) < Math.Abs(truth[best] - e))) best = i;
            if (best < 0) continue;
            used[best] = true;
            matches++;
        }
        var precision = (double)matches / estimated.Count;
        var recall = (double)matches / truth.Count;
        return matches == 0 ? 0 : 2 * precision * recall / (precision + recall);
    }
}
