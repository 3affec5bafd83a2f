using RenderFarm.Core.Timelines;
using static RenderFarm.Media.Compilation.FilterGraphText;

namespace RenderFarm.Media.Matting;

/// <summary>
/// The filters that give a clip's picture its transparency, before it is cropped and fitted:
/// a colour key for AI_Matting and the threshold applied to a person matte for AI_RealMatting.
/// </summary>
internal static class MattingFilters
{
    /// <summary>
    /// Key colour distance (chromakey's 0..1 scale) over which a colour fades from transparent to
    /// opaque beyond the similarity: soft edges without eating into the foreground (a neutral grey
    /// lies about 0.2 from a green-screen green).
    /// </summary>
    public const double Blend = 0.05;

    /// <summary>
    /// Chroma key, then spill suppression. Keying runs in 4:4:4 so the alpha follows full-resolution
    /// chroma (interpolated) instead of 2x2 blocks. despill only works on RGB; it pulls the screen's
    /// colour out of edges and reflections (green above the mean of red and blue is cut back to it),
    /// and is skipped for a key colour that is neither green nor blue.
    /// </summary>
    public static IEnumerable<string> ChromaKey(Rgba key, double similarity)
    {
        yield return "format=yuva444p";
        yield return Filter("chromakey", ("color", "0x" + key.Hex), ("similarity", similarity), ("blend", Blend));
        if (SpillType(key) is { } type)
        {
            yield return "format=gbrap";
            yield return Filter("despill", ("type", type));
            yield return "format=yuva444p";
        }
    }

    /// <summary>despill's screen type for a key colour: the dominant channel, when that is green or blue.</summary>
    internal static string? SpillType(Rgba key) =>
        key.G > key.R && key.G >= key.B ? "green"
        : key.B > key.R && key.B > key.G ? "blue"
        : null;

    /// <summary>
    /// A person matte as an alpha plane of the source's size: grey (a colour matte gives its luma),
    /// values up to <paramref name="threshold"/> made 0 and the rest stretched back to 0..255.
    /// </summary>
    public static IEnumerable<string> Matte(double threshold, int sourceWidth, int sourceHeight)
    {
        yield return "format=gray";
        if (threshold > 0)
        {
            var t = Number(threshold);
            yield return Filter("lut", ("c0", $"clip((val-{t})*255/(255-{t}),0,255)"));
        }
        yield return Filter("scale", ("w", sourceWidth), ("h", sourceHeight));
    }
}
