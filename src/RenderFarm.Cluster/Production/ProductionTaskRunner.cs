using System.Diagnostics;
using System.Text.Json.Nodes;
using RenderFarm.Cluster.Artifacts;
using RenderFarm.Cluster.Dispatch;
using RenderFarm.Cluster.Planning;
using RenderFarm.Cluster.ReadModel;
using RenderFarm.Cluster.Workers;
using RenderFarm.Media;
using RenderFarm.Media.Production;
using RenderFarm.Media.Sources;

namespace RenderFarm.Cluster.Production;

/// <summary>
/// Runs an iproduction task on a worker: resolves Input and the media of JobParams through the media source
/// policy (downloading allowed URLs), runs the function into the output file, and keeps its Result as the
/// task's artifact (JSON) for QueryIProductionJob. A retry whose Result and output both exist does nothing.
/// The function's progress is written to the job's rows as it runs (<see cref="IJobProgress"/>), so
/// QueryIProductionJob and the monitor show it rising rather than jumping from 0 to 100.
/// </summary>
public sealed class ProductionTaskRunner(ProductionFunctions functions, MediaSourceResolver resolver, string mediaDirectory, ArtifactStore artifacts,
    IJobProgress? progress = null)
{
    public const string ResultExtension = ".result.json";

    public async Task<TaskOutcome> RunAsync(TaskAssignment task, CancellationToken ct)
    {
        var input = TaskInputJson.Read<ProduceInput>(task.InputJson);
        if (artifacts.Exists(task.ArtifactKey, ResultExtension) && File.Exists(input.OutputPath)) return new TaskOutcome(true, TimeSpan.Zero);
        var function = functions.Find(input.FunctionName);
        var parameters = ProductionFunctions.ParseParams(function, input.JobParams);
        var local = await resolver.ResolveAsync(input.InputUrl, "Input.Media", mediaDirectory, ct);
        var media = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var m in input.Media) media[m.Path] = await resolver.ResolveAsync(m.Url, m.Path, mediaDirectory, ct);
        var started = Stopwatch.StartNew();
        var result = await ProductionRunner.RunAsync(function, parameters, local, media, input.OutputPath, artifacts.TempDirectory,
            progress is null ? new SyncProgress<double>(_ => { }) : new PercentProgress(percent => progress.RaiseProgressAsync(task.JobId, percent)), ct);
        var temp = artifacts.TempPathFor(task.ArtifactKey, ResultExtension);
        await File.WriteAllTextAsync(temp, result.ToJsonString(), ct);
        artifacts.Publish(temp, task.ArtifactKey, ResultExtension);
        return new TaskOutcome(false, started.Elapsed);
    }

    /// <summary>A finished task's Result, or null when it has none (not finished, or its artifact was swept).</summary>
    public static JsonNode? ReadResult(ArtifactStore artifacts, string artifactKey) =>
        artifacts.Exists(artifactKey, ResultExtension) ? JsonNode.Parse(File.ReadAllText(artifacts.PathOf(artifactKey, ResultExtension))) : null;
}
