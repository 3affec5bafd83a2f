using RenderFarm.Core.Planning;
using RenderFarm.Media.Compilation;
using RenderFarm.Media.Ffmpeg;

namespace RenderFarm.Media.Rendering;

/// <summary>The finished output: where it is and what it holds.</summary>
public sealed record RenderResult(string OutputPath, long Frames, double DurationSeconds, int Segments);

/// <summary>How to render: in one ffmpeg pass, or split into segments of about SegmentSeconds rendered Parallelism at a time.</summary>
public sealed record RenderOptions(double? SegmentSeconds = null, int Parallelism = 1)
{
    /// <summary>Segment length chosen for long timelines with many inputs (<see cref="For"/>).</summary>
    public const double DefaultSegmentSeconds = 10;

    /// <summary>
    /// The default for a timeline: one ffmpeg opens every input of its window, each with a decoder and
    /// buffered frames, so a long timeline of many clips renders in segments of about 10 s one after
    /// another, each opening only its own clips. Measured on the reference timeline (60 s, 12 clips
    /// from 1920x1080 sources, 1080x1920, 2 cores): single pass 752 MB peak, 1.14x the encode-only
    /// floor's CPU; 10 s segments 397 MB, 1.29x. Short or small timelines keep the single pass.
    /// </summary>
    public static RenderOptions For(Schedule schedule) =>
        schedule.DurationSeconds >= 2 * DefaultSegmentSeconds && schedule.Layers.Count > 4
            ? new RenderOptions(DefaultSegmentSeconds)
            : new RenderOptions();
}

/// <summary>
/// Runs the compiled commands. A single-pass render is one ffmpeg process. A segmented render
/// draws each window to its own file, renders the audio once, and concatenates without
/// re-encoding: the same pieces a cluster worker runs one by one. An audio-only output (mp3, m4a,
/// wav) has no frames to split: it always renders in one pass.
/// </summary>
public sealed class TimelineRenderer(FfmpegRunner runner, EncoderSettings encoder)
{
    // Shares of the progress of a segmented render: the video segments, then the audio, then the assembly.
    private const double VideoShare = 0.90;
    private const double AudioShare = 0.05;

    public async Task<RenderResult> RenderAsync(PreparedTimeline prepared, string outputPath, RenderOptions options,
        IProgress<double>? progress, CancellationToken ct)
    {
        using var output = new AtomicOutput(outputPath);
        using var work = new WorkDirectory(Path.GetDirectoryName(output.FinalPath)!);
        var schedule = prepared.Schedule;
        var encoding = schedule.Output.Encoding;
        var windows = options.SegmentSeconds is { } seconds && encoding.HasVideo
            ? SegmentPlanner.Plan(schedule, seconds)
            : [new RenderWindow(0, schedule.TotalFrames)];
        if (windows.Count == 1)
        {
            var subtitles = WriteSubtitles(prepared, work.Path);
            var command = Compiler(prepared).SinglePass(output.TempPath, work.File("graph.txt"), subtitles);
            await RunAsync(command, Scaled(progress, p => encoding.HasVideo ? (double)p.Frame / schedule.TotalFrames : p.OutTime.TotalSeconds / schedule.DurationSeconds, 0, 1), ct);
        }
        else
        {
            var segmentPaths = windows.Select((w, i) => work.File($"segment-{i:D4}{OutputCodecs.SegmentExtension(encoding)}")).ToList();
            await RenderSegmentsAsync(prepared, windows, segmentPaths, work.Path, options.Parallelism, progress, ct);
            var audio = work.File("audio" + OutputCodecs.AudioExtension(encoding));
            await RenderAudioAsync(prepared, audio, work.Path, ct,
                Scaled(progress, p => p.OutTime.TotalSeconds / schedule.DurationSeconds, VideoShare, AudioShare));
            await AssembleAsync(encoding, segmentPaths, audio, output.TempPath, work.Path, schedule.TotalFrames, ct,
                Scaled(progress, p => (double)p.Frame / schedule.TotalFrames, VideoShare + AudioShare, 1 - VideoShare - AudioShare));
        }
        output.Commit();
        progress?.Report(1);
        return new RenderResult(output.FinalPath, encoding.HasVideo ? schedule.TotalFrames : 0, schedule.DurationSeconds, windows.Count);
    }

