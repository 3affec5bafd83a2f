namespace RenderFarm.Core.Timelines;

public enum TextAlignment
{
    TopLeft, TopCenter, TopRight,
    CenterLeft, CenterCenter, CenterRight,
    BottomLeft, BottomCenter, BottomRight,
}

/// <summary>IMS AdaptMode for text: AutoWrap breaks lines to TextWidth, AutoScale shrinks the font to fit it.</summary>
public enum TextFit { None, AutoWrap, AutoScale }

/// <summary>SubtitleEffects Box: an opaque box behind the text.</summary>
public sealed record TextBox(Rgba Colour, double XBorder, double YBorder);

/// <summary>
/// The look of a text clip, IMS fields resolved to values. Colours carry their opacity.
/// X/Y follow the IMS rule (0..1 relative, above 1 pixels); with an Alignment they are margins
/// from the aligned edges. TextWidth: (0,1] relative, above 1 pixels.
/// </summary>
public sealed record TextStyle(
    string Font,
    double FontSize,
    Rgba FontColour,
    double Outline,
    Rgba OutlineColour,
    double Shadow,
    Rgba BackColour,
    TextAlignment Alignment,
    Extent X,
    Extent Y,
    TextFit Fit,
    double? TextWidth,
    bool Bold,
    bool Italic,
    bool Underline,
    double Spacing,
    double Angle,
    TextBox? Box)
{
    /// <summary>FontUrl: a font file fetched like media; it replaces <see cref="Font"/> when given.</summary>
    public string? FontUrl { get; init; }

    /// <summary>LineSpacing: extra pixels between the lines of a text.</summary>
    public double LineSpacing { get; init; }

    /// <summary>BorderStyle 3: each line on an opaque box in OutlineColour (padded by Outline) instead of an outline.</summary>
    public bool OpaqueBox { get; init; }

    /// <summary>SubtitleEffects Shadow: the shadow's offset in pixels (right, down); null: <see cref="Shadow"/> both ways.</summary>
    public ShadowOffset? ShadowOffset { get; init; }
}

public readonly record struct ShadowOffset(double X, double Y);

/// <summary>
/// Entry/exit animations (IMS AaiMotionInEffect / AaiMotionOutEffect) and their durations, and the loop
/// (AaiMotionLoopEffect) played between them at <see cref="LoopSpeed"/> times its own pace (IMS Ratio).
/// </summary>
public sealed record TextMotion(string? In, double InSeconds, string? Out, double OutSeconds)
{
    public static readonly TextMotion None = new(null, 0, null, 0);

    public string? Loop { get; init; }

    public double LoopSpeed { get; init; } = 1;
}

/// <summary>
/// A Type=Subtitle clip: a subtitle file (SRT or ASS) at FileURL whose cues play shifted by TimelineIn and cut at
/// TimelineOut. SRT cues take <see cref="Style"/>; an ASS file keeps its own styles.
/// </summary>
public sealed record SubtitleFileClip(string Path, string FileUrl, double TimelineIn, double? TimelineOut, TextStyle Style, TextMotion Motion);

/// <summary>
/// The banner Text effect of a video clip: drawn over the clip's span unless TimelineIn/TimelineOut (timeline
/// seconds) say otherwise. The clip's own TimelineIn/TimelineOut are placeholders resolved when scheduled.
/// </summary>
public sealed record BannerText(TextClip Text, double? TimelineIn, double? TimelineOut);

/// <summary>A Type=Text subtitle clip. A missing TimelineOut means "until the end of the timeline".</summary>
public sealed record TextClip(string Path, string Content, double TimelineIn, double? TimelineOut, TextStyle Style, TextMotion Motion)
{
    /// <summary>For captions with highlighting: how the marked key words in Content are drawn.</summary>
    public HighlightStyle? Highlight { get; init; }
}
