using RenderFarm.Core.Jobs;
using RenderFarm.Core.Json;
using RenderFarm.Core.Planning;
using RenderFarm.Core.Timelines;
using RenderFarm.Media.Ai;
using RenderFarm.Media.Captions;
using RenderFarm.Media.Compilation;
using RenderFarm.Media.Ffmpeg;
using RenderFarm.Media.Matting;
using RenderFarm.Media.Sources;
using RenderFarm.Media.Subtitles;
using RenderFarm.Media.Subtitles.Files;

namespace RenderFarm.Media.Rendering;

/// <summary>
/// The I/O half of planning: speaks AI_TTS clips, resolves and probes every MediaURL (each once, a
/// few at a time), hands the facts to the pure scheduler, then adds AI_ASR captions (from the
/// known sentences of speech clips, from the recogniser for media) and writes the subtitles.
/// Downloads, probe results and AI results are cached (the engines keep their own caches).
/// </summary>
public sealed class TimelinePreparer(MediaSourcePolicy policy, TimelineLimits limits, AiEngines? engines = null) : IDisposable
{
    private readonly AiEngines _engines = engines ?? AiEngines.None;
    private const int ParallelProbes = 4;
    private readonly MediaSourceResolver resolver = new(policy);
    private readonly MediaProber prober = new(Path.Combine(policy.CacheDirectory, "probe"));

    public void Dispose() => resolver.Dispose();

    /// <summary>One MediaURL resolved to a local file (under the policy) and probed.</summary>
    public async Task<(string LocalPath, MediaFacts Facts)> ProbeAsync(string mediaUrl, string jsonPath, string baseDirectory, CancellationToken ct)
    {
        var local = await resolver.ResolveAsync(mediaUrl, jsonPath, baseDirectory, ct);
        return (local, await prober.ProbeAsync(local, jsonPath, ct));
    }

    public Task<PreparedTimeline> PrepareAsync(ProducingJobRequest request, string baseDirectory, CancellationToken ct) =>
        PrepareAsync(request, baseDirectory, _ => true, ct);

    /// <summary>
    /// The AI work a timeline needs, one item per clip and engine: what a farm runs as tts, asr and
    /// matte tasks before it renders (pure: read from the parsed timeline).
    /// </summary>
    public static IReadOnlyList<AiWorkItem> AiWork(Timeline timeline)
    {
        var audio = timeline.AudioTracks.SelectMany(t => t.Clips).ToList();
        var video = timeline.VideoTracks.SelectMany(t => t.Clips).ToList();
        return audio.Where(c => c.Speech is not null).Select(c => new AiWorkItem(AiWorkKind.Speech, c.Path))
            .Concat(audio.Where(c => c.Speech is null && c.Captions is not null).Select(c => new AiWorkItem(AiWorkKind.Transcript, c.Path)))
            .Concat(video.Where(c => c.Effects.Captions is not null).Select(c => new AiWorkItem(AiWorkKind.Transcript, c.Path)))
            .Concat(video.Where(c => c.Effects.Matting is PersonMatte).Select(c => new AiWorkItem(AiWorkKind.Matte, c.Path)))
            .ToList();
    }

    /// <summary>
    /// Does one item of <see cref="AiWork"/> (its result lands in the engine's cache, where the full
    /// preparation finds it). Speech needs nothing else; a transcript or a matte needs the schedule,
    /// so the timeline is prepared up to it, speaking its other clips (cached) on the way.
    /// </summary>
    public async Task RunAiWorkAsync(ProducingJobRequest request, string baseDirectory, AiWorkItem item, CancellationToken ct)
    {
        if (item.Kind == AiWorkKind.Speech)
        {
            await SpeakAsync(request, path => path == item.ClipPath, ct);
            return;
        }
        await PrepareAsync(request, baseDirectory, candidate => candidate == item, ct);
    }

