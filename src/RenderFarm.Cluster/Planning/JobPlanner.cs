using RenderFarm.Cluster.Artifacts;
using RenderFarm.Cluster.Lifecycle;
using RenderFarm.Cluster.Model;
using RenderFarm.Core.Planning;
using RenderFarm.Media.Ai;
using RenderFarm.Media.Rendering;

namespace RenderFarm.Cluster.Planning;

/// <summary>
/// Splits a video into tasks (pure): one encode-segment per time window (cuts outside transitions) and
/// one encode-audio (the whole mix, once), run side by side; once they are done, one assemble
/// (concatenation without re-encoding, muxed with the audio), which is then only a copy. Each task's
/// artifact key hashes everything that determines its result, so equal work is never done twice. Task
/// ids derive from the video id, so planning a stage twice plans the same tasks.
/// </summary>
public static class JobPlanner
{
    /// <summary>Bumped when rendering changes in a way that makes old artifacts wrong.</summary>
    public const string RendererVersion = "renderfarm-render-1";

    /// <param name="kind">encode-segment (libx264) or encode-segment-nvenc, with <paramref name="encoderTag"/> to match (<see cref="EncoderChoice"/>).</param>
    public static IReadOnlyList<TaskSpec> Segments(VideoSpec video, PreparedTimeline prepared, double segmentSeconds, string encoderTag,
        TaskKind kind = TaskKind.EncodeSegment)
    {
        if (!prepared.Schedule.Output.Encoding.HasVideo) return []; // an audio-only output: the audio task is the whole render
        var fingerprint = VideoPreparation.MediaFingerprint(prepared);
        return SegmentPlanner.Plan(prepared.Schedule, segmentSeconds)
            .Select((window, i) => new TaskSpec(
                $"{video.VideoId}-seg{i:D4}", kind,
                TaskInputJson.Write(new SegmentInput(window.StartFrame, window.EndFrame)),
                ArtifactStore.Key(RendererVersion, "segment", video.RequestJson, fingerprint, encoderTag, window.ToString()),
                window.EndFrame - window.StartFrame))
            .ToList();
    }

    /// <summary>The video's whole audio mix, rendered once while its segments render; the assemble task muxes it.</summary>
    public static TaskSpec Audio(VideoSpec video, PreparedTimeline prepared, string encoderTag) =>
        new($"{video.VideoId}-audio", TaskKind.EncodeAudio, "{}", AudioKey(video, prepared, encoderTag), 0);

    private static string AudioKey(VideoSpec video, PreparedTimeline prepared, string encoderTag) =>
        ArtifactStore.Key(RendererVersion, "audio", video.RequestJson, VideoPreparation.MediaFingerprint(prepared), encoderTag);

    /// <summary>The engine each kind of AI work runs on, as a task kind.</summary>
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

    /// <summary>One task per item of the video's AI work (one stage: speech first, then transcripts and mattes).</summary>
    public static IReadOnlyList<TaskSpec> AiTasks(VideoSpec video, IEnumerable<AiWorkItem> work) =>
        work.Select((item, i) => new TaskSpec(
                $"{video.VideoId}-{TaskKinds.Name(KindOf(item.Kind))}{i:D3}", KindOf(item.Kind), TaskInputJson.Write(new AiInput(item.ClipPath)),
                ArtifactStore.Key(RendererVersion, KindOf(item.Kind).ToString(), video.RequestJson, item.ClipPath), 0))
            .ToList();

    public static TaskSpec Assemble(VideoSpec video, PreparedTimeline prepared, IEnumerable<FarmTask> segments, string encoderTag)
    {
        var ordered = segments.OrderBy(s => TaskInputJson.Read<SegmentInput>(s.InputJson).StartFrame).Select(s => s.ArtifactKey).ToList();
        var audioKey = AudioKey(video, prepared, encoderTag);
        var input = new AssembleInput(ordered, audioKey, video.OutputPath, prepared.Schedule.TotalFrames);
        return new TaskSpec($"{video.VideoId}-assemble", TaskKind.Assemble, TaskInputJson.Write(input),
            ArtifactStore.Key(RendererVersion, "assemble", audioKey, string.Join(",", ordered)), 0);
    }
}
