using RenderFarm.Core.Timelines;

namespace RenderFarm.TestSupport.Gallery;

/// <summary>Every Filter SubType on an effect track over the whole gallery clip (the frame at 1 s).</summary>
public static class FilterGallery
{
    public const string Catalog = "Filter";

    /// <summary>What <c>color</c> shows: it draws only its ExtParams.</summary>
    public const string ColorExtParams = "brightness=40,saturation=-60,kelvin_temperature=3000,dark_corner_ratio=60";

    public static IReadOnlyList<GallerySample> Samples(GalleryMedia media) =>
        [.. FilterCatalog.Names.Select(name => new GallerySample(Catalog, name, Request(media, name, name == FilterCatalog.Color ? ColorExtParams : null), GalleryMedia.ClipSeconds / 2))];

    /// <summary>The gallery clip with one Filter item (and its ExtParams, if any) on an effect track.</summary>
    public static string Request(GalleryMedia media, string subType, string? extParams = null)
    {
        var ext = extParams is null ? "" : $",\"ExtParams\":\"{GalleryMedia.Json(extParams)}\"";
        return $$"""
            {"Timeline":{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"{{GalleryMedia.Json(media.Clip)}}"}]}],
             "EffectTracks":[{"EffectTrackItems":[{"Type":"Filter","SubType":"{{subType}}"{{ext}}}]}]},{{media.Output}}}
            """;
    }
}
