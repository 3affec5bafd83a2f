namespace RenderFarm.Core.Timelines;

/// <summary>
/// IMS transition SubType names and the ffmpeg xfade transition each renders as. Names that
/// xfade has render as themselves; the GLSL-only ones render as the closest xfade look.
/// The README's transition table is checked against this one by a test.
/// </summary>
public static class TransitionCatalog
{
    public const double DefaultDurationSeconds = 1.0;

    private static readonly (string Ims, string Xfade)[] Table =
    [
        ("directional", "slideleft"),
        ("displacement", "dissolve"),
        ("windowslice", "hrslice"),
        ("bowTieVertical", "vertopen"),
        ("bowTieHorizontal", "horzopen"),
        ("simplezoom", "zoomin"),
        ("linearblur", "hblur"),
        ("waterdrop", "circleopen"),
        ("glitchmemories", "pixelize"),
        ("polka", "dissolve"),
        ("perlin", "dissolve"),
        ("directionalwarp", "smoothleft"),
        ("bounce_up", "slideup"),
        ("bounce_down", "slidedown"),
        ("wiperight", "wiperight"),
        ("wipeleft", "wipeleft"),
        ("wipedown", "wipedown"),
        ("wipeup", "wipeup"),
        ("morph", "fade"),
        ("colordistance", "distance"),
        ("circlecrop", "circlecrop"),
        ("swirl", "radial"),
        ("dreamy", "fadewhite"),
        ("gridflip", "pixelize"),
        ("zoomincircles", "circleopen"),
        ("radial", "radial"),
        ("mosaic", "pixelize"),
        ("undulatingburnout", "fadeblack"),
        ("crosshatch", "dissolve"),
        ("crazyparametricfun", "radial"),
        ("kaleidoscope", "radial"),
        ("windowblinds", "vuslice"),
        ("hexagonalize", "pixelize"),
        ("glitchdisplace", "pixelize"),
        ("dreamyzoom", "zoomin"),
        ("doomscreentransition_up", "vuslice"),
        ("doomscreentransition_down", "vdslice"),
        ("ripple", "circleopen"),
        ("pinwheel", "radial"),
        ("angular", "radial"),
        ("burn", "fadewhite"),
        ("circle", "circleclose"),
        ("circleopen", "circleopen"),
        ("colorphase", "fade"),
        ("crosswarp", "smoothright"),
        ("cube", "slideleft"),
        ("directionalwipe", "wipetl"),
        ("doorway", "horzopen"),
        ("fade", "fade"),
        ("fadecolor", "fadeblack"),
        ("fadegrayscale", "fadegrays"),
        ("flyeye", "dissolve"),
        ("heart", "circleopen"),
        ("luma", "fade"),
        ("multiplyblend", "fade"),
        ("pixelize", "pixelize"),
        ("polarfunction", "radial"),
        ("randomsquares", "dissolve"),
        ("rotatescalefade", "zoomin"),
        ("squareswire", "diagbr"),
        ("squeeze", "squeezev"),
        ("swap", "slideright"),
        ("wind", "smoothleft"),
    ];

    private static readonly Dictionary<string, (string Ims, string Xfade)> ByName =
        Table.ToDictionary(t => t.Ims, t => t, StringComparer.OrdinalIgnoreCase);

    public static IReadOnlyList<string> ImsNames { get; } = Table.Select(t => t.Ims).ToList();

    public static IReadOnlyList<(string Ims, string Xfade)> Entries => Table;

    /// <summary>The IMS spelling of a transition name matched case-insensitively, or null.</summary>
    public static string? Canonical(string name) => ByName.TryGetValue(name, out var e) ? e.Ims : null;

    public static string XfadeFor(string imsName) => ByName[imsName].Xfade;
}
