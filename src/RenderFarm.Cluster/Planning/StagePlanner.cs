using RenderFarm.Cluster.Library;
using RenderFarm.Cluster.Lifecycle;
using RenderFarm.Cluster.Model;
using RenderFarm.Media.Ai;

namespace RenderFarm.Cluster.Planning;

/// <summary>Segment length and the encoder choices that enter artifact keys, the same for every video of a node.</summary>
public sealed record PlanningOptions(double SegmentSeconds, string EncoderTag);

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
                    List<TaskSpec> tasks = [JobPlanner.Audio(video, prepared, options.EncoderTag), .. JobPlanner.Segments(video, prepared, options.SegmentSeconds, options.EncoderTag)];
                    return new StagePrepared(job.JobId, videoId, stage, tasks, prepared.Schedule.TotalFrames, prepared.Schedule.DurationSeconds);
                case VideoStage.Assemble:
                    var ready = await preparation.PrepareAsync(video, ct);
                    var segments = job.Tasks.Values.Where(t => t.VideoId == videoId && t.Kind == TaskKind.EncodeSegment);
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
}
