using RenderFarm.Cluster.Model;
using RenderFarm.Core.Library;

namespace RenderFarm.Cluster.ReadModel;

/// <summary>
/// The media library's persistent part (table media, next to the read model's job tables in the same
/// database). An entry's analysis job (<see cref="LibraryEntry.JobId"/>) is a job entity of its own, submitted
/// separately; the entry's <see cref="LibraryEntry.State"/> is not stored but derived from that job's
/// projected row: Normal once an analysis is saved, Failed when the job ended Failed or Cancelled without
/// one (the job's message is the error), and Analysing otherwise (also before the job's row is projected),
/// so cancelling or retrying the job is reflected as is.
/// </summary>
public interface IMediaLibraryStore
{
    /// <summary>
    /// Inserts the entry's row only (its <see cref="LibraryEntry.JobId"/> names the analysis job the caller
    /// submits to its job entity). An InputURL registered before inserts nothing: the existing entry is
    /// returned with Existing = true (also when a concurrent registration of the URL won).
    /// </summary>
    Task<(LibraryEntry Entry, bool Existing)> RegisterMediaAsync(LibraryEntry entry, CancellationToken ct = default);

    Task<LibraryEntry?> GetMediaAsync(string mediaId, CancellationToken ct = default);
    Task<LibraryEntry?> FindMediaByUrlAsync(string inputUrl, CancellationToken ct = default);

    /// <summary>Entries newest first, filtered and paged like job lists (opaque NextToken, MaxResults 1..100).</summary>
    Task<MediaPage> ListMediaAsync(MediaQuery query, CancellationToken ct = default);

    /// <summary>Every entry (at most <paramref name="limit"/>, newest first), for ranking a search.</summary>
    Task<IReadOnlyList<LibraryEntry>> AllMediaAsync(int limit, CancellationToken ct = default);

    /// <summary>Stores an entry's analysis and where its keyframes lie; the entry becomes Normal. False if the entry was deleted.</summary>
    Task<bool> SaveAnalysisAsync(string mediaId, MediaAnalysis analysis, string keyframeDirectory, CancellationToken ct = default);

    /// <summary>Where an entry's keyframes lie (null until analysed).</summary>
    Task<string?> KeyframeDirectoryAsync(string mediaId, CancellationToken ct = default);

    /// <summary>Analysis progress, 0 to 100 (written by the node that analyses it).</summary>
    Task SetMediaProgressAsync(string mediaId, double progress, CancellationToken ct = default);

    /// <summary>
    /// Replaces an entry's stored sentence vectors (keyed by <see cref="Core.Batch.Matching.SentenceDocuments.Key"/>,
    /// which names the encoder), computed once when it is analysed.
    /// </summary>
    Task SaveTextVectorsAsync(string mediaId, IReadOnlyDictionary<string, float[]> vectors, CancellationToken ct = default);

    /// <summary>The stored sentence vectors of these entries (null: of every entry), by key.</summary>
    Task<IReadOnlyDictionary<string, float[]>> TextVectorsAsync(IReadOnlyCollection<string>? mediaIds, CancellationToken ct = default);

    /// <summary>Deletes entries; returns the ids that existed. Their jobs' rows and keyframe artifacts are kept.</summary>
    Task<IReadOnlyList<string>> DeleteMediaAsync(IReadOnlyList<string> mediaIds, CancellationToken ct = default);
}

public sealed record MediaQuery(MediaState? State = null, string? MediaType = null, int MaxResults = 10, string? NextToken = null);

public sealed record MediaPage(IReadOnlyList<LibraryEntry> Media, string? NextToken);
