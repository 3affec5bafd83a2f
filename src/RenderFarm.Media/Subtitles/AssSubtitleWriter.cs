using System.Text;
using RenderFarm.Core.Planning;
using RenderFarm.Core.Timelines;

namespace RenderFarm.Media.Subtitles;

/// <summary>
/// Writes the text clips of a schedule as an ASS (v4.00+) script for ffmpeg's subtitles filter (libass 0.17).
/// Pure: no I/O. Script coordinates are output pixels (PlayRes = output size).
/// </summary>
public static class AssSubtitleWriter
{
    private const string EventFormat = "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text";

    /// <param name="fontFamilies">The family name of each FontUrl's font file, by URL (fonts in the fonts directory).</param>
    public static string Write(IReadOnlyList<TextSegment> texts, OutputFormat output, IReadOnlyDictionary<string, string>? fontFamilies = null)
    {
        var styles = new AssStyles(fontFamilies ?? new Dictionary<string, string>());
        var events = texts.SelectMany(text => Events(text, output, styles)).ToList();
        var script = new StringBuilder();
        AppendSection(script, "[Script Info]", ScriptInfo(output));
        AppendSection(script, "[V4+ Styles]", [AssStyles.Format, .. styles.Lines]);
        AppendSection(script, "[Events]", [EventFormat, .. events]);
        return script.ToString();
    }

    private static IEnumerable<string> ScriptInfo(OutputFormat output) =>
    [
        "ScriptType: v4.00+",
        $"PlayResX: {output.Width}",
        $"PlayResY: {output.Height}",
        // Smart wrapping for AutoWrap texts; the others opt out per event with \q2.
        "WrapStyle: 0",
        "ScaledBorderAndShadow: yes",
        // The colours are meant as written: no BT.601/BT.709 adjustment.
        "YCbCr Matrix: None",
    ];

    private static void AppendSection(StringBuilder script, string header, IEnumerable<string> lines)
    {
        if (script.Length > 0) script.Append('\n');
        script.Append(header).Append('\n');
        foreach (var line in lines) script.Append(line).Append('\n');
    }

    private static IEnumerable<string> Events(TextSegment segment, OutputFormat output, AssStyles styles)
    {
        if (AssTime.Span(segment.Start, segment.End, output.Fps) is not (var start, var end)) return [];
        var style = segment.Clip.Style;
        var fitWidth = TextPlacement.FitWidth(style, output);
        var layout = TextLayout.For(segment.Clip.Content, style, fitWidth);
        var (marginLeft, marginRight) = style.Fit == TextFit.AutoWrap ? TextPlacement.WrapMargins(fitWidth, output) : (0, 0);
        var head = $"{styles.NameFor(style)},,{marginLeft},{marginRight},0,,";
        var layoutTags = LayoutTags(style, layout);
        var text = AssText.Join(layout.Lines, HighlightTags.For(style, segment.Clip.Highlight), LineBreak(style, layout));
        var scene = new MotionScene(TextPlacement.Anchor(style, output), output, layout.FontSize, AssStyles.VisibleAlphas(style), style.Spacing, style.Angle);
        return AssMotion.Parts(segment.Clip.Motion, start, end, scene).Select(part =>
            $"Dialogue: 0,{AssTime.Format(part.Start)},{AssTime.Format(part.End)},{head}{{{layoutTags}{part.Tags}}}{text}");
    }

    private static string LayoutTags(TextStyle style, TextLayout layout)
    {
        var tags = new StringBuilder($@"\an{TextPlacement.AnCode(style.Alignment)}");
        // Without AutoWrap a text keeps its lines even where it runs past the frame.
        if (style.Fit != TextFit.AutoWrap) tags.Append(@"\q2");
        if (layout.FontSize != style.FontSize) tags.Append($@"\fs{AssFormat.Number(layout.FontSize)}");
        // BorderStyle 4 pads the box by the shadow offsets (see AssStyles).
        if (style.Box is { } box)
            tags.Append($@"\xshad{AssFormat.Number(box.XBorder)}\yshad{AssFormat.Number(box.YBorder)}");
        else if (style.ShadowOffset is { } shadow)
            tags.Append($@"\xshad{AssFormat.Number(shadow.X)}\yshad{AssFormat.Number(shadow.Y)}");
        return tags.ToString();
    }

    /// <summary>
    /// libass has no line spacing: with LineSpacing each break holds a blank line of a font size whose line
    /// height (about 1.2 em) is LineSpacing pixels, and the text's size is restored after it.
    /// </summary>
    private static string LineBreak(TextStyle style, TextLayout layout) => style.LineSpacing <= 0
        ? @"\N"
        : $@"\N{{\fs{AssFormat.Number(style.LineSpacing / 1.2)}}}\h\N{{\fs{AssFormat.Number(layout.FontSize)}}}";
}
