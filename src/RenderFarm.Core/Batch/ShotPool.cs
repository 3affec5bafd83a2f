using RenderFarm.Core.Json;

namespace RenderFarm.Core.Batch;

/// <summary>
/// A piece of a medium that can be shown as one shot: a source range of a video, or an image.
/// <see cref="Capacity"/> is the most time it can fill (an image: ImageDuration).
/// </summary>
internal sealed record Shot(MediaRef Media, int Group, bool IsImage, double In, double Capacity);

/// <summary>
/// The shots of each media group. IMS splits long videos into shots of SingleShotDuration; here a
/// video of length D becomes round(D / SingleShotDuration) equal shots (at least one), so no shot
/// is a sliver. Picking prefers the shots used least so far, which spreads the media over the outputs.
/// </summary>
internal sealed class ShotPool
{
    private readonly List<Shot>[] _split;
    private readonly List<Shot>[] _whole;
    private readonly Dictionary<Shot, int> _uses = [];
    private readonly Random _random;

    public ShotPool(IReadOnlyList<MediaGroup> groups, IBatchFacts facts, ProcessSettings process, double minShotSeconds, Random random)
    {
        _random = random;
        _split = new List<Shot>[groups.Count];
        _whole = new List<Shot>[groups.Count];
        for (var g = 0; g < groups.Count; g++)
        {
            _split[g] = [];
            _whole[g] = [];
            foreach (var media in groups[g].Media)
            {
                var f = MediaCheck.Picture(media, facts);
                if (f.IsStill)
                {
                    // An image fills ImageDuration of the timeline (the transition overlap comes on top);
                    // it can be held as long as a shot needs, so it is never too short.
                    var image = new Shot(media, g, true, 0, Math.Max(process.ImageSeconds + process.Overlap, minShotSeconds));
                    _split[g].Add(image);
                    _whole[g].Add(image);
                    continue;
                }
                _whole[g].Add(new Shot(media, g, false, 0, f.DurationSeconds));
                var count = process.SplitClips ? Math.Max(1, (int)Math.Round(f.DurationSeconds / process.SingleShotSeconds)) : 1;
                var length = f.DurationSeconds / count;
                for (var k = 0; k < count; k++) _split[g].Add(new Shot(media, g, false, k * length, length));
            }
            _split[g].RemoveAll(s => s.Capacity < minShotSeconds);
            _whole[g].RemoveAll(s => s.Capacity < minShotSeconds);
            if (_split[g].Count == 0)
                throw new RequestException($"{groups[g].Path}.MediaArray",
                    $"no medium is long enough for a shot: each video must last at least {JsonObjectReader.Format(minShotSeconds)} s (twice TransitionDuration plus 0.25 s)");
        }
    }

    /// <summary>Shots of a group as IMS splits them (SingleShotDuration).</summary>
    public IReadOnlyList<Shot> Split(int group) => _split[group];

    /// <summary>Every medium of a group as one shot (AverageSplit).</summary>
    public IReadOnlyList<Shot> Whole(int group) => _whole[group];

    /// <summary>
    /// A shot of the group not yet in <paramref name="taken"/> (unless all are). Normally one of the
    /// least used so far; with <paramref name="explore"/> any of them, to find a different sequence.
    /// </summary>
    public Shot Pick(int group, IReadOnlySet<Shot> taken, bool explore)
    {
        var candidates = _split[group].Where(s => !taken.Contains(s)).ToList();
        if (candidates.Count == 0) candidates = _split[group];
        if (!explore)
        {
            var least = candidates.Min(Uses);
            candidates = candidates.Where(s => Uses(s) == least).ToList();
        }
        return candidates[_random.Next(candidates.Count)];
    }

    public void Commit(IEnumerable<Shot> used)
    {
        foreach (var shot in used) _uses[shot] = Uses(shot) + 1;
    }

    private int Uses(Shot shot) => _uses.GetValueOrDefault(shot);
}

/// <summary>Checks that referenced media are known and of the right kind, naming the field they came from.</summary>
internal static class MediaCheck
{
    public static Planning.MediaFacts Known(MediaRef media, IBatchFacts facts) =>
        facts.Media(media.Url) ?? throw new RequestException(media.Path, $"no media facts for '{media.Url}': the medium could not be probed");

    public static Planning.MediaFacts Picture(MediaRef media, IBatchFacts facts)
    {
        var f = Known(media, facts);
        if (!f.HasVideo) throw new RequestException(media.Path, $"'{media.Url}' has no picture; a video or image is needed here");
        if (!f.IsStill && f.DurationSeconds <= 0) throw new RequestException(media.Path, $"'{media.Url}' has no length");
        return f;
    }

    public static Planning.MediaFacts Sound(MediaRef media, IBatchFacts facts)
    {
        var f = Known(media, facts);
        if (!f.HasAudio || f.DurationSeconds <= 0) throw new RequestException(media.Path, $"'{media.Url}' has no audio; background music must be a sound file");
        return f;
    }
}
