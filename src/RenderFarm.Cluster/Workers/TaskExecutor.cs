using RenderFarm.Cluster.Artifacts;
using RenderFarm.Cluster.Model;
using RenderFarm.Cluster.Planning;
using RenderFarm.Cluster.Dispatch;
using RenderFarm.Cluster.Lifecycle;
using RenderFarm.Core.Planning;
using RenderFarm.Media.Ai;
using RenderFarm.Media.Captions;
using RenderFarm.Media.Rendering;

namespace RenderFarm.Cluster.Workers;

/// <summary>What running a task produced: whether an existing artifact was reused, and the time spent in ffmpeg.</summary>
public sealed record TaskOutcome(bool Reused, TimeSpan FfmpegTime);

/// <summary>
/// Does the work of encode-segment, encode-audio and assemble tasks through the same renderer as `farm render`, the AI
/// tasks through the node's engines, analyse tasks through the media library's runner and iproduction tasks
/// through the media-AI functions.
/// A result whose artifact already exists is reused without running anything. Assembly also writes the
/// video's AI_ASR captions beside it as OUTPUT.srt. Segments planned for h264_nvenc go through
/// <paramref name="nvenc"/> (a gpu node whose check passed), all others through <paramref name="renderer"/>.
/// </summary>
public sealed class TaskExecutor(VideoPreparation preparation, ArtifactStore artifacts, TimelineRenderer renderer, Library.MediaAnalysisRunner? analysis = null,
    Production.ProductionTaskRunner? production = null, TimelineRenderer? nvenc = null) : ITaskRunner
{
    // Artifact names only: ffmpeg is told each file's format (OutputCodecs), so a WebM segment or an MP3 mix keeps these names.
    private const string Video = ".mp4";
    private const string Audio = ".m4a";

    public async Task<TaskOutcome> RunAsync(TaskAssignment task, VideoSpec video, CancellationToken ct)
    {
        return task.Kind switch
        {
            TaskKind.EncodeSegment or TaskKind.EncodeSegmentNvenc => await SegmentAsync(task, video, ct),
            TaskKind.EncodeAudio => await AudioAsync(task, video, ct),
            TaskKind.Assemble => await AssembleAsync(task, video, ct),
            TaskKind.Tts or TaskKind.Asr or TaskKind.Matte => await AiAsync(task, video, ct),
            TaskKind.Analyse when analysis is not null => await analysis.RunAsync(task.InputJson, ct),
            TaskKind.Produce when production is not null => await production.RunAsync(task, ct),
            _ => throw new NotSupportedException($"no engine for {TaskKinds.Name(task.Kind)} tasks on this node yet"),
        };
    }

    private async Task<TaskOutcome> SegmentAsync(TaskAssignment task, VideoSpec video, CancellationToken ct)
    {
        if (artifacts.Exists(task.ArtifactKey, Video)) return new(true, TimeSpan.Zero);
        var input = TaskInputJson.Read<SegmentInput>(task.InputJson);
        var encoder = task.Kind == TaskKind.EncodeSegmentNvenc
            ? nvenc ?? throw new NotSupportedException("this node has no h264_nvenc for an nvenc segment")
            : renderer;
        var prepared = await preparation.PrepareAsync(video, ct);
        using var work = new WorkDirectory(artifacts.TempDirectory);
        var temp = artifacts.TempPathFor(task.ArtifactKey, Video);
        var started = DateTime.UtcNow;
        await Cleanup(temp, () => encoder.RenderSegmentAsync(prepared, new RenderWindow(input.StartFrame, input.EndFrame), temp, work.Path, null, ct));
        var ffmpeg = DateTime.UtcNow - started;
        artifacts.Publish(temp, task.ArtifactKey, Video);
        return new(false, ffmpeg);
    }

    private async Task<TaskOutcome> AudioAsync(TaskAssignment task, VideoSpec video, CancellationToken ct)
    {
        if (artifacts.Exists(task.ArtifactKey, Audio)) return new(true, TimeSpan.Zero);
        var prepared = await preparation.PrepareAsync(video, ct);
        using var work = new WorkDirectory(artifacts.TempDirectory);
        var temp = artifacts.TempPathFor(task.ArtifactKey, Audio);
        var started = DateTime.UtcNow;
        await Cleanup(temp, () => renderer.RenderAudioAsync(prepared, temp, work.Path, ct));
        var ffmpeg = DateTime.UtcNow - started;
        artifacts.Publish(temp, task.ArtifactKey, Audio);
        return new(false, ffmpeg);
    }

    private async Task<TaskOutcome> AssembleAsync(TaskAssignment task, VideoSpec video, CancellationToken ct)
    {
        var input = TaskInputJson.Read<AssembleInput>(task.InputJson);
        var ffmpeg = TimeSpan.Zero;
        var reused = artifacts.Exists(task.ArtifactKey, Video);
        var prepared = await preparation.PrepareAsync(video, ct);
        if (!reused)
        {
            using var work = new WorkDirectory(artifacts.TempDirectory);
            var started = DateTime.UtcNow;
            if (!artifacts.Exists(input.AudioKey, Audio))
            {
                // Jobs planned before audio had its own task (or whose audio artifact was removed).
                var audioTemp = artifacts.TempPathFor(input.AudioKey, Audio);
                await Cleanup(audioTemp, () => renderer.RenderAudioAsync(prepared, audioTemp, work.Path, ct));
                artifacts.Publish(audioTemp, input.AudioKey, Audio);
            }
            var segments = input.SegmentKeys.Select(k => artifacts.PathOf(k, Video)).ToList();
            var missing = segments.FirstOrDefault(p => !File.Exists(p));
            if (missing is not null) throw new FileNotFoundException($"segment artifact {Path.GetFileName(missing)} is missing");
            var temp = artifacts.TempPathFor(task.ArtifactKey, Video);
            await Cleanup(temp, () => renderer.AssembleAsync(prepared.Schedule.Output.Encoding, segments, artifacts.PathOf(input.AudioKey, Audio), temp, work.Path, input.Frames, ct));
            ffmpeg = DateTime.UtcNow - started;
            artifacts.Publish(temp, task.ArtifactKey, Video);
        }
        // The output appears complete or not at all; copying again after a retry is harmless.
        using (var output = new AtomicOutput(input.OutputPath))
        {
            File.Copy(artifacts.PathOf(task.ArtifactKey, Video), output.TempPath, overwrite: true);
            ct.ThrowIfCancellationRequested();
            output.Commit();
        }
        // AI_ASR captions also go beside the video as SubRip, as `farm render --srt` writes them.
        if (prepared.Captions.Count > 0)
            await AtomicOutput.WriteTextAsync(Path.ChangeExtension(input.OutputPath, ".srt"), SrtWriter.Write(prepared.Captions), ct);
        return new(reused, ffmpeg);
    }

    /// <summary>One clip's speech, transcript or matte, computed into the engine's cache in the shared artifact directory (a cached result costs nothing).</summary>
    private async Task<TaskOutcome> AiAsync(TaskAssignment task, VideoSpec video, CancellationToken ct)
    {
        var input = TaskInputJson.Read<AiInput>(task.InputJson);
        var started = DateTime.UtcNow;
        await preparation.RunAiWorkAsync(video, new AiWorkItem(JobPlanner.WorkOf(task.Kind), input.ClipPath), ct);
        return new(false, DateTime.UtcNow - started);
    }

    private static async Task Cleanup(string temp, Func<Task> work)
    {
        try { await work(); }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
