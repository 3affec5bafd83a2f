using RenderFarm.Core.Text;
using RenderFarm.Media.Ai;

namespace RenderFarm.Media.Vision.Captions;

/// <summary>What OCR read in the caption region of one sampled frame, at <see cref="Time"/> seconds; boxes are in frame pixels.</summary>
public sealed record CaptionSample(double Time, IReadOnlyList<TextLine> Lines);

/// <summary>A caption as it stayed on screen: its lines (top to bottom), when it was shown, how sure the reader was, where it was.</summary>
public sealed record CaptionCue(double Start, double End, IReadOnlyList<string> Lines, double Confidence, int Samples, PixelBox Box)
{
    public string Text => string.Join("\n", Lines);
}

/// <summary>
/// Turns OCR readings of frames sampled every <c>interval</c> seconds into cues (pure): consecutive samples reading
/// the same text, give or take OCR slips (an edit distance of at most a quarter of the text), are one cue; a sample
/// with no text, or with another text, ends it. The cue says what most of its samples read (each reading weighted by
/// its confidence), so one misread frame does not change it; a lone unsure reading is dropped. A caption first seen
/// at sample t appeared after the sample before (t - interval), so cues start half an interval before their first
/// sample and end half an interval after their last: every time is within half a sampling interval of the truth,
/// plus the video's frame step.
/// </summary>
public static class CaptionCueBuilder
{
    /// <summary>The edit distance two readings may differ by, as a fraction of the longer one, and still be one caption.</summary>
    public const double Tolerance = 0.25;

    /// <summary>
    /// A reading seen in one sample only must be at least this sure to be a cue: OCR now and then reads a glyph into a
    /// moving background for a frame (a real caption stays on screen for several samples, and reads surely).
    /// </summary>
    public const double SingleSampleConfidence = 0.8;

    public static IReadOnlyList<CaptionCue> Build(IReadOnlyList<CaptionSample> samples, double interval, double duration)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(interval);
        var cues = new List<CaptionCue>();
        var run = new List<(CaptionSample Sample, string Key)>();
        void Close()
        {
            if (run.Count > 1 || (run.Count == 1 && Confidence(run[0].Sample) >= SingleSampleConfidence)) cues.Add(Cue(run, interval, duration));
            run.Clear();
        }
        foreach (var sample in samples.OrderBy(s => s.Time))
        {
            var key = Key(sample.Lines);
            if (key.Length == 0) { Close(); continue; }
            var continues = run.Count > 0 && sample.Time - run[^1].Sample.Time <= 1.5 * interval && Similar(key, Majority(run).Key);
            if (!continues) Close();
            run.Add((sample, key));
        }
        Close();
        return cues;
    }

    /// <summary>Whether two texts are the same caption read with slips: edit distance at most <see cref="Tolerance"/> of the longer.</summary>
    public static bool Similar(string a, string b)
    {
        var longer = Math.Max(a.Length, b.Length);
        return EditDistance.Between(a, b) <= Math.Max(1, (int)(Tolerance * longer));
    }

    /// <summary>The text compared between samples: the lines without whitespace (readers space CJK and words differently).</summary>
    public static string Key(IEnumerable<TextLine> lines) =>
        string.Concat(lines.SelectMany(l => l.Text).Where(c => !char.IsWhiteSpace(c)));

    private static (string Key, CaptionSample Best) Majority(IReadOnlyList<(CaptionSample Sample, string Key)> run) =>
        run.GroupBy(r => r.Key)
            .Select(g => (g.Key, Weight: g.Sum(r => Confidence(r.Sample)), Best: g.MaxBy(r => Confidence(r.Sample)).Sample))
            .OrderByDescending(g => g.Weight).Select(g => (g.Key, g.Best)).First();

    private static double Confidence(CaptionSample s) => s.Lines.Count == 0 ? 0 : s.Lines.Average(l => l.Confidence);

    private static CaptionCue Cue(IReadOnlyList<(CaptionSample Sample, string Key)> run, double interval, double duration)
    {
        var (_, best) = Majority(run);
        var lines = run.SelectMany(r => r.Sample.Lines).ToList();
        var box = PixelBox.Around(lines);
        var start = Math.Max(0, run[0].Sample.Time - interval / 2);
        var end = Math.Min(duration, run[^1].Sample.Time + interval / 2);
        return new CaptionCue(start, Math.Max(start, end), Rows(best.Lines), run.Average(r => Confidence(r.Sample)), run.Count, box);
    }

    /// <summary>
    /// The caption's lines as a viewer reads them: OCR may cut one line into pieces at a wide gap between words,
    /// so pieces sharing most of their height are one row, joined left to right with a space; rows top to bottom.
    /// </summary>
    public static IReadOnlyList<string> Rows(IReadOnlyList<TextLine> lines)
    {
        var rows = new List<List<TextLine>>();
        foreach (var line in lines.OrderBy(l => l.Top))
        {
            var row = rows.FirstOrDefault(r => r.Any(other => SameRow(other, line)));
            if (row is null) rows.Add([line]);
            else row.Add(line);
        }
        return [.. rows.Select(r => string.Join(' ', r.OrderBy(l => l.Left).Select(l => l.Text.Trim())))];
    }

    private static bool SameRow(TextLine a, TextLine b)
    {
        var overlap = Math.Min(a.Bottom, b.Bottom) - Math.Max(a.Top, b.Top);
        return overlap > 0.5 * Math.Min(a.Bottom - a.Top, b.Bottom - b.Top);
    }
}

/// <summary>Which language a caption line is written in, for IMS's <c>sep</c> (Chinese and English to separate files).</summary>
public static class CaptionLanguage
{
    public const string Chinese = "zh", English = "en";

    /// <summary>"zh" when the line holds a CJK ideograph, else "en".</summary>
    public static string Of(string line) => line.Any(IsHan) ? Chinese : English;

    private static bool IsHan(char c) => c is >= '\u4E00' and <= '\u9FFF' or >= '\u3400' and <= '\u4DBF' or >= '\uF900' and <= '\uFAFF';
}
