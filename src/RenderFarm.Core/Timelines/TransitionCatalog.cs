using static RenderFarm.Core.Timelines.TransitionExpressions;

namespace RenderFarm.Core.Timelines;

/// <summary>One IMS transition: the ffmpeg xfade transition it renders as ("custom" with an
/// <see cref="Expression"/> for the GLSL-only ones, or "overlay" with the outgoing picture's y expression for a
/// move of the whole picture) and whether that is its own look or the closest one.</summary>
public sealed record TransitionLook(string Ims, string Xfade, string? Expression, string Look)
{
    public bool Own => Look == "own";

    /// <summary>The custom expression only weighs the two pictures per pixel (see <see cref="TransitionExpressions.IsMask"/>).</summary>
    public bool Mask => Xfade == "custom" && Expression is { } e && TransitionExpressions.IsMask(e);
}

/// <summary>
/// IMS transition SubType names (GLSL transitions) and how each renders. Names xfade has render as
/// themselves; the GLSL-only ones as an xfade custom expression approximating the shader (or, where
/// xfade has the same look, that xfade transition). Every name has a look of its own. The README's
/// transition table is checked against this one by a test.
/// </summary>
public static class TransitionCatalog
{
    public const double DefaultDurationSeconds = 1.0;

    /// <summary>Stands for the transition's length in seconds in an "overlay" transition's y expression.</summary>
    public const string OverlayDuration = "DURATION";

    private static TransitionLook Xfade(string ims, string xfade, string look = "own") => new(ims, xfade, null, look);

    private static TransitionLook Custom(string ims, string body, string look = "own") => new(ims, "custom", Expression(body), look);

    private static readonly TransitionLook[] Table =
    [
        Xfade("directional", "slidedown"),
        Custom("displacement", Displacement),
        Custom("windowslice", WindowSlice),
        Custom("bowTieVertical", BowTie(vertical: true)),
        Custom("bowTieHorizontal", BowTie(vertical: false)),
        Xfade("simplezoom", "zoomin"),
        Xfade("linearblur", "hblur", "closest: xfade hblur (blurs horizontally only)"),
        Custom("waterdrop", Waterdrop),
        Custom("glitchmemories", GlitchMemories),
        Custom("polka", Polka),
        Custom("perlin", Perlin, "closest: sum-of-sines noise instead of Perlin noise"),
        Custom("directionalwarp", DirectionalWarp),
        new("bounce_up", "overlay", Bounce(up: true), "closest: no drop shadow"),
        new("bounce_down", "overlay", Bounce(up: false), "closest: no drop shadow"),
        Xfade("wiperight", "wiperight"),
        Xfade("wipeleft", "wipeleft"),
        Xfade("wipedown", "wipedown"),
        Xfade("wipeup", "wipeup"),
        Custom("morph", Morph, "closest: displaced by luma instead of RGB"),
        Xfade("colordistance", "distance"),
        Xfade("circlecrop", "circlecrop"),
        Custom("swirl", Swirl),
        Custom("dreamy", Dreamy),
        Custom("gridflip", GridFlip),
        Custom("zoomincircles", ZoomInCircles),
        Xfade("radial", "radial"),
        Custom("mosaic", Mosaic, "closest: the picture tiles without the camera path"),
        Custom("undulatingburnout", UndulatingBurnout, "closest: a dark burn edge instead of a coloured one"),
        Custom("crosshatch", Crosshatch),
        Custom("crazyparametricfun", CrazyParametricFun),
        Custom("kaleidoscope", Kaleidoscope, "closest: one mirror fold instead of seven"),
        Custom("windowblinds", WindowBlinds),
        Custom("hexagonalize", Hexagonalize, "closest: staggered square cells instead of hexagons"),
        Custom("glitchdisplace", GlitchDisplace),
        Custom("dreamyzoom", DreamyZoom),
        Custom("doomscreentransition_up", Doom(up: true)),
        Custom("doomscreentransition_down", Doom(up: false)),
        Custom("ripple", Ripple),
        Custom("pinwheel", Pinwheel),
        Custom("angular", Angular),
        Custom("burn", Burn),
        Custom("circle", Circle),
        Xfade("circleopen", "circleopen"),
        Custom("colorphase", ColorPhase, "closest: phased per YUV plane instead of per RGB channel"),
        Custom("crosswarp", CrossWarp),
        Custom("cube", Cube, "closest: squeezed faces with a flat perspective"),
        Custom("directionalwipe", DirectionalWipe),
        Custom("doorway", Doorway, "closest: flat doors, no reflection"),
        Xfade("fade", "fade"),
        Xfade("fadecolor", "fadeblack"),
        Xfade("fadegrayscale", "fadegrays"),
        Custom("flyeye", FlyEye, "closest: colour separation per YUV plane"),
        Custom("heart", Heart),
        Custom("luma", Luma, "closest: the outgoing clip's own luma as the map"),
        Custom("multiplyblend", MultiplyBlend, "closest: multiplies luma, blends colour"),
        Xfade("pixelize", "pixelize"),
        Custom("polarfunction", PolarFunction),
        Custom("randomsquares", RandomSquares),
        Custom("rotatescalefade", RotateScaleFade),
        Custom("squareswire", SquaresWire),
        Xfade("squeeze", "squeezev"),
        Custom("swap", Swap, "closest: cards pass without reflection or perspective"),
        Custom("wind", Wind),
    ];

    private static readonly Dictionary<string, TransitionLook> ByName =
        Table.ToDictionary(t => t.Ims, t => t, StringComparer.OrdinalIgnoreCase);

    public static IReadOnlyList<string> ImsNames { get; } = Table.Select(t => t.Ims).ToList();

    public static IReadOnlyList<TransitionLook> Entries => Table;

    /// <summary>The IMS spelling of a transition name matched case-insensitively, or null.</summary>
    public static string? Canonical(string name) => ByName.TryGetValue(name, out var e) ? e.Ims : null;

    public static TransitionLook LookOf(string imsName) => ByName[imsName];

    public static string XfadeFor(string imsName) => ByName[imsName].Xfade;
}
