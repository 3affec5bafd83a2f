using RenderFarm.Core.Timelines;

namespace RenderFarm.TestSupport.Gallery;

/// <summary>One sample per VFX SubType: the effect on the gallery clip (its whole span), seen halfway through.</summary>
public static class VfxGallery
{
    public static IReadOnlyList<GallerySample> Samples(GalleryMedia media) =>
        VfxCatalog.Names
            .Select(name => new GallerySample("VFX", name, media.ClipWithEffects($$"""[{"Type":"VFX","SubType":"{{name}}"}]"""), GalleryMedia.ClipSeconds / 2))
            .ToList();
}
