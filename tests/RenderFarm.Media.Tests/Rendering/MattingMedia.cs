using RenderFarm.Media.Ai;
using System.Globalization;
using RenderFarm.Core.Planning;
using RenderFarm.Core.Timelines;
using RenderFarm.Media.Ffmpeg;
using RenderFarm.Media.Rendering;
using RenderFarm.TestSupport;

namespace RenderFarm.Media.Tests.Rendering;

/// <summary>
/// A generated screen clip: three solid boxes over a screen colour with a little noise, edges
/// softened into the screen (1 px box blur), and a 4 px band of screen-coloured spill (15 %) inside
/// the second box. <see cref="Boxes"/> are in source pixels.
/// </summary>
internal sealed record ScreenClip(string Path, int Width, int Height, IReadOnlyList<(PixelBox Box, (int R, int G, int B) Colour)> Boxes)
{
    public const int SpillBand = 4;

    /// <summary>Writes the clip: 25 fps, <paramref name="seconds"/> long.</summary>
    public static ScreenClip Write(string path, (int R, int G, int B) screen, (int R, int G, int B)[] colours, int width = 320, int height = 240,
        double seconds = 2)
    {
        var boxes = colours.Select((c, i) => (new PixelBox(width * (4 + 9 * i) / 32, height / 4, width * 6 / 32, height / 2), c)).ToList();
        var filters = new List<string> { $"color=c=0x{Hex(screen)}:s={width}x{height}:r=25:d={Num(seconds)}" };
        foreach (var (box, colour) in boxes)
            filters.Add($"drawbox=x={box.X}:y={box.Y}:w={box.Width}:h={box.Height}:c=0x{Hex(colour)}:t=fill");
        var (spillBox, spillColour) = boxes[1];
        var spill = (Mix(spillColour.R, screen.R), Mix(spillColour.G, screen.G), Mix(spillColour.B, screen.B));
        filters.Add($"drawbox=x={spillBox.X}:y={spillBox.Y}:w={spillBox.Width}:h={spillBox.Height}:c=0x{Hex(spill)}:t={SpillBand}");
        filters.Add("boxblur=1");
        filters.Add("noise=alls=6:allf=t");
        Tool.Ffmpeg("-f", "lavfi", "-i", string.Join(',', filters), "-c:v", "libx264", "-preset", "ultrafast", "-crf", "12",
            "-pix_fmt", "yuv420p", "-g", "25", path);
        return new ScreenClip(path, width, height, boxes);
    }

    private static int Mix(int foreground, int screen) => (int)Math.Round(foreground * 0.85 + screen * 0.15);

    private static string Hex((int R, int G, int B) c) => $"{c.R:X2}{c.G:X2}{c.B:X2}";

    private static string Num(double v) => v.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Shares of screen pixels that show <paramref name="lower"/> and of box pixels that keep their
    /// colour, each channel within <paramref name="tolerance"/>, in a rendered frame where the clip's
    /// source pixel (x, y) lands at (offsetX + x * scale, offsetY + y * scale). Pixels within
    /// <paramref name="margin"/> source pixels of a box edge (the soft edge and the spill band) are not counted.
    /// </summary>
    public (double ScreenShowsLower, double ForegroundKept) Score((byte[] Rgb, int Width, int Height) frame, (int R, int G, int B) lower,
        int offsetX = 0, int offsetY = 0, double scale = 1, int tolerance = 40, int margin = 6)
    {
        int screen = 0, shows = 0, foreground = 0, kept = 0;
        for (var y = 0; y < Height; y++)
            for (var x = 0; x < Width; x++)
            {
                var (ox, oy) = ((int)(offsetX + (x + 0.5) * scale), (int)(offsetY + (y + 0.5) * scale));
                if (ox >= frame.Width || oy >= frame.Height) continue;
                var pixel = Inspect.Pixel(frame, ox, oy);
                if (Boxes.All(b => !Inside(b.Box, x, y, -margin)))
                {
                    screen++;
                    if (Near(pixel, lower, tolerance)) shows++;
                }
                else if (Boxes.FirstOrDefault(b => Inside(b.Box, x, y, margin)) is { Box.Width: > 0 } box)
                {
                    foreground++;
                    if (Near(pixel, box.Colour, tolerance)) kept++;
                }
            }
        return ((double)shows / screen, (double)kept / foreground);
    }

    /// <summary>Whether (x, y) lies inside the box shrunk by <paramref name="inset"/> pixels on each side.</summary>
    private static bool Inside(PixelBox b, int x, int y, int inset) =>
        x >= b.X + inset && x < b.X + b.Width - inset && y >= b.Y + inset && y < b.Y + b.Height - inset;

    public static bool Near((int R, int G, int B) p, (int R, int G, int B) c, int tolerance) =>
        Math.Abs(p.R - c.R) <= tolerance && Math.Abs(p.G - c.G) <= tolerance && Math.Abs(p.B - c.B) <= tolerance;
}

/// <summary>Person-matte videos for tests and renders that use them in place of a matte engine.</summary>
internal static class Mattes
{
    /// <summary>
    /// A grey matte video at 25 fps: a white disc on <paramref name="background"/>; frame n's disc
    /// centre is (<paramref name="x"/> + <paramref name="step"/> * n, <paramref name="y"/>).
    /// </summary>
    public static string MovingDisc(string path, int frames, int width, int height, int x, int y, int radius, int step, int background = 0)
    {
        var geq = $"geq=lum='if(lt(hypot(X-({x}+{step}*N),Y-{y}),{radius}),255,{background})'";
        Tool.Ffmpeg("-f", "lavfi", "-i", $"color=c=black:s={width}x{height}:r=25,format=gray,{geq}", "-frames:v", frames.ToString(CultureInfo.InvariantCulture),
            "-c:v", "libx264", "-preset", "ultrafast", "-qp", "0", "-pix_fmt", "gray", path);
        return path;
    }

    /// <summary>Prepares <paramref name="json"/>, gives its AI_RealMatting clips the mattes chosen, and renders it.</summary>
    public static async Task<string> RenderAsync(string json, string directory, Func<MatteRequest, string> matteFor, string name = "out.mp4",
        RenderOptions? options = null)
    {
        var prepared = await WithMattesAsync(json, directory, matteFor);
        var output = Path.Combine(directory, name);
        await new TimelineRenderer(new FfmpegRunner(), LocalRender.Encoder).RenderAsync(prepared, output, options ?? new RenderOptions(), null, CancellationToken.None);
        return output;
    }

    /// <summary>Prepares with a matte engine that hands out the test's matte files instead of running ISNet.</summary>
    public static Task<PreparedTimeline> WithMattesAsync(string json, string directory, Func<MatteRequest, string> matteFor) =>
        LocalRender.PrepareAsync(json, directory, new AiEngines(Matte: new GivenMattes(matteFor)));

    private sealed class GivenMattes(Func<MatteRequest, string> matteFor) : IMatteProducer
    {
        public Task<string> ProduceAsync(MatteRequest request, CancellationToken ct) => Task.FromResult(matteFor(request));
    }
}
