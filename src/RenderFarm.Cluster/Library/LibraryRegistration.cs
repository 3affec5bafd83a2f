using RenderFarm.Cluster.Jobs;
using RenderFarm.Cluster.ReadModel;
using RenderFarm.Core.Library;
using RenderFarm.Media.Sources;

namespace RenderFarm.Cluster.Library;

/// <summary>The entry as stored, and whether it was registered before (same InputURL: nothing new is analysed).</summary>
public sealed record RegistrationResult(LibraryEntry Entry, bool Existing);

/// <summary>
/// RegisterMediaInfo: checks the request, answers an InputURL registered before with its existing entry,
/// otherwise checks that the URL may be read (the media source policy, as for timeline media: a refused or
/// missing medium is an error naming InputURL, and nothing is stored), stores the entry and submits its
/// analysis job (one analyse task). The job id derives from the MediaId, so a registration that died
/// between the two steps submits the same job when the URL is registered again.
/// </summary>
public sealed class LibraryRegistration(IMediaLibraryStore library, MediaSourceResolver resolver, string mediaDirectory, IJobGateway jobs, TimeProvider clock)
{
    public async Task<RegistrationResult> RegisterAsync(string body, CancellationToken ct)
    {
        var request = MediaRegistrationParser.Parse(body);
        if (await library.FindMediaByUrlAsync(request.InputUrl, ct) is { } existing)
        {
            await jobs.SubmitAsync(MediaAnalysisPlanner.Job(existing.MediaId, existing.InputUrl, body), ct); // nothing new when it exists
            return new(existing, true);
        }
        await resolver.ResolveAsync(request.InputUrl, "InputURL", mediaDirectory, ct);
        var now = clock.GetUtcNow();
        var mediaId = JobIds.New();
        var entry = new LibraryEntry(mediaId, request.InputUrl, request.MediaType, request.Title, request.Description, request.Tags,
            MediaState.Analysing, null, 0, now, now, MediaAnalysisPlanner.JobIdOf(mediaId), null);
        var (stored, raced) = await library.RegisterMediaAsync(entry, ct);
        await jobs.SubmitAsync(MediaAnalysisPlanner.Job(stored.MediaId, stored.InputUrl, body), ct);
        return new(stored, raced);
    }
}