    private async Task<PreparedTimeline> PrepareAsync(ProducingJobRequest request, string baseDirectory, Func<AiWorkItem, bool> wanted, CancellationToken ct)
    {
        var timeline = request.Timeline;
        var speech = await SpeakAsync(request, _ => true, ct);
        var localPaths = new Dictionary<string, string>(StringComparer.Ordinal);
        var facts = new Dictionary<string, MediaFacts>(StringComparer.Ordinal);
        using var gate = new SemaphoreSlim(ParallelProbes);
        var lookups = FirstPathOfEachUrl(timeline).Select(async entry =>
        {
            await gate.WaitAsync(ct);
            try
            {
                var jsonPath = $"{entry.Value}.MediaURL";
                var (local, probed) = speech.TryGetValue(entry.Value, out var spoken)
                    ? (spoken.WavPath, await prober.ProbeAsync(spoken.WavPath, jsonPath, ct))
                    : await ProbeAsync(entry.Key, jsonPath, baseDirectory, ct);
                return (Url: entry.Key, Local: local, Facts: probed);
            }
            finally { gate.Release(); }
        }).ToList();
        foreach (var (url, local, probed) in await Task.WhenAll(lookups))
        {
            localPaths[url] = local;
            facts[url] = probed;
        }
        CheckKinds(timeline, facts);

        var diagnostics = new Diagnostics();
        foreach (var w in request.Warnings) diagnostics.Warn(w.Path, w.Message);
        foreach (var (path, spoken) in speech)
            foreach (var warning in spoken.Warnings) diagnostics.Warn($"{path}.Content", warning);
        var visual = timeline.VideoTracks.SelectMany(t => t.Clips).Select(c => facts[c.MediaUrl]);
        var output = request.Output.Resolve(visual, limits);
        var schedule = TimelineScheduler.Build(timeline, facts, output, request.Seed, limits, diagnostics);
        if (request.Output.MaxDurationSeconds is { } maxDuration) schedule = ScheduleCut.At(schedule, Math.Max(1, output.SecondsToFrame(maxDuration)));
        if (output.Encoding.Container == OutputContainer.Webm && CanvasCoverage.ShowsThrough(schedule))
            schedule = schedule with { Output = output = output with { Encoding = output.Encoding with { Alpha = true } } };
        var captions = await CaptionsAsync(timeline, schedule, speech, localPaths, wanted, ct);
        var (cues, scripts) = await SubtitleFilesAsync(timeline, schedule.DurationSeconds, baseDirectory, ct);
        schedule = schedule with { Texts = [.. schedule.Texts, .. cues, .. captions] };
        var (fontsDirectory, fontFamilies) = await FontsAsync(schedule.Texts, baseDirectory, ct);
        var ass = schedule.Texts.Count == 0 ? null : AssSubtitleWriter.Write(schedule.Texts, output, fontFamilies);
        var keyColours = await new KeyColourEstimator(new FfmpegRunner()).KeyColoursAsync(schedule, localPaths, diagnostics, ct);
        var mattes = await MattesAsync(schedule, localPaths, wanted, ct);
        return new PreparedTimeline(schedule, localPaths, ass, diagnostics.Warnings)
        {
            Captions = captions,
            Assets = new ClipAssets(mattes, keyColours),
            SubtitleScripts = scripts,
            FontsDirectory = fontsDirectory,
        };
    }

    /// <summary>
    /// The Type=Subtitle clips' files, fetched under the media policy: SRT cues become texts in the clip's style,
    /// ASS scripts are kept (shifted to the clip) to be drawn in their own styles.
    /// </summary>
    private async Task<(IReadOnlyList<TextSegment> Cues, IReadOnlyList<string> Scripts)> SubtitleFilesAsync(Timeline timeline, double duration,
        string baseDirectory, CancellationToken ct)
    {
        var cues = new List<TextSegment>();
        var scripts = new List<string>();
        foreach (var clip in timeline.SubtitleTracks.SelectMany(t => t.Files))
        {
            var jsonPath = $"{clip.Path}.FileURL";
            var local = await resolver.ResolveAsync(clip.FileUrl, jsonPath, baseDirectory, ct);
            if (new FileInfo(local).Length > TextClipParser.MaxSubtitleFileBytes)
                throw new RequestException(jsonPath, $"the subtitle file is larger than {TextClipParser.MaxSubtitleFileBytes / (1024 * 1024)} MiB");
            SubtitleFile file;
            try { file = SubtitleFile.Parse(await File.ReadAllTextAsync(local, ct)); }
            catch (FormatException e) { throw new RequestException(jsonPath, e.Message); }
            if (file is SrtSubtitleFile srt) cues.AddRange(srt.Segments(clip, duration));
            else if (file is AssSubtitleFile script) scripts.Add(script.Shifted(clip.TimelineIn, Math.Min(clip.TimelineOut ?? duration, duration)));
        }
        return (cues, scripts);
    }

