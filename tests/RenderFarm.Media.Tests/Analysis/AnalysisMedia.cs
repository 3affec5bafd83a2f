using System.Globalization;
using RenderFarm.Media.Compilation;
using RenderFarm.TestSupport;

namespace RenderFarm.Media.Tests.Analysis;

/// <summary>A shot the test video shows: its background, the words drawn on it and its time range.</summary>
public sealed record ShotSpec(string Background, (int R, int G, int B) Rgb, string TextColour, string Text, double Seconds);

/// <summary>Makes media for analysis tests with ffmpeg: solid backgrounds with big words, joined by hard cuts.</summary>
public static class AnalysisMedia
{
    public const int Fps = 25;

    /// <summary>PaddleOCR, the OCR of farm nodes, shared by the analysis tests (its models open once per test run).</summary>
    public static RenderFarm.AI.Ocr.PaddleOcr TextReader { get; } = new();

    /// <summary>Noto Sans CJK SC's file: draws both the Latin and the Chinese words.</summary>
    public static string CjkFont { get; } = FindCjkFont();

    /// <summary>A 640x360 H.264 video of the shots one after another (hard cuts), without sound.</summary>
    public static string Video(string path, IReadOnlyList<ShotSpec> shots)
    {
        var args = new List<string>();
        foreach (var shot in shots)
            args.AddRange(["-f", "lavfi", "-i", $"color=c={shot.Background}:s=640x360:r={Fps}:d={Num(shot.Seconds)}"]);
        var chains = shots.Select((s, i) => $"[{i}:v]{DrawText(s.Text, s.TextColour, 64)}[v{i}]");
        var concat = string.Concat(shots.Select((_, i) => $"[v{i}]")) + $"concat=n={shots.Count}:v=1:a=0[out]";
        args.AddRange(["-filter_complex", string.Join(';', chains.Append(concat)), "-map", "[out]",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "50", path]);
        Tool.Ffmpeg([.. args]);
        return path;
    }

    /// <summary>A PNG of a solid background with words in the middle.</summary>
    public static string Image(string path, string background, string textColour, string text, int width = 800, int height = 450)
    {
        Tool.Ffmpeg("-f", "lavfi", "-i", $"color=c={background}:s={width}x{height}", "-vf", DrawText(text, textColour, 72), "-frames:v", "1", path);
        return path;
    }

    public static string DrawText(string text, string colour, int size) => FilterGraphText.Filter("drawtext",
        ("fontfile", CjkFont), ("text", text), ("fontsize", size), ("fontcolor", colour), ("x", "(w-tw)/2"), ("y", "(h-th)/2"));

    private static string FindCjkFont()
    {
        var (exit, stdout, _) = Tool.Run("fc-match", "-f", "%{file}", "Noto Sans CJK SC");
        var file = System.Text.Encoding.UTF8.GetString(stdout);
        if (exit != 0 || !File.Exists(file) || !file.Contains("CJK", StringComparison.Ordinal))
            throw new InvalidOperationException("Noto Sans CJK SC is not installed (scripts/setup.sh installs fonts-noto-cjk)");
        return file;
    }

    private static string Num(double v) => v.ToString(CultureInfo.InvariantCulture);
}
