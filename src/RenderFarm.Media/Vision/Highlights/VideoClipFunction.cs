using System.Globalization;
using System.Text.Json.Nodes;
using RenderFarm.Core.Json;
using RenderFarm.Media.AudioAnalysis;
using RenderFarm.Media.Compilation;
using RenderFarm.Media.Ffmpeg;
using RenderFarm.Media.Production;
using RenderFarm.Media.Sources;

namespace RenderFarm.Media.Vision.Highlights;

/// <summary>VideoClip's parameter: the summary's length in seconds.</summary>
public sealed record VideoClipParams(double Duration);

/// <summary>
/// VideoClip (IMS 视频摘要): a short MP4 of the video's most representative moments. Shots come from the scene scores
/// (<see cref="VideoSampler"/>), each is scored (<see cref="SummaryPlanner"/>: motion, faces, loudness, visual novelty
/// from colour-histogram and thumbnail looks, picture quality) and segments from distinct shots, cut inside shot
/// boundaries, are joined in source order and re-encoded (H.264 + AAC) with their own sound, the audio padded or
/// trimmed to the video's length. The Result lists the segments (source in/out, shot, score and its parts).
/// </summary>
public sealed class VideoClipFunction(FfmpegRunner ffmpeg, VideoSampler sampler, AudioDecoder audio) : ProductionFunction<VideoClipParams>
{
    public const double DefaultDuration = 5, MinDuration = 5, MaxDuration = 300;

    /// <summary>Sample rate of the loudness measure: enough for speech energy, and cheap.</summary>
    private const int LoudnessRate = 8000;

    public override string Name => "VideoClip";
    public override ProductionInput Input => ProductionInput.Video;
    public override IReadOnlyList<string> OutputExtensions { get; } = [".mp4"];
    public override IReadOnlyList<string> ParamNames { get; } = ["Duration"];

    public override VideoClipParams ParseParams(JsonObjectReader p) => new(p.Number("Duration", MinDuration, MaxDuration) ?? DefaultDuration);

    public override async Task<JsonObject> RunAsync(ProductionRun run, VideoClipParams parameters, IProgress<double> progress, CancellationToken ct)
    {
        var video = await sampler.SampleAsync(run.InputPath, run.WorkDirectory, new SyncProgress<double>(f => progress.Report(0.6 * f)), ct);
        if (video.Facts.DurationSeconds <= parameters.Duration)
            throw new RequestException("JobParams.Duration", string.Create(CultureInfo.InvariantCulture,
                $"must be shorter than the video ({video.Facts.DurationSeconds:0.##} s) to summarise it; got {parameters.Duration:0.##}"));
        var loudness = video.Facts.HasAudio ? ShotLoudness(await audio.DecodeAsync(run.InputPath, "Input.Media", LoudnessRate, ct), video) : null;
        progress.Report(0.7);
        var scores = FrameScorer.Score(video.Frames, video.Shots);
        var shots = SummaryPlanner.ScoreShots(video.Shots, video.Frames, scores, loudness);
        var segments = SummaryPlanner.Plan(shots, scores, parameters.Duration);
        if (segments.Count == 0) throw new RequestException("Input.Media", "has no shot fit for a summary (every shot is blank, dark or too short)");
        await RenderAsync(run.InputPath, segments, video.Facts.HasAudio, run.OutputPath, ct);
        progress.Report(1);
        return new JsonObject
        {
            ["Duration"] = Math.Round(segments.Sum(s => s.Length), 3),
            ["Shots"] = video.Shots.Count,
            ["Segments"] = new JsonArray([.. segments.Select(s => (JsonNode)new JsonObject
            {
                ["Shot"] = s.Shot,
                ["In"] = Math.Round(s.In, 3),
                ["Out"] = Math.Round(s.Out, 3),
                ["ShotIn"] = Math.Round(s.Score.In, 3),
                ["ShotOut"] = Math.Round(s.Score.Out, 3),
                ["Score"] = Math.Round(s.Score.Total, 4),
                ["Motion"] = Math.Round(s.Score.Motion, 4),
                ["Faces"] = Math.Round(s.Score.Faces, 4),
                ["Audio"] = Math.Round(s.Score.Audio, 4),
                ["Novelty"] = Math.Round(s.Score.Novelty, 4),
                ["Quality"] = Math.Round(s.Score.Quality, 4),
            })]),
        };
    }

    /// <summary>Each shot's RMS level in dBFS (-90 for silence).</summary>
    private static IReadOnlyList<double> ShotLoudness(MonoAudio sound, SampledVideo video) =>
        [.. video.Shots.Select(shot =>
        {
            var from = (int)Math.Clamp(shot.In * sound.SampleRate, 0, sound.Samples.Length);
            var to = (int)Math.Clamp(shot.Out * sound.SampleRate, from, sound.Samples.Length);
            double sum = 0;
            for (var i = from; i < to; i++) sum += sound.Samples[i] * (double)sound.Samples[i];
            return to > from && sum > 0 ? Math.Max(-90, 10 * Math.Log10(sum / (to - from))) : -90;
        })];

    /// <summary>
    /// Each segment is an input seeked to its start and limited to its length (accurate seeking: the decoder drops
    /// frames before the time), so picture and sound of a segment start together; concat joins them, and the
    /// joined sound is padded or trimmed to the summed length so both streams end together.
    /// </summary>
    private Task RenderAsync(string input, IReadOnlyList<SummarySegment> segments, bool withAudio, string output, CancellationToken ct)
    {
        var args = new List<string> { "-protocol_whitelist", "file" };
        foreach (var s in segments)
            args.AddRange(["-ss", FilterGraphText.Number(s.In), "-t", FilterGraphText.Number(s.Length), "-i", MediaSourceResolver.ForFfmpeg(input)]);
        var total = segments.Sum(s => s.Length);
        var chains = new List<string>();
        var joined = "";
        for (var i = 0; i < segments.Count; i++)
        {
            chains.Add($"[{i}:v:0]setsar=1,setpts=PTS-STARTPTS[v{i}]");
            joined += $"[v{i}]";
            if (!withAudio) continue;
            chains.Add($"[{i}:a:0]{FilterGraphText.Filter("aresample", ("osr", 48000))},{FilterGraphText.Filter("aformat", ("channel_layouts", "stereo"))},asetpts=PTS-STARTPTS[a{i}]");
            joined += $"[a{i}]";
        }
        var graph = string.Join(';', chains) + ";" + joined + FilterGraphText.Filter("concat", ("n", segments.Count), ("v", 1), ("a", withAudio ? 1 : 0))
            + (withAudio ? "[cv][ca];[ca]" + FilterGraphText.Filter("apad", ("whole_dur", total)) + "," + FilterGraphText.Filter("atrim", ("end", total)) + "[aout]" : "[cv]")
            + ";[cv]" + FilterGraphText.Filter("trim", ("end", total)) + ",format=yuv420p[vout]";
        args.AddRange(["-filter_complex", graph, "-map", "[vout]"]);
        if (withAudio) args.AddRange(["-map", "[aout]", "-c:a", "aac", "-b:a", "128k"]);
        args.AddRange(["-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-movflags", "+faststart", "-f", "mp4", MediaSourceResolver.ForFfmpeg(output)]);
        return ffmpeg.RunAsync(args, null, ct);
    }
}