    /// <summary>
    /// The FontUrl fonts, fetched under the media policy and copied into one directory for libass (named by the
    /// fonts it holds, so jobs with the same fonts share it), and each URL's family name.
    /// </summary>
    private async Task<(string? Directory, IReadOnlyDictionary<string, string> Families)> FontsAsync(IReadOnlyList<TextSegment> texts,
        string baseDirectory, CancellationToken ct)
    {
        var families = new Dictionary<string, string>(StringComparer.Ordinal);
        var files = new List<string>();
        foreach (var clip in texts.Select(t => t.Clip).Where(c => c.Style.FontUrl is not null).DistinctBy(c => c.Style.FontUrl))
        {
            var jsonPath = $"{clip.Path}.FontUrl";
            var local = await resolver.ResolveAsync(clip.Style.FontUrl!, jsonPath, baseDirectory, ct);
            if (new FileInfo(local).Length > FontFile.MaxBytes)
                throw new RequestException(jsonPath, $"the font file is larger than {FontFile.MaxBytes / (1024 * 1024)} MiB");
            var bytes = await File.ReadAllBytesAsync(local, ct);
            families[clip.Style.FontUrl!] = FontFile.FamilyName(bytes, out var reason) ?? throw new RequestException(jsonPath, reason);
            files.Add(local);
        }
        if (files.Count == 0) return (null, families);
        // Named by the files and their versions: a font downloaded again under the same cache name gets a new directory.
        var identity = string.Join('\n', files.Select(f => $"{f}|{new FileInfo(f).Length}|{File.GetLastWriteTimeUtc(f).Ticks}"));
        var key = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(identity)))[..16];
        var directory = Path.Combine(policy.CacheDirectory, "fonts", key);
        Directory.CreateDirectory(directory);
        for (var i = 0; i < files.Count; i++)
        {
            var target = Path.Combine(directory, $"font-{i}{Path.GetExtension(files[i]).ToLowerInvariant()}");
            if (File.Exists(target)) continue;
            var temp = Path.Combine(directory, $".{Guid.NewGuid():N}.tmp");
            File.Copy(files[i], temp);
            File.Move(temp, target, overwrite: true);
        }
        return (directory, families);
    }

    /// <summary>Person mattes of the AI_RealMatting clips, one per clip, for the frames the clip shows.</summary>
    private async Task<IReadOnlyDictionary<string, string>> MattesAsync(Schedule schedule, Dictionary<string, string> localPaths,
        Func<AiWorkItem, bool> wanted, CancellationToken ct)
    {
        var mattes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var layer in schedule.Layers)
        {
            if (layer.Clip.Effects.Matting is not PersonMatte matte || !wanted(new AiWorkItem(AiWorkKind.Matte, layer.Clip.Path))) continue;
            var producer = _engines.Matte ?? throw new RequestException($"{matte.Path}.Type", "person matting (AI_RealMatting) is not available on this node");
            // The raw matte (Threshold 0): the compositor applies the clip's Thres, so one matte serves every Thres.
            var request = new MatteRequest(localPaths[layer.Clip.MediaUrl], layer.SourceStart, layer.Speed, schedule.Output.Fps, layer.FrameCount,
                layer.Media.Width, layer.Media.Height, 0);
            mattes[layer.Clip.Path] = await producer.ProduceAsync(request, ct);
        }
        return mattes;
    }

    /// <summary>Synthesizes every AI_TTS clip (a few at a time), keyed by the clip's JSON path.</summary>
    private async Task<Dictionary<string, SpeechTrack>> SpeakAsync(ProducingJobRequest request, Func<string, bool> clipWanted, CancellationToken ct)
    {
        var clips = request.Timeline.AudioTracks.SelectMany(t => t.Clips).Where(c => c.Speech is not null && clipWanted(c.Path)).ToList();
        if (clips.Count == 0) return [];
        var engine = _engines.Speech ?? throw new RequestException($"{clips[0].Path}.Type", "text-to-speech (AI_TTS) is not available on this node");
        var results = await Task.WhenAll(clips.Select(clip => engine.SynthesizeAsync(SpeechSpecOf(clip, request.Seed), ct)));
        return clips.Zip(results).ToDictionary(p => p.First.Path, p => p.Second, StringComparer.Ordinal);
    }

    /// <summary>The TTS request of a clip; the seed (job seed + clip) picks among a comma list of voices.</summary>
    public static SpeechSpec SpeechSpecOf(AudioClip clip, int seed)
    {
        var s = clip.Speech!;
        return new SpeechSpec(s.Content, s.Voice, s.SpeechRate, s.PitchRate, $"{seed}:{clip.Path}", clip.Path);
    }

    /// <summary>Captions of every clip with AI_ASR: a speech clip's own sentences, or what the recogniser hears in the clip's span of its media.</summary>
    private async Task<IReadOnlyList<TextSegment>> CaptionsAsync(Timeline timeline, Schedule schedule, Dictionary<string, SpeechTrack> speech,
        Dictionary<string, string> localPaths, Func<AiWorkItem, bool> wanted, CancellationToken ct)
    {
        var fps = schedule.Output.Fps;
        var captioned = timeline.AudioTracks.SelectMany(t => t.Clips).Where(c => c.Captions is not null).ToDictionary(c => c.Path, c => c.Captions!, StringComparer.Ordinal);
        var captionedClips = schedule.Audio
            .Where(a => captioned.ContainsKey(a.Path))
            .Select(a => (a.Path, Effect: captioned[a.Path], Url: a.MediaUrl, Place: new ClipPlacement(a.TimelineStart, a.Duration, a.SourceStart, a.Speed)))
            .Concat(schedule.Layers.Where(l => l.Clip.Effects.Captions is not null).Select(l =>
                (l.Clip.Path, Effect: l.Clip.Effects.Captions!, Url: l.Clip.MediaUrl,
                 Place: new ClipPlacement(l.StartFrame / (double)fps, l.FrameCount / (double)fps, l.SourceStart, l.Speed))))
            .ToList();
        var captions = new List<TextSegment>();
        foreach (var (path, effect, url, place) in captionedClips)
        {
            IReadOnlyList<TimedSentence> sentences;
            if (speech.TryGetValue(path, out var spoken)) sentences = spoken.Sentences;
            else
            {
                if (!wanted(new AiWorkItem(AiWorkKind.Transcript, path))) continue;
                var recogniser = _engines.Recognizer ?? throw new RequestException($"{effect.Path}.Type", "speech recognition (AI_ASR on media) is not available on this node");
                var heard = await recogniser.TranscribeAsync(localPaths[url], place.SourceStart, place.SourceEnd, ct);
                sentences = heard.Select(h => h with { Start = h.Start + place.SourceStart, End = h.End + place.SourceStart }).ToList();
            }
            captions.AddRange(CaptionBuilder.Build(effect, sentences, place, schedule.Output));
        }
        return captions;
    }

    /// <summary>Each distinct MediaURL with the JSON path of the first clip using it (for error messages).</summary>
    private static Dictionary<string, string> FirstPathOfEachUrl(Timeline timeline)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var clip in timeline.VideoTracks.SelectMany(t => t.Clips)) result.TryAdd(clip.MediaUrl, clip.Path);
        foreach (var clip in timeline.AudioTracks.SelectMany(t => t.Clips)) result.TryAdd(clip.MediaUrl, clip.Path);
        return result;
    }

    /// <summary>A video track clip must have a picture; an audio clip's sound is checked by the scheduler.</summary>
    private static void CheckKinds(Timeline timeline, Dictionary<string, MediaFacts> facts)
    {
        foreach (var clip in timeline.VideoTracks.SelectMany(t => t.Clips))
            if (!facts[clip.MediaUrl].HasVideo)
                throw new RequestException($"{clip.Path}.MediaURL", "the media has no picture (an audio file on a video track?)");
    }
}
