using RenderFarm.Core.Timelines;

namespace RenderFarm.Core.Planning;

/// <summary>A rectangle in output pixels; sizes are even so 4:2:0 frames divide cleanly.</summary>
public readonly record struct PixelBox(int X, int Y, int Width, int Height)
{
    public bool Covers(int width, int height) => X <= 0 && Y <= 0 && X + Width >= width && Y + Height >= height;
}

/// <summary>A source crop in source pixels.</summary>
public readonly record struct SourceCrop(int X, int Y, int Width, int Height);

/// <summary>
/// Where and how big a layer is drawn. <see cref="Box"/> is the clip's area on the output;
/// <see cref="Content"/> is the scaled picture's size inside it (smaller for Contain).
/// <see cref="Opaque"/>: the layer paints every pixel of its box (never with AI_Matting/AI_RealMatting, a source with alpha or an Opacity below 1).
/// </summary>
public sealed record LayerGeometry(PixelBox Box, AdaptMode Mode, int ContentWidth, int ContentHeight, SourceCrop? Crop, bool Opaque)
{
    public bool FullFrame(OutputFormat output) => Box.Covers(output.Width, output.Height) && Opaque;

    /// <summary>Computes the geometry of a clip (pure): crop first, then box, then fit.</summary>
    public static LayerGeometry Of(VideoClip clip, MediaFacts media, OutputFormat output)
    {
        var crop = CropOf(clip.Effects.Crop, media);
        double sourceW = crop?.Width ?? media.Width, sourceH = crop?.Height ?? media.Height;
        var aspect = sourceH <= 0 ? 1 : sourceW / sourceH;
        var p = clip.Placement;

        double w, h;
        AdaptMode mode;
        if (p.Width is null && p.Height is null)
        {
            (w, h, mode) = (output.Width, output.Height, p.AdaptMode ?? AdaptMode.Contain);
        }
        else
        {
            w = p.Width?.ToPixels(output.Width) ?? p.Height!.Value.ToPixels(output.Height) * aspect;
            h = p.Height?.ToPixels(output.Height) ?? w / aspect;
            mode = p.Width is not null && p.Height is not null ? p.AdaptMode ?? AdaptMode.Fill : AdaptMode.Fill;
        }
        var x = p.X?.ToPixels(output.Width) ?? 0;
        var y = p.Y?.ToPixels(output.Height) ?? 0;
        var box = new PixelBox(EvenPixels.Nearest(x), EvenPixels.Nearest(y), Math.Max(2, EvenPixels.Nearest(w)), Math.Max(2, EvenPixels.Nearest(h)));

        var (cw, ch) = (box.Width, box.Height);
        if (mode == AdaptMode.Contain)
        {
            var scale = Math.Min(box.Width / sourceW, box.Height / sourceH);
            (cw, ch) = (Math.Min(box.Width, Math.Max(2, EvenPixels.Nearest(sourceW * scale))), Math.Min(box.Height, Math.Max(2, EvenPixels.Nearest(sourceH * scale))));
        }
        var opaqueBackground = clip.Effects.Background switch
        {
            BlurredBackground => true,
            ColourBackground colour => colour.Colour.Alpha >= 1,
            _ => false,
        };
        // A keyed or matted picture is see-through wherever its key or matte says so, a picture with alpha (a logo) wherever it says so.
        var opaque = clip.Effects.Matting is null && !media.HasAlpha && clip.Opacity >= 1 && (mode != AdaptMode.Contain || opaqueBackground || (cw == box.Width && ch == box.Height));
        return new LayerGeometry(box, mode, cw, ch, crop, opaque);
    }

    /// <summary>
    /// The crop in source pixels, clamped into the source: a box reaching past an edge keeps the part
    /// inside, and one starting beyond an edge becomes the last 2 pixels there (never an error).
    /// </summary>
    private static SourceCrop? CropOf(CropBox? crop, MediaFacts media)
    {
        if (crop is null) return null;
        var (mw, mh) = (Math.Max(2, media.Width), Math.Max(2, media.Height));
        var x = Math.Clamp((int)Math.Round(crop.X.ToPixels(mw)), 0, mw - 2);
        var y = Math.Clamp((int)Math.Round(crop.Y.ToPixels(mh)), 0, mh - 2);
        var w = EvenPixels.Down(Math.Clamp((int)Math.Round(crop.Width.ToPixels(mw)), 2, mw - x));
        var h = EvenPixels.Down(Math.Clamp((int)Math.Round(crop.Height.ToPixels(mh)), 2, mh - y));
        return new SourceCrop(x, y, w, h);
    }
}
