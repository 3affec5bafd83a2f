namespace RenderFarm.Core.Timelines;

/// <summary>
/// An IMS Timeline after parsing: tracks stack in array order (the first video track is the
/// bottom layer). Every clip keeps the JSON path it came from so later stages can name it.
/// </summary>
public sealed record Timeline(
    IReadOnlyList<VideoTrack> VideoTracks,
    IReadOnlyList<AudioTrack> AudioTracks,
    IReadOnlyList<SubtitleTrack> SubtitleTracks,
    IReadOnlyList<EffectTrackItem> EffectItems)
{
    /// <summary>The JSON path of the Timeline object itself ("" for a bare timeline, "Timeline" inside a request).</summary>
    public string Path { get; init; } = "";

    public string FieldPath(string name) => Path.Length == 0 ? name : $"{Path}.{name}";
}

public sealed record VideoTrack(string Path, bool MainTrack, IReadOnlyList<VideoClip> Clips)
{
    /// <summary>TrackShortenMode / TrackExpandMode: how the track meets the main track's length.</summary>
    public TrackFit Fit { get; init; } = TrackFit.None;
}

public sealed record AudioTrack(string Path, bool MainTrack, IReadOnlyList<AudioClip> Clips)
{
    /// <summary>TrackShortenMode / TrackExpandMode: how the track meets the main track's length.</summary>
    public TrackFit Fit { get; init; } = TrackFit.None;
}

/// <summary>
/// IMS TrackShortenMode / TrackExpandMode = AutoSpeed: a track longer than the main track is sped up
/// (<see cref="SpeedUp"/>), a shorter one slowed down (<see cref="SlowDown"/>), so that it ends with the
/// main track. Otherwise a longer track is cut at the main track's end and a shorter one ends early.
/// </summary>
public sealed record TrackFit(bool SpeedUp, bool SlowDown)
{
    public static readonly TrackFit None = new(false, false);
}

public sealed record SubtitleTrack(string Path, IReadOnlyList<TextClip> Clips)
{
    /// <summary>The track's Type=Subtitle clips (subtitle files), read when the timeline is prepared.</summary>
    public IReadOnlyList<SubtitleFileClip> Files { get; init; } = [];
}

public enum VideoClipType { Video, Image, GlobalImage }

/// <summary>How a clip fits its box: Contain letterboxes, Cover fills and crops, Fill stretches.</summary>
public enum AdaptMode { Contain, Cover, Fill }

/// <summary>
/// An IMS placement value: 0..1 is a fraction of the output width/height, above 1 a pixel count
/// (the IMS rule for X, Y, Width and Height).
/// </summary>
public readonly record struct Extent(double Value)
{
    public bool IsRelative => Value <= 1;
    public double ToPixels(int outputSize) => IsRelative ? Value * outputSize : Value;
}

/// <summary>
/// Where a visual clip goes. Null means "not given": without Width and Height the clip fits the
/// whole frame; with one of them the other follows the clip's aspect. AdaptMode applies to the box
/// (IMS default Fill when both Width and Height are given, Contain for the whole frame).
/// </summary>
public sealed record Placement(Extent? X, Extent? Y, Extent? Width, Extent? Height, AdaptMode? AdaptMode)
{
    public static readonly Placement FullFrame = new(null, null, null, null, null);
}

/// <summary>The timing fields shared by media clips, as written (seconds).</summary>
public sealed record ClipTiming(double? In, double? Out, double? TimelineIn, double? TimelineOut, double? Duration, double Speed)
{
    /// <summary>
    /// IMS MaxOut: a video or audio clip ends at the smaller of the media's length and MaxOut (an Out
    /// given wins); an image is shown at most MaxOut seconds.
    /// </summary>
    public double? MaxOut { get; init; }

    public static readonly ClipTiming Default = new(null, null, null, null, null, 1);
}

public sealed record VideoClip(
    string Path,
    VideoClipType Type,
    string MediaUrl,
    ClipTiming Timing,
    Placement Placement,
    string? ClipId,
    string? ReferenceClipId,
    VideoEffects Effects)
{
    /// <summary>IMS Opacity, 0 (invisible) to 1 (opaque): how much of the layers below shows through the clip.</summary>
    public double Opacity { get; init; } = 1;

    /// <summary>
    /// IMS DyncFrames of an Image clip: how many frames of its animated file loop (at most
    /// <see cref="AnimatedImages.MaxLoopFrames"/>); null: the image is a still.
    /// </summary>
    public int? DyncFrames { get; init; }
}

/// <summary>An audio clip: media, or (with <see cref="Speech"/>) an AI_TTS voice-over whose MediaUrl stands for the synthesized sound.</summary>
public sealed record AudioClip(
    string Path,
    string MediaUrl,
    ClipTiming Timing,
    string? ClipId,
    string? ReferenceClipId,
    bool Loop,
    AudioEffects Effects)
{
    /// <summary>AI_TTS: the text to speak.</summary>
    public SpeechContent? Speech { get; init; }

    /// <summary>AI_ASR: captions of what the clip says.</summary>
    public CaptionEffect? Captions { get; init; }
}
