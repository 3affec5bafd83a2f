using RenderFarm.Cluster.Artifacts;
using RenderFarm.Cluster.Lifecycle;
using RenderFarm.Cluster.Model;
using RenderFarm.Cluster.Planning;
using RenderFarm.Media.Production;

namespace RenderFarm.Cluster.Production;

/// <summary>
/// What an iproduction task runs: the function, its input (a URL or path the media policy admitted, library
/// MediaIds already resolved), its JobParams as sent, the media those name (resolved the same way), the
/// output file, and the job's priority. It is also the request of the job's one "video".
/// </summary>
public sealed record ProduceInput(string FunctionName, string InputUrl, string? JobParams, IReadOnlyList<ParamMedia> Media, string OutputPath, int Priority);

/// <summary>
/// The job of a SubmitIProductionJob: kind IProduction, one "video" standing for the function's output
/// (its request is the <see cref="ProduceInput"/>) and, once prepared, one iproduction task with the job's
/// priority. Being an ordinary job, its task is persisted, retried, re-dispatched after a lost node,
/// cancellable, and its end calls the webhook.
/// </summary>
public static class ProductionPlanner
{
    /// <summary>Bumped when a function's output or result changes meaning (enters the task's artifact key).</summary>
    public const string ProductionVersion = "renderfarm-iproduction-1";

    /// <summary>The job's one "video": the function's output.</summary>
    public static VideoSpec Video(string jobId, ProduceInput input) => new($"{jobId}-000", 0, TaskInputJson.Write(input), input.OutputPath);

    /// <summary>
    /// The one task. Its artifact (the function's Result) is keyed by the job as well as the request: a retry
    /// after the output was written reuses it, another job runs afresh (a file under the same URL may have changed).
    /// </summary>
    public static TaskSpec Task(string jobId, VideoSpec video)
    {
        var input = TaskInputJson.Read<ProduceInput>(video.RequestJson);
        return new TaskSpec($"{video.VideoId}-produce", TaskKind.Produce, video.RequestJson,
            ArtifactStore.Key(ProductionVersion, jobId, video.RequestJson), 0, input.Priority);
    }
}
