using System.Globalization;

namespace RenderFarm.TestSupport.Gallery;

/// <summary>
/// One catalog name shown on the gallery clip: a whole SubmitMediaProducingJob body
/// ({"Timeline":...,"OutputMediaConfig":...}) and the moment (seconds) where the name is mid-effect.
/// </summary>
public sealed record GallerySample(string Catalog, string Name, string RequestJson, double AtSeconds);

/// <summary>
/// The media every gallery sample uses: <see cref="Clip"/> is the 2 s test clip (a moving colour
/// pattern), <see cref="OtherClip"/> a different 2 s clip (the incoming side of a transition), and
/// <see cref="Photo"/> a still photograph. <see cref="Output"/> is the OutputMediaConfig every sample
/// renders to, so all frames of a catalog compare pixel for pixel.
/// </summary>
public sealed record GalleryMedia(string Directory, string Clip, string OtherClip, string Photo, int Width, int Height, int Fps)
{
    public const double ClipSeconds = 2;

    /// <summary>Makes the clips in <paramref name="directory"/> (once: existing files are reused).</summary>
    public static GalleryMedia Create(string directory, int width = 192, int height = 128, int fps = 5)
    {
        var media = new TestMedia(directory);
        string Once(string name, Func<string> make) => File.Exists(Path.Combine(media.Directory, name)) ? Path.Combine(media.Directory, name) : make();
        var clip = Once($"gallery-{width}x{height}.mp4", () => media.PatternVideo($"gallery-{width}x{height}.mp4", ClipSeconds, width, height, fps));
        var other = Once($"gallery-other-{width}x{height}.mp4", () =>
        {
            var path = Path.Combine(media.Directory, $"gallery-other-{width}x{height}.mp4");
            Tool.Ffmpeg("-f", "lavfi", "-i", $"mandelbrot=s={width}x{height}:r={fps}", "-t", ClipSeconds.ToString(CultureInfo.InvariantCulture),
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", path);
            return path;
        });
        var photo = Once($"gallery-photo-{width}x{height}.png", () =>
        {
            var path = Path.Combine(media.Directory, $"gallery-photo-{width}x{height}.png");
            Tool.Ffmpeg("-i", Photos.Astronaut(), "-vf", $"scale={width}:{height}:force_original_aspect_ratio=increase,crop={width}:{height}", "-frames:v", "1", path);
            return path;
        });
        return new GalleryMedia(media.Directory, clip, other, photo, width, height, fps);
    }

    /// <summary>The OutputMediaConfig JSON member every sample uses.</summary>
    public string Output => $$"""
        "OutputMediaConfig":{"Width":{{Width}},"Height":{{Height}},"Fps":{{Fps}}}
        """.Trim();

    /// <summary>A request with one 2 s video track clip of <see cref="Clip"/> carrying <paramref name="effectsJson"/> (a JSON array).</summary>
    public string ClipWithEffects(string effectsJson) => $$"""
        {"Timeline":{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"{{Json(Clip)}}","Effects":{{effectsJson}}}]}]},{{Output}}}
        """.Trim();

    /// <summary>The plain clip: what every sample is compared against.</summary>
    public GallerySample Baseline(string catalog) => new(catalog, "(none)", ClipWithEffects("[]"), ClipSeconds / 2);

    public static string Json(string text) => text.Replace("\\", "\\\\").Replace("\"", "\\\"");
}

/// <summary>Every catalog the gallery shows; each catalog's samples come from its own class.</summary>
public static class GalleryCatalogs
{
    public static readonly IReadOnlyList<(string Catalog, Func<GalleryMedia, IReadOnlyList<GallerySample>> Samples)> All =
    [
        ("VFX", VfxGallery.Samples),
        (FilterGallery.Catalog, FilterGallery.Samples),
        (TransitionGallery.Catalog, TransitionGallery.Samples),
        (TextMotionGallery.Catalog, TextMotionGallery.Samples),
        (TextStyleGallery.Catalog, TextStyleGallery.Samples),
    ];
}
