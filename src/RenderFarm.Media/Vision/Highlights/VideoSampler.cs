using System.Globalization;
using RenderFarm.Core.Imaging;
using RenderFarm.Core.Json;
using RenderFarm.Core.Planning;
using RenderFarm.Media.Ai;
using RenderFarm.Media.Analysis;
using RenderFarm.Media.Compilation;
using RenderFarm.Media.Ffmpeg;
using RenderFarm.Media.Sources;

namespace RenderFarm.Media.Vision.Highlights;

/// <summary>A video as the highlight engines see it: its facts, its shots and its sampled frames measured (faces included).</summary>
public sealed record SampledVideo(MediaFacts Facts, IReadOnlyList<PlannedShot> Shots, IReadOnlyList<FrameMeasure> Frames);

/// <summary>
/// One decoding pass over a video at <see cref="Width"/> px wide: ffmpeg scores every frame against the one before
/// (its scene score; <see cref="ShotPlanner"/> with the media analyser's defaults turns them into shots) and hands
/// over frames sampled at a rate that keeps at most about <see cref="MaxSamples"/> of them, each measured
/// (<see cref="FrameMeasurer"/>) and searched for faces when the node has a face detector.
/// </summary>
public sealed class VideoSampler(MediaProber prober, FfmpegFramePipe pipe, IFaceDetector? faces)
{
    /// <summary>Wide enough for sharpness and for a face detector working at 128-256 px; small enough to be cheap.</summary>
    public const int Width = 320;

    public const int MaxSamples = 1200;

    public const double MaxSampleFps = 4, MinSampleFps = 0.5;

    /// <summary>The longest input: an hour (the audio decoder's limit, and about 40 minutes of sampling on 2 cores).</summary>
    public const double MaxInputSeconds = 3600;

    private const string ScoreKey = "lavfi.scene_score";

    public async Task<SampledVideo> SampleAsync(string inputPath, string workDirectory, IProgress<double> progress, CancellationToken ct)
    {
        var facts = await prober.ProbeAsync(inputPath, "Input.Media", ct).ConfigureAwait(false);
        if (!facts.HasVideo || facts.IsStill) throw new RequestException("Input.Media", "has no video stream (a video is needed, not a still image or a sound)");
        if (facts.DurationSeconds > MaxInputSeconds)
            throw new RequestException("Input.Media", string.Create(CultureInfo.InvariantCulture, $"the video lasts {facts.DurationSeconds:0.#} s; at most {MaxInputSeconds:0} s are taken"));
        var (width, height) = MediaAnalyzer.Fit(facts.Width, facts.Height, Width);
        width -= width % 2;
        height = Math.Max(2, height - height % 2);
        var fps = Math.Clamp(MaxSamples / Math.Max(1, facts.DurationSeconds), MinSampleFps, MaxSampleFps);
        var scoresFile = Path.Combine(workDirectory, "scene-scores.txt");
        var graph = string.Join(';',
            $"[0:v:0]{FilterGraphText.Filter("scale", ("w", width), ("h", height))},{FilterGraphText.Filter("format", ("pix_fmts", "rgb24"))},split[score][sample]",
            // Scored on RGB, as the media analyser does: on YUV the score misses cuts between colours of like luma.
            $"[score]{FilterGraphText.Filter("select", ("expr", "gte(scene,0)"))},{FilterGraphText.Filter("metadata", ("mode", "print"), ("key", ScoreKey), ("file", scoresFile))},nullsink",
            $"[sample]{FilterGraphText.Filter("fps", ("fps", fps))}[out]");
        var frames = new List<FrameMeasure>();
        await pipe.DecodeAsync(
        [
            "-protocol_whitelist", "file", "-i", MediaSourceResolver.ForFfmpeg(inputPath),
            "-filter_complex", graph, "-map", "[out]", "-f", "rawvideo", "pipe:1",
        ], width * height * 3, (bytes, index, _) =>
        {
            var picture = new RgbImage(bytes, width, height);
            var time = index / fps;
            frames.Add(FrameMeasurer.Measure(picture, time, faces?.Detect(picture) ?? []));
            if (facts.DurationSeconds > 0) progress.Report(Math.Clamp(time / facts.DurationSeconds, 0, 1));
            return Task.CompletedTask;
        }, ct).ConfigureAwait(false);
        if (frames.Count == 0) throw new RequestException("Input.Media", "has no video frames");
        using var reader = File.OpenText(scoresFile);
        var scene = FrameMetadataReader.Read(reader).Select(f => new SceneSample(f.Time, f.Values.GetValueOrDefault(ScoreKey))).ToList();
        var defaults = new MediaAnalyzerOptions();
        var shots = ShotPlanner.Plan(scene, facts.DurationSeconds, defaults.SceneThreshold, defaults.MinShotSeconds, defaults.MaxShots);
        return new SampledVideo(facts, shots, frames);
    }
}
