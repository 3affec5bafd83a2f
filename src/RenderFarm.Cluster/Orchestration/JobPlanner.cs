using RenderFarm.Cluster.Artifacts;
using RenderFarm.Cluster.Jobs;
using RenderFarm.Cluster.Model;
using RenderFarm.Core.Planning;
using RenderFarm.Media.Ai;
using RenderFarm.Media.Rendering;

namespace RenderFarm.Cluster.Orchestration;

/// <summary>
/// Splits a video into tasks: one encode-segment per time window (cuts outside transitions) and one
/// encode-audio (the whole mix, once), run side by side; once they are done, one assemble
/// (concatenation without re-encoding, muxed with the audio), which is then only a copy. Each task's
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

    /// <summary>The video's whole audio mix, rendered once while its segments render; the assemble task muxes it.</summary>
    public static TaskRecord Audio(VideoRecord video, PreparedTimeline prepared, string encoderTag) =>
        new(JobIds.New(), video.JobId, video.VideoId, TaskKind.EncodeAudio, "{}", AudioKey(video, prepared, encoderTag),
            TaskState.Pending, 1, null, null, null, null, null, null, false, 0);

    private static string AudioKey(VideoRecord video, PreparedTimeline prepared, string encoderTag) =>
        ArtifactStore.Key(RendererVersion, "audio", video.RequestJson, VideoPreparation.MediaFingerprint(prepared), encoderTag);

    /// <summary>The engine each kind of AI work runs on, as a task kind (queue).</summary>
    public static TaskKind KindOf(AiWorkKind kind) => kind switch
    {
        AiWorkKind.Speech => TaskKind.Tts,
        AiWorkKind.Transcript => TaskKind.Asr,
        _ => TaskKind.Matte,
    };

    public static AiWorkKind WorkOf(TaskKind kind) => kind switch
    {
        TaskKind.Tts => AiWorkKind.Speech,
        TaskKind.Asr => AiWorkKind.Transcript,
        TaskKind.Matte => AiWorkKind.Matte,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not an AI task kind"),
    };

    public static bool IsAi(TaskKind kind) => kind is TaskKind.Tts or TaskKind.Asr or TaskKind.Matte;

    /// <summary>
    /// One task per item of the video's AI work. Speech runs first (the others need the speech's
    /// length to schedule the timeline): transcripts and mattes are planned once it is done.
    /// </summary>
    public static IReadOnlyList<TaskRecord> AiTasks(VideoRecord video, IEnumerable<AiWorkItem> work) =>
        work.Select(item => new TaskRecord(
                JobIds.New(), video.JobId, video.VideoId, KindOf(item.Kind), TaskInputJson.Write(new AiInput(item.ClipPath)),
                ArtifactStore.Key(RendererVersion, KindOf(item.Kind).ToString(), video.RequestJson, item.ClipPath),
                TaskState.Pending, 1, null, null, null, null, null, null, false, 0))
            .ToList();

    public static TaskRecord Assemble(VideoRecord video, PreparedTimeline prepared, IReadOnlyList<TaskRecord> segments, string encoderTag)
    {
        var ordered = segments.OrderBy(s => TaskInputJson.Read<SegmentInput>(s.InputJson).StartFrame).Select(s => s.ArtifactKey).ToList();
        var audioKey = AudioKey(video, prepared, encoderTag);
        var input = new AssembleInput(ordered, audioKey, video.OutputPath, prepared.Schedule.TotalFrames);
        return new TaskRecord(JobIds.New(), video.JobId, video.VideoId, TaskKind.Assemble, TaskInputJson.Write(input),
            ArtifactStore.Key(RendererVersion, "assemble", audioKey, string.Join(",", ordered)),
            TaskState.Pending, 1, null, null, null, null, null, null, false, 0);
    }
}
