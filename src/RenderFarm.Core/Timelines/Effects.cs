namespace RenderFarm.Core.Timelines;

/// <summary>The audio effects a clip carries: Volume and AFade.</summary>
/// <param name="DuckDb">Duck effect: how far (dB) the clip goes down while the timeline's AI_TTS speech plays (0: not ducked).</param>
public sealed record AudioEffects(double Gain, double FadeInSeconds, double FadeOutSeconds, double DuckDb = 0)
{
    public static readonly AudioEffects None = new(1, 0, 0);
    public bool Muted => Gain == 0;
}

/// <summary>The effects a video or image clip carries.</summary>
public sealed record VideoEffects(
    AudioEffects Audio,
    Transition? Transition,
    BackgroundFill? Background,
    CropBox? Crop)
{
    public static readonly VideoEffects None = new(AudioEffects.None, null, null, null);

    /// <summary>AI_ASR: captions of the speech in the clip's sound.</summary>
    public CaptionEffect? Captions { get; init; }

    /// <summary>AI_Matting or AI_RealMatting: what makes part of the clip's picture transparent (null: opaque).</summary>
    public MattingEffect? Matting { get; init; }

    /// <summary>VFX and Filter effects on this clip, in array order; their times count from the clip's start.</summary>
    public IReadOnlyList<EffectTrackItem> FrameEffects { get; init; } = [];
    /// <summary>Banner Text effects: texts drawn over the clip's span.</summary>
    public IReadOnlyList<BannerText> Banners { get; init; } = [];

    /// <summary>Flip: the picture mirrored left-right and/or upside down.</summary>
    public Flip? Flip { get; init; }

    /// <summary>DeWatermark: regions of the source picture blurred (a logo or watermark made unreadable).</summary>
    public IReadOnlyList<RegionBox> BlurredRegions { get; init; } = [];

    /// <summary>KenBurns: a slow zoom over the clip's span.</summary>
    public KenBurns? KenBurns { get; init; }

    /// <summary>Scale: the size the clip's picture is drawn at (applied to the clip's placement when it gives no size).</summary>
    public ScaleBox? Scale { get; init; }

    /// <summary>Pad: the box the picture is fitted into, the rest filled with a colour (applied to the placement likewise).</summary>
    public PadBox? Pad { get; init; }
}

/// <summary>IMS Scale: Width and Height of the picture (relative/pixel rule against the output size).</summary>
public sealed record ScaleBox(Extent Width, Extent Height);

/// <summary>IMS Pad: the picture fitted (Contain) into a Width x Height box, the margin filled with <see cref="Colour"/>.</summary>
public sealed record PadBox(Extent Width, Extent Height, Rgba Colour);

/// <summary>IMS Flip: SubType Horizontal mirrors left-right, Vertical upside down.</summary>
public sealed record Flip(bool Horizontal, bool Vertical);

/// <summary>
/// KenBurns: the picture zooms from 1x to <see cref="MaxZoom"/> about its centre over the clip's span
/// (SubType ZoomIn), or back from <see cref="MaxZoom"/> to 1x (ZoomOut).
/// </summary>
public sealed record KenBurns(bool ZoomOut, double MaxZoom)
{
    public const double DefaultZoom = 1.25;
}

/// <summary>How a clip's picture is cut out so the tracks below show through. <see cref="Path"/> is the effect's JSON path.</summary>
public abstract record MattingEffect(string Path);

/// <summary>
/// IMS AI_Matting: a green or blue screen keyed out. <see cref="Colour"/> is the screen colour given
/// (Color: green = #00B140 and blue = #0047BB, the usual screen paints, or an explicit #RRGGBB);
/// with <see cref="Auto"/> the colour is estimated from the clip's border pixels instead, the given
/// colour only choosing which border pixels count. <see cref="Threshold"/> is IMS Thres, 0-100: how
/// far a colour may lie from the key colour and still be removed, in percent of the largest possible
/// chroma distance (ffmpeg chromakey similarity = Thres / 100, at least 0.01).
/// </summary>
public sealed record ChromaKey(string Path, Rgba Colour, bool Auto, double Threshold) : MattingEffect(Path)
{
    public const double DefaultThreshold = 10;
    public const double MaxThreshold = 100;
    public static readonly Rgba Green = new(0x00, 0xB1, 0x40);
    public static readonly Rgba Blue = new(0x00, 0x47, 0xBB);

