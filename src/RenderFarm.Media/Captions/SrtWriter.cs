using System.Globalization;
using System.Text;
using RenderFarm.Core.Planning;

namespace RenderFarm.Media.Captions;

/// <summary>One SubRip cue: its times in seconds and its lines as written.</summary>
public sealed record SrtCue(double Start, double End, IReadOnlyList<string> Lines);

/// <summary>Writes captions as SubRip (.srt): numbered cues, HH:MM:SS,mmm times, the caption's lines as written (pure).</summary>
public static class SrtWriter
{
    public static string Write(IEnumerable<TextSegment> captions) =>
        Write(captions.Select(c => new SrtCue(c.Start, c.End, HighlightMarks.Strip(c.Clip.Content).Replace("\r", "").Split('\n'))));

    /// <summary>
    /// The cues in time order; blank lines are dropped and a cue without lines is skipped. <paramref name="prefix"/>
    /// (an override block such as <c>{\an8}</c>, IMS's CaptionExtraction formatter) starts every cue's first line.
    /// </summary>
    public static string Write(IEnumerable<SrtCue> cues, string? prefix = null)
    {
        var srt = new StringBuilder();
        var index = 1;
        foreach (var cue in cues.OrderBy(c => c.Start))
        {
            var lines = cue.Lines.Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
            if (lines.Count == 0) continue;
            srt.Append(index++.ToString(CultureInfo.InvariantCulture)).Append('\n')
                .Append(Time(cue.Start)).Append(" --> ").Append(Time(cue.End)).Append('\n')
                .Append(prefix);
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
