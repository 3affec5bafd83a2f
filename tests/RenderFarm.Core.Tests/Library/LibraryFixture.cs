using RenderFarm.Core.Library;

namespace RenderFarm.Core.Tests.Library;

/// <summary>Library entries with made-up analyses, as a worker would store them.</summary>
internal static class LibraryFixture
{
    public static readonly VisualStats Grey = new(128, 10, "#808080");

    public static AnalysedShot Shot(double from, double to, string ocr = "", string? speech = null) =>
        new(from, to, $"shot_{from:0}.jpg", ocr, speech, Grey);

    public static LibraryEntry Entry(string id, string url, string? title = null, string? description = null, string[]? tags = null,
        MediaAnalysis? analysis = null, int minute = 0) =>
        new(id, url, "video", title, description, tags ?? [], analysis is null ? MediaState.Analysing : MediaState.Normal, null,
            analysis is null ? 0 : 100, new DateTimeOffset(2026, 11, 21, 10, minute, 0, TimeSpan.Zero),
            new DateTimeOffset(2026, 11, 21, 10, minute, 0, TimeSpan.Zero), "job-" + id, analysis);

    public static MediaAnalysis Video(double seconds, string? transcript, params AnalysedShot[] shots) =>
        new(seconds, 1280, 720, transcript is not null, shots, transcript, Grey);
}
