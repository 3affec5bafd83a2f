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

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
