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
    TextBox? Box);

/// <summary>Entry/exit animations (IMS AaiMotionInEffect / AaiMotionOutEffect) and their durations.</summary>
public sealed record TextMotion(string? In, double InSeconds, string? Out, double OutSeconds)
{
    public static readonly TextMotion None = new(null, 0, null, 0);
}

/// <summary>A Type=Text subtitle clip. A missing TimelineOut means "until the end of the timeline".</summary>
public sealed record TextClip(string Path, string Content, double TimelineIn, double? TimelineOut, TextStyle Style, TextMotion Motion)
{
    /// <summary>For captions with highlighting: how the marked key words in Content are drawn.</summary>
    public HighlightStyle? Highlight { get; init; }
}
