using RenderFarm.Core.Planning;
using RenderFarm.Core.Timelines;
using static RenderFarm.Media.Compilation.FilterGraphText;

namespace RenderFarm.Media.Compilation;

/// <summary>
/// VFX and Filter effects (of effect tracks and of clips) as ffmpeg filters enabled over their time
/// range. Every filter here works on yuv420p directly: a filter that needs RGB would convert every
/// frame of the timeline (even where it is disabled), so frames outside its range would differ
/// between a single pass and a segment that does not contain the effect. VFX looks (<see cref="VfxLooks"/>)
/// keep that rule by drawing on a copy cut to the range and laid over the canvas only there.
/// </summary>
internal static class FrameEffects
{
    public static string Apply(FilterGraph graph, string canvas, FrameEffect effect, OutputFormat output)
    {
        var enable = $"between(t,{Number(output.FrameToSeconds(effect.StartFrame))},{Number(output.FrameToSeconds(effect.EndFrame) - 0.5 / output.Fps)})";
        var item = effect.Item;
        if (item.Region is { } region)
        {
            var (x, w) = Span(region.X, region.Width, output.Width);
            var (y, h) = Span(region.Y, region.Height, output.Height);
            var copies = graph.Split(canvas, 2);
            var treated = item.SubType == "mosaic_rect"
                ? graph.Chain(copies[1], Filter("crop", ("w", w), ("h", h), ("x", x), ("y", y)),
                    Filter("scale", ("w", Math.Max(2, w / 16)), ("h", Math.Max(2, h / 16))),
                    Filter("scale", ("w", w), ("h", h), ("flags", "neighbor")))
                : graph.Chain(copies[1], Filter("crop", ("w", w), ("h", h), ("x", x), ("y", y)),
                    Filter("boxblur", ("luma_radius", Math.Min(w, h) / 6), ("chroma_radius", Math.Min(w, h) / 12)));
            return graph.Chain([copies[0], treated], [Filter("overlay", ("x", x), ("y", y), ("enable", enable))]);
        }
        if (item.Type == "VFX") return VfxLooks.Apply(graph, canvas, effect, output, enable);
        var filter = item.SubType switch
        {
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

    /// <summary>A region's smallest side: a mosaic of it still has 2 blocks across.</summary>
    private const int MinRegionSide = 16;

    /// <summary>
    /// A region's offset and size along one axis, in even pixels inside the frame and at least
    /// <see cref="MinRegionSide"/> long: a region reaching past the edge keeps its part inside, and one
    /// starting too close to (or beyond) the edge moves back so that its minimum size fits.
    /// </summary>
    internal static (int Offset, int Length) Span(Extent offset, Extent length, int frameSize)
    {
        var minimum = Math.Min(MinRegionSide, frameSize);
        var start = Math.Clamp(EvenPixels.Down(offset.ToPixels(frameSize)), 0, EvenPixels.Down(frameSize - minimum));
        var size = Math.Clamp(EvenPixels.Down(length.ToPixels(frameSize)), minimum, frameSize - start);
        return (start, EvenPixels.Down(size));
    }
}
