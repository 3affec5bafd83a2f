namespace RenderFarm.Core.Batch.Matching;

/// <summary>
/// What is known about the content of a medium, or of one shot of it (<see cref="In"/>/<see cref="Out"/> in
/// seconds; both null = the whole medium): a title, a description, tags, text read from the picture (OCR)
/// and the spoken words (transcript). A media library fills it from analysis; Image-Text Matching ranks these
/// texts against the voice-over. <see cref="DurationSeconds"/> is informative (the planner uses probed facts).
/// </summary>
public sealed record MediaText(
    string MediaUrl,
    double? In = null,
    double? Out = null,
    double? DurationSeconds = null,
    string? Title = null,
    string? Description = null,
    IReadOnlyList<string>? Tags = null,
    string? OcrText = null,
    string? Transcript = null)
{
    public bool IsShot => In is not null && Out is not null;

    /// <summary>This shot's text with the medium-wide text added (a video's title and tags describe all its shots).</summary>
    public MediaText With(MediaText? whole) => whole is null ? this : this with
    {
        Title = Join(Title, whole.Title),
        Description = Join(Description, whole.Description),
        Tags = [.. Tags ?? [], .. whole.Tags ?? []],
        OcrText = Join(OcrText, whole.OcrText),
        Transcript = Join(Transcript, whole.Transcript),
    };

    /// <summary>All medium-wide records of one medium as one (several analyses may each give a record).</summary>
    public static MediaText Combine(string mediaUrl, IEnumerable<MediaText> texts) =>
        texts.Aggregate(new MediaText(mediaUrl), (sum, t) => sum.With(t with { In = null, Out = null }));

    private static string? Join(string? a, string? b) =>
        string.IsNullOrWhiteSpace(a) ? b : string.IsNullOrWhiteSpace(b) ? a : $"{a}\n{b}";
}

/// <summary>
/// The media texts of a medium (whole-medium and per-shot records); an empty list when nothing is known. And the
/// sentence vectors stored for them (<see cref="SentenceDocuments.Key"/>), so a ranker embeds only the others.
/// </summary>
public interface IMediaTextFacts
{
    IReadOnlyList<MediaText> MediaTexts(string mediaUrl);
    IReadOnlyDictionary<string, float[]> TextVectors { get; }
}

/// <summary>Batch facts plus media texts (and their stored vectors), as the Image-Text Matching planner takes them.</summary>
public sealed class MatchingFacts(IBatchFacts facts, IEnumerable<MediaText> texts, IReadOnlyDictionary<string, float[]>? vectors = null) : IBatchFacts, IMediaTextFacts
{
    private readonly ILookup<string, MediaText> _texts = texts.ToLookup(t => t.MediaUrl, StringComparer.Ordinal);

    public IReadOnlyDictionary<string, float[]> TextVectors { get; } = vectors ?? new Dictionary<string, float[]>();

    public Planning.MediaFacts? Media(string mediaUrl) => facts.Media(mediaUrl);
    public double? SpeechSeconds(SpeechLine line) => facts.SpeechSeconds(line);
    public IReadOnlyList<MediaText> MediaTexts(string mediaUrl) => _texts[mediaUrl].ToList();
}
