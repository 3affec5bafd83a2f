using System.Globalization;
using System.Text.Json.Nodes;
using RenderFarm.Core.Imaging;
using RenderFarm.Core.Json;
using RenderFarm.Media.Ai;
using RenderFarm.Media.Analysis;
using RenderFarm.Media.Compilation;
using RenderFarm.Media.Ffmpeg;
using RenderFarm.Media.Production;
using RenderFarm.Media.Rendering;
using RenderFarm.Media.Sources;

namespace RenderFarm.Media.Vision.Reframing;

/// <summary>VideoH2V's parameters: the output's aspect (width:height), its width, the analysis rate and when to pad.</summary>
public sealed record VideoH2VParams(int RatioWidth, int RatioHeight, int? Width, double Fps, bool? Pad)
{
    public string Ratio => $"{RatioWidth}:{RatioHeight}";
}

/// <summary>
/// VideoH2V (横转竖): a landscape video reframed to portrait (9:16 by default) by a virtual camera following the
/// subject, AutoFlip-style. One decoding pass at <see cref="AnalysisHeight"/> px samples frames at <c>fps</c> (faces by
/// the node's <see cref="IFaceDetector"/>; without faces, the most salient columns: motion and contrast) and scores
/// every frame for shot cuts (ffmpeg's scene score, <see cref="ShotPlanner"/> as media analysis uses it);
/// <see cref="ReframePlanner"/> and <see cref="CameraPlanner"/> plan each shot; <see cref="ReframeLayout"/> renders
/// the path with ffmpeg's crop moved frame by frame, a shot whose subjects do not fit padded over a blurred copy.
/// </summary>
public sealed class VideoH2VFunction(FfmpegRunner ffmpeg, FfmpegFramePipe pipe, MediaProber prober, IFaceDetector? faces) : ProductionFunction<VideoH2VParams>
{
    /// <summary>Frames are analysed at this height (faces are found in squares of it: BlazeFace sees 256 px).</summary>
    public const int AnalysisHeight = 288;

    /// <summary>A longer input is refused.</summary>
    public const double MaxSeconds = 20 * 60;

    /// <summary>A larger input is refused (width or height).</summary>
    public const int MaxSide = 4096;

    private const string ScoreKey = "lavfi.scene_score";
    private static readonly string[] PadValues = ["auto", "always", "never"];

    public override string Name => "VideoH2V";
    public override ProductionInput Input => ProductionInput.Video;
    public override IReadOnlyList<string> OutputExtensions { get; } = [".mp4"];
    public override IReadOnlyList<string> ParamNames { get; } = ["ratio", "width", "fps", "pad"];

