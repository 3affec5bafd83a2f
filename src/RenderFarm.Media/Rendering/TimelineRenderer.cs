using RenderFarm.Core.Planning;
using RenderFarm.Media.Compilation;
using RenderFarm.Media.Ffmpeg;

namespace RenderFarm.Media.Rendering;

/// <summary>The finished output: where it is and what it holds.</summary>
public sealed record RenderResult(string OutputPath, long Frames, double DurationSeconds, int Segments);

/// <summary>How to render: in one ffmpeg pass, or split into segments of about SegmentSeconds rendered Parallelism at a time.</summary>
public sealed record RenderOptions(double? SegmentSeconds = null, int Parallelism = 1);

/// <summary>
/// Runs the compiled commands. A single-pass render is one ffmpeg process. A segmented render
/// draws each window to its own file, renders the audio once, and concatenates without
/// re-encoding: the same pieces a cluster worker runs one by one.
/// </summary>
public sealed class TimelineRenderer(FfmpegRunner runner, EncoderSettings encoder)
{
    public async Task<RenderResult> RenderAsync(PreparedTimeline prepared, string outputPath, RenderOptions options,
        IProgress<double>? progress, CancellationToken ct)
    {
        using var output = new AtomicOutput(outputPath);
        using var work = new WorkDirectory(Path.GetDirectoryName(output.FinalPath)!);
        var schedule = prepared.Schedule;
        var windows = options.SegmentSeconds is { } seconds
            ? SegmentPlanner.Plan(schedule, seconds)
            : [new RenderWindow(0, schedule.TotalFrames)];
        if (windows.Count == 1)
        {
            var subtitles = WriteSubtitles(prepared, work.Path);
            var command = Compiler(prepared).SinglePass(output.TempPath, work.File("graph.txt"), subtitles);
            await RunAsync(command, FrameProgress(progress, 0, schedule.TotalFrames, schedule.TotalFrames), ct);
        }
        else
        {
            var done = new long[windows.Count];
            var segmentPaths = windows.Select((w, i) => work.File($"segment-{i:D4}.mp4")).ToList();
            using var gate = new SemaphoreSlim(Math.Max(1, options.Parallelism));
            var renders = windows.Select(async (window, i) =>
            {
                await gate.WaitAsync(ct);
                try
                {
                    var segmentProgress = new Progress<FfmpegProgress>(p =>
                    {
                        Interlocked.Exchange(ref done[i], Math.Min(p.Frame, window.FrameCount));
                        progress?.Report(0.95 * done.Sum() / schedule.TotalFrames);
                    });
                    await RenderSegmentAsync(prepared, window, segmentPaths[i], work.Path, segmentProgress, ct);
                }
                finally { gate.Release(); }
            });
            await Task.WhenAll(renders);
            var audio = work.File("audio.m4a");
            await RenderAudioAsync(prepared, audio, work.Path, ct);
            await AssembleAsync(segmentPaths, audio, output.TempPath, work.Path, schedule.TotalFrames, ct);
        }
        output.Commit();
        progress?.Report(1);
        return new RenderResult(output.FinalPath, schedule.TotalFrames, schedule.DurationSeconds, windows.Count);
    }

    /// <summary>Renders frames [window) of the timeline, video only, to <paramref name="segmentPath"/>.</summary>
    public async Task RenderSegmentAsync(PreparedTimeline prepared, RenderWindow window, string segmentPath, string workDirectory,
        IProgress<FfmpegProgress>? progress, CancellationToken ct)
    {
        var name = $"segment-{window.StartFrame}-{window.EndFrame}";
        var subtitles = WriteSubtitles(prepared, workDirectory);
        var command = Compiler(prepared).VideoSegment(window, segmentPath, Path.Combine(workDirectory, name + ".graph.txt"), subtitles);
        await RunAsync(command, progress, ct);
    }

    /// <summary>Renders the whole timeline's audio once (AAC in MP4).</summary>
    public async Task RenderAudioAsync(PreparedTimeline prepared, string audioPath, string workDirectory, CancellationToken ct)
    {
        var command = Compiler(prepared).AudioTrack(audioPath, Path.Combine(workDirectory, "audio.graph.txt"));
        await RunAsync(command, null, ct);
    }

    /// <summary>Concatenates segments without re-encoding and muxes the audio: the final MP4 (faststart).</summary>
    public async Task AssembleAsync(IReadOnlyList<string> segmentPaths, string audioPath, string outputPath, string workDirectory,
        long expectedFrames, CancellationToken ct)
    {
        var list = Path.Combine(workDirectory, $"concat-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(list, TimelineCompiler.ConcatList(segmentPaths.Select(Path.GetFullPath)), ct);
        await RunAsync(TimelineCompiler.Assemble(list, audioPath, outputPath, expectedFrames), null, ct);
    }

    private TimelineCompiler Compiler(PreparedTimeline prepared) => new(prepared.Schedule, prepared.LocalPaths, encoder);

    private static string? WriteSubtitles(PreparedTimeline prepared, string workDirectory)
    {
        if (prepared.SubtitlesAss is null) return null;
        var path = Path.Combine(workDirectory, "captions.ass");
        if (!File.Exists(path)) File.WriteAllText(path, prepared.SubtitlesAss);
        return path;
    }

    private async Task RunAsync(FfmpegCommand command, IProgress<FfmpegProgress>? progress, CancellationToken ct)
    {
        if (command.FilterGraphPath is { } graphPath)
            await File.WriteAllTextAsync(graphPath, command.FilterGraph, ct);
        await runner.RunAsync(command.Arguments, progress, ct);
    }

    private static IProgress<FfmpegProgress>? FrameProgress(IProgress<double>? progress, long offset, long frames, long total) =>
        progress is null ? null : new Progress<FfmpegProgress>(p => progress.Report(Math.Min(1, (offset + Math.Min(p.Frame, frames)) / (double)total)));
}
