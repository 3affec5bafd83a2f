using System.Globalization;
using RenderFarm.Core.Json;

namespace RenderFarm.Media.AudioAnalysis;

/// <summary>Settings of <see cref="ChorusDetector"/>; <see cref="Validate"/> names the bad field.</summary>
public sealed record ChorusDetectorOptions
{
    /// <summary>Return every repeated section (each labelled) instead of the one best chorus.</summary>
    public bool All { get; init; }
    /// <summary>Sections are at least this long; boundaries closer than this are not both kept.</summary>
    public double MinSegmentSeconds { get; init; } = 8;
    /// <summary>Half-width of the novelty kernel: how much music either side of a boundary is compared.</summary>
    public double NoveltySeconds { get; init; } = 4;
    /// <summary>How alike two sections must be to count as a repetition, between the piece's mean similarity (0) and identity (1).</summary>
    public double RepeatThreshold { get; init; } = 0.5;

    /// <exception cref="RequestException">At <paramref name="path"/>.Field for the first setting out of range.</exception>
    public ChorusDetectorOptions Validate(string path = "")
    {
        string Field(string name) => path.Length == 0 ? name : $"{path}.{name}";
        static string N(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
        if (!(MinSegmentSeconds is >= 2 and <= 120)) throw new RequestException(Field(nameof(MinSegmentSeconds)), $"{N(MinSegmentSeconds)} is out of range (2-120)");
        if (!(NoveltySeconds is >= 1 and <= 30)) throw new RequestException(Field(nameof(NoveltySeconds)), $"{N(NoveltySeconds)} is out of range (1-30)");
        if (!(RepeatThreshold is >= 0 and <= 1)) throw new RequestException(Field(nameof(RepeatThreshold)), $"{N(RepeatThreshold)} is out of range (0-1)");
        return this;
    }
}

/// <summary>What <see cref="ChorusDetector"/> found, ready to serialise as the MusicSegmentDetect result.</summary>
public sealed record MusicSegmentAnalysis(double DurationSeconds, IReadOnlyList<MusicSegment> Segments);

/// <summary>
/// A section [Start, End) seconds. <see cref="Label"/>: "chorus" (the repeated, most energetic section),
/// "repeat" (another repeated section, with <see cref="ChorusDetectorOptions.All"/>) or "highlight" (nothing
/// repeats: the loudest section). Sections with the same <see cref="Group"/> are repetitions of each other.
/// <see cref="Score"/> (0-1) grows with how alike the repetitions are, how often and how loud.
/// </summary>
public sealed record MusicSegment(double Start, double End, double Score, string Label, int Group)
{
    public const string Chorus = "chorus";
    public const string Repeat = "repeat";
    public const string Highlight = "highlight";
}

/// <summary>
/// Chorus (highlight) detection on decoded PCM, after Goto's RefraiD: chroma blocks, their self-similarity,
/// section boundaries where the novelty peaks, sections grouped by how alike their music is; the chorus is
/// the group that repeats most alike and plays loudest.
/// </summary>
public sealed class ChorusDetector(ChorusDetectorOptions? options = null)
{
    /// <summary>Chroma is averaged over blocks this long: finer than any boundary matters, coarse enough to be fast on a long song.</summary>
    public const double BlockSeconds = 0.5;

    /// <summary>Loudness difference (dB) that moves a group's loudness factor from 0.5 to about 0.73.</summary>
    private const double LoudnessScaleDb = 3;

    /// <summary>A loudness step this big (dB) between the music before and after counts as a full boundary.</summary>
    private const double LoudnessStepDb = 6;

    private readonly ChorusDetectorOptions _options = (options ?? new ChorusDetectorOptions()).Validate();

