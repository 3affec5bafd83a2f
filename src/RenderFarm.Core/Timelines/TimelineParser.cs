using RenderFarm.Core.Json;

namespace RenderFarm.Core.Timelines;

/// <summary>A parsed timeline and the warnings about fields it could not honour.</summary>
public sealed record ParsedTimeline(Timeline Timeline, IReadOnlyList<Warning> Warnings);

/// <summary>
/// Turns IMS Timeline JSON into a <see cref="Timeline"/>. Checks everything that can be checked
/// without opening media: types, ranges, limits, references. Media-dependent checks (an Out beyond
/// the source's end) happen when the timeline is scheduled against probed media.
/// </summary>
public sealed class TimelineParser(TimelineLimits limits)
{
    public static readonly string[] VideoClipTypes = ["Video", "Image", "GlobalImage"];
    public static readonly string[] AudioClipTypes = ["Audio", "AI_TTS"];

    public ParsedTimeline Parse(string json, string rootPath = "")
    {
        var diagnostics = new Diagnostics();
        var root = JsonObjectReader.Parse(json, diagnostics, rootPath);
        var timeline = Read(root);
        root.ReportUnread();
        return new ParsedTimeline(timeline, diagnostics.Warnings);
    }

    /// <summary>Reads a Timeline object embedded in a larger request (its path is the reader's).</summary>
    public Timeline Read(JsonObjectReader root)
    {
        var videoTracks = new List<VideoTrack>();
        var effectItems = new List<EffectTrackItem>();
        var videoTrackReaders = root.Objects("VideoTracks");
        CheckCount(root, "VideoTracks", videoTrackReaders.Count);
        foreach (var track in videoTrackReaders)
        {
            if (track.OneOf("Type", ["Video", "Effect"]) == "Effect")
                effectItems.AddRange(track.Objects("VideoTrackClips").Select(EffectTrackParser.Read));
            else
                videoTracks.Add(ReadVideoTrack(track));
        }
        var imageTrackReaders = root.Objects("ImageTracks");
        if (imageTrackReaders.Count > 0)
        {
            // Deprecated in IMS but still in old templates: each image track is a video track of images above the others.
            root.Warn("ImageTracks", "image tracks are deprecated in IMS; they are drawn as Type=Image clips on video tracks above the VideoTracks");
            CheckCount(root, "ImageTracks", imageTrackReaders.Count);
            videoTracks.AddRange(imageTrackReaders.Select(ReadImageTrack));
        }

        var audioTrackReaders = root.Objects("AudioTracks");
        CheckCount(root, "AudioTracks", audioTrackReaders.Count);
        var audioTracks = audioTrackReaders.Select(ReadAudioTrack).ToList();

        var subtitleTrackReaders = root.Objects("SubtitleTracks");
        CheckCount(root, "SubtitleTracks", subtitleTrackReaders.Count);
        var textParser = new TextClipParser(limits);
        var subtitleTracks = subtitleTrackReaders.Select(t =>
        {
            var clips = t.Objects("SubtitleTrackClips");
            CheckCount(t, "SubtitleTrackClips", clips.Count, limits.MaxClipsPerTrack);
            return textParser.ReadTrack(t.Path, clips);
        }).ToList();

        var effectTrackReaders = root.Objects("EffectTracks");
        CheckCount(root, "EffectTracks", effectTrackReaders.Count);
        foreach (var track in effectTrackReaders)
            effectItems.AddRange(track.Objects("EffectTrackItems").Select(EffectTrackParser.Read));

        var timeline = new Timeline(videoTracks, audioTracks, subtitleTracks, effectItems) { Path = root.Path };
        if (videoTracks.All(t => t.Clips.Count == 0) && audioTracks.All(t => t.Clips.Count == 0))
            throw new RequestException(root.FieldPath("VideoTracks"), "the timeline has no clips: at least one video or audio track clip is required");
        var mainTracks = videoTracks.Where(t => t.MainTrack).Select(t => t.Path).Concat(audioTracks.Where(t => t.MainTrack).Select(t => t.Path)).ToList();
        foreach (var extra in mainTracks.Skip(1))
            root.Diagnostics.Warn($"{extra}.MainTrack", $"only one main track counts (IMS rule); {mainTracks[0]} is used");
        if (mainTracks.Count > 1) timeline = Demote(timeline, mainTracks[0]);
        ReferenceChecker.Check(timeline);
        RenderCost.Check(timeline, limits);
        return timeline;
    }

    /// <summary>Keeps MainTrack on the first track that set it (video tracks first, as IMS reads them).</summary>
    private static Timeline Demote(Timeline timeline, string keep) => timeline with
    {
        VideoTracks = timeline.VideoTracks.Select(t => t with { MainTrack = t.MainTrack && t.Path == keep }).ToList(),
        AudioTracks = timeline.AudioTracks.Select(t => t with { MainTrack = t.MainTrack && t.Path == keep }).ToList(),
    };

    private void CheckCount(JsonObjectReader owner, string field, int count, int? max = null)
    {
        var limit = max ?? limits.MaxTracksPerKind;
        if (count > limit) throw owner.Error(field, $"at most {limit} are allowed (got {count})");
    }

