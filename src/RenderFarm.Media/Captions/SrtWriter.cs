using System.Globalization;
using System.Text;
using RenderFarm.Core.Planning;

namespace RenderFarm.Media.Captions;

/// <summary>Writes captions as SubRip (.srt): numbered cues, HH:MM:SS,mmm times, the caption's lines as written (pure).</summary>
public static class SrtWriter
{
    public static string Write(IEnumerable<TextSegment> captions)
    {
        var srt = new StringBuilder();
        var index = 1;
        foreach (var caption in captions.OrderBy(c => c.Start))
        {
            var lines = HighlightMarks.Strip(caption.Clip.Content).Replace("\r", "").Split('\n')
                .Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
            if (lines.Count == 0) continue;
            srt.Append(index++.ToString(CultureInfo.InvariantCulture)).Append('\n')
                .Append(Time(caption.Start)).Append(" --> ").Append(Time(caption.End)).Append('\n');
            foreach (var line in lines) srt.Append(line).Append('\n');
            srt.Append('\n');
        }
        return srt.ToString();
    }

    private static string Time(double seconds)
    {
        var ms = (long)Math.Round(Math.Max(0, seconds) * 1000, MidpointRounding.AwayFromZero);
        return string.Create(CultureInfo.InvariantCulture, $"{ms / 3_600_000:00}:{ms / 60_000 % 60:00}:{ms / 1000 % 60:00},{ms % 1000:000}");
    }
}
