namespace RenderFarm.Core.Timelines;

/// <summary>
/// The Filter SubTypes: the 58 names of IMS's filter examples (nine groups: 90s modern film m1-m8,
/// film pf1-pf12, infrared pi1-pi4, fresh pl1-pl4, Japanese pj1-pj4, Unsplash, 80s negative f1-f7,
/// travel pv1-pv6, 90s art film a1-a6), <c>color</c> (a grade made only of the item's ExtParams) and
/// <c>cool</c> (RenderFarm's own name from before the full list). IMS draws these with its own LUTs,
/// so each renders as the closest grade of the look its name describes; <see cref="Entries"/> says
/// which, and README's Filters table says the same (ReadmeTests keeps them in step).
/// </summary>
public static class FilterCatalog
{
    /// <summary>Grading by ExtParams alone: without them it would draw nothing, so it requires them.</summary>
    public const string Color = "color";

    public static readonly IReadOnlyList<(string Name, string Look)> Entries =
    [
        ("m1", "closest: 90s film, retro (warm, lifted blacks, muted)"),
        ("m2", "closest: 90s film, grey scale (flat monochrome)"),
        ("m3", "closest: 90s film, cyan (teal cast)"),
        ("m4", "closest: 90s film, blue tone"),
        ("m5", "closest: 90s film, dark red (dark, red shadows)"),
        ("m6", "closest: 90s film, dull (low contrast and saturation)"),
        ("m7", "closest: 90s film, grey orange (orange highlights, grey shadows)"),
        ("m8", "closest: 90s film, clear (bright, crisp)"),
        ("pf1", "closest: film, high key"),
        ("pf2", "closest: film, Fuji (green-cyan shadows, rich colour)"),
        ("pf3", "closest: film, warm tone"),
        ("pf4", "closest: film, Kodak (warm, saturated, contrasty)"),
        ("pf5", "closest: film, retro (sepia-leaning fade)"),
        ("pf6", "closest: film, slide film (high contrast and saturation)"),
        ("pf7", "closest: film, infrared (hue swap)"),
        ("pf8", "closest: film, Polaroid (faded, warm highlights, cyan shadows)"),
        ("pf9", "closest: film, Rollei (cool contrasty)"),
        ("pf10", "closest: film, industrial (desaturated, steel blue)"),
        ("pf11", "closest: film, grey scale (contrasty monochrome)"),
        ("pf12", "closest: film, white scale (bright monochrome)"),
        ("pi1", "closest: infrared, clear (pale infrared)"),
        ("pi2", "closest: infrared, dusk (magenta-orange infrared)"),
        ("pi3", "closest: infrared, autumn (gold-red foliage)"),
        ("pi4", "closest: infrared, dark (dark infrared)"),
        ("pl1", "closest: fresh, shadow (cool darkened)"),
        ("pl2", "closest: fresh, soft (lifted, light pastel)"),
        ("pl3", "closest: fresh, spring buds (green tint, bright)"),
        ("pl4", "closest: fresh, bright (brightened, airy)"),
        ("pj1", "closest: Japanese, little forest (green, soft)"),
        ("pj2", "closest: Japanese, childhood (warm faded)"),
        ("pj3", "closest: Japanese, afternoon (golden light)"),
        ("pj4", "closest: Japanese, flower mist (pink haze)"),
        ("delta", "closest: Unsplash Delta (cool, slightly contrasty)"),
        ("electric", "closest: Unsplash Electric (vivid, contrasty)"),
        ("faded", "closest: Unsplash Faded (washed out)"),
        ("slowlived", "closest: Unsplash Slow Lived (soft, muted, warm)"),
        ("tokoyo", "closest: Unsplash Tokyo (magenta-teal night)"),
        ("urbex", "closest: Unsplash Urbex (gritty, desaturated)"),
        ("warm", "closest: Unsplash Warm (warm tint)"),
        ("f1", "closest: 80s negative, Jeju island (sea-green cast)"),
        ("f2", "closest: 80s negative, snow mountain (cold, bright)"),
        ("f3", "closest: 80s negative, Budapest (pink-violet, faded)"),
        ("f4", "closest: 80s negative, blue frost"),
        ("f5", "closest: 80s negative, eucalyptus (olive green)"),
        ("f6", "closest: 80s negative, old street (brown, dark)"),
        ("f7", "closest: 80s negative, coffee (brown, warm)"),
        ("pv1", "closest: travel, texture (contrasty, desaturated)"),
        ("pv2", "closest: travel, sky colour (blue boost)"),
        ("pv3", "closest: travel, fresh (green-cyan, light)"),
        ("pv4", "closest: travel, haze (foggy, low contrast)"),
        ("pv5", "closest: travel, high key (very bright)"),
        ("pv6", "closest: travel, black and white (red-filter monochrome)"),
        ("a1", "closest: 90s art film, soft"),
        ("a2", "closest: 90s art film, dark (low key with vignette)"),
        ("a3", "closest: 90s art film, blue sky (cyan-blue)"),
        ("a4", "closest: 90s art film, blue light (deep blue)"),
        ("a5", "closest: 90s art film, vivid"),
        ("a6", "closest: 90s art film, matte (lifted blacks, flat)"),
        (Color, "own: the ExtParams grade alone (brightness, contrast, saturation, kelvin_temperature, dark_corner_ratio)"),
        ("cool", "own: cool tint (RenderFarm's name)"),
    ];

    public static readonly string[] Names = Entries.Select(e => e.Name).ToArray();
}
