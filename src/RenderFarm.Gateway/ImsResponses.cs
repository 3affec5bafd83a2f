using RenderFarm.Cluster.Model;

namespace RenderFarm.Gateway;

/// <summary>Job records in the IMS response shapes (MediaProducingJob, EditingBatchJob).</summary>
public static class ImsResponses
{
    public static string Time(DateTimeOffset? t) => t is { } v ? v.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'") : null!;

    public static object MediaProducingJob(JobRecord job, VideoRecord? video) => new
    {
        job.JobId,
        Status = job.Status.ToString(),
        Progress = (int)Math.Floor(job.Progress),
        MediaURL = video?.OutputPath,
        Duration = job.Status == JobStatus.Success ? video?.DurationSeconds : null,
        job.Code,
        job.Message,
        CreateTime = Time(job.CreateTime),
        ModifiedTime = Time(job.ModifiedTime),
        CompleteTime = job.CompleteTime is null ? null : Time(job.CompleteTime),
        job.UserData,
    };

    public static object EditingBatchJob(JobRecord job, IReadOnlyList<VideoRecord> videos) => new
    {
        job.JobId,
        Status = job.Status.ToString(),
        Progress = (int)Math.Floor(job.Progress),
        CreateTime = Time(job.CreateTime),
        ModifiedTime = Time(job.ModifiedTime),
        CompleteTime = job.CompleteTime is null ? null : Time(job.CompleteTime),
        job.UserData,
        job.Code,
        job.Message,
        SubJobList = videos.OrderBy(v => v.Index).Select(v => new
        {
            JobId = v.VideoId,
            v.Index,
            MediaURL = v.OutputPath,
            Status = v.Status.ToString(),
            Progress = (int)Math.Floor(v.Progress),
            Duration = v.DurationSeconds,
            ErrorCode = v.Code,
            ErrorMessage = v.Message,
        }),
    };
}
