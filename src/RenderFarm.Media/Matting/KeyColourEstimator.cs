using RenderFarm.Core.Json;
using RenderFarm.Core.Planning;
using RenderFarm.Core.Timelines;
using RenderFarm.Media.Compilation;
using RenderFarm.Media.Ffmpeg;
using static RenderFarm.Media.Compilation.FilterGraphText;

namespace RenderFarm.Media.Matting;

/// <summary>
/// The colour each AI_Matting clip keys out. With Auto it is estimated from the border of the first
/// frame the clip shows (a green screen fills the edges of the picture, the subject rarely does);
/// without Auto it is the colour given. Computed once while preparing, so every segment keys alike.
/// </summary>
public sealed class KeyColourEstimator(FfmpegRunner runner)
{
    /// <summary>Frames are read at this size: plenty for a median, cheap to decode and scan.</summary>
    internal const int SampleSize = 128;

    /// <summary>Fewer border pixels of the key colour's kind than this share and Auto keeps the given colour.</summary>
    internal const double MinBorderShare = 0.2;

    /// <summary>A pixel is of the key's kind when its dominant channel is the key's and leads the others by this much.</summary>
    internal const int MinLead = 24;

    /// <summary>The key colour of every AI_Matting clip, by the clip's JSON path.</summary>
    public async Task<IReadOnlyDictionary<string, Rgba>> KeyColoursAsync(Schedule schedule, IReadOnlyDictionary<string, string> localPaths,
        Diagnostics diagnostics, CancellationToken ct)
    {
        var colours = new Dictionary<string, Rgba>(StringComparer.Ordinal);
        foreach (var layer in schedule.Layers)
        {
            if (layer.Clip.Effects.Matting is not ChromaKey key || colours.ContainsKey(layer.Clip.Path)) continue;
            var colour = key.Colour;
            if (key.Auto)
            {
                var seconds = layer.Media.IsStill ? 0 : layer.SourceStart;
                if (await EstimateAsync(localPaths[layer.Clip.MediaUrl], seconds, key.Colour, ct) is { } estimated)
                    colour = estimated;
                else
                    diagnostics.Warn($"{key.Path}.Auto",
                        $"too little of the clip's border has the key colour's kind to estimate it; #{key.Colour.Hex} is used");
            }
            colours[layer.Clip.Path] = colour;
        }
        return colours;
    }

    /// <summary>
    /// The screen colour of the frame at <paramref name="seconds"/>, from its border pixels of the
    /// same kind as <paramref name="hint"/>; null when the frame cannot be read or too few match.
    /// </summary>
    public async Task<Rgba?> EstimateAsync(string localPath, double seconds, Rgba hint, CancellationToken ct)
    {
        var rgb = await runner.CaptureStdoutAsync(
            [.. MediaInput.Arguments(localPath, seek: seconds > 0 ? seconds : null), "-an", "-sn", "-frames:v", "1",
             "-vf", Filter("scale", ("w", SampleSize), ("h", SampleSize), ("flags", "area")),
             "-f", "rawvideo", "-pix_fmt", "rgb24", "-"], ct);
        return rgb.Length < SampleSize * SampleSize * 3 ? null : FromBorder(rgb, SampleSize, SampleSize, hint);
    }

    /// <summary>
    /// Per-channel median of the border pixels (a band 1/16 of the shorter side wide) of the hint's kind: pixels whose dominant channel is
    /// the hint's (green for a green screen) and leads the others by <see cref="MinLead"/>. A hint
    /// with no dominant channel (grey, yellow) takes every border pixel.
    /// </summary>
    public static Rgba? FromBorder(ReadOnlySpan<byte> rgb, int width, int height, Rgba hint)
    {
        var band = Math.Max(1, Math.Min(width, height) / 16);
        var kind = Dominant(hint.R, hint.G, hint.B);
        List<byte> r = [], g = [], b = [];
        var border = 0;
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                if (x >= band && x < width - band && y >= band && y < height - band) continue;
                border++;
                var i = (y * width + x) * 3;
                if (kind is { } k && Dominant(rgb[i], rgb[i + 1], rgb[i + 2]) != k) continue;
                r.Add(rgb[i]); g.Add(rgb[i + 1]); b.Add(rgb[i + 2]);
            }
        if (r.Count == 0 || r.Count < MinBorderShare * border) return null;
        return new Rgba(Median(r), Median(g), Median(b));
    }

    /// <summary>0, 1 or 2 for the channel that leads both others by <see cref="MinLead"/>, else null.</summary>
    private static int? Dominant(int r, int g, int b) =>
        r >= g + MinLead && r >= b + MinLead ? 0
        : g >= r + MinLead && g >= b + MinLead ? 1
        : b >= r + MinLead && b >= g + MinLead ? 2
        : null;

    private static byte Median(List<byte> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
