namespace RenderFarm.Core.Batch.Matching;

/// <summary>A shot that can be matched: a source range of a video (or an image) and the text that describes it.</summary>
internal sealed record MatchShot(int Index, MediaRef Media, int MediaIndex, bool IsImage, double In, double Capacity, MediaText Text)
{
    public double End => In + Capacity;
}

/// <summary>A stretch of an output to fill: the text to match, what is said over it (null = silence) and how long it lasts.</summary>
public sealed record Cue(string Path, string MatchText, string? SpeechText, double Seconds);

/// <summary>
/// Gives every cue (a sentence of the voice-over, or a storyboard shot) the shots that best match its text and
/// cover its time. Rules: cues with the clearest best match choose first, and every cue has its best shot before
/// any cue takes more shots to fill its time; a cue takes an unused shot with a
/// positive score if any, else any unused shot, and reuses a shot only when none is left unused. Among shots
/// scoring within <see cref="NearShare"/> of the best, the one used least by earlier outputs wins (then the
/// higher score, then a seeded draw), so outputs vary without giving up relevance. A shot longer than the cue
/// is trimmed; a shorter one is followed by the next piece of the same video when that is unused, else by the
/// next best match for the cue.
/// </summary>
internal sealed class ShotMatcher(IReadOnlyList<MatchShot> shots, IRelevanceRanker ranker, double overlap, Random random)
{
    /// <summary>Scores at least this share below the best still count as "near-equal" choices.</summary>
    public const double NearShare = 0.15;

    private const int MaxShotsPerCue = 64;

    private readonly int[] _outputUses = new int[shots.Count];

    /// <summary>The shots of each cue, in timeline order, with the time each one fills (its share of the cue).</summary>
    public List<(MatchShot Shot, double Share)>[] Assign(IReadOnlyList<Cue> cues)
    {
        var used = new int[shots.Count];
        var scores = cues.Select(c => ranker.Scores(c.MatchText)).ToArray();
        var picks = new List<MatchShot>[cues.Count];
        var order = Enumerable.Range(0, cues.Count).OrderByDescending(c => scores[c].DefaultIfEmpty(0).Max()).ThenBy(c => c).ToList();
        // Every cue takes its best shot before any cue takes more to fill its time, so fillers do not eat other cues' matches.
        foreach (var c in order)
        {
            var shot = Choose(scores[c], used, []);
            used[shot.Index]++;
            picks[c] = [shot];
        }
        foreach (var c in order)
        {
            var list = picks[c];
            while (list.Sum(s => s.Capacity - overlap) < cues[c].Seconds - 1e-9)
            {
                if (list.Count == MaxShotsPerCue)
                    throw new Json.RequestException(cues[c].Path, $"more than {MaxShotsPerCue} shots would be needed to cover {Json.JsonObjectReader.Format(cues[c].Seconds)} s; give longer media");
                var shot = Following(list[^1], used) ?? Choose(scores[c], used, list);
                used[shot.Index]++;
                list.Add(shot);
            }
        }
        foreach (var shot in picks.SelectMany(p => p)) _outputUses[shot.Index]++;

        var result = new List<(MatchShot, double)>[cues.Count];
        for (var c = 0; c < cues.Count; c++)
        {
            var list = picks[c];
            var last = c == cues.Count - 1;
            var shares = new double[list.Count];
            var left = cues[c].Seconds;
            for (var j = 0; j < list.Count; j++)
            {
                var carries = last && j == list.Count - 1 ? 0 : overlap;
                shares[j] = Math.Min(list[j].Capacity - carries, left);
                left -= shares[j];
            }
            // A sliver at the end would flash by: take it from the shot before, which was shown whole.
            var min = ScriptToVideoPlanner.MinShotContribution;
            if (list.Count > 1 && shares[^1] < min)
            {
                shares[^2] -= min - shares[^1];
                shares[^1] = min;
            }
            result[c] = list.Select((s, j) => (s, shares[j])).ToList();
        }
        return result;
    }

    private MatchShot? Following(MatchShot shot, int[] used) =>
        shot.IsImage ? null : shots.FirstOrDefault(s => used[s.Index] == 0 && s.MediaIndex == shot.MediaIndex && !s.IsImage && Math.Abs(s.In - shot.End) < 1e-6);

    private MatchShot Choose(double[] scores, int[] used, List<MatchShot> inCue)
    {
        var candidates = shots.Where(s => used[s.Index] == 0 && scores[s.Index] > 0).ToList();
        if (candidates.Count == 0) candidates = shots.Where(s => used[s.Index] == 0).ToList();
        if (candidates.Count == 0)
        {
            candidates = shots.Where(s => !inCue.Contains(s)).ToList();
            if (candidates.Count == 0) candidates = [.. shots];
            var least = candidates.Min(s => used[s.Index]);
            candidates = candidates.Where(s => used[s.Index] == least).ToList();
        }
        var best = candidates.Max(s => scores[s.Index]);
        var near = candidates.Where(s => scores[s.Index] >= best * (1 - NearShare)).ToList();
        return near
            .Select(s => (Shot: s, Draw: random.Next()))
            .OrderBy(x => _outputUses[x.Shot.Index])
            .ThenByDescending(x => scores[x.Shot.Index])
            .ThenBy(x => x.Draw)
            .First().Shot;
    }
}
