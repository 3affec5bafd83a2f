using RenderFarm.Cluster.Artifacts;
using RenderFarm.Cluster.Lifecycle;
using RenderFarm.Cluster.Model;
using RenderFarm.Cluster.Planning;

namespace RenderFarm.Cluster.Library;

/// <summary>What an analyse task analyses: one library entry's medium. It is also the request of the entry's job video.</summary>
public sealed record AnalyseInput(string MediaId, string InputUrl);

/// <summary>
/// The job of a library entry: kind MediaAnalysis, one "video" standing for the medium (its request is the
/// <see cref="AnalyseInput"/>, no output file) and, once prepared, one analyse task. Being an ordinary job,
/// its task has retries, re-dispatch after a lost node, history and cancellation.
/// </summary>
public static class MediaAnalysisPlanner
{
    /// <summary>Bumped when the analysis result changes shape or meaning (enters the task's artifact key).</summary>
    public const string AnalysisVersion = "renderfarm-analyse-1";

    /// <summary>The job id of a medium's analysis: one per medium, so registering twice submits nothing new.</summary>
    public static string JobIdOf(string mediaId) => $"{mediaId}-analysis";

    public static SubmitJob Job(string mediaId, string inputUrl, string requestJson)
    {
        var jobId = JobIdOf(mediaId);
        var video = new VideoSpec($"{jobId}-000", 0, TaskInputJson.Write(new AnalyseInput(mediaId, inputUrl)), "");
        return new SubmitJob(jobId, JobKind.MediaAnalysis, null, requestJson, null, null, [video]);
    }

    /// <summary>The one analyse task of an entry's job.</summary>
    public static TaskSpec Task(VideoSpec video)
    {
        var input = TaskInputJson.Read<AnalyseInput>(video.RequestJson);
        return new TaskSpec($"{video.VideoId}-analyse", TaskKind.Analyse, video.RequestJson,
            ArtifactStore.Key(AnalysisVersion, "analyse", input.InputUrl), 0);
    }
}
