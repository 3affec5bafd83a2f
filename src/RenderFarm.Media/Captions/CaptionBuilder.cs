using RenderFarm.Core.Planning;
using RenderFarm.Core.Timelines;
using RenderFarm.Media.Ai;
using RenderFarm.Media.Subtitles;

namespace RenderFarm.Media.Captions;

/// <summary>Where a captioned clip sits: it plays source seconds from <see cref="SourceStart"/> at <see cref="Speed"/>, on the timeline from <see cref="TimelineStart"/> for <see cref="Duration"/> seconds.</summary>
public sealed record ClipPlacement(double TimelineStart, double Duration, double SourceStart, double Speed)
{
    public double SourceEnd => SourceStart + Duration * Speed;
}

/// <summary>
/// Turns one clip's spoken sentences into timed caption clips (pure). A sentence too long for the
/// caption area is cut into captions of at most two lines (one without AutoWrap), each shown for its
/// share of the sentence's time (<see cref="CaptionPlanner"/>). Times move from the source's clock to
/// the timeline's, and captions outside the clip's span are dropped or cut at its edges.
/// With highlighting, key words (<see cref="KeywordHighlighter"/>) are marked for the ASS writer.
/// </summary>
public static class CaptionBuilder
{
    public static IReadOnlyList<TextSegment> Build(CaptionEffect effect, IReadOnlyList<TimedSentence> sentences, ClipPlacement clip, OutputFormat output)
    {
        var clean = sentences.Select(s => s with { Text = HighlightMarks.Strip(s.Text) }).Where(s => s.Text.Trim().Length > 0).ToList();
        if (clean.Count == 0) return [];
        var maxLines = effect.Style.Fit == TextFit.AutoWrap ? 2 : 1;
        var captions = CaptionPlanner.Plan(clean, CharsPerLine(effect.Style, clean, output), maxLines);
        var highlights = effect.Highlight is null ? null : KeywordHighlighter.Highlight(captions);
        var clipEnd = clip.TimelineStart + clip.Duration;
        var result = new List<TextSegment>();
        for (var i = 0; i < captions.Count; i++)
        {
            var caption = captions[i];
            var start = Math.Max(clip.TimelineStart, clip.TimelineStart + (caption.Start - clip.SourceStart) / clip.Speed);
            var end = Math.Min(clipEnd, clip.TimelineStart + (caption.End - clip.SourceStart) / clip.Speed);
            if (end - start < 1e-3) continue;
            var text = highlights is null ? caption.Text : HighlightMarks.Apply(caption.Text, highlights[i]);
            var textClip = new TextClip(effect.Path, text, start, end, effect.Style, effect.Motion) { Highlight = effect.Highlight };
            result.Add(new TextSegment(textClip, start, end));
        }
        return result;
    }

    /// <summary>How many characters of this clip's text fit on one caption line, by the same width estimate the ASS writer wraps with.</summary>
    private static int CharsPerLine(TextStyle style, IReadOnlyList<TimedSentence> sentences, OutputFormat output)
    {
        var text = string.Concat(sentences.Select(s => s.Text));
        var perChar = TextWidthEstimate.Width(text, style.FontSize, style.Spacing) / Math.Max(1, text.Length);
        return Math.Max(2, (int)(TextPlacement.FitWidth(style, output) / Math.Max(1e-6, perChar)));
    }
}