    /// <summary>ffmpeg chromakey similarity for <see cref="Threshold"/>.</summary>
    public double Similarity => Math.Clamp(Threshold / MaxThreshold, 0.01, 1);
}

/// <summary>
/// IMS AI_RealMatting: the clip cut out along a person matte produced for it. <see cref="Threshold"/>
/// is IMS Thres on the matte's 0-255 scale: matte values up to it count as background, values above
/// it are stretched back to 0-255 (so edges stay soft).
/// </summary>
public sealed record PersonMatte(string Path, double Threshold) : MattingEffect(Path)
{
    public const double MaxThreshold = 254;
}

/// <summary>
/// A Transition effect on a clip: the transition from this clip into the next clip of the
/// same track. The two clips overlap by <see cref="Duration"/>. <see cref="Choices"/> holds the
/// IMS SubType names (a comma list or "random" expands to several; one is picked per render by seed).
/// </summary>
public sealed record Transition(string Path, IReadOnlyList<string> Choices, double Duration);

/// <summary>What fills the frame around a Contain-fitted clip: a blurred copy of the clip, or a colour.</summary>
public abstract record BackgroundFill;

/// <summary>IMS Background/Blur: Radius is a fraction (0..1) of the output's shorter side.</summary>
public sealed record BlurredBackground(double Radius) : BackgroundFill;

public sealed record ColourBackground(Rgba Colour) : BackgroundFill;

/// <summary>IMS Crop: a box in the source frame; extents follow the relative/pixel rule against the source size.</summary>
public sealed record CropBox(Extent X, Extent Y, Extent Width, Extent Height);

/// <summary>A colour with opacity; IMS writes "#RRGGBB" or "RRGGBB".</summary>
public readonly record struct Rgba(byte R, byte G, byte B, double Alpha = 1)
{
    public static bool TryParse(string text, out Rgba colour)
    {
        colour = default;
        var hex = text.StartsWith('#') ? text[1..] : text;
        if (hex.Length is not (6 or 8) || !hex.All(Uri.IsHexDigit)) return false;
        var r = Convert.ToByte(hex[..2], 16);
        var g = Convert.ToByte(hex[2..4], 16);
        var b = Convert.ToByte(hex[4..6], 16);
        var a = hex.Length == 8 ? Convert.ToByte(hex[6..8], 16) / 255.0 : 1;
        colour = new Rgba(r, g, b, a);
        return true;
    }

    public Rgba WithAlpha(double alpha) => this with { Alpha = alpha };
    public string Hex => $"{R:X2}{G:X2}{B:X2}";
}

/// <summary>
/// A whole-frame effect on an effect track between TimelineIn and TimelineOut
/// (IMS EffectTracks / VideoTracks with Type=Effect), or in a clip's Effects, where the times count
/// from the clip's start and a missing TimelineOut means the clip's end. <paramref name="Grade"/> is a Filter's ExtParams grading.
/// </summary>
public sealed record EffectTrackItem(string Path, string Type, string SubType, double TimelineIn, double? TimelineOut, RegionBox? Region, ColorGrade? Grade = null)
{
    /// <summary>The SubTypes a comma list or "random" allows; the scheduler picks one per render by seed (then SubType is that one).</summary>
    public IReadOnlyList<string> Choices { get; init; } = [SubType];
}

/// <summary>A region of the output frame, or of a clip's source picture for DeWatermark (relative/pixel rule against that size).</summary>
public sealed record RegionBox(Extent X, Extent Y, Extent Width, Extent Height);
