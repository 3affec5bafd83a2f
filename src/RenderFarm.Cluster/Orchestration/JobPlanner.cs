using RenderFarm.Cluster.Artifacts;
using RenderFarm.Cluster.Jobs;
using RenderFarm.Cluster.Model;
using RenderFarm.Core.Planning;
using RenderFarm.Media.Rendering;

namespace RenderFarm.Cluster.Orchestration;

/// <summary>
/// Splits a video into tasks: one encode-segment per time window (cuts outside transitions), and,
/// once they are done, one assemble (audio once + concatenation without re-encoding). Each task's
/// artifact key hashes everything that determines its result, so equal work is never done twice.
/// </summary>
public static class JobPlanner
{
    /// <summary>Bumped when rendering changes in a way that makes old artifacts wrong.</summary>
    public const string RendererVersion = "renderfarm-render-1";

    public static IReadOnlyList<TaskRecord> Segments(VideoRecord video, PreparedTimeline prepared, double segmentSeconds, string encoderTag, DateTimeOffset now)
    {
        var fingerprint = VideoPreparation.MediaFingerprint(prepared);
        return SegmentPlanner.Plan(prepared.Schedule, segmentSeconds)
            .Select(window => new TaskRecord(
                JobIds.New(), video.JobId, video.VideoId, TaskKind.EncodeSegment,
                TaskInputJson.Write(new SegmentInput(window.StartFrame, window.EndFrame)),
                ArtifactStore.Key(RendererVersion, "segment", video.RequestJson, fingerprint, encoderTag, window.ToString()),
                TaskState.Pending, 1, null, null, null, null, null, null, false, 0))
            .ToList();
    }

    public static TaskRecord Assemble(VideoRecord video, PreparedTimeline prepared, IReadOnlyList<TaskRecord> segments, string encoderTag)
    {
        var ordered = segments.OrderBy(s => TaskInputJson.Read<SegmentInput>(s.InputJson).StartFrame).Select(s => s.ArtifactKey).ToList();
        var audioKey = ArtifactStore.Key(RendererVersion, "audio", video.RequestJson, VideoPreparation.MediaFingerprint(prepared), encoderTag);
        var input = new AssembleInput(ordered, audioKey, video.OutputPath, prepared.Schedule.TotalFrames);
        return new TaskRecord(JobIds.New(), video.JobId, video.VideoId, TaskKind.Assemble, TaskInputJson.Write(input),
            ArtifactStore.Key(RendererVersion, "assemble", audioKey, string.Join(",", ordered)),
            TaskState.Pending, 1, null, null, null, null, null, null, false, 0);
    }
}
