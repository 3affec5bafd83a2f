using System.Globalization;
using System.Text.RegularExpressions;
using RenderFarm.Core.Json;
using RenderFarm.Core.Library;
using RenderFarm.Core.Planning;
using RenderFarm.Media.Ai;
using RenderFarm.Media.Compilation;
using RenderFarm.Media.Ffmpeg;
using RenderFarm.Media.Sources;

namespace RenderFarm.Media.Analysis;

/// <summary>
/// Analyses a medium with ffmpeg, an optional OCR engine (<see cref="ITextReader"/>: PaddleOCR on a farm node)
/// and an optional speech recogniser.
/// <list type="bullet">
/// <item>Video: one decoding pass (at most <see cref="AnalysisSide"/> px) gives every frame's scene score and
/// picture stats sampled <see cref="StatsFps"/> times a second; <see cref="ShotPlanner"/> turns the scores into shots.
/// Each shot gets the frame nearest its middle as a JPEG keyframe ("shot-0001.jpg", ...; keyframes of that form left by
/// an earlier analysis into the same directory are removed), OCR text from that
/// keyframe (its lines top to bottom, one per text line; "" without a reader) and the mean stats of its samples.</item>
/// <item>Image: one shot with In = Out = 0, its keyframe, OCR and stats; no transcript.</item>
/// <item>Audio only: one shot over the whole duration, keyframe "" and OCR "", stats 0 / #000000.</item>
/// <item>Transcript (medium with audio and a recogniser): the whole sound is transcribed once; each sentence
/// belongs to the shot holding its middle. Null when there is no audio or no recogniser; "" for a shot with no speech.</item>
/// </list>
/// Input problems (missing, not media, too long) are <see cref="RequestException"/> at <see cref="MediaField"/>.
/// Cancelling kills the running tool.
/// </summary>
public sealed partial class MediaAnalyzer(ISpeechRecognizer? recognizer, ITextReader? textReader, MediaAnalyzerOptions? options = null) : IMediaAnalyzer
{
    /// <summary>The path named by errors about the medium itself.</summary>
    public const string MediaField = "media";

    /// <summary>Frames are scaled so their long side is at most this for scene detection and stats: enough for both, and fast.</summary>
    public const int AnalysisSide = 320;

    /// <summary>How often per second picture stats are sampled (a frame at least this far apart from the last sampled one).</summary>
    public const int StatsFps = 2;

    private const string ScoreKey = "lavfi.scene_score";

    private readonly MediaAnalyzerOptions _options = (options ?? new MediaAnalyzerOptions()).Validate();