    public MusicSegmentAnalysis Analyse(MonoAudio audio)
    {
        var duration = audio.DurationSeconds;
        var chroma = Chroma.Compute(audio);
        var perBlock = Math.Max(1, (int)Math.Round(BlockSeconds * chroma.FrameRate));
        var blocks = (chroma.Frames + perBlock - 1) / perBlock;
        if (blocks < 4) return new MusicSegmentAnalysis(duration, []);
        var blockSeconds = perBlock / chroma.FrameRate;
        var profiles = Enumerable.Range(0, blocks).Select(b => chroma.Mean(b * perBlock, (b + 1) * perBlock)).ToArray();
        var frameDb = chroma.LoudnessDb.Select(v => (double)v).ToArray();
        var loudness = Enumerable.Range(0, blocks).Select(b => MeanDb(frameDb, b * perBlock, (b + 1) * perBlock)).ToArray();
        var ssm = SelfSimilarity.FromProfiles(profiles);

        var bounds = Boundaries(ssm, loudness, (int)Math.Round(_options.NoveltySeconds / blockSeconds), (int)Math.Round(_options.MinSegmentSeconds / blockSeconds));
        var sections = bounds.Zip(bounds.Skip(1)).Select(p => (Start: p.First, End: p.Second)).ToArray();
        var groups = Group(ssm, sections);

        double Time(int block) => Math.Round(Math.Min(duration, block * blockSeconds), 2);
        var songDb = Median(loudness);
        var scored = groups.Where(g => g.Members.Count >= 2).Select(g =>
        {
            var db = g.Members.Average(m => MeanDb(loudness, sections[m].Start, sections[m].End));
            var loud = 1 / (1 + Math.Exp(-(db - songDb) / LoudnessScaleDb));
            var repeats = 1 - Math.Pow(0.5, g.Members.Count - 1); // 2 times: 0.5, 3: 0.75, 4: 0.875
            return (g.Members, Score: g.Similarity * (0.4 + 0.6 * loud) * (0.5 + 0.5 * repeats));
        }).OrderByDescending(g => g.Score).ToList();

        if (scored.Count == 0)
        {
            // Nothing repeats: the loudest section long enough to be one is the best guess at a highlight.
            var loudest = sections.Where(s => s.End - s.Start >= _options.MinSegmentSeconds / blockSeconds).DefaultIfEmpty(sections[0])
                .MaxBy(s => MeanDb(loudness, s.Start, s.End));
            return new MusicSegmentAnalysis(duration, [new MusicSegment(Time(loudest.Start), Time(loudest.End), 0, MusicSegment.Highlight, 0)]);
        }

        var segments = new List<MusicSegment>();
        for (var g = 0; g < scored.Count && (g == 0 || _options.All); g++)
        {
            var label = g == 0 ? MusicSegment.Chorus : MusicSegment.Repeat;
            foreach (var m in scored[g].Members)
            {
                // A member's own score: its group's, times how alike it is to the other members.
                var alike = scored[g].Members.Where(o => o != m)
                    .Average(o => ssm.PassageSimilarity(sections[m].Start, sections[m].End, sections[o].Start, sections[o].End));
                segments.Add(new MusicSegment(Time(sections[m].Start), Time(sections[m].End), Math.Round(scored[g].Score * alike, 3), label, g));
            }
        }
        if (!_options.All)
        {
            // The best chorus: the member most like the others; among equals the earliest.
            var best = segments.OrderByDescending(s => Math.Round(s.Score, 2)).ThenBy(s => s.Start).First();
            return new MusicSegmentAnalysis(duration, [best]);
        }
        return new MusicSegmentAnalysis(duration, [.. segments.OrderBy(s => s.Start)]);
    }

