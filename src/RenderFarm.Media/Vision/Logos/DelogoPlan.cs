using System.Globalization;

namespace RenderFarm.Media.Vision.Logos;

/// <summary>VideoDelogo's choices that need no I/O: the analysis size and rate, the regions cleared and the ffmpeg command.</summary>
public static class DelogoPlan
{
    /// <summary>The frame scaled so its longer side is at most <paramref name="side"/> (even sizes, at least 16 px).</summary>
    public static (int Width, int Height) AnalysisSize(int width, int height, int side)
    {
        var scale = Math.Min(1, (double)side / Math.Max(width, height));
        static int Even(double v) => Math.Max(16, (int)Math.Round(v / 2) * 2);
        return (Even(width * scale), Even(height * scale));
    }

    /// <summary>About 40 samples over the video, between 2 and 8 a second.</summary>
    public static double SampleRate(double seconds) => Math.Clamp(40 / Math.Max(0.1, seconds), 2, 8);

    /// <summary>
    /// The regions given to delogo: each box grown by a margin (delogo fills a region from the pixels just
    /// outside it, which must not be the logo's anti-aliased rim; a detected box is also only as precise as the
    /// analysis scale) and kept one pixel inside the frame, which delogo requires. Empty boxes are dropped.
    /// </summary>
    public static IReadOnlyList<LogoBox> Regions(IEnumerable<LogoBox> boxes, int width, int height)
    {
        var pad = Math.Max(3, (int)Math.Round(Math.Max(width, height) / 200.0));
        return boxes.Select(b => b.Pad(pad, width, height).Clamp(1, width, height)).Where(b => b.Width >= 1 && b.Height >= 1).ToList();
    }

    /// <summary>
    /// ffmpeg arguments: the first video stream through one delogo per region (only numbers enter the filter
    /// graph), every audio stream copied; with no region, a stream copy of both.
    /// </summary>
    public static IReadOnlyList<string> Arguments(string input, IReadOnlyList<LogoBox> regions, string output, string finalName)
    {
        var args = new List<string> { "-i", input, "-map", "0:v:0", "-map", "0:a?", "-map_metadata", "0" };
        if (regions.Count == 0) args.AddRange(["-c", "copy"]);
        else
        {
            var filter = string.Join(',', regions.Select(r => string.Create(CultureInfo.InvariantCulture, $"delogo=x={r.X}:y={r.Y}:w={r.Width}:h={r.Height}")));
            args.AddRange(["-vf", filter, "-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-pix_fmt", "yuv420p", "-c:a", "copy"]);
        }
        var extension = Path.GetExtension(finalName).ToLowerInvariant();
        if (extension is ".mp4" or ".mov") args.AddRange(["-movflags", "+faststart"]);
        args.AddRange(["-f", extension switch { ".mov" => "mov", ".mkv" => "matroska", _ => "mp4" }, output]);
        return args;
    }
}
