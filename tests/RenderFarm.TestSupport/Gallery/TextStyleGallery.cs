using RenderFarm.Core.Timelines;

namespace RenderFarm.TestSupport.Gallery;

/// <summary>Every flower text (EffectColorStyle) and bubble text (BubbleStyleId) id as a banner Text effect on the gallery clip.</summary>
public static class TextStyleGallery
{
    public const string Catalog = "TextStyle";

    public static IReadOnlyList<GallerySample> Samples(GalleryMedia media) =>
        TextStyleCatalog.FlowerIds.Select(id => Sample(media, id, "EffectColorStyle"))
            .Concat(TextStyleCatalog.BubbleIds.Select(id => Sample(media, id, "BubbleStyleId")))
            .ToList();

    private static GallerySample Sample(GalleryMedia media, string id, string field) => new(Catalog, id, media.ClipWithEffects($$"""
        [{"Type":"Text","Content":"Hg","X":0.2,"Y":0.15,"FontSize":64,"{{field}}":"{{id}}"}]
        """), GalleryMedia.ClipSeconds / 2);
}