    private VideoTrack ReadVideoTrack(JsonObjectReader track)
    {
        var fit = ReadTrackFit(track);
        var clips = track.Objects("VideoTrackClips");
        CheckCount(track, "VideoTrackClips", clips.Count, limits.MaxClipsPerTrack);
        return new VideoTrack(track.Path, track.Bool("MainTrack") ?? false, clips.Select(c => ReadVideoClip(c)).ToList()) { Fit = fit };
    }

    /// <summary>
    /// An IMS ImageTracks entry: its ImageTrackClips are images (ImageId is their MediaId); one without
    /// Duration, TimelineIn or TimelineOut covers the whole timeline (a GlobalImage), as a logo does.
    /// </summary>
    private VideoTrack ReadImageTrack(JsonObjectReader track)
    {
        var clips = track.Objects("ImageTrackClips");
        CheckCount(track, "ImageTrackClips", clips.Count, limits.MaxClipsPerTrack);
        return new VideoTrack(track.Path, false, clips.Select(c => ReadVideoClip(c,
            c.Has("Duration") || c.Has("TimelineIn") || c.Has("TimelineOut") ? VideoClipType.Image : VideoClipType.GlobalImage)).ToList());
    }

    private AudioTrack ReadAudioTrack(JsonObjectReader track)
    {
        var fit = ReadTrackFit(track);
        var clips = track.Objects("AudioTrackClips");
        CheckCount(track, "AudioTrackClips", clips.Count, limits.MaxClipsPerTrack);
        return new AudioTrack(track.Path, track.Bool("MainTrack") ?? false, clips.Select(ReadAudioClip).ToList()) { Fit = fit };
    }

    /// <summary>IMS documents one value for both modes, AutoSpeed; anything else leaves the track as it is (warned).</summary>
    private static TrackFit ReadTrackFit(JsonObjectReader track)
    {
        bool Read(string mode, string otherwise)
        {
            if (track.String(mode) is not { } value) return false;
            if (value.Equals("AutoSpeed", StringComparison.OrdinalIgnoreCase)) return true;
            track.Warn(mode, $"'{JsonObjectReader.Excerpt(value)}' is not an IMS mode (AutoSpeed is); {otherwise}");
            return false;
        }
        return new TrackFit(
            Read("TrackShortenMode", "a track longer than the main track is cut at its end"),
            Read("TrackExpandMode", "a track shorter than the main track ends early"));
    }

    private VideoClip ReadVideoClip(JsonObjectReader clip, VideoClipType? imageTrackType = null)
    {
        var clipType = imageTrackType ?? Enum.Parse<VideoClipType>(clip.OneOf("Type", VideoClipTypes) ?? "Video");
        var url = ReadMediaUrl(clip, imageTrackType is null ? "MediaId" : "ImageId");
        var timing = ReadTiming(clip, clipType != VideoClipType.Video);
        if (clipType == VideoClipType.GlobalImage && (timing.TimelineIn is not null || timing.TimelineOut is not null))
            clip.Warn("TimelineIn", "a GlobalImage covers the whole timeline; TimelineIn/TimelineOut are ignored");
        var (placement, effects) = ClipFrameEffectParser.Place(clip, ReadPlacement(clip), EffectParser.ReadVideoEffects(clip, limits));
        var animationFrames = AnimatedImages.Read(clip);
        if (animationFrames is not null && clipType == VideoClipType.Video)
            clip.Warn("DyncFrames", "applies to Image clips (animated images); a Video clip plays all its frames, so DyncFrames was ignored");
        else if (animationFrames is not null && effects.Matting is PersonMatte)
            clip.Warn("DyncFrames", "an AI_RealMatting image is matted as a still picture (its first frame); DyncFrames was ignored");
        return new VideoClip(clip.Path, clipType, url, timing, placement, clip.String("ClipId"), clip.String("ReferenceClipId"), effects)
        {
            Opacity = clip.Number("Opacity", 0, 1) ?? 1,
            DyncFrames = clipType == VideoClipType.Video || effects.Matting is PersonMatte ? null : animationFrames,
        };
    }

    private AudioClip ReadAudioClip(JsonObjectReader clip)
    {
        var type = clip.OneOf("Type", AudioClipTypes) ?? "Audio";
        var speech = type == "AI_TTS" ? ReadSpeech(clip) : null;
        // A TTS clip's sound is synthesized while the timeline is prepared; its MediaURL stands for that file.
        var url = speech is null ? ReadMediaUrl(clip) : SpeechUrl(clip.Path);
        var timing = ReadTiming(clip, isStill: false);
        if (timing.Duration is not null)
            clip.Warn("Duration", "an audio clip's length comes from In/Out (IMS); Duration was ignored");
        var loop = clip.Bool("LoopMode") ?? false;
        var effects = EffectParser.ReadAudioEffects(clip, limits, out var captions);
        return new AudioClip(clip.Path, url, timing, clip.String("ClipId"), clip.String("ReferenceClipId"), loop, effects)
        {
            Speech = speech,
            Captions = captions,
        };
    }

