using RenderFarm.Cluster.Artifacts;
using RenderFarm.Cluster.Jobs;
using RenderFarm.Cluster.Model;
using RenderFarm.Cluster.Orchestration;

namespace RenderFarm.Cluster.Library;

/// <summary>What an analyse task analyses: one library entry's medium. It is also the request of the entry's job video.</summary>
public sealed record AnalyseInput(string MediaId, string InputUrl);

/// <summary>
/// The job of a library entry: kind MediaAnalysis, one "video" standing for the medium (its request is the
/// <see cref="AnalyseInput"/>, no output file) and, once the orchestrator plans it, one analyse task. Being an
/// ordinary job, its task has a lease, retries, re-dispatch after a lost node, history and cancellation.
/// </summary>
public static class MediaAnalysisPlanner
{
    /// <summary>Bumped when the analysis result changes shape or meaning (enters the task's artifact key).</summary>
    public const string AnalysisVersion = "renderfarm-analyse-1";

    public static (JobRecord Job, VideoRecord Video, HistoryEntry History) Job(string mediaId, string inputUrl, string requestJson, DateTimeOffset now)
    {
        var jobId = JobIds.New();
        var job = new JobRecord(jobId, JobKind.MediaAnalysis, null, requestJson, JobStatus.Queuing, 0, null, null, null, now, now, null, 0);
        var video = new VideoRecord($"{jobId}-000", jobId, 0, TaskInputJson.Write(new AnalyseInput(mediaId, inputUrl)), "",
            JobStatus.Queuing, 0, 0, 0, null, null, null, 0);
        var history = new HistoryEntry(0, jobId, null, null, now, "Queuing", $"media {mediaId} registered: {inputUrl}", null);
        return (job, video, history);
    }

    /// <summary>The one analyse task of an entry's job.</summary>
    public static TaskRecord Task(VideoRecord video)
    {
        var input = TaskInputJson.Read<AnalyseInput>(video.RequestJson);
        return new TaskRecord(JobIds.New(), video.JobId, video.VideoId, TaskKind.Analyse, video.RequestJson,
            ArtifactStore.Key(AnalysisVersion, "analyse", input.InputUrl),
            TaskState.Pending, 1, null, null, null, null, null, null, false, 0);
    }
}