    /// <summary>
    /// Renders the windows, <paramref name="parallelism"/> at a time. The first failure cancels the
    /// segments still running or waiting and is rethrown as itself (not as the cancellations it caused).
    /// </summary>
    private async Task RenderSegmentsAsync(PreparedTimeline prepared, IReadOnlyList<RenderWindow> windows, IReadOnlyList<string> segmentPaths,
        string workDirectory, int parallelism, IProgress<double>? progress, CancellationToken ct)
    {
        var total = prepared.Schedule.TotalFrames;
        var done = new long[windows.Count];
        var reporting = new object(); // one lock for all segments, so the sum is reported in order
        using var failFast = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var gate = new SemaphoreSlim(Math.Max(1, parallelism));
        Exception? firstFailure = null;
        var renders = windows.Select(async (window, i) =>
        {
            try
            {
                await gate.WaitAsync(failFast.Token);
                try
                {
                    var segmentProgress = progress is null ? null : new SyncProgress<FfmpegProgress>(p =>
                    {
                        done[i] = Math.Min(p.Frame, window.FrameCount);
                        progress.Report(VideoShare * done.Sum() / total);
                    }, reporting);
                    await RenderSegmentAsync(prepared, window, segmentPaths[i], workDirectory, segmentProgress, failFast.Token);
                }
                finally { gate.Release(); }
            }
            catch (Exception e) when (e is not OperationCanceledException || !failFast.IsCancellationRequested)
            {
                Interlocked.CompareExchange(ref firstFailure, e, null);
                await failFast.CancelAsync();
                throw;
            }
        }).ToList();
        try
        {
            await Task.WhenAll(renders);
        }
        catch when (firstFailure is not null && !ct.IsCancellationRequested)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(firstFailure);
        }
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

    /// <summary>Renders the whole timeline's audio once, in the output's audio codec (<see cref="OutputCodecs.AudioMuxer"/>).</summary>
    public async Task RenderAudioAsync(PreparedTimeline prepared, string audioPath, string workDirectory, CancellationToken ct,
        IProgress<FfmpegProgress>? progress = null)
    {
        var command = Compiler(prepared).AudioTrack(audioPath, Path.Combine(workDirectory, "audio.graph.txt"));
        await RunAsync(command, progress, ct);
    }

    /// <summary>
    /// Concatenates segments without re-encoding and muxes the audio: the final file (<see cref="TimelineCompiler.Assemble"/>).
    /// No segments: an audio-only output, the audio alone.
    /// </summary>
    public async Task AssembleAsync(OutputEncoding encoding, IReadOnlyList<string> segmentPaths, string audioPath, string outputPath, string workDirectory,
        long expectedFrames, CancellationToken ct, IProgress<FfmpegProgress>? progress = null)
    {
        string? list = null;
        if (segmentPaths.Count > 0)
        {
            list = Path.Combine(workDirectory, $"concat-{Guid.NewGuid():N}.txt");
            await File.WriteAllTextAsync(list, TimelineCompiler.ConcatList(segmentPaths.Select(Path.GetFullPath)), ct);
        }
        await RunAsync(TimelineCompiler.Assemble(encoding, list, audioPath, outputPath, expectedFrames), progress, ct);
    }

    private TimelineCompiler Compiler(PreparedTimeline prepared) => new(prepared.Schedule, prepared.LocalPaths, encoder, prepared.Assets);

    /// <summary>
    /// The captions file in the work directory. Written under a temporary name and renamed, so a
    /// segment started beside another that is writing it never reads half a file.
    /// </summary>
    private static SubtitleFiles? WriteSubtitles(PreparedTimeline prepared, string workDirectory)
    {
        var texts = (prepared.SubtitlesAss is null ? [] : new[] { prepared.SubtitlesAss }).Concat(prepared.SubtitleScripts).ToList();
        if (texts.Count == 0) return null;
        var paths = texts.Select((text, i) =>
        {
            var path = Path.Combine(workDirectory, i == 0 ? "captions.ass" : $"subtitles-{i}.ass");
            var temp = Path.Combine(workDirectory, $".captions-{Guid.NewGuid():N}.tmp");
            File.WriteAllText(temp, text);
            File.Move(temp, path, overwrite: true); // the same text each time: a reader sees the old or the new copy, both whole
            return path;
        }).ToList();
        return new SubtitleFiles(paths, prepared.FontsDirectory);
    }

    private async Task RunAsync(FfmpegCommand command, IProgress<FfmpegProgress>? progress, CancellationToken ct)
    {
        if (command.FilterGraphPath is { } graphPath)
            await File.WriteAllTextAsync(graphPath, command.FilterGraph, ct);
        await runner.RunAsync(command.Arguments, progress, ct);
    }

    /// <summary>One ffmpeg run's share of the whole: its own fraction done (0..1) mapped to [offset, offset + share].</summary>
    private static IProgress<FfmpegProgress>? Scaled(IProgress<double>? progress, Func<FfmpegProgress, double> fraction, double offset, double share) =>
        progress is null ? null : new SyncProgress<FfmpegProgress>(p => progress.Report(offset + share * Math.Clamp(fraction(p), 0, 1)));
}