    public async Task<MediaAnalysis> AnalyseAsync(string mediaPath, string keyframeDirectory, IProgress<double>? progress, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(mediaPath);
        ArgumentException.ThrowIfNullOrEmpty(keyframeDirectory);
        var steps = new ProgressSteps(progress);
        var work = Directory.CreateTempSubdirectory("renderfarm-analysis-");
        try
        {
            var prober = _options.Prober ?? new MediaProber(Path.Combine(work.FullName, "probe"));
            var facts = await prober.ProbeAsync(mediaPath, MediaField, ct).ConfigureAwait(false);
            if (facts.DurationSeconds > _options.MaxDurationSeconds)
                throw new RequestException(MediaField, string.Create(CultureInfo.InvariantCulture,
                    $"the medium lasts {facts.DurationSeconds:0.#} s; analysis takes at most {_options.MaxDurationSeconds:0.#} s (MediaAnalyzerOptions.MaxDurationSeconds)"));
            steps.Report(0.02);

            var withTranscript = recognizer is not null && facts.HasAudio;
            // Shares of the progress: scene pass, keyframes with OCR, transcript.
            var (sceneShare, shotShare) = withTranscript ? (0.3, 0.5) : (0.35, 0.63);

            IReadOnlyList<PlannedShot> planned;
            IReadOnlyList<StatsSample> samples = [];
            if (!facts.HasVideo) planned = [new PlannedShot(0, facts.DurationSeconds, 0)];
            else
            {
                var scan = await ScanAsync(mediaPath, facts, work.FullName, f => steps.Report(0.02 + sceneShare * f), ct).ConfigureAwait(false);
                samples = scan.Stats;
                planned = facts.IsStill
                    ? [new PlannedShot(0, 0, 0)]
                    : ShotPlanner.Plan(scan.Scores, facts.DurationSeconds, _options.SceneThreshold, _options.MinShotSeconds, _options.MaxShots);
            }
            var afterScan = 0.02 + sceneShare;
            steps.Report(afterScan);

            Directory.CreateDirectory(keyframeDirectory);
            var shots = new List<(PlannedShot Plan, string Keyframe, string Ocr, StatsSample? Mean)>(planned.Count);
            for (var i = 0; i < planned.Count; i++)
            {
                var shot = planned[i];
                var mean = VisualStatsCalculator.Mean(samples, shot.In, shot.Out, last: i == planned.Count - 1);
                if (!facts.HasVideo) shots.Add((shot, "", "", mean));
                else
                {
                    var name = string.Create(CultureInfo.InvariantCulture, $"shot-{i + 1:D4}.jpg");
                    var file = Path.Combine(keyframeDirectory, name);
                    await WriteKeyframeAsync(mediaPath, facts, shot.KeyframeTime, file, work.FullName, ct).ConfigureAwait(false);
                    shots.Add((shot, name, await ReadTextAsync(file, ct).ConfigureAwait(false), mean));
                }
                steps.Report(afterScan + shotShare * (i + 1) / planned.Count);
            }

            IReadOnlyList<TimedSentence>? sentences = withTranscript && !facts.IsStill
                ? await recognizer!.TranscribeAsync(mediaPath, 0, facts.DurationSeconds, ct).ConfigureAwait(false)
                : null;

            var analysed = shots.Select((s, i) => new AnalysedShot(s.Plan.In, s.Plan.Out, s.Keyframe, s.Ocr,
                sentences is null ? null : TranscriptOf(sentences.Where(t => Belongs(t, s.Plan, i == shots.Count - 1))),
                s.Mean?.ToVisualStats() ?? VisualStatsCalculator.None)).ToList();
            var whole = VisualStatsCalculator.Whole([.. shots.Select(s => (s.Plan.Out - s.Plan.In, s.Mean))]);
            RemoveStaleKeyframes(keyframeDirectory, shots.Select(s => s.Keyframe));
            steps.Report(1);
            return new MediaAnalysis(facts.DurationSeconds, facts.Width, facts.Height, facts.HasAudio, analysed,
                sentences is null ? null : TranscriptOf(sentences), whole);
        }
        finally
        {
            try { work.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private async Task<string> ReadTextAsync(string keyframe, CancellationToken ct)
    {
        if (textReader is null) return "";
        var lines = await textReader.ReadAsync(keyframe, ct).ConfigureAwait(false);
        return string.Join('\n', lines.Select(l => Captions.CjkText.NormalizeSpace(l.Text)).Where(t => t.Length > 0));
    }

    private sealed record Scan(IReadOnlyList<SceneSample> Scores, IReadOnlyList<StatsSample> Stats);

    /// <summary>
    /// One decoding pass. The frames are scaled small and converted to full-range BT.601 (so stats are
    /// 0-255 and the colour arithmetic is known) before two branches: one scores every frame against the
    /// one before, the other samples signalstats. The branches are separate because select with a scene
    /// expression makes ffmpeg convert the frames it gets back to limited range.
    /// </summary>
    private async Task<Scan> ScanAsync(string mediaPath, MediaFacts facts, string work, Action<double> report, CancellationToken ct)
    {
        var scoresFile = Path.Combine(work, "scores.txt");
        var statsFile = Path.Combine(work, "stats.txt");
        var (width, height) = Fit(facts.Width, facts.Height, AnalysisSide);
        var prepare = string.Join(',',
            FilterGraphText.Filter("scale", ("w", width), ("h", height), ("in_range", "auto"), ("out_range", "full"), ("out_color_matrix", "bt601")),
            FilterGraphText.Filter("format", ("pix_fmts", "yuv444p")),
            "split");
        // Scored on RGB: on YUV ffmpeg's scene score follows mostly brightness and misses a cut between
        // two colours of similar luma (red to green scored 0.25 on YUV, 0.96 on RGB).
        var score = string.Join(',',
            FilterGraphText.Filter("format", ("pix_fmts", "rgb24")),
            FilterGraphText.Filter("select", ("expr", "gte(scene,0)")),
            FilterGraphText.Filter("metadata", ("mode", "print"), ("key", ScoreKey), ("file", scoresFile)));
        // Samples keep their own frame's time (the fps filter would move frames by up to half its interval,
        // putting a frame of the next shot into this one's last sample). A still's one frame is its first.
        var sample = string.Join(',',
            FilterGraphText.Filter("select", ("expr", $"isnan(prev_selected_t)+gte(t-prev_selected_t,{FilterGraphText.Number(1.0 / StatsFps - 0.001)})")),
            "signalstats",
            FilterGraphText.Filter("metadata", ("mode", "print"), ("file", statsFile)),
            "nullsink");
        var graph = $"[0:v:0]{prepare}[score][sample];[score]{score}[out];[sample]{sample}";

        var duration = facts.DurationSeconds;
        var progress = duration > 0
            ? new SyncProgress<FfmpegProgress>(p => report(Math.Clamp(p.OutTime.TotalSeconds / duration, 0, 1)))
            : null;
        await new FfmpegRunner(_options.FfmpegPath).RunAsync(
        [
            "-protocol_whitelist", "file", "-i", MediaSourceResolver.ForFfmpeg(mediaPath),
            "-filter_complex", graph, "-map", "[out]",
            "-f", "null", "-", // the null muxer opens no file: nothing reaches the progress pipe
        ], progress, ct).ConfigureAwait(false);

        using var scores = File.OpenText(scoresFile);
        var sceneSamples = FrameMetadataReader.Read(scores)
            .Select(f => new SceneSample(f.Time, f.Values.GetValueOrDefault(ScoreKey))).ToList();
        using var stats = File.OpenText(statsFile);
        var statsSamples = FrameMetadataReader.Read(stats)
            .Where(f => f.Values.ContainsKey("lavfi.signalstats.YAVG"))
            .Select(f => new StatsSample(f.Time, f.Values["lavfi.signalstats.YAVG"], f.Values.GetValueOrDefault("lavfi.signalstats.UAVG", 128),
                f.Values.GetValueOrDefault("lavfi.signalstats.VAVG", 128), f.Values.GetValueOrDefault("lavfi.signalstats.SATAVG"))).ToList();
        return new Scan(sceneSamples, statsSamples);
    }

    /// <summary>The frame at <paramref name="seconds"/> as a JPEG at most <see cref="MediaAnalyzerOptions.KeyframeMaxSide"/> on its long side, written whole or not at all.</summary>
    private async Task WriteKeyframeAsync(string mediaPath, MediaFacts facts, double seconds, string file, string work, CancellationToken ct)
    {
        var temp = Path.Combine(work, "keyframe.jpg");
        var (width, height) = Fit(facts.Width, facts.Height, _options.KeyframeMaxSide);
        var args = new List<string> { "-protocol_whitelist", "file" };
        // Seeking before -i decodes from the preceding key frame and drops frames up to the time: exact.
        if (!facts.IsStill) args.AddRange(["-ss", FilterGraphText.Number(seconds)]);
        args.AddRange(["-i", MediaSourceResolver.ForFfmpeg(mediaPath), "-map", "0:v:0", "-frames:v", "1",
            "-vf", FilterGraphText.Filter("scale", ("w", width), ("h", height)), "-q:v", "2", temp]);
        await new FfmpegRunner(_options.FfmpegPath).RunAsync(args, ct: ct).ConfigureAwait(false);
        if (!File.Exists(temp))
            throw new RequestException(MediaField, string.Create(CultureInfo.InvariantCulture, $"no picture could be decoded at {seconds:0.###} s"));
        File.Move(temp, file, overwrite: true);
    }

    /// <summary>Keyframes of an earlier analysis of the medium that this one did not write again (it found fewer shots).</summary>
    private static void RemoveStaleKeyframes(string directory, IEnumerable<string> current)
    {
        if (!Directory.Exists(directory)) return;
        var keep = current.ToHashSet(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(directory, "shot-*.jpg"))
        {
            var name = Path.GetFileName(file);
            if (KeyframeName().IsMatch(name) && !keep.Contains(name)) File.Delete(file);
        }
    }

    [GeneratedRegex(@"^shot-\d{4,}\.jpg$")]
    private static partial Regex KeyframeName();

    /// <summary>A size with the same aspect whose long side is at most <paramref name="maxSide"/> (never enlarged).</summary>
    internal static (int Width, int Height) Fit(int width, int height, int maxSide)
    {
        if (width <= 0 || height <= 0) return (Math.Max(width, 1), Math.Max(height, 1));
        var scale = Math.Min(1, (double)maxSide / Math.Max(width, height));
        return (Math.Max(1, (int)Math.Round(width * scale)), Math.Max(1, (int)Math.Round(height * scale)));
    }

    private static bool Belongs(TimedSentence sentence, PlannedShot shot, bool last)
    {
        var middle = (sentence.Start + sentence.End) / 2;
        return middle >= shot.In && (middle < shot.Out || last);
    }

    private static string TranscriptOf(IEnumerable<TimedSentence> sentences) =>
        Captions.CjkText.NormalizeSpace(string.Join(' ', sentences.Select(s => s.Text)));

    /// <summary>Reports a fraction that only ever grows, so a listener never sees progress go back.</summary>
    private sealed class ProgressSteps(IProgress<double>? progress)
    {
        private readonly Lock _gate = new();
        private double _last = -1;

        public void Report(double fraction)
        {
            var value = Math.Clamp(fraction, 0, 1);
            lock (_gate)
            {
                if (value <= _last) return;
                _last = value;
            }
            progress?.Report(value);
        }
    }
}
