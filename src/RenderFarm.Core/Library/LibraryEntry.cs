namespace RenderFarm.Core.Library;

/// <summary>IMS media asset states: Analysing until the analysis task ends, then Normal (analysed) or Failed.</summary>
public enum MediaState { Analysing, Normal, Failed }

/// <summary>
/// One registered medium of the media library: what the user said about it (title, description, tags),
/// where it is (<see cref="InputUrl"/>, as registered), and what analysing it found once it is
/// <see cref="MediaState.Normal"/>. <see cref="JobId"/> is the job whose analyse task analyses it.
/// <see cref="Progress"/> is the analysis progress, 0 to 100.
/// </summary>
public sealed record LibraryEntry(
    string MediaId,
    string InputUrl,
    string MediaType,
    string? Title,
    string? Description,
    IReadOnlyList<string> Tags,
    MediaState State,
    string? Error,
    double Progress,
    DateTimeOffset CreateTime,
    DateTimeOffset ModifiedTime,
    string JobId,
    MediaAnalysis? Analysis);
