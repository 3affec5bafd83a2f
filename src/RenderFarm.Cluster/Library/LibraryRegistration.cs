using RenderFarm.Cluster.Jobs;
using RenderFarm.Cluster.Store;
using RenderFarm.Core.Library;
using RenderFarm.Media.Sources;

namespace RenderFarm.Cluster.Library;

/// <summary>The entry as stored, and whether it was registered before (same InputURL: nothing new is analysed).</summary>
public sealed record RegistrationResult(LibraryEntry Entry, bool Existing);

/// <summary>
/// RegisterMediaInfo: checks the request, answers an InputURL registered before with its existing entry,
/// otherwise checks that the URL may be read (the media source policy, as for timeline media: a refused or
/// missing medium is an error naming InputURL, and nothing is stored) and stores the entry with its
/// analysis job, which the orchestrator then runs as one analyse task.
/// </summary>
public sealed class LibraryRegistration(IMediaLibraryStore library, MediaSourceResolver resolver, string mediaDirectory, TimeProvider clock)
{
    public async Task<RegistrationResult> RegisterAsync(string body, CancellationToken ct)
    {
        var request = MediaRegistrationParser.Parse(body);
        if (await library.FindMediaByUrlAsync(request.InputUrl, ct) is { } existing) return new(existing, true);
        await resolver.ResolveAsync(request.InputUrl, "InputURL", mediaDirectory, ct);
        var now = clock.GetUtcNow();
        var mediaId = JobIds.New();
        var (job, video, history) = MediaAnalysisPlanner.Job(mediaId, request.InputUrl, body, now);
        var entry = new LibraryEntry(mediaId, request.InputUrl, request.MediaType, request.Title, request.Description, request.Tags,
            MediaState.Analysing, null, 0, now, now, job.JobId, null);
        var (stored, raced) = await library.RegisterMediaAsync(entry, job, video, history, ct);
        return new(stored, raced);
    }
}
