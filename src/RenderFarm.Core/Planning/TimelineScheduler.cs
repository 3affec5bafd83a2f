using RenderFarm.Core.Json;
using RenderFarm.Core.Timelines;

namespace RenderFarm.Core.Planning;

/// <summary>
/// Places every clip of a timeline on the output frame grid (pure: same timeline, media facts and
/// seed give the same schedule). Rules, following IMS:
/// clips on a track follow each other unless TimelineIn places them; In/Out trim the source and
/// Speed divides its length; a Transition on a clip overlaps it with the next clip of the track by
/// its Duration (the timeline gets shorter); ReferenceClipId (on another track) takes the referenced
/// clip's start and length, slowing a too-short video and cutting a too-long one; the main track,
/// if any, decides the length, otherwise the longest track does; a GlobalImage covers everything.
/// </summary>
public sealed class TimelineScheduler
{
    private readonly Timeline _timeline;
    private readonly IReadOnlyDictionary<string, MediaFacts> _media;
    private readonly OutputFormat _output;
    private readonly int _seed;
    private readonly TimelineLimits _limits;
    private readonly Diagnostics _diagnostics;

    private readonly Dictionary<string, Placed> _placed = new(StringComparer.Ordinal);
    private readonly HashSet<string> _placing = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Path, Func<Placed> Place)> _byClipId = new(StringComparer.Ordinal);

    /// <summary>
    /// A clip's place on the timeline. Exact times in seconds are kept so that rounding to frames
    /// happens once per position and never accumulates along a track.
    /// </summary>
    private sealed record Placed(double Start, double End, double SourceStart, double Speed, double TransitionSeconds, string? TransitionName, bool Forever = false)
    {
        public double Length => End - Start;
    }

    private TimelineScheduler(Timeline timeline, IReadOnlyDictionary<string, MediaFacts> media, OutputFormat output, int seed, TimelineLimits limits, Diagnostics diagnostics)
    {
        _timeline = timeline;
        _media = media;
        _output = output;
        _seed = seed;
        _limits = limits;
        _diagnostics = diagnostics;
    }

    public static Schedule Build(Timeline timeline, IReadOnlyDictionary<string, MediaFacts> media, OutputFormat output,
        int seed = 0, TimelineLimits? limits = null, Diagnostics? diagnostics = null) =>
        new TimelineScheduler(timeline, media, output, seed, limits ?? TimelineLimits.Default, diagnostics ?? new Diagnostics()).Run();

    private Schedule Run()
    {
        IndexClipIds();
        var layers = new List<(VideoClip Clip, int Track, Placed Place)>();
        var globals = new List<(VideoClip Clip, int Track)>();
        for (var t = 0; t < _timeline.VideoTracks.Count; t++)
            for (var i = 0; i < _timeline.VideoTracks[t].Clips.Count; i++)
            {
                var clip = _timeline.VideoTracks[t].Clips[i];
                if (clip.Type == VideoClipType.GlobalImage) globals.Add((clip, t));
                else layers.Add((clip, t, PlaceVideo(t, i)));
            }
        var audioPlaced = new List<(AudioClip Clip, Placed Place)>();
        var audioTrackOf = new List<int>();
        for (var t = 0; t < _timeline.AudioTracks.Count; t++)
            for (var i = 0; i < _timeline.AudioTracks[t].Clips.Count; i++)
            {
                audioPlaced.Add((_timeline.AudioTracks[t].Clips[i], PlaceAudio(t, i)));
                audioTrackOf.Add(t);
            }

        var total = TotalFrames(layers.Select(l => (l.Track, l.Place)), audioPlaced, out var byMainTrack);
        if (total <= 0)
            throw new RequestException(_timeline.FieldPath("VideoTracks"), "the timeline has no length: give a clip a Duration, TimelineOut or media with a length");
        if (_output.FrameToSeconds(total) > _limits.MaxDurationSeconds)
            throw new RequestException(_timeline.Path, $"the timeline is {_output.FrameToSeconds(total):0.#} s long; at most {_limits.MaxDurationSeconds:0} s are allowed");
        var mainEnd = byMainTrack ? _output.FrameToSeconds(total) : (double?)null;
        var videoFactors = _timeline.VideoTracks.Select((t, i) => FitFactor(t.Path, t.Fit, t.MainTrack, layers.Where(l => l.Track == i).Select(l => l.Place), mainEnd)).ToList();
        layers = layers.Select(l => (l.Clip, l.Track, Stretch(l.Place, videoFactors[l.Track]))).ToList();
        var audioFactors = _timeline.AudioTracks.Select((t, i) => FitFactor(t.Path, t.Fit, t.MainTrack, audioPlaced.Where((_, k) => audioTrackOf[k] == i).Select(a => a.Place), mainEnd)).ToList();
        audioPlaced = audioPlaced.Select((a, k) => (a.Clip, Stretch(a.Place, audioFactors[audioTrackOf[k]]))).ToList();

        var videoLayers = new List<VideoLayer>();
        var order = 0;
        foreach (var (clip, track) in globals)
            videoLayers.Add(new VideoLayer(clip, track, 0, 0, total, 0, 1, Facts(clip.Path, clip.MediaUrl), null)
                { Effects = ClipEffects(clip, 0, 0, total), AnimationFrames = AnimationFrames(clip) });
        foreach (var (clip, track, place) in layers)
        {
            var (startFrame, endFrame) = (_output.SecondsToFrame(place.Start), _output.SecondsToFrame(place.End));
            var end = Math.Min(endFrame, total);
            if (startFrame >= end) continue;
            var transitionFrames = endFrame - _output.SecondsToFrame(place.End - place.TransitionSeconds);
            var transition = place.TransitionName is null || end < endFrame
                ? null
                : TransitionOf(TransitionCatalog.LookOf(place.TransitionName), transitionFrames);
            videoLayers.Add(new VideoLayer(clip, track, 0, startFrame, end, place.SourceStart, place.Speed, Facts(clip.Path, clip.MediaUrl), transition)
                { Effects = ClipEffects(clip, place.Start, startFrame, end), AnimationFrames = AnimationFrames(clip) });
        }
        // Stacking order: tracks bottom to top, then clips in time order within a track.
        videoLayers = videoLayers
            .OrderBy(l => l.TrackIndex).ThenBy(l => l.StartFrame)
            .Select(l => l with { Order = order++ })
            .ToList();

        var duration = _output.FrameToSeconds(total);
        var audio = BuildAudio(layers, audioPlaced, duration);
        var texts = _timeline.SubtitleTracks.SelectMany(t => t.Clips)
            .Where(c => c.TimelineIn < duration)
            .Select(c => new TextSegment(c, c.TimelineIn, Math.Min(c.TimelineOut ?? duration, duration)))
            .Concat(videoLayers.SelectMany(l => l.Clip.Effects.Banners.Select(b => Banner(b, l, duration))))
            .Where(t => t.Start < t.End)
            .ToList();
        var effects = _timeline.EffectItems
            .Select(e => new FrameEffect(Picked(e), _output.SecondsToFrame(e.TimelineIn), Math.Min(total, e.TimelineOut is { } o ? _output.SecondsToFrame(o) : total)))
            .Where(e => e.StartFrame < e.EndFrame)
            .ToList();
        return new Schedule(_output, total, videoLayers, audio, texts, effects);
    }

    /// <summary>
    /// A clip's VFX/Filter effects on the frame grid: from the clip's start plus TimelineIn to its
    /// start plus TimelineOut, never outside the clip's own frames.
    /// </summary>
    private List<FrameEffect> ClipEffects(VideoClip clip, double clipStart, long startFrame, long endFrame) =>
        clip.Effects.FrameEffects
            .Select(e => new FrameEffect(Picked(e),
                Math.Max(startFrame, _output.SecondsToFrame(clipStart + e.TimelineIn)),
                Math.Min(endFrame, e.TimelineOut is { } o ? _output.SecondsToFrame(clipStart + o) : endFrame)))
            .Where(e => e.StartFrame < e.EndFrame)
            .ToList();

    /// <summary>
    /// The effect with one SubType of its comma list or "random", picked by seed like a transition;
    /// the region stays only with a SubType that acts on one.
    /// </summary>
    private EffectTrackItem Picked(EffectTrackItem e)
    {
        if (e.Choices.Count == 1) return e;
        var pick = e.Choices[StableIndex(e.Path, e.Choices.Count)];
        return e with { SubType = pick, Region = FrameEffectCatalog.TakesRegion(pick) ? e.Region : null };
    }

    /// <summary>A banner Text effect over its clip's span, or over its own TimelineIn/TimelineOut where given.</summary>
    private TextSegment Banner(BannerText banner, VideoLayer layer, double duration)
    {
        var start = banner.TimelineIn ?? _output.FrameToSeconds(layer.StartFrame);
        var end = Math.Min(banner.TimelineOut ?? _output.FrameToSeconds(layer.EndFrame), duration);
        return new TextSegment(banner.Text with { TimelineIn = start, TimelineOut = end }, start, end);
    }

    /// <summary>
    /// TrackShortenMode / TrackExpandMode AutoSpeed: the factor that stretches a track's times (and divides its
    /// speeds) so that it ends with the main track; 1 where the track keeps its own timing.
    /// </summary>
    private double FitFactor(string path, TrackFit fit, bool main, IEnumerable<Placed> places, double? mainEnd)
    {
        if (fit == TrackFit.None || main) return 1;
        if (mainEnd is null)
        {
            _diagnostics.Warn($"{path}.{(fit.SpeedUp ? "TrackShortenMode" : "TrackExpandMode")}", "there is no main track to fit the track to; it keeps its own length");
            return 1;
        }
        var end = places.Where(p => !p.Forever).Select(p => p.End).DefaultIfEmpty(0).Max();
        if (end <= 0) return 1;
        var factor = mainEnd.Value / end;
        return (factor < 1 && fit.SpeedUp) || (factor > 1 && fit.SlowDown) ? factor : 1;
    }

    private static Placed Stretch(Placed place, double factor) => factor == 1 ? place : place with
    {
        Start = place.Start * factor,
        End = place.Forever ? place.End : place.End * factor,
        Speed = place.Speed / factor,
        TransitionSeconds = place.TransitionSeconds * factor,
    };

    private static LayerTransition TransitionOf(TransitionLook look, long frames) => new(look.Ims, look.Xfade, frames, look.Expression, look.Mask);

    private void IndexClipIds()
    {
        for (var t = 0; t < _timeline.VideoTracks.Count; t++)
            for (var i = 0; i < _timeline.VideoTracks[t].Clips.Count; i++)
                if (_timeline.VideoTracks[t].Clips[i].ClipId is { } id)
                {
                    var (track, index) = (t, i);
                    _byClipId[id] = ($"V{t}", () => PlaceVideo(track, index));
                }
        for (var t = 0; t < _timeline.AudioTracks.Count; t++)
            for (var i = 0; i < _timeline.AudioTracks[t].Clips.Count; i++)
                if (_timeline.AudioTracks[t].Clips[i].ClipId is { } id)
                {
                    var (track, index) = (t, i);
                    _byClipId[id] = ($"A{t}", () => PlaceAudio(track, index));
                }
    }

    private MediaFacts Facts(string clipPath, string url) =>
        _media.TryGetValue(url, out var facts) ? facts : throw new RequestException($"{clipPath}.MediaURL", $"media '{url}' was not probed");

    private Placed Memo(string key, string path, Func<Placed> place)
    {
        if (_placed.TryGetValue(key, out var done)) return done;
        if (!_placing.Add(key)) throw new RequestException($"{path}.ReferenceClipId", "clip references form a cycle");
        var result = place();
        _placing.Remove(key);
        _placed[key] = result;
        return result;
    }

    /// <summary>The referenced clip's placement, when this clip aligns to one (and has no explicit TimelineIn+TimelineOut).</summary>
    private Placed? Reference(string trackKey, string path, string? referenceId, ClipTiming timing)
    {
        if (referenceId is null) return null;
        var (refTrack, place) = _byClipId[referenceId];
        if (refTrack == trackKey)
            throw new RequestException($"{path}.ReferenceClipId", "a clip may only reference a clip on another track");
        if (timing.TimelineIn is not null && timing.TimelineOut is not null) return null;
        return place();
    }

    private Placed PlaceVideo(int track, int index)
    {
        var clip = _timeline.VideoTracks[track].Clips[index];
        return Memo($"V{track}:{index}", clip.Path, () =>
        {
            var timing = clip.Timing;
            var facts = Facts(clip.Path, clip.MediaUrl);
            var previous = PreviousOnTrack(track, index);
            var reference = Reference($"V{track}", clip.Path, clip.ReferenceClipId, timing);
            var still = clip.Type != VideoClipType.Video || facts.IsStill;
            var incoming = previous is { TransitionName: not null } && reference is null && timing.TimelineIn is null ? previous.TransitionSeconds : 0;

            var start = reference?.Start ?? timing.TimelineIn ?? (previous is null ? 0 : previous.End - previous.TransitionSeconds);
            double sourceIn = 0, speed = 1, length;
            if (still)
            {
                if (reference is not null) length = reference.Length;
                else if (timing.TimelineOut is { } tout) length = tout - start;
                else if (timing.Duration is { } d) length = d;
                else throw new RequestException($"{clip.Path}.Duration", "an Image clip needs a Duration (or TimelineIn and TimelineOut, or a ReferenceClipId)");
                if (timing.MaxOut is { } maxOut) length = Math.Min(length, maxOut);
            }
            else
            {
                if (timing.Duration is not null)
                    _diagnostics.Warn($"{clip.Path}.Duration", "a video clip's length comes from In/Out (IMS); Duration was ignored");
                (sourceIn, var sourceLength) = SourceSpan(clip.Path, timing, facts);
                speed = timing.Speed;
                length = sourceLength / speed;
                if (reference is not null)
                {
                    if (length < reference.Length) speed = sourceLength / reference.Length; // too short: slowed to fill
                    length = reference.Length;
                }
                else if (timing.TimelineOut is { } tout) length = tout - start;
            }
            if (_output.SecondsToFrame(start + length) <= _output.SecondsToFrame(start))
                throw new RequestException($"{clip.Path}.{(still ? "Duration" : "TimelineOut")}", "the clip is shorter than one frame on the timeline");
            var (name, seconds) = TransitionOut(clip, track, index, length - incoming);
            return new Placed(start, start + length, sourceIn, speed, seconds, name);
        });
    }

    /// <summary>
    /// The frames an Image clip with DyncFrames loops; only the probe tells an animated file from a still,
    /// so a DyncFrames on a one-frame picture is warned here (the picture is drawn as a still).
    /// </summary>
    private int? AnimationFrames(VideoClip clip)
    {
        if (clip.DyncFrames is not { } frames) return null;
        if (!Facts(clip.Path, clip.MediaUrl).IsStill) return frames;
        _diagnostics.Warn($"{clip.Path}.DyncFrames", "the file is a still picture (one frame), not an animated image; it is drawn as a still");
        return null;
    }

    private Placed? PreviousOnTrack(int track, int index)
    {
        for (var i = index - 1; i >= 0; i--)
            if (_timeline.VideoTracks[track].Clips[i].Type != VideoClipType.GlobalImage)
                return PlaceVideo(track, i);
        return null;
    }

    /// <summary>
    /// The transition into the next clip on the track, if this clip carries one and the next clip
    /// follows it. It may take at most what is left of this clip after its own incoming transition,
    /// and less than the whole next clip, so no clip ever overlaps a clip two places away.
    /// </summary>
    private (string? Name, double Seconds) TransitionOut(VideoClip clip, int track, int index, double available)
    {
        if (clip.Effects.Transition is not { } transition) return (null, 0);
        var clips = _timeline.VideoTracks[track].Clips;
        var next = clips.Skip(index + 1).FirstOrDefault(c => c.Type != VideoClipType.GlobalImage);
        if (next is null) return (null, 0); // the last clip has nothing to transition into
        if (next.Timing.TimelineIn is not null || next.ReferenceClipId is not null)
        {
            _diagnostics.Warn(transition.Path, "the next clip is placed by TimelineIn/ReferenceClipId, so no transition is drawn");
            return (null, 0);
        }
        var frame = 1.0 / _output.Fps;
        var limit = Math.Min(available, NaturalLength(next)) - frame;
        var seconds = transition.Duration;
        if (seconds > limit)
        {
            seconds = Math.Max(0, Math.Floor(limit * _output.Fps) / _output.Fps);
            _diagnostics.Warn($"{transition.Path}.Duration", $"longer than the clips it joins; shortened to {seconds:0.###} s");
        }
        if (seconds < frame) return (null, 0);
        var name = transition.Choices.Count == 1 ? transition.Choices[0] : transition.Choices[StableIndex(transition.Path, transition.Choices.Count)];
        return (name, seconds);
    }

    /// <summary>The length in seconds a sequentially placed clip will have, before knowing its start.</summary>
    private double NaturalLength(VideoClip clip)
    {
        var facts = Facts(clip.Path, clip.MediaUrl);
        if (clip.Type != VideoClipType.Video || facts.IsStill)
            return Math.Min(clip.Timing.Duration ?? double.MaxValue, clip.Timing.MaxOut ?? double.MaxValue);
        var (_, sourceLength) = SourceSpan(clip.Path, clip.Timing, facts);
        return sourceLength / clip.Timing.Speed;
    }

    private static (double In, double Length) SourceSpan(string path, ClipTiming timing, MediaFacts facts)
    {
        var sourceIn = timing.In ?? 0;
        if (sourceIn >= facts.DurationSeconds)
            throw new RequestException($"{path}.In", $"is at or beyond the end of the media ({facts.DurationSeconds:0.###} s)");
        var sourceOut = timing.Out ?? Math.Min(facts.DurationSeconds, timing.MaxOut ?? double.MaxValue);
        if (sourceOut > facts.DurationSeconds + 0.05)
            throw new RequestException($"{path}.Out", $"is beyond the end of the media ({facts.DurationSeconds:0.###} s)");
        return (sourceIn, Math.Min(sourceOut, facts.DurationSeconds) - sourceIn);
    }

    private Placed PlaceAudio(int track, int index)
    {
        var clip = _timeline.AudioTracks[track].Clips[index];
        return Memo($"A{track}:{index}", clip.Path, () =>
        {
            var timing = clip.Timing;
            var facts = Facts(clip.Path, clip.MediaUrl);
            if (!facts.HasAudio) throw new RequestException($"{clip.Path}.MediaURL", "the media has no audio stream");
            var reference = Reference($"A{track}", clip.Path, clip.ReferenceClipId, timing);
            var previous = index == 0 ? null : PlaceAudio(track, index - 1);
            var start = reference?.Start ?? timing.TimelineIn ?? previous?.End ?? 0;
            var (sourceIn, sourceLength) = SourceSpan(clip.Path, timing, facts);
            var speed = timing.Speed;
            var length = sourceLength / speed;
            if (reference is not null)
            {
                if (length < reference.Length && !clip.Loop) speed = sourceLength / reference.Length;
                length = reference.Length;
            }
            else if (timing.TimelineOut is { } tout) length = tout - start;
            else if (clip.Loop)
            {
                if (_timeline.AudioTracks[track].MainTrack)
                    throw new RequestException($"{clip.Path}.LoopMode", "a looped clip on the main track needs a TimelineOut (it would never end)");
                return new Placed(start, double.MaxValue, sourceIn, speed, 0, null, Forever: true); // runs to the end of the timeline
            }
            return new Placed(start, start + length, sourceIn, speed, 0, null);
        });
    }

    /// <summary>
    /// The timeline's length: the main track's end if one is set (and has clips), else the end of the
    /// longest video or audio track. Subtitles and effects never extend a timeline; they are cut to it.
    /// </summary>
    private long TotalFrames(IEnumerable<(int Track, Placed Place)> video, List<(AudioClip Clip, Placed Place)> audio, out bool byMainTrack)
    {
        byMainTrack = true;
        var videoList = video.ToList();
        var tracks = _timeline.VideoTracks.ToList();
        var mainVideo = tracks.FirstOrDefault(t => t.MainTrack);
        var mainAudio = _timeline.AudioTracks.FirstOrDefault(t => t.MainTrack);
        double end;
        if (mainVideo is not null && videoList.Any(v => v.Track == tracks.IndexOf(mainVideo)))
            end = videoList.Where(v => v.Track == tracks.IndexOf(mainVideo)).Max(v => v.Place.End);
        else if (mainAudio is not null && mainAudio.Clips.Count > 0)
            end = audio.Where(a => mainAudio.Clips.Contains(a.Clip)).Max(a => a.Place.End);
        else
        {
            byMainTrack = false;
            if (mainVideo is not null || mainAudio is not null)
                _diagnostics.Warn($"{(mainVideo?.Path ?? mainAudio!.Path)}.MainTrack", "the main track has no clips; the longest track decides the length");
            end = videoList.Select(v => v.Place.End)
                .Concat(audio.Where(a => !a.Place.Forever).Select(a => a.Place.End))
                .DefaultIfEmpty(0).Max();
        }
        if (end <= 0)
        {
            // Only GlobalImages (and looped audio): their Duration, if any, sets the length.
            end = tracks.SelectMany(t => t.Clips).Where(c => c.Type == VideoClipType.GlobalImage)
                .Select(c => c.Timing.Duration ?? 0).DefaultIfEmpty(0).Max();
        }
        return _output.SecondsToFrame(end);
    }

    private List<AudioSegment> BuildAudio(List<(VideoClip Clip, int Track, Placed Place)> video, List<(AudioClip Clip, Placed Place)> audio, double duration)
    {
        var segments = new List<AudioSegment>();
        foreach (var (clip, _, place) in video)
        {
            var facts = Facts(clip.Path, clip.MediaUrl);
            if (clip.Type != VideoClipType.Video || facts.IsStill || !facts.HasAudio || clip.Effects.Audio.Muted) continue;
            Add(clip.Path, clip.MediaUrl, place, clip.Effects.Audio, null, facts.DurationSeconds, false);
        }
        foreach (var (clip, place) in audio)
        {
            // A muted clip is left out, unless it is captioned: its captions need its place on the timeline.
            if (clip.Effects.Muted && clip.Captions is null) continue;
            var facts = Facts(clip.Path, clip.MediaUrl);
            var loop = clip.Loop ? (clip.Timing.Out ?? facts.DurationSeconds) - place.SourceStart : (double?)null;
            Add(clip.Path, clip.MediaUrl, place, clip.Effects, loop, facts.DurationSeconds, clip.Speech is not null);
        }
        return segments;

        void Add(string path, string url, Placed place, AudioEffects effects, double? loop, double mediaLength, bool speech)
        {
            var start = place.Start;
            if (start >= duration) return;
            var end = Math.Min(duration, place.End);
            // A clip played past its source end (TimelineOut longer than the media) goes silent, it does not loop.
            if (loop is null) end = Math.Min(end, start + (mediaLength - place.SourceStart) / place.Speed);
            if (end - start <= 0.001) return;
            segments.Add(new AudioSegment(path, url, start, end - start, place.SourceStart, place.Speed, effects, loop, speech));
        }
    }

    /// <summary>A deterministic pick for random choices: depends on the seed and the effect's path only.</summary>
    private int StableIndex(string key, int count)
    {
        unchecked
        {
            var hash = 2166136261u ^ (uint)_seed;
            foreach (var ch in key) hash = (hash ^ ch) * 16777619u;
            return (int)(hash % (uint)count);
        }
    }
}
