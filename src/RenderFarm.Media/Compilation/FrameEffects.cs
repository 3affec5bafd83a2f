using RenderFarm.Core.Planning;
using RenderFarm.Core.Timelines;
using static RenderFarm.Media.Compilation.FilterGraphText;

namespace RenderFarm.Media.Compilation;

/// <summary>
/// VFX and Filter effects (of effect tracks and of clips) as ffmpeg filters enabled over their time
/// range. Every filter here works on yuv420p directly: a filter that needs RGB would convert every
/// frame of the timeline (even where it is disabled), so frames outside its range would differ
/// between a single pass and a segment that does not contain the effect. VFX looks (<see cref="VfxLooks"/>)
/// keep that rule by drawing on a copy cut to the range and laid over the canvas only there; Filter
/// looks (<see cref="FilterLooks"/>) are all yuv filters enabled over the range.
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
        return FilterLooks.Filters(item.SubType, item.Grade, enable) is { Length: > 0 } looks ? graph.Chain(canvas, looks) : canvas;
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
