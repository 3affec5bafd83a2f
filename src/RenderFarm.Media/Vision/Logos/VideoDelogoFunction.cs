using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using RenderFarm.Core.Json;
using RenderFarm.Media.Ffmpeg;
using RenderFarm.Media.Production;
using RenderFarm.Media.Sources;

namespace RenderFarm.Media.Vision.Logos;

/// <summary>A box named in JobParams.Boxes: [x, y, width, height] in pixels, or in fractions of the frame when all four are within 0-1.</summary>
public sealed record RequestedBox(string Path, double X, double Y, double Width, double Height)
{
    public bool Fractional => X <= 1 && Y <= 1 && Width <= 1 && Height <= 1;

    /// <exception cref="RequestException">The box does not lie inside the frame.</exception>
    public LogoBox ToPixels(int frameWidth, int frameHeight)
    {
        var box = Fractional
            ? new LogoBox((int)Math.Floor(X * frameWidth), (int)Math.Floor(Y * frameHeight), (int)Math.Ceiling(Width * frameWidth), (int)Math.Ceiling(Height * frameHeight))
            : new LogoBox((int)Math.Floor(X), (int)Math.Floor(Y), (int)Math.Ceiling(Width), (int)Math.Ceiling(Height));
        if (box.Right > frameWidth || box.Bottom > frameHeight)
            throw new RequestException(Path, $"[{box.X}, {box.Y}, {box.Width}, {box.Height}] reaches outside the {frameWidth}x{frameHeight} frame");
        return box;
    }
}

/// <summary>VideoDelogo's parameters: the boxes to clear (none: find the logo).</summary>
public sealed record VideoDelogoParams(IReadOnlyList<RequestedBox> Boxes);

/// <summary>
/// VideoDelogo (IMS 视频去标): a static logo or watermark found by <see cref="LogoFinder"/> on small RGB frames
/// sampled over the whole video (about 40, 2-8 per second, longer side 320 px), or the boxes of JobParams.Boxes,
/// cleared with ffmpeg's delogo (each box filled from its surrounding pixels); the rest of the picture is not
/// filtered and the audio is copied. When no logo is found the output is a stream copy of the input and the
/// Result says why, so a batch over many videos never fails on a clean one.
/// </summary>
public sealed class VideoDelogoFunction(FfmpegRunner ffmpeg, FfmpegFramePipe pipe, MediaProber prober) : ProductionFunction<VideoDelogoParams>
{
    public const int MaxBoxes = 8, MaxSide = 4096, AnalysisSide = 320;
    public const double MaxSeconds = 3 * 3600;

    public override string Name => "VideoDelogo";
    public override ProductionInput Input => ProductionInput.Video;
    public override IReadOnlyList<string> OutputExtensions { get; } = [".mp4", ".mov", ".mkv"];
    public override IReadOnlyList<string> ParamNames { get; } = ["Boxes"];