    /// <summary>
    /// Section boundaries (block indices, 0 and the end included): peaks of structure novelty plus loudness
    /// novelty (a section that gets louder or quieter), each the highest within <paramref name="minGap"/> blocks
    /// and half a standard deviation above the mean novelty.
    /// </summary>
    internal static int[] Boundaries(SelfSimilarity ssm, double[] loudness, int halfWidth, int minGap)
    {
        var n = ssm.Size;
        halfWidth = Math.Max(1, halfWidth);
        var loud = new double[n];
        for (var i = 1; i < n; i++)
        {
            var before = MeanDb(loudness, Math.Max(0, i - halfWidth), i);
            var after = MeanDb(loudness, i, Math.Min(n, i + halfWidth));
            loud[i] = Math.Min(1, Math.Abs(after - before) / LoudnessStepDb);
        }
        var novelty = Normalise(ssm.Novelty(halfWidth, halfWidth)).Zip(loud, (c, l) => c + 0.5 * l).ToArray();
        var mean = novelty.Average();
        var threshold = mean + 0.5 * Math.Sqrt(novelty.Average(v => (v - mean) * (v - mean)));
        var peaks = new List<int>();
        for (var i = 1; i < n; i++)
        {
            if (novelty[i] <= threshold) continue;
            var from = Math.Max(0, i - minGap / 2);
            var to = Math.Min(n - 1, i + minGap / 2);
            var isPeak = true;
            for (var j = from; j <= to && isPeak; j++)
                if (novelty[j] > novelty[i] || (novelty[j] == novelty[i] && j < i)) isPeak = false;
            if (isPeak) peaks.Add(i);
        }
        var bounds = new List<int> { 0 };
        foreach (var p in peaks)
            if (p - bounds[^1] >= minGap / 2 && n - p >= minGap / 2) bounds.Add(p);
        bounds.Add(n);
        return [.. bounds];
    }

    internal sealed record SectionGroup(List<int> Members, double Similarity);

    /// <summary>
    /// Sections joined (transitively) when their passage similarity clears the threshold, which sits
    /// <see cref="ChorusDetectorOptions.RepeatThreshold"/> of the way from the piece's mean similarity to 1.
    /// </summary>
    internal List<SectionGroup> Group(SelfSimilarity ssm, (int Start, int End)[] sections)
    {
        var n = ssm.Size;
        double total = 0;
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++) total += ssm.Matrix[i][j];
        var mean = total / ((double)n * n);
        var threshold = mean + _options.RepeatThreshold * (1 - mean);

        var parent = Enumerable.Range(0, sections.Length).ToArray();
        int Root(int i) => parent[i] == i ? i : parent[i] = Root(parent[i]);
        var links = new List<(int A, int B, double Similarity)>();
        for (var a = 0; a < sections.Length; a++)
            for (var b = a + 1; b < sections.Length; b++)
            {
                var s = ssm.PassageSimilarity(sections[a].Start, sections[a].End, sections[b].Start, sections[b].End);
                if (s < threshold) continue;
                links.Add((a, b, s));
                parent[Root(a)] = Root(b);
            }
        return sections.Select((_, i) => i).GroupBy(Root).Select(g =>
        {
            var members = g.ToList();
            var inside = links.Where(l => members.Contains(l.A)).Select(l => l.Similarity).DefaultIfEmpty(0).Average();
            return new SectionGroup(members, inside);
        }).ToList();
    }

    /// <summary>The dB of the mean power of values [from, to) (dB in, dB out: louder blocks dominate as they do to the ear).</summary>
    internal static double MeanDb(double[] db, int from, int to)
    {
        from = Math.Clamp(from, 0, db.Length);
        to = Math.Clamp(to, from, db.Length);
        if (to == from) return Chroma.SilenceDb;
        double power = 0;
        for (var i = from; i < to; i++) power += Math.Pow(10, db[i] / 10);
        return 10 * Math.Log10(Math.Max(1e-30, power / (to - from)));
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[sorted.Length / 2];
    }

    /// <summary>Values over their 95th percentile, capped at 1: one extreme peak (the music stopping) must not flatten the rest.</summary>
    private static double[] Normalise(double[] values)
    {
        var sorted = values.Order().ToArray();
        var top = sorted.Length == 0 ? 0 : sorted[(int)(0.95 * (sorted.Length - 1))];
        return top > 1e-12 ? values.Select(v => Math.Min(1, v / top)).ToArray() : values;
    }
}
