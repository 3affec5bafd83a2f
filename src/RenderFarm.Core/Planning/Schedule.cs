using RenderFarm.Core.Timelines;

namespace RenderFarm.Core.Planning;

/// <summary>
/// A timeline with every clip placed on the output's frame grid: the input of the compiler and
/// of the segment planner. Frames are counted from the start of the timeline; audio stays in seconds.
/// </summary>
public sealed record Schedule(
    OutputFormat Output,
    long TotalFrames,
    IReadOnlyList<VideoLayer> Layers,
    IReadOnlyList<AudioSegment> Audio,
    IReadOnlyList<TextSegment> Texts,
    IReadOnlyList<FrameEffect> Effects)
{
    public double DurationSeconds => Output.FrameToSeconds(TotalFrames);

    /// <summary>Frame spans during which two clips blend; a segment cut must not fall strictly inside one.</summary>
    public IEnumerable<(long From, long To)> TransitionSpans =>
        Layers.Where(l => l.TransitionOut is not null).Select(l => (l.EndFrame - l.TransitionOut!.Frames, l.EndFrame));
}

/// <summary>
/// One visual clip on the frame grid. <see cref="Order"/> is its stacking position (tracks bottom to
/// top, clips in array order). <see cref="SourceStart"/> is the media time shown at StartFrame.
/// </summary>
public sealed record VideoLayer(
    VideoClip Clip,
    int TrackIndex,
    int Order,
    long StartFrame,
    long EndFrame,
    double SourceStart,
    double Speed,
    MediaFacts Media,
    LayerTransition? TransitionOut)
{
    public long FrameCount => EndFrame - StartFrame;

    /// <summary>The clip's own VFX/Filter effects: drawn on this layer's frames before the layers above it.</summary>
    public IReadOnlyList<FrameEffect> Effects { get; init; } = [];

    /// <summary>
    /// An animated image (DyncFrames on a file with several frames): its first this many frames loop at the
    /// file's own timing, the frame shown being a function of the time since <see cref="StartFrame"/> only.
    /// Null: the clip is a still or a video.
    /// </summary>
    public int? AnimationFrames { get; init; }
}

/// <summary>A transition from a layer into the next layer of its track, blended over the last <see cref="Frames"/> frames
/// by the xfade transition <see cref="Xfade"/> (with <see cref="Expression"/> when that is "custom"; <see cref="Mask"/>
/// when that expression only weighs the two pictures per pixel), or an overlay whose y is <see cref="Expression"/>.</summary>
public sealed record LayerTransition(string ImsName, string Xfade, long Frames, string? Expression = null, bool Mask = false);

/// <summary>One audio source placed on the timeline (seconds). <see cref="LoopLength"/> is set for looped clips.</summary>
public sealed record AudioSegment(
    string Path,
    string MediaUrl,
    double TimelineStart,
    double Duration,
    double SourceStart,
    double Speed,
    AudioEffects Effects,
    double? LoopLength,
    bool IsSpeech = false);

public sealed record TextSegment(TextClip Clip, double Start, double End);

public sealed record FrameEffect(EffectTrackItem Item, long StartFrame, long EndFrame);
