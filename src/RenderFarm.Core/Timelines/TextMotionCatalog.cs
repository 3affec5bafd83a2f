namespace RenderFarm.Core.Timelines;

/// <summary>
/// The IMS text motion names the renderer draws (the subtitle writer maps each to ASS animation tags), with
/// whether the ASS rendering is the name's own look or the closest one ASS can draw. The entrance names are
/// the documented ones (IMS "Subtitle effect examples"). That page's exit and loop lists could not be read in
/// full here: the exits beyond the first eight and the loop names are those that public IMS integrations quote
/// from it (dissolve_out; normal_display, heartbeat_display and rainbrush_display, with Ratio as the loop speed).
/// </summary>
public static class TextMotionCatalog
{
    private const string Own = "own";

    private static readonly (string Name, string Look)[] In =
    [
        ("fade_in", Own), ("blur_in", "closest: blurs the outline only (libass)"), ("zoom_in", Own), ("zoomin_in", Own),
        ("zoomout_in", Own), ("elasticzoom_in", Own), ("slingshot_in", Own), ("scroll_left_in", Own), ("scroll_right_in", Own),
        ("rotateup_in", Own), ("open_in", Own), ("wave_in", "closest: the whole text rises, not letter by letter"),
        ("heartjump_in", "closest: drops in and squashes, no heart"), ("musicjump_in", "closest: hops in tilted, no note"),
        ("close_in", Own), ("rotateflip_in", Own), ("spring_in", Own), ("growth_in", Own),
        ("dissovle_in", "closest: fades in from a blur"), ("zoomslightout_in", Own),
        ("angular_in", "closest: a quarter turn instead of a circular wipe"), ("rotate1_in", Own),
        ("rotate2_in", "closest: the whole text spins, not each letter"),
        ("brokentypewriter_in", "closest: typewriter1 tilting and flickering"),
        ("typewriter1_in", "closest: a clip edge sweeps across the frame instead of one character at a time"),
        ("typewriter2_in", "closest: typewriter1 fading in"), ("typewriter3_in", "closest: a clip edge sweeps down the frame"),
        ("slide_left_in", Own), ("slide_right_in", Own), ("slide_down_in", Own), ("slide_up_in", Own),
    ];

    private static readonly (string Name, string Look)[] Out =
    [
        ("fade_out", Own), ("blur_out", "closest: blurs the outline only (libass)"), ("zoom_out", Own), ("zoomin_out", Own),
        ("zoomout_out", Own), ("scroll_left_out", Own), ("scroll_right_out", Own), ("slide_down_out", Own),
        ("dissolve_out", "closest: fades out into a blur"),
    ];

    // Loops play from the end of the entrance to the start of the exit, one period after another.
    private static readonly (string Name, string Look)[] Loop =
    [
        ("normal_display", "closest: the text is shown still (the IMS look is not described)"),
        ("heartbeat_display", Own),
        ("rainbrush_display", "closest: the whole text swings to and fro about its anchor, like a wiper"),
    ];

    public static readonly string[] InNames = In.Select(e => e.Name).ToArray();

    public static readonly string[] OutNames = Out.Select(e => e.Name).ToArray();

    public static readonly string[] LoopNames = Loop.Select(e => e.Name).ToArray();

    /// <summary>Every entrance, exit and loop name with its look ("own" or "closest: ...").</summary>
    public static IReadOnlyList<(string Name, string Look)> Looks { get; } = [.. In, .. Out, .. Loop];
}
