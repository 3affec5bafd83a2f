using RenderFarm.Cluster.Library;
using RenderFarm.Cluster.Lifecycle;
using RenderFarm.Cluster.Model;
using RenderFarm.Core.Planning;
using RenderFarm.Media.Ai;

namespace RenderFarm.Cluster.Planning;

/// <summary>
/// Segment length and the encoder choices that enter artifact keys, the same for every video of a node.
/// With <see cref="Nodes"/> (the nodes as they last reported) a video may be planned for h264_nvenc
/// (<see cref="EncoderChoice"/>); without, every video is libx264.
/// </summary>
public sealed record PlanningOptions(double SegmentSeconds, string EncoderTag)
{
    public string NvencTag { get; init; } = "";
    public Func<CancellationToken, Task<IReadOnlyList<NodeRecord>>>? Nodes { get; init; }
    /// <summary>A node whose last report is older than this does not count.</summary>
    public TimeSpan LiveWithin { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// Prepares a video's next stage on a gateway node: the AI work it needs (speech first, then
/// transcripts and mattes), then, once speech lengths are known, its segments and audio mix (probing
/// its media), then its assembly; an analysis job's one analyse task; an IProduction job's one iproduction task. A medium or request that cannot
/// be prepared fails the video with a code naming why.
/// </summary>
public sealed class StagePlanner(VideoPreparation preparation, PlanningOptions options) : IStagePlanner
{
    public async Task<IJobCommand> PrepareAsync(JobState job, string videoId, VideoStage stage, CancellationToken ct)
    {
        var v = job.Videos[videoId];
        var video = new VideoSpec(v.VideoId, v.Index, v.RequestJson, v.OutputPath);
        try
        {
            switch (stage)
            {
                case VideoStage.Speech or VideoStage.AiWork:
                    var work = preparation.AiWork(video).Where(w => (w.Kind == AiWorkKind.Speech) == (stage == VideoStage.Speech));
                    return new StagePrepared(job.JobId, videoId, stage, JobPlanner.AiTasks(video, work), null, null);
                case VideoStage.Render:
                    preparation.Forget(videoId); // a failed job retried by an operator probes its media again
                    var prepared = await preparation.PrepareAsync(video, ct);
                    // h264_nvenc encodes H.264 only: other codecs' segments go to the CPU encoders.
                    var kind = prepared.Schedule.Output.Encoding.Codec == VideoCodec.H264 ? await SegmentKindAsync(v.Index, ct) : TaskKind.EncodeSegment;
                    var tag = kind == TaskKind.EncodeSegmentNvenc ? options.NvencTag : options.EncoderTag;
                    List<TaskSpec> tasks = [JobPlanner.Audio(video, prepared, options.EncoderTag), .. JobPlanner.Segments(video, prepared, options.SegmentSeconds, tag, kind)];
                    return new StagePrepared(job.JobId, videoId, stage, tasks, prepared.Schedule.TotalFrames, prepared.Schedule.DurationSeconds);
                case VideoStage.Assemble:
                    var ready = await preparation.PrepareAsync(video, ct);
                    var segments = job.Tasks.Values.Where(t => t.VideoId == videoId && TaskKinds.IsSegment(t.Kind));
                    return new StagePrepared(job.JobId, videoId, stage, [JobPlanner.Assemble(video, ready, segments, options.EncoderTag)], null, null);
                case VideoStage.Produce:
                    return new StagePrepared(job.JobId, videoId, stage, [Production.ProductionPlanner.Task(job.JobId, video)], null, null);
                case VideoStage.Analyse:
                    return new StagePrepared(job.JobId, videoId, stage, [MediaAnalysisPlanner.Task(video)], null, null);
                default:
                    throw new ArgumentOutOfRangeException(nameof(stage), stage, "not a stage to prepare");
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var code = stage is VideoStage.Speech or VideoStage.AiWork ? "InvalidParameter" : "InvalidMedia";
            return new StagePreparationFailed(job.JobId, videoId, stage, code, e.Message.ReplaceLineEndings(" "));
        }
    }

    /// <summary>The encoder of the video's segments, fixed here for all of them; libx264 when the nodes cannot be read.</summary>
    private async Task<TaskKind> SegmentKindAsync(int videoIndex, CancellationToken ct)
    {
        if (options.Nodes is not { } nodes) return TaskKind.EncodeSegment;
        try { return EncoderChoice.SegmentKind(videoIndex, await nodes(ct), DateTimeOffset.UtcNow, options.LiveWithin); }
        catch (Exception e) when (e is not OperationCanceledException) { return TaskKind.EncodeSegment; }
    }
}
