using RenderFarm.Core.Planning;
using static RenderFarm.Media.Compilation.FilterGraphText;

namespace RenderFarm.Media.Compilation;

/// <summary>
/// Effect-track effects (VFX and Filter SubTypes) as ffmpeg filters enabled over their time range.
/// Every filter here works on yuv420p directly: a filter that needs RGB would convert every frame
/// of the timeline (even where it is disabled), so frames outside its range would differ between a
/// single pass and a segment that does not contain the effect.
/// </summary>
internal static class FrameEffects
{
    public static string Apply(FilterGraph graph, string canvas, FrameEffect effect, OutputFormat output)
    {
        var enable = $"between(t,{Number(output.FrameToSeconds(effect.StartFrame))},{Number(output.FrameToSeconds(effect.EndFrame) - 0.5 / output.Fps)})";
        var item = effect.Item;
        if (item.Region is { } region)
        {
            var (x, y) = ((int)region.X.ToPixels(output.Width) & ~1, (int)region.Y.ToPixels(output.Height) & ~1);
            var w = Math.Clamp((int)region.Width.ToPixels(output.Width) & ~1, 16, output.Width - x);
            var h = Math.Clamp((int)region.Height.ToPixels(output.Height) & ~1, 16, output.Height - y);
            var copies = graph.Split(canvas, 2);
            var treated = item.SubType == "mosaic_rect"
                ? graph.Chain(copies[1], Filter("crop", ("w", w), ("h", h), ("x", x), ("y", y)),
                    Filter("scale", ("w", Math.Max(2, w / 16)), ("h", Math.Max(2, h / 16))),
                    Filter("scale", ("w", w), ("h", h), ("flags", "neighbor")))
                : graph.Chain(copies[1], Filter("crop", ("w", w), ("h", h), ("x", x), ("y", y)),
                    Filter("boxblur", ("luma_radius", Math.Min(w, h) / 6), ("chroma_radius", Math.Min(w, h) / 12)));
            return graph.Chain([copies[0], treated], [Filter("overlay", ("x", x), ("y", y), ("enable", enable))]);
        }
        var filter = item.SubType switch
        {
            "h_blur" => Filter("gblur", ("sigma", 30), ("sigmaV", 0.01), ("enable", enable)),
            "v_blur" => Filter("gblur", ("sigma", 0.01), ("sigmaV", 30), ("enable", enable)),
            "blurring" => Filter("gblur", ("sigma", 20), ("enable", enable)),
            "color_to_grey" => Filter("hue", ("s", 0), ("enable", enable)),
            "black" => Filter("drawbox", ("color", "black"), ("t", "fill"), ("enable", enable)),
            "faded" => Filter("eq", ("saturation", 0.7), ("contrast", 0.9), ("brightness", 0.04), ("enable", enable)),
            // Warm/cool tints shift the chroma planes: V (red difference) up and U (blue difference) down, or the reverse.
            "warm" => Filter("lutyuv", ("u", "clip(val-8,16,240)"), ("v", "clip(val+10,16,240)"), ("enable", enable)),
            "cool" or "delta" => Filter("lutyuv", ("u", "clip(val+10,16,240)"), ("v", "clip(val-6,16,240)"), ("enable", enable)),
            "electric" => Filter("eq", ("saturation", 1.5), ("contrast", 1.1), ("enable", enable)),
            "urbex" => Filter("eq", ("saturation", 0.6), ("contrast", 1.2), ("enable", enable)),
            "slowlived" => Filter("lutyuv", ("y", "clip(val*0.9+12,16,235)"), ("u", "clip((val-128)*0.6+120,16,240)"), ("v", "clip((val-128)*0.6+134,16,240)"), ("enable", enable)),
            _ => throw new InvalidOperationException($"{item.Path}.SubType: no filter for '{item.SubType}'"),
        };
        return graph.Chain(canvas, filter);
    }
}
