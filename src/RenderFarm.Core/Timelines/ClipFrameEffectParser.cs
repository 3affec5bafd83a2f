using RenderFarm.Core.Json;

namespace RenderFarm.Core.Timelines;

/// <summary>
/// Reads the effects that change a clip's picture or box: Scale, Pad, Flip, DeWatermark (region blur) and
/// KenBurns. Scale and Pad become the clip's placement (<see cref="Place"/>); the others are drawn by the compiler.
/// </summary>
internal sealed class ClipFrameEffectParser(Func<JsonObjectReader, string, bool> isFirst)
{
    public static readonly string[] Types = ["Scale", "Pad", "Flip", "DeWatermark", "KenBurns"];

    /// <summary>At most this many DeWatermark regions per clip (each is a crop, a blur and an overlay).</summary>
    public const int MaxBlurRegions = 8;

    private Flip? _flip;
    private KenBurns? _kenBurns;
    private ScaleBox? _scale;
    private PadBox? _pad;
    private IReadOnlyList<RegionBox> _regions = [];

    public void Read(JsonObjectReader effect, string type)
    {
        switch (type)
        {
            case "Flip":
                var direction = effect.OneOf("SubType", ["Horizontal", "Vertical"]) ?? "Horizontal";
                if (isFirst(effect, "Flip")) _flip = new Flip(direction == "Horizontal", direction == "Vertical");
                break;
            case "KenBurns":
                var zoomOut = (effect.OneOf("SubType", ["ZoomIn", "ZoomOut"]) ?? "ZoomIn") == "ZoomOut";
                var zoom = effect.Number("Zoom", 1.01, 4) ?? KenBurns.DefaultZoom;
                if (isFirst(effect, "KenBurns")) _kenBurns = new KenBurns(zoomOut, zoom);
                break;
            case "Scale":
                var scale = new ScaleBox(Size(effect, "Width"), Size(effect, "Height"));
                if (isFirst(effect, "Scale")) _scale = scale;
                break;
            case "Pad":
                var text = effect.String("Color") ?? "#000000";
                if (!Rgba.TryParse(text, out var colour))
                    throw effect.Error("Color", $"must be a colour like #RRGGBB (got '{JsonObjectReader.Excerpt(text)}')");
                var pad = new PadBox(Size(effect, "Width"), Size(effect, "Height"), colour);
                if (isFirst(effect, "Pad")) _pad = pad;
                break;
            case "DeWatermark":
                var regions = ReadRegions(effect);
                if (isFirst(effect, "DeWatermark")) _regions = regions;
                break;
        }
    }

    public VideoEffects Apply(VideoEffects effects) => effects with
    {
        Flip = _flip, KenBurns = _kenBurns, Scale = _scale, Pad = _pad, BlurredRegions = _regions,
    };

    /// <summary>
    /// The clip's placement with its Scale or Pad box: Scale gives the picture's size (stretched, like Width and
    /// Height), Pad a box the picture is fitted into with the pad colour around it. A clip that gives its own
    /// Width or Height keeps them (reported).
    /// </summary>
    public static (Placement Placement, VideoEffects Effects) Place(JsonObjectReader clip, Placement placement, VideoEffects effects)
    {
        if (effects.Scale is null && effects.Pad is null) return (placement, effects);
        if (placement.Width is not null || placement.Height is not null)
        {
            clip.Warn("Effects", "the clip gives its own Width/Height, so its Scale/Pad effect was ignored");
            return (placement, effects);
        }
        if (effects.Pad is { } pad)
            return (placement with { Width = pad.Width, Height = pad.Height, AdaptMode = AdaptMode.Contain },
                effects.Background is null ? effects with { Background = new ColourBackground(pad.Colour) } : effects);
        return (placement with { Width = effects.Scale!.Width, Height = effects.Scale.Height, AdaptMode = AdaptMode.Fill }, effects);
    }

    private static Extent Size(JsonObjectReader effect, string name)
    {
        var value = effect.Number(name, 0, 8192) ?? throw effect.Error(name, "is required");
        return value > 0 ? new Extent(value) : throw effect.Error(name, "must be greater than 0");
    }

    /// <summary>DeWatermark regions: Boxes [{X, Y, Width, Height}], or one box given on the effect itself.</summary>
    private static IReadOnlyList<RegionBox> ReadRegions(JsonObjectReader effect)
    {
        effect.Accept("SubType"); // e.g. Delogo_Blur: blurring is the only look
        var boxes = effect.Objects("Boxes");
        var readers = boxes.Count > 0 ? boxes : [effect];
        if (readers.Count > MaxBlurRegions) throw effect.Error("Boxes", $"at most {MaxBlurRegions} regions are allowed (got {readers.Count})");
        return readers.Select(b =>
        {
            var w = b.Number("Width", 0, 8192) ?? throw b.Error("Width", "is required");
            var h = b.Number("Height", 0, 8192) ?? throw b.Error("Height", "is required");
            if (w == 0) throw b.Error("Width", "must be greater than 0");
            if (h == 0) throw b.Error("Height", "must be greater than 0");
            return new RegionBox(new Extent(b.Number("X", 0, 8192) ?? 0), new Extent(b.Number("Y", 0, 8192) ?? 0), new Extent(w), new Extent(h));
        }).ToList();
    }
}