    public override VideoH2VParams ParseParams(JsonObjectReader p)
    {
        var (rw, rh) = (9, 16);
        if (p.String("ratio") is { } ratio)
        {
            var parts = ratio.Split(':');
            if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out rw)
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out rh)
                || rw is < 1 or > 100 || rh is < 1 or > 100 || rw > rh)
                throw p.Error("ratio", $"must be WIDTH:HEIGHT in whole numbers 1-100 with WIDTH <= HEIGHT (9:16, 3:4, 4:5, 1:1), not '{JsonObjectReader.Excerpt(ratio)}'");
        }
        var width = p.Integer("width", 64, MaxSide);
        if (width % 2 == 1) throw p.Error("width", $"must be even (H.264 4:2:0), not {width}");
        var pad = p.OneOf("pad", PadValues) switch { "always" => true, "never" => false, _ => (bool?)null };
        return new VideoH2VParams(rw, rh, width, p.Number("fps", 1, 15) ?? 5, pad);
    }

    public override async Task<JsonObject> RunAsync(ProductionRun run, VideoH2VParams parameters, IProgress<double> progress, CancellationToken ct)
    {
        var facts = await prober.ProbeAsync(run.InputPath, "Input.Media", ct);
        if (!facts.HasVideo || facts.IsStill) throw new RequestException("Input.Media", "has no video stream");
        if (facts.DurationSeconds > MaxSeconds)
            throw new RequestException("Input.Media", $"is {facts.DurationSeconds:0} s long; VideoH2V takes at most {MaxSeconds:0} s");
        if (facts.Width > MaxSide || facts.Height > MaxSide)
            throw new RequestException("Input.Media", $"is {facts.Width}x{facts.Height}; VideoH2V takes at most {MaxSide} px a side");
        var cropWidth = ReframeLayout.Even(facts.Height * (double)parameters.RatioWidth / parameters.RatioHeight);
        if (cropWidth >= facts.Width)
            throw new RequestException("Input.Media", $"is {facts.Width}x{facts.Height}, not wider than a {parameters.Ratio} picture of its height: there is nothing to reframe (JobParams.ratio)");
        var outputWidth = parameters.Width ?? ReframeLayout.Even(Math.Min(facts.Height, 1080));
        var layout = new ReframeLayout(facts.Width, facts.Height, cropWidth, outputWidth,
            ReframeLayout.Even(outputWidth * (double)parameters.RatioHeight / parameters.RatioWidth));

        var (observations, scenes) = await AnalyseAsync(run, facts.Width, facts.Height, facts.DurationSeconds, parameters.Fps, p => progress.Report(0.4 * p), ct);
        var duration = scenes.Count > 0 ? Math.Max(facts.DurationSeconds, scenes[^1].Time) : facts.DurationSeconds;
        var cuts = ShotPlanner.Plan(scenes, duration, new MediaAnalyzerOptions().SceneThreshold, new MediaAnalyzerOptions().MinShotSeconds, int.MaxValue)
            .Skip(1).Select(s => s.In).ToList();
        var shots = ReframePlanner.Plan(observations, cuts, duration, facts.Width, cropWidth, new CameraOptions(), parameters.Pad);
        var paths = shots.Select(s => (Shot: s, Path: layout.Keyframes(s))).ToList();

        var commands = Path.Combine(run.WorkDirectory, "crop.cmd");
        await File.WriteAllTextAsync(commands, layout.Commands(paths, [.. scenes.Select(s => s.Time)]), ct);
        var padded = shots.Where(s => s.Mode == FramingMode.Pad).Select(s => (s.Start, End: s.End - 0.001)).ToList();
        var graph = layout.Graph(commands, paths[0].Path[0].X, padded);
        var render = duration > 0 ? new SyncProgress<FfmpegProgress>(p => progress.Report(0.4 + 0.6 * Math.Clamp(p.OutTime.TotalSeconds / duration, 0, 1))) : null;
        using (var output = new AtomicOutput(run.OutputPath))
        {
            await ffmpeg.RunAsync(
            [
                "-protocol_whitelist", "file", "-i", MediaSourceResolver.ForFfmpeg(run.InputPath),
                "-filter_complex", graph, "-map", "[v]", "-map", "0:a:0?",
                "-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-c:a", "aac", "-b:a", "160k", "-movflags", "+faststart",
                "-f", "mp4", MediaSourceResolver.ForFfmpeg(output.TempPath),
            ], render, ct);
            output.Commit();
        }

        var result = new JsonObject
        {
            ["Width"] = layout.OutputWidth,
            ["Height"] = layout.OutputHeight,
            ["Ratio"] = parameters.Ratio,
            ["Crop"] = new JsonObject { ["Width"] = cropWidth, ["Height"] = facts.Height },
            ["Duration"] = Math.Round(duration, 3),
            ["Shots"] = new JsonArray([.. paths.Select(s => (JsonNode)new JsonObject
            {
                ["Start"] = Math.Round(s.Shot.Start, 3),
                ["End"] = Math.Round(s.Shot.End, 3),
                ["Mode"] = s.Shot.Mode == FramingMode.Pad ? "pad" : "track",
                ["Subject"] = s.Shot.Subject.ToString().ToLowerInvariant(),
                ["Still"] = s.Shot.Path.Still,
                ["Path"] = new JsonArray([.. s.Path.Select(k => (JsonNode)new JsonObject { ["Time"] = Math.Round(k.Time, 3), ["X"] = k.X })]),
            })]),
            ["FramesWithFaces"] = observations.Count(o => o.Faces.Count > 0),
            ["FramesSampled"] = observations.Count,
        };
        return result;
    }

    /// <summary>
    /// One decoding pass: every frame scored against the one before (for cuts), and at <paramref name="fps"/> the
    /// frame's faces and salient energy. Frames are not kept: each sample is reduced to its observation.
    /// </summary>
    private async Task<(List<FrameObservation> Observations, List<SceneSample> Scenes)> AnalyseAsync(ProductionRun run, int width, int height,
        double duration, double fps, Action<double> report, CancellationToken ct)
    {
        var ah = Math.Min(AnalysisHeight, ReframeLayout.Even(height));
        var aw = ReframeLayout.Even(width * (double)ah / height);
        var scoresFile = Path.Combine(run.WorkDirectory, "scores.txt");
        // Scored on RGB as media analysis does (a cut between colours of similar luma scores low on YUV).
        var graph = string.Join(',',
            FilterGraphText.Filter("scale", ("w", aw), ("h", ah), ("flags", "area")),
            FilterGraphText.Filter("format", ("pix_fmts", "rgb24")),
            FilterGraphText.Filter("select", ("expr", "gte(scene,0)")),
            FilterGraphText.Filter("metadata", ("mode", "print"), ("key", ScoreKey), ("file", scoresFile)),
            FilterGraphText.Filter("fps", ("fps", FilterGraphText.Number(fps))));
        var observations = new List<FrameObservation>();
        byte[]? previous = null;
        var expected = Math.Max(1, duration * fps);
        await pipe.DecodeAsync(
        [
            "-protocol_whitelist", "file", "-i", MediaSourceResolver.ForFfmpeg(run.InputPath), "-map", "0:v:0", "-an",
            "-vf", graph, "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1",
        ], aw * ah * 3, (frame, index, _) =>
        {
            var time = index / fps;
            var scale = (double)width / aw;
            var found = faces?.Detect(new RgbImage(frame, aw, ah)) ?? [];
            var grey = Grey(frame, aw, ah);
            observations.Add(new FrameObservation(time, [.. found.Select(f => new Span(f.X * scale, (f.X + f.Width) * scale))],
                ReframePlanner.ColumnEnergy(grey, previous, aw, ah)));
            previous = grey;
            report(Math.Min(1, (index + 1) / expected));
            return Task.CompletedTask;
        }, ct);
        if (observations.Count == 0) throw new RequestException("Input.Media", "has no video frames");
        using var scores = File.OpenText(scoresFile);
        var scenes = FrameMetadataReader.Read(scores).Select(f => new SceneSample(f.Time, f.Values.GetValueOrDefault(ScoreKey))).ToList();
        return (observations, scenes);
    }

    private static byte[] Grey(byte[] rgb, int width, int height)
    {
        var grey = new byte[width * height];
        for (int i = 0, o = 0; i < grey.Length; i++, o += 3)
            grey[i] = (byte)((rgb[o] * 77 + rgb[o + 1] * 150 + rgb[o + 2] * 29) >> 8);
        return grey;
    }
}
