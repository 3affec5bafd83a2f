using RenderFarm.Core.Timelines;

namespace RenderFarm.TestSupport.Gallery;

/// <summary>
/// Every IMS transition name between the gallery clip and the other clip: the clip carries a 0.6 s
/// transition (three frames at the gallery's 5 fps) into the other one, so the transition runs from 1.4 s to
/// 2 s. The frame shown is a third of the way through, not half-way, where the symmetric shaders (circle, fadecolor, dreamyzoom) pass through one flat
/// colour and would look alike.
/// </summary>
public static class TransitionGallery
{
    public const string Catalog = "Transition";

    public static IReadOnlyList<GallerySample> Samples(GalleryMedia media) =>
        TransitionCatalog.ImsNames.Select(name => new GallerySample(Catalog, name, Between(media, name), 1.6)).ToList();

    private static string Between(GalleryMedia media, string name) => $$"""
        {"Timeline":{"VideoTracks":[{"VideoTrackClips":[
          {"MediaURL":"{{GalleryMedia.Json(media.Clip)}}","Effects":[{"Type":"Transition","SubType":"{{name}}","Duration":0.6}]},
          {"MediaURL":"{{GalleryMedia.Json(media.OtherClip)}}"}]}]},{{media.Output}}}
        """.Trim();
}