    public override VideoDelogoParams ParseParams(JsonObjectReader p)
    {
        if (p.Raw("Boxes") is not { } raw) return new VideoDelogoParams([]);
        var path = p.FieldPath("Boxes");
        const string shape = "must be [x, y, width, height] in pixels, or in fractions of the frame when all four are within 0-1";
        if (raw.ValueKind != JsonValueKind.Array) throw new RequestException(path, "must be a list of boxes, each [x, y, width, height] (pixels, or fractions of the frame when all four are within 0-1)");
        var boxes = new List<RequestedBox>();
        foreach (var item in raw.EnumerateArray())
        {
            var at = $"{path}[{boxes.Count}]";
            if (boxes.Count == MaxBoxes) throw new RequestException(path, $"at most {MaxBoxes} boxes are cleared");
            if (item.ValueKind != JsonValueKind.Array || item.GetArrayLength() != 4 || item.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.Number))
                throw new RequestException(at, shape);
            var v = item.EnumerateArray().Select(e => e.GetDouble()).ToArray();
            if (v[0] < 0 || v[1] < 0) throw new RequestException(at, "x and y must not be negative");
            if (v[2] <= 0 || v[3] <= 0) throw new RequestException(at, "width and height must be positive");
            var box = new RequestedBox(at, v[0], v[1], v[2], v[3]);
            if (box.Fractional && (box.X + box.Width > 1 || box.Y + box.Height > 1)) throw new RequestException(at, "a box in fractions must end within the frame (x + width and y + height at most 1)");
            boxes.Add(box);
        }
        if (boxes.Count == 0) throw new RequestException(path, "is empty; leave it out to find the logo automatically");
        return new VideoDelogoParams(boxes);
    }

    public override async Task<JsonObject> RunAsync(ProductionRun run, VideoDelogoParams parameters, IProgress<double> progress, CancellationToken ct)
    {
        var facts = await prober.ProbeAsync(run.InputPath, "Input.Media", ct);
        ProductionFunctions.RequireStream(facts, ProductionInput.Video, "Input.Media");
        if (facts.Width > MaxSide || facts.Height > MaxSide) throw new RequestException("Input.Media", $"is {facts.Width}x{facts.Height}; VideoDelogo takes at most {MaxSide} pixels a side");
        if (facts.DurationSeconds > MaxSeconds) throw new RequestException("Input.Media", $"lasts {facts.DurationSeconds:0} s; VideoDelogo takes at most {MaxSeconds:0} s");

        var logos = new JsonArray();
        List<LogoBox> boxes;
        var result = new JsonObject { ["Width"] = facts.Width, ["Height"] = facts.Height };
        if (parameters.Boxes.Count > 0)
        {
            boxes = parameters.Boxes.Select(b => b.ToPixels(facts.Width, facts.Height)).ToList();
            foreach (var b in boxes) logos.Add(new JsonObject { ["Box"] = Box(b), ["Confidence"] = 1.0, ["Source"] = "params" });
        }
        else
        {
            var (search, frames, scale) = await SearchAsync(run.InputPath, facts, new SyncProgress<double>(f => progress.Report(0.4 * f)), ct);
            result["SampledFrames"] = frames;
            result["Changing"] = Math.Round(search.Changing, 3);
            boxes = [];
            if (search.Logo is { } logo)
            {
                var box = logo.Box.Scale(scale.X, scale.Y).Clamp(0, facts.Width, facts.Height);
                boxes.Add(box);
                logos.Add(new JsonObject { ["Box"] = Box(box), ["Confidence"] = logo.Confidence, ["Source"] = "detected" });
            }
            else result["Message"] = $"no static logo found: {search.Reason}; the output is a copy of the input";
        }
        progress.Report(0.4);
        result["Logos"] = logos;

        var removed = DelogoPlan.Regions(boxes, facts.Width, facts.Height);
        result["Removed"] = new JsonArray(removed.Select(b => (JsonNode)Box(b)).ToArray());
        result["Method"] = removed.Count == 0 ? "copy" : "delogo";
        var outputProgress = new SyncProgress<FfmpegProgress>(p => progress.Report(0.4 + 0.6 * Math.Clamp(p.OutTime.TotalSeconds / Math.Max(0.1, facts.DurationSeconds), 0, 1)));
        await ffmpeg.RunAsync(DelogoPlan.Arguments(MediaSourceResolver.ForFfmpeg(run.InputPath), removed, MediaSourceResolver.ForFfmpeg(run.OutputPath), run.FinalPath), outputProgress, ct);
        progress.Report(1);
        return result;
    }

    private async Task<(LogoSearch Search, int Frames, (double X, double Y) Scale)> SearchAsync(string input, Core.Planning.MediaFacts facts, IProgress<double> progress, CancellationToken ct)
    {
        var (w, h) = DelogoPlan.AnalysisSize(facts.Width, facts.Height, AnalysisSide);
        var fps = DelogoPlan.SampleRate(facts.DurationSeconds);
        var expected = Math.Max(1, fps * facts.DurationSeconds);
        var evidence = new LogoEvidence(w, h, channels: 3);
        await pipe.DecodeAsync(
        [
            "-i", MediaSourceResolver.ForFfmpeg(input), "-map", "0:v:0", "-an",
            "-vf", $"fps={fps.ToString("0.###", CultureInfo.InvariantCulture)},scale={w}:{h}:flags=area,format=rgb24",
            "-f", "rawvideo", "pipe:1",
        ], w * h * 3, (frame, index, _) =>
        {
            evidence.Add(frame);
            progress.Report(Math.Min(1, (index + 1) / expected));
            return Task.CompletedTask;
        }, ct);
        return (LogoFinder.Find(evidence), evidence.Frames, ((double)facts.Width / w, (double)facts.Height / h));
    }

    private static JsonArray Box(LogoBox b) => new(b.X, b.Y, b.Width, b.Height);
}
