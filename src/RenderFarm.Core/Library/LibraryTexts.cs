using RenderFarm.Core.Batch.Matching;

namespace RenderFarm.Core.Library;

/// <summary>
/// The texts of a library entry as Image-Text Matching and library search rank them: one whole-medium
/// record (title, description, tags, the whole transcript) and, once analysed, one record per shot with
/// its time range, its on-screen text and the words spoken during it. Records are keyed by the entry's
/// InputURL, the URL batch requests name the medium by.
/// </summary>
public static class LibraryTexts
{
    public static IReadOnlyList<MediaText> For(LibraryEntry entry)
    {
        var analysis = entry.Analysis;
        var whole = new MediaText(entry.InputUrl, DurationSeconds: analysis?.DurationSeconds, Title: entry.Title,
            Description: entry.Description, Tags: entry.Tags, Transcript: Blank(analysis?.Transcript));
        if (analysis is null) return [whole];
        // An image is one shot with In = Out = 0: its OCR text belongs to the whole medium.
        if (analysis.Shots.Count == 1 && analysis.Shots[0].Out <= analysis.Shots[0].In)
            return [whole with { OcrText = Blank(analysis.Shots[0].OcrText) }];
        var shots = analysis.Shots.Select(s => new MediaText(entry.InputUrl, s.In, s.Out, s.Out - s.In,
            OcrText: Blank(s.OcrText), Transcript: Blank(s.Transcript)));
        return [whole, .. shots];
    }

    /// <summary>
    /// The records library search ranks for an entry: the whole medium (without its transcript when it has
    /// shots: the spoken words are ranked where they are spoken, in the shots) and each shot with the medium's
    /// title, description and tags added, as a shot of a video is described by them too.
    /// </summary>
    public static IReadOnlyList<(AnalysedShot? Shot, MediaText Text)> SearchRecords(LibraryEntry entry)
    {
        var texts = For(entry);
        var whole = texts.FirstOrDefault(t => !t.IsShot) ?? new MediaText(entry.InputUrl);
        var shotTexts = texts.Where(t => t.IsShot).ToList();
        if (shotTexts.Count > 0) whole = whole with { Transcript = null };
        var shots = entry.Analysis?.Shots ?? [];
        return [(null, whole), .. shotTexts.Select(t => (shots.FirstOrDefault(s => s.In == t.In && s.Out == t.Out), t.With(whole)))];
    }

    /// <summary>
    /// Every text of the entry a ranker may be given: <see cref="SearchRecords"/> and the shots Image-Text
    /// Matching ranks (each with the whole-medium text, transcript included). Their sentence vectors are
    /// computed once, when the entry is analysed.
    /// </summary>
    public static IEnumerable<MediaText> Ranked(LibraryEntry entry)
    {
        var texts = For(entry);
        var whole = MediaText.Combine(entry.InputUrl, texts.Where(t => !t.IsShot));
        return [.. SearchRecords(entry).Select(r => r.Text), whole, .. texts.Where(t => t.IsShot).Select(t => t.With(whole))];
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
