namespace RenderFarm.Core.Timelines;

/// <summary>The IMS text motion names the renderer draws (the subtitle writer maps each to ASS animation tags).</summary>
public static class TextMotionCatalog
{
    public static readonly string[] InNames =
    [
        "fade_in", "blur_in", "zoom_in", "zoomin_in", "zoomout_in", "elasticzoom_in", "slingshot_in",
        "scroll_left_in", "scroll_right_in", "rotateup_in", "open_in", "wave_in",
    ];

    public static readonly string[] OutNames =
    [
        "fade_out", "blur_out", "zoom_out", "zoomin_out", "zoomout_out", "scroll_left_out", "scroll_right_out", "slide_down_out",
    ];
}