    /// <summary>The stand-in MediaURL of an AI_TTS clip (not a URL any resolver accepts: the preparer maps it to the synthesized file).</summary>
    public static string SpeechUrl(string clipPath) => $"tts:{clipPath}";

    private SpeechContent ReadSpeech(JsonObjectReader clip)
    {
        if (clip.Has("MediaURL")) clip.Warn("MediaURL", "an AI_TTS clip speaks its Content; MediaURL was ignored");
        clip.Accept("MediaURL");
        var content = clip.RequiredString("Content");
        if (content.Trim().Length == 0) throw clip.Error("Content", "must not be empty");
        if (content.Length > limits.MaxTextLength)
            throw clip.Error("Content", $"at most {limits.MaxTextLength} characters are allowed (got {content.Length})");
        var rate = clip.Number("SpeechRate", -500, 500) ?? 0;
        var pitch = clip.Number("PitchRate", -500, 500) ?? 0;
        if (clip.String("Format") is { } format && !format.Equals("wav", StringComparison.OrdinalIgnoreCase))
            clip.Warn("Format", $"speech is kept as WAV until the output is encoded; '{format}' makes no difference");
        return new SpeechContent(content, clip.String("Voice"), (int)Math.Round(rate), (int)Math.Round(pitch));
    }

    /// <summary>
    /// The clip's MediaURL. A farm node replaces library ids (<paramref name="idField"/>: MediaId, or an image
    /// track's ImageId) by their MediaURL before parsing (<see cref="Library.TimelineMediaIds"/>); one left here
    /// had no library to resolve it.
    /// </summary>
    private static string ReadMediaUrl(JsonObjectReader clip, string idField = "MediaId")
    {
        if (clip.Has(idField) && !clip.Has("MediaURL"))
            throw clip.Error(idField, "media library ids are resolved by a farm node's media library (farm submit); here give MediaURL (a path or URL the farm may read)");
        clip.Accept(idField);
        clip.Accept("MediaId");
        return Jobs.MediaLocation.Check(clip.FieldPath("MediaURL"), clip.RequiredString("MediaURL"));
    }

    private ClipTiming ReadTiming(JsonObjectReader clip, bool isStill)
    {
        var maxSeconds = limits.MaxDurationSeconds;
        var @in = clip.Number("In", 0, maxSeconds);
        var @out = clip.Number("Out", 0, maxSeconds);
        var maxOut = clip.Number("MaxOut", 0, maxSeconds);
        if (maxOut is not null && @out is not null)
            clip.Warn("MaxOut", "an Out is given, so MaxOut has no effect (IMS)");
        if (maxOut is 0) throw clip.Error("MaxOut", "must be greater than 0");
        var timelineIn = clip.Number("TimelineIn", 0, maxSeconds);
        var timelineOut = clip.Number("TimelineOut", 0, maxSeconds);
        var duration = clip.Number("Duration", 0, maxSeconds);
        var speed = clip.Number("Speed", limits.MinSpeed, limits.MaxSpeed) ?? 1;
        if (@out is { } o && o <= (@in ?? 0))
            throw clip.Error("Out", $"must be greater than In ({JsonObjectReader.Format(@in ?? 0)})");
        if (timelineOut is { } to && to <= (timelineIn ?? 0))
            throw clip.Error("TimelineOut", $"must be greater than TimelineIn ({JsonObjectReader.Format(timelineIn ?? 0)})");
        if (duration is 0) throw clip.Error("Duration", "must be greater than 0");
        if (isStill && (@in is not null || @out is not null))
        {
            clip.Warn(@in is not null ? "In" : "Out", "images have no source time; use Duration or TimelineIn/TimelineOut");
        }
        if (isStill && clip.Has("Speed"))
            clip.Warn("Speed", "an image has no playback speed; Speed was ignored");
        if (maxOut is { } m && @out is null && !isStill && m <= (@in ?? 0))
            throw clip.Error("MaxOut", $"must be greater than In ({JsonObjectReader.Format(@in ?? 0)})");
        return new ClipTiming(@in, @out, timelineIn, timelineOut, duration, speed) { MaxOut = @out is null ? maxOut : null };
    }

    private static Placement ReadPlacement(JsonObjectReader clip)
    {
        Extent? Read(string name)
        {
            var v = clip.Number(name, 0, 8192);
            if (v is 0 && name is "Width" or "Height") throw clip.Error(name, "must be greater than 0");
            return v is { } x ? new Extent(x) : null;
        }
        var mode = clip.OneOf("AdaptMode", ["Contain", "Cover", "Fill"]);
        var (width, height) = (Read("Width"), Read("Height"));
        if (mode is not null && (width is null) != (height is null))
            clip.Warn("AdaptMode", $"applies only when both Width and Height are given; with only {(width is null ? "Height" : "Width")} the other side follows the clip's aspect and '{mode}' was ignored");
        return new Placement(Read("X"), Read("Y"), width, height, mode is null ? null : Enum.Parse<AdaptMode>(mode));
    }
}
