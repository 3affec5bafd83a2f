using System.Collections.Concurrent;
using RenderFarm.AI;
using RenderFarm.Cluster.Hosting;
using RenderFarm.Cluster.ReadModel;
using RenderFarm.Core.Batch;
using RenderFarm.Core.Batch.Matching;
using RenderFarm.Core.Library;
using RenderFarm.Core.Json;
using RenderFarm.Core.Planning;
using RenderFarm.Core.Timelines;
using RenderFarm.Media.Ai;
using RenderFarm.Media.Rendering;
using RenderFarm.Media.Sources;

namespace RenderFarm.Cluster.Jobs;

/// <summary>
/// What batch planning needs from the node: the voices it can speak, its media library (MediaIds and
/// MediaSearchInput resolved, see <see cref="LibraryReferences"/>), and probed media plus spoken durations.
/// </summary>
public interface IBatchFactsSource
{
    IReadOnlyCollection<string> Voices { get; }
    Task<BatchRequest> ResolveLibraryAsync(BatchRequest request, CancellationToken ct);
    Task<IBatchFacts> GatherAsync(BatchRequest request, FactsNeeded needed, CancellationToken ct);
}

/// <summary>
/// Gathers the facts of a batch request on this node: resolves and probes every medium (a few at a
/// time) and speaks every voice-over line once through the node's speech engine, so planned lengths
/// are the real spoken lengths. The engine caches the speech under the shared artifact directory, so
/// the tts tasks of the planned videos find it done. Errors name the request field of the medium or text.
/// With a media library, the facts are also <see cref="IMediaTextFacts"/>: the library texts (title,
/// description, tags, OCR text, transcript, per shot) of every medium whose URL is a library entry's InputURL.
/// </summary>
public sealed class BatchFactsGatherer(TimelinePreparer preparer, string mediaDirectory, ISpeechEngine? speech, IMediaLibraryStore? library = null) : IBatchFactsSource, IDisposable
{
    private const int Parallel = 4;

    public IReadOnlyCollection<string> Voices => VoiceCatalog.Names;

    /// <summary>The gatherer of a farm node: same media policy, media directory and AI caches as its video preparation.</summary>
    public static BatchFactsGatherer ForNode(NodeSettings settings, MediaSourcePolicy sources, IMediaLibraryStore? library = null)
    {
        var mediaDirectory = Directory.CreateDirectory(Path.Combine(settings.DataDirectory, "media")).FullName;
        var engines = AiEngineFactory.Create(Path.Combine(settings.ArtifactDirectory, "ai"));
        return new BatchFactsGatherer(new TimelinePreparer(sources, TimelineLimits.Default, engines),
            mediaDirectory, engines.Speech, library);
    }

    public Task<BatchRequest> ResolveLibraryAsync(BatchRequest request, CancellationToken ct) =>
        LibraryReferences.ResolveAsync(request, library, ct);

    public async Task<IBatchFacts> GatherAsync(BatchRequest request, FactsNeeded needed, CancellationToken ct)
    {
        var paths = MediaPaths(request.Input);
        var textPaths = TextPaths(request.Input);
        var media = new ConcurrentDictionary<string, MediaFacts>(StringComparer.Ordinal);
        var spoken = new ConcurrentDictionary<SpeechLine, double>();
        using var gate = new SemaphoreSlim(Parallel);

        async Task Limited(Func<Task> work)
        {
            await gate.WaitAsync(ct);
            try { await work(); }
            finally { gate.Release(); }
        }

        var probes = needed.MediaUrls.Select(url => Limited(async () =>
        {
            var (_, facts) = await preparer.ProbeAsync(url, paths.GetValueOrDefault(url, "InputConfig"), mediaDirectory, ct);
            media[url] = facts;
        }));
        var lines = needed.SpeechLines.Select(line => Limited(async () =>
        {
            var path = textPaths.GetValueOrDefault(line.Text) ?? textPaths.FirstOrDefault(t => t.Key.Contains(line.Text, StringComparison.Ordinal)).Value ?? "InputConfig.SpeechTextArray";
            var engine = speech ?? throw new RequestException(path, "text-to-speech is not available on this node");
            var track = await engine.SynthesizeAsync(new SpeechSpec(line.Text, line.Voice, (int)Math.Round(line.SpeechRate), 0, "batch", path), ct);
            spoken[line] = track.DurationSeconds;
        }));
        await Task.WhenAll(probes.Concat(lines));
        var facts = new BatchFacts(media, line => spoken.TryGetValue(line, out var seconds) ? seconds : null);
        if (library is null) return facts;
        var (texts, vectors) = await LibraryTextsAsync(library, needed.MediaUrls, ct);
        return new MatchingFacts(facts, texts, vectors);
    }

    /// <summary>The library texts of the media that are library entries, and the sentence vectors stored for them at analysis.</summary>
    private static async Task<(IReadOnlyList<MediaText>, IReadOnlyDictionary<string, float[]>)> LibraryTextsAsync(
        IMediaLibraryStore library, IEnumerable<string> urls, CancellationToken ct)
    {
        var texts = new List<MediaText>();
        var ids = new List<string>();
        foreach (var url in urls.Distinct(StringComparer.Ordinal))
        {
            if (await library.FindMediaByUrlAsync(url, ct) is not { } entry) continue;
            texts.AddRange(LibraryTexts.For(entry));
            ids.Add(entry.MediaId);
        }
        return (texts, await library.TextVectorsAsync(ids, ct));
    }

    /// <summary>The first request field each medium appears in, to name it in probe errors.</summary>
    private static Dictionary<string, string> MediaPaths(BatchInput input)
    {
        var refs = input.MediaGroups.SelectMany(g => g.Media).Concat(input.Media).Concat(input.BackgroundMusic)
            .Concat(input.BackgroundImages).Concat(input.Stickers.Select(s => s.Media));
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var r in refs) paths.TryAdd(r.Url, r.Path);
        return paths;
    }

    private static Dictionary<string, string> TextPaths(BatchInput input)
    {
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var t in input.SpeechTexts.Concat(input.MediaGroups.SelectMany(g => g.SpeechTexts))) paths.TryAdd(t.Text, t.Path);
        return paths;
    }

    public void Dispose() => preparer.Dispose();
}
