namespace RenderFarm.Core.Timelines;

/// <summary>The EffectTrack VFX and Filter SubTypes the renderer draws.</summary>
public static class FrameEffectCatalog
{
    public static readonly string[] Types = ["VFX", "Filter"];

    private static readonly string[] Vfx = VfxCatalog.Names;

    public static string[] SubTypes(string type) => type == "VFX" ? Vfx : FilterCatalog.Names;

    /// <summary>SubTypes that act on a region (X/Y/Width/Height) instead of the whole frame.</summary>
    public static bool TakesRegion(string subType) => subType is "mosaic_rect" or "blur";
}
