using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using RenderFarm.Cluster.Artifacts;
using RenderFarm.Cluster.Model;
using RenderFarm.Cluster.Planning;
using RenderFarm.Cluster.ReadModel;
using RenderFarm.Cluster.Workers;
using RenderFarm.Core.Batch.Matching;
using RenderFarm.Core.Library;
using RenderFarm.Media.Analysis;
using RenderFarm.Media.Sources;

namespace RenderFarm.Cluster.Library;

/// <summary>
/// The analyser of a node and a tag naming it with its options (enters the analysis's content address), and the
/// sentence encoder whose vectors of the entry's texts are stored with it (null: none stored; opened on first use).
/// </summary>
public sealed record MediaAnalysisEngine(IMediaAnalyzer Analyzer, string Tag, Func<ISentenceEncoder>? Encoder = null);

/// <summary>
/// Runs an analyse task on a worker: resolves the entry's InputURL through the media source policy (as
/// timeline media are), analyses the file into the shared artifact directory and stores the result in the
/// library. The analysis (analysis.json plus the keyframe images) is a directory content-addressed by the
/// file's SHA-256 and the analyser tag, so analysing the same bytes again (another URL, a retry, a
/// re-registration) reuses it without running anything. The sentence vectors of the entry's texts are computed
/// here too, once, so searches and Image-Text Matching embed only their own sentences.
/// </summary>
public sealed class MediaAnalysisRunner(IMediaLibraryStore library, MediaSourceResolver resolver, string mediaDirectory, ArtifactStore artifacts, MediaAnalysisEngine engine)
{
    public const string ResultFile = "analysis.json";
    private const string Extension = ".analysis";

    public async Task<TaskOutcome> RunAsync(string inputJson, CancellationToken ct)
    {
        var input = TaskInputJson.Read<AnalyseInput>(inputJson);
        var local = await resolver.ResolveAsync(input.InputUrl, "InputURL", mediaDirectory, ct);
        var key = ArtifactStore.Key(MediaAnalysisPlanner.AnalysisVersion, await FileHashAsync(local, ct), engine.Tag);
        var directory = artifacts.PathOf(key, Extension);
        var reused = File.Exists(Path.Combine(directory, ResultFile));
        var started = Stopwatch.StartNew();
        if (!reused) await AnalyseAsync(input.MediaId, local, key, directory, ct);
        var analysis = JsonSerializer.Deserialize<MediaAnalysis>(await File.ReadAllTextAsync(Path.Combine(directory, ResultFile), ct))
            ?? throw new InvalidDataException($"analysis artifact {key[..12]} is empty");
        await library.SaveAnalysisAsync(input.MediaId, analysis, directory, ct);
        if (engine.Encoder is { } encoder && await library.GetMediaAsync(input.MediaId, ct) is { } entry)
        {
            var vectors = SentenceDocuments.Embed(encoder(), LibraryTexts.Ranked(entry).Select(SentenceDocuments.Of), ct);
            await library.SaveTextVectorsAsync(input.MediaId, vectors, ct);
        }
        return new TaskOutcome(reused, reused ? TimeSpan.Zero : started.Elapsed);
    }

    /// <summary>Analyses into a scratch directory beside the artifacts, then renames it into place (another node's finished copy wins).</summary>
    private async Task AnalyseAsync(string mediaId, string local, string key, string directory, CancellationToken ct)
    {
        var temp = Path.Combine(artifacts.TempDirectory, $"{key}.{Guid.NewGuid():N}{Extension}");
        Directory.CreateDirectory(temp);
        try
        {
            var progress = new PercentProgress(percent => library.SetMediaProgressAsync(mediaId, percent));
            var analysis = await engine.Analyzer.AnalyseAsync(local, temp, progress, ct);
            await File.WriteAllTextAsync(Path.Combine(temp, ResultFile), JsonSerializer.Serialize(analysis), ct);
            Directory.CreateDirectory(Path.GetDirectoryName(directory)!);
            try { Directory.Move(temp, directory); }
            catch (IOException) when (File.Exists(Path.Combine(directory, ResultFile))) { }
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
    }

    private static async Task<string> FileHashAsync(string path, CancellationToken ct)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
    }
}
