using System.Globalization;

namespace RenderFarm.Media.Analysis;

/// <summary>One frame as ffmpeg's metadata=mode=print wrote it: its time and its numeric lavfi.* values.</summary>
public sealed record FrameMetadata(double Time, IReadOnlyDictionary<string, double> Values);

/// <summary>
/// Reads the text written by ffmpeg's <c>metadata=mode=print:file=...</c>: a line
/// "frame:N pts:P pts_time:T" per frame followed by "key=value" lines.
/// </summary>
public static class FrameMetadataReader
{
    public static IEnumerable<FrameMetadata> Read(TextReader reader)
    {
        double? time = null;
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.StartsWith("frame:", StringComparison.Ordinal))
            {
                if (time is { } t) yield return new FrameMetadata(t, values);
                time = PtsTime(line);
                values = new Dictionary<string, double>(StringComparer.Ordinal);
                continue;
            }
            var eq = line.IndexOf('=');
            if (time is null || eq <= 0) continue;
            if (double.TryParse(line.AsSpan(eq + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
                values[line[..eq]] = value;
        }
        if (time is { } last) yield return new FrameMetadata(last, values);
    }

    /// <summary>The pts_time of a frame line; frames without one (pts "NOPTS") are skipped by returning null.</summary>
    private static double? PtsTime(string line)
    {
        const string key = "pts_time:";
        var at = line.IndexOf(key, StringComparison.Ordinal);
        if (at < 0) return null;
        var text = line[(at + key.Length)..].Split(' ', 2)[0];
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var t) && double.IsFinite(t) ? t : null;
    }
}
