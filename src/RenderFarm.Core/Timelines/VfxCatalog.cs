namespace RenderFarm.Core.Timelines;

/// <summary>
/// Every VFX SubType the IMS effect examples document (basics, atmosphere, dynamic, light, retro,
/// dreamy, nature, split screen, colour, deform) and how RenderFarm draws it: "own" where an ffmpeg
/// filter chain draws the effect itself, "closest: ..." where IMS draws something ffmpeg cannot
/// (sprites, particle systems) and the named stand-in is used. The README's VFX table is checked
/// against this one by a test; the Media project holds one filter chain per name.
/// </summary>
public static class VfxCatalog
{
    private static readonly (string Name, string Look)[] Table =
    [
        // Basics
        ("open", "own"),
        ("close", "own"),
        ("h_blur", "own"),
        ("v_blur", "own"),
        ("blur", "own"),
        ("slightshake", "own"),
        ("zoominout", "own"),
        ("movie", "own"),
        ("zoomslight", "own"),
        ("zoom", "own"),
        ("color_difference", "own"),
        ("withcircleopen", "own"),
        ("withcircleclose", "own"),
        ("withcircleshake", "own"),
        ("withcircleflashlight", "own"),
        ("disappear", "own"),
        ("shock", "own"),
        ("bluropen", "own"),
        ("blurclose", "own"),
        ("photograph", "own"),
        ("black", "own"),
        ("blurring", "own"),
        ("color_to_grey", "own"),
        ("grey_to_color", "own"),
        ("slightrectshow", "own"),
        ("slightshow", "own"),
        ("wipecross", "own"),
        ("whiteshow", "own"),
        ("image_in_image", "own"),
        // Atmosphere
        ("colorfulradial", "closest: rainbow rays drawn as coloured angular bands"),
        ("colorfulstarry", "closest: coloured twinkling dots on a darkened picture"),
        ("flyfire", "closest: rising warm dots on a darkened picture"),
        ("heartfireworks", "closest: pink bursting dots"),
        ("meteorshower", "closest: diagonal light streaks"),
        ("moons_and_stars", "closest: a glowing moon disc and stars on a night grade"),
        ("sparklestarfield", "closest: dots rushing out from the centre"),
        ("spotfall", "closest: large soft light spots falling"),
        ("starexplosion", "closest: a widening ring of light dots"),
        ("starry", "closest: small white twinkling dots"),
        // Dynamic
        ("white", "own"),
        ("minus_glitter", "own"),
        ("jitter", "own"),
        ("soulout", "own"),
        ("scanlight", "own"),
        ("swing", "own"),
        ("heartbeat", "own"),
        ("flashingscreen", "own"),
        ("illusion", "closest: a blurred, hue-turning ghost over the picture"),
        ("segmentation", "own"),
        ("neolighting", "closest: glowing neon edges"),
        ("curl", "closest: a wave warp rolling across the picture"),
        ("shine", "own"),
        ("smalljitter", "own"),
        ("flashinglight", "own"),
        ("windowblur", "own"),
        ("windowblur2", "own"),
        ("kaleidoscope", "own"),
        // Light and shadow
        ("moon_projection", "closest: a bright disc of light cast on a darkened picture"),
        ("star_projection", "closest: a cross-shaped light cast on a darkened picture"),
        ("heart_projection", "closest: a heart-shaped pink light cast on a darkened picture"),
        ("sunset_projection", "closest: a warm orange gradient light from the top"),
        ("carwindow_projection", "closest: window-frame shadow bars sliding across"),
        ("shinningstar_light", "closest: a twinkling cross flare"),
        ("anglelight", "closest: a slanted beam of light from the top corner"),
        ("darknight_rainbow", "closest: a rainbow arc on a night grade"),
        ("fallingcircle", "closest: soft circles of light fading in and out"),
        ("lightcenter", "own"),
        ("lightsweep", "own"),
        ("moon", "closest: an eclipse shadow moving over a bright disc"),
        ("rotationspotlight", "own"),
        // Retro
        ("blackwhitetv", "own"),
        ("edgescan", "own"),
        ("oldtv", "own"),
        ("oldtvshine", "own"),
        ("nightvision", "own"),
        ("tvshow", "own"),
        // Dreamy
        ("colorfulsun", "closest: a rainbow-ringed sun glow"),
        ("bigsun", "closest: a large warm sun glow in the corner"),
        ("fallingheart", "closest: falling pink dots on a pink grade"),
        ("colorfulfireworks", "closest: coloured dot bursts on a darkened picture"),
        ("heartshot", "closest: a pulsing pink glow from the centre"),
        ("starfieldshinee", "closest: slowly twinkling star dots"),
        ("starfieldshinee2", "closest: fast twinkling star dots"),
        ("fireworks", "closest: a golden dot burst on a night grade"),
        ("heartsurround", "closest: a ring of pink dots around the centre"),
        ("risingheartbubble", "closest: rising pink bubbles"),
        ("starfield", "closest: star dots streaming out from the centre on black"),
        ("colorfulripples", "closest: coloured concentric ripples"),
        ("colorfulbubbles", "closest: rising coloured bubbles"),
        ("heartbubbleshinee", "closest: twinkling pink bubbles"),
        ("starsparkle", "closest: golden sparkles"),
        // Nature
        ("rainy", "closest: fine rain streaks on a cool grade"),
        ("waterripple", "own"),
        ("snow", "closest: falling white dots"),
        ("foggy", "own"),
        ("meteor", "closest: heavy rain streaks on a dark grade"),
        ("stormlaser", "closest: lightning flashes on a dark blue grade"),
        ("simpleripple", "own"),
        ("fadeshadow", "closest: dark smoke rising from the bottom"),
        // Split screen
        ("marquee", "own"),
        ("livesplit", "own"),
        ("splitstill2", "own"),
        ("splitstill3", "own"),
        ("splitstill4", "own"),
        ("splitstill9", "own"),
        ("splitstill6", "own"),
        ("blackwhitesplit", "own"),
        ("blurthreesplit", "own"),
        // Colour
        ("colorful", "own"),
        ("blackfade", "own"),
        ("rainbowfilter", "own"),
        ("movingrainbow", "own"),
        ("discolights", "own"),
        // Deform
        ("fisheye", "own"),
        ("mosaic_rect", "own"),
        ("glass", "own"),
        ("planet", "own"),
    ];

    public static readonly string[] Names = Table.Select(e => e.Name).ToArray();

    /// <summary>Each name with "own" or "closest: what is drawn instead".</summary>
    public static IReadOnlyList<(string Name, string Look)> Entries => Table;
}
