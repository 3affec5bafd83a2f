using RenderFarm.Core.Timelines;

namespace RenderFarm.TestSupport.Gallery;

/// <summary>
/// Every IMS text entrance and exit name on a short text over the gallery clip, shown at 0.5 s, half-way
/// through its motion: a 1 s entrance on a text shown from 0 to 2 s, or a 1 s exit on a text shown from 0 to 1 s.
/// Loops play on a text shown from 0 to 2 s, seen at 0.2 s, inside their first period (normal_display draws
/// the text still, as the plain sample does, so it has no sample).
/// </summary>
public static class TextMotionGallery
{
    public const string Catalog = "TextMotion";

    public static IReadOnlyList<GallerySample> Samples(GalleryMedia media) =>
    [
        .. TextMotionCatalog.InNames.Select(name => new GallerySample(Catalog, name, WithText(media, 2, $",\"AaiMotionInEffect\":\"{name}\",\"AaiMotionIn\":1"), 0.5)),
        .. TextMotionCatalog.OutNames.Select(name => new GallerySample(Catalog, name, WithText(media, 1, $",\"AaiMotionOutEffect\":\"{name}\",\"AaiMotionOut\":1"), 0.5)),
        .. TextMotionCatalog.LoopNames.Where(name => name != "normal_display")
            .Select(name => new GallerySample(Catalog, name, WithText(media, 2, $",\"AaiMotionLoopEffect\":\"{name}\""), 0.2)),
    ];

    /// <summary>The text with no motion over the clip: what a motion changes.</summary>
    public static GallerySample Still(GalleryMedia media) => new(Catalog, "(none)", WithText(media, 2, ""), 0.5);

    private static string WithText(GalleryMedia media, int timelineOut, string motion) => $$"""
        {"Timeline":{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"{{GalleryMedia.Json(media.Clip)}}"}]}],
         "SubtitleTracks":[{"SubtitleTrackClips":[{"Type":"Text","Content":"Gallery","TimelineIn":0,"TimelineOut":{{timelineOut}},
           "Alignment":"CenterCenter","FontSize":40,"FontColor":"#FFFF00","Outline":2,"OutlineColour":"#000000"{{motion}}}]}]},
         {{media.Output}}}
        """.Trim();
}
