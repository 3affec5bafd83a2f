using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using RenderFarm.Core.Planning;
using RenderFarm.Core.Timelines;

namespace RenderFarm.Media.Subtitles.Files;

/// <summary>One SRT cue: seconds from the file's start and its text lines.</summary>
public sealed record SrtCue(double Start, double End, string Text);

/// <summary>A subtitle file's content: SRT cues (drawn in the clip's style) or an ASS script (drawn in its own styles).</summary>
public abstract record SubtitleFile
{
    /// <summary>
    /// Reads a Type=Subtitle clip's file (UTF-8, with or without a BOM): ASS when it has an [Events] section, else SRT.
    /// Pure. <exception cref="FormatException">The reason, one line, when the text is neither or breaks a limit.</exception>
    /// </summary>
    public static SubtitleFile Parse(string text)
    {
        text = text.TrimStart('\uFEFF').Replace("\r\n", "\n").Replace('\r', '\n');
        return Regex.IsMatch(text, @"^\[Events\]\s*$", RegexOptions.Multiline | RegexOptions.IgnoreCase)
            ? AssSubtitleFile.Read(text)
            : SrtSubtitleFile.Read(text);
    }
}

public sealed partial record SrtSubtitleFile(IReadOnlyList<SrtCue> Cues) : SubtitleFile
{
    [GeneratedRegex(@"^\s*(\d+):(\d{1,2}):(\d{1,2})[,.](\d{1,3})\s*-->\s*(\d+):(\d{1,2}):(\d{1,2})[,.](\d{1,3})")]
    private static partial Regex TimeLine();

    // SRT's HTML-like tags (<i>, <font ...>) and ASS override blocks some files carry: the clip's style draws the cue.
    [GeneratedRegex(@"<[^>\n]*>|\{[^}\n]*\}")]
    private static partial Regex Markup();

    internal static SrtSubtitleFile Read(string text)
    {
        var cues = new List<SrtCue>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (TimeLine().Match(lines[i]) is not { Success: true } m) continue;
            var body = new List<string>();
            for (i++; i < lines.Length && lines[i].Trim().Length > 0; i++) body.Add(Markup().Replace(lines[i], "").TrimEnd());
            var (start, end) = (Seconds(m, 1), Seconds(m, 5));
            if (end > start && body.Count > 0) cues.Add(new SrtCue(start, end, string.Join('\n', body)));
            if (cues.Count > TextClipParser.MaxSubtitleCues)
                throw new FormatException($"the file has more than {TextClipParser.MaxSubtitleCues} cues");
        }
        if (cues.Count == 0) throw new FormatException("not an SRT file with timed cues (00:00:01,000 --> 00:00:02,000) or an ASS script with an [Events] section");
        return new SrtSubtitleFile(cues);
    }

    private static double Seconds(Match m, int group)
    {
        int Part(int i) => int.Parse(m.Groups[group + i].Value, CultureInfo.InvariantCulture);
        var fraction = m.Groups[group + 3].Value;
        return Part(0) * 3600 + Part(1) * 60 + Part(2) + int.Parse(fraction, CultureInfo.InvariantCulture) / Math.Pow(10, fraction.Length);
    }

    /// <summary>The cues as texts on the timeline: shifted by the clip's TimelineIn, cut at its TimelineOut and the timeline's end.</summary>
    public IReadOnlyList<TextSegment> Segments(SubtitleFileClip clip, double duration)
    {
        var until = Math.Min(clip.TimelineOut ?? duration, duration);
        var segments = new List<TextSegment>();
        foreach (var cue in Cues)
        {
            var (start, end) = (clip.TimelineIn + cue.Start, Math.Min(clip.TimelineIn + cue.End, until));
            if (start >= end) continue;
            var text = new TextClip(clip.Path, cue.Text, start, end, clip.Style, clip.Motion);
            segments.Add(new TextSegment(text, start, end));
        }
        return segments;
    }
}

/// <summary>An ASS script, drawn by libass with its own PlayRes and styles.</summary>
public sealed record AssSubtitleFile(string Script, int Events) : SubtitleFile
{
    internal static AssSubtitleFile Read(string text)
    {
        var events = text.Split('\n').Count(l => l.StartsWith("Dialogue:", StringComparison.OrdinalIgnoreCase));
        if (events > TextClipParser.MaxSubtitleCues) throw new FormatException($"the file has more than {TextClipParser.MaxSubtitleCues} events");
        if (!Regex.IsMatch(text, @"^Format:.*\bStart\b.*\bEnd\b", RegexOptions.Multiline | RegexOptions.IgnoreCase))
            throw new FormatException("the ASS script's [Events] section has no Format line naming Start and End");
        return new AssSubtitleFile(text, events);
    }

    /// <summary>
    /// The script with every Dialogue moved by <paramref name="shift"/> seconds and cut at <paramref name="until"/>
    /// (events starting at or after it are dropped). Only the Start and End fields change.
    /// </summary>
    public string Shifted(double shift, double until)
    {
        var result = new StringBuilder(Script.Length + 64);
        var inEvents = false;
        string[]? format = null;
        foreach (var line in Script.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith('[')) inEvents = trimmed.Equals("[Events]", StringComparison.OrdinalIgnoreCase);
            else if (inEvents && trimmed.StartsWith("Format:", StringComparison.OrdinalIgnoreCase))
                format = trimmed["Format:".Length..].Split(',').Select(f => f.Trim()).ToArray();
            else if (inEvents && format is not null && trimmed.StartsWith("Dialogue:", StringComparison.OrdinalIgnoreCase))
            {
                if (Shift(trimmed, format, shift, until) is { } moved) result.Append(moved).Append('\n');
                continue;
            }
            result.Append(line).Append('\n');
        }
        return result.ToString();
    }

    private static string? Shift(string dialogue, string[] format, double shift, double until)
    {
        // The last field (Text) may hold commas: split into exactly as many fields as the Format names.
        var fields = dialogue["Dialogue:".Length..].Split(',', format.Length);
        var (startAt, endAt) = (Array.FindIndex(format, f => f.Equals("Start", StringComparison.OrdinalIgnoreCase)),
            Array.FindIndex(format, f => f.Equals("End", StringComparison.OrdinalIgnoreCase)));
        if (fields.Length != format.Length || startAt < 0 || endAt < 0) return null;
        if (AssClock(fields[startAt]) is not { } start || AssClock(fields[endAt]) is not { } end) return null;
        var (from, to) = (start + shift, Math.Min(end + shift, until));
        if (from >= to) return null;
        fields[startAt] = Clock(from);
        fields[endAt] = Clock(to);
        return "Dialogue:" + string.Join(',', fields);
    }

    private static double? AssClock(string text)
    {
        var parts = text.Trim().Split(':');
        if (parts.Length != 3) return null;
        return int.TryParse(parts[0], CultureInfo.InvariantCulture, out var h) && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var m)
            && double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var s)
            ? h * 3600 + m * 60 + s
            : null;
    }

    private static string Clock(double seconds) => AssTime.Format((long)Math.Round(seconds * 100, MidpointRounding.AwayFromZero));
}
