using RenderFarm.Core.Json;
using RenderFarm.Core.Planning;
using RenderFarm.Core.Timelines;

namespace RenderFarm.Core.Jobs;

/// <summary>
/// IMS OutputMediaConfig as far as a local render uses it. Missing Width/Height default to the
/// largest picture among the timeline's media (the IMS rule); fps defaults to 25.
/// </summary>
public sealed record OutputMediaConfig(string? MediaUrl, int? Width, int? Height, int? BitrateKbps, int? Fps)
{
    public const int DefaultFps = 25;
    public static readonly OutputMediaConfig Empty = new(null, null, null, null, null);

    public static OutputMediaConfig Read(JsonObjectReader r, TimelineLimits limits)
    {
        var width = r.Integer("Width", limits.MinOutputSide, limits.MaxOutputSide);
        var height = r.Integer("Height", limits.MinOutputSide, limits.MaxOutputSide);
        if (width is { } w && height is { } h && Math.Min(w, h) > limits.MaxShorterSide)
            throw r.Error("Width", $"the shorter side of {w}x{h} exceeds {limits.MaxShorterSide} px");
        var bitrate = r.Integer("Bitrate", limits.MinBitrateKbps, limits.MaxBitrateKbps);
        var fps = r.Integer("Fps", limits.MinFps, limits.MaxFps);
        if (r.ObjectOrJsonText("Video") is { } video)
        {
            fps ??= video.Integer("Fps", limits.MinFps, limits.MaxFps);
            bitrate ??= video.Integer("Bitrate", limits.MinBitrateKbps, limits.MaxBitrateKbps);
            foreach (var ignored in new[] { "Codec", "Profile", "Crf", "Preset", "Orientation" })
                if (video.Has(ignored)) { video.Warn(ignored, "is not supported; H.264 high profile is used"); video.Accept(ignored); }
        }
        foreach (var ignored in new[] { "StorageLocation", "FileName", "VodTemplateGroupId", "ProduceTemplateId" })
            if (r.Has(ignored)) { r.Warn(ignored, "has no meaning for a self-hosted farm and was ignored"); r.Accept(ignored); }
        if (r.Number("MaxDuration", 0.1, limits.MaxDurationSeconds) is not null)
            r.Warn("MaxDuration", "is not supported yet; the timeline decides the length");
        var url = r.String("MediaURL") is { } text ? MediaLocation.Check(r.FieldPath("MediaURL"), text) : null;
        return new OutputMediaConfig(url, width, height, bitrate, fps);
    }

    /// <summary>
    /// The output format, filling unset fields from the media (largest width and height). A size
    /// taken from the media is reduced to respect the shorter-side limit; a size the user gave is kept.
    /// </summary>
    public OutputFormat Resolve(IEnumerable<MediaFacts> visualMedia, TimelineLimits limits)
    {
        var pictures = visualMedia.Where(m => m.HasVideo && m.Width > 0).ToList();
        var width = Width ?? Math.Clamp(EvenPixels.Down(pictures.Select(m => m.Width).DefaultIfEmpty(1920).Max()), limits.MinOutputSide, limits.MaxOutputSide);
        var height = Height ?? Math.Clamp(EvenPixels.Down(pictures.Select(m => m.Height).DefaultIfEmpty(1080).Max()), limits.MinOutputSide, limits.MaxOutputSide);
        if (Math.Min(width, height) > limits.MaxShorterSide)
        {
            var scale = (double)limits.MaxShorterSide / Math.Min(width, height);
            if (Width is null && Height is null) (width, height) = (EvenPixels.Down(width * scale), EvenPixels.Down(height * scale));
            else if (Width is null) width = Math.Min(width, limits.MaxShorterSide);
            else height = Math.Min(height, limits.MaxShorterSide);
        }
        // 4:2:0 output needs even sizes.
        return new OutputFormat(EvenPixels.Down(width), EvenPixels.Down(height), Fps ?? DefaultFps, BitrateKbps);
    }
}
