using System.Globalization;
using RenderFarm.Media.Ai;
using RenderFarm.Media.Ffmpeg;
using RenderFarm.Media.Sources;

namespace RenderFarm.AI.Recognition;

/// <summary>
/// Speech to text with CMU pocketsphinx (US English only) for IMS AI_ASR captions. Per call: the media's
/// first audio stream in [start, end) is decoded by ffmpeg to 16 kHz mono 16-bit PCM, cut into chunks at
/// quiet moments, each brought to the model's level (<see cref="SpeechLevel"/>) and recognised by one
/// <c>pocketsphinx_continuous</c> run; the words are grouped into sentences (<see cref="TranscriptSentences"/>).
/// Results are cached in the cache directory by media identity (full path, size, modification time),
/// range, options and engine identity: a repeated call starts no process.
/// </summary>
public sealed class PocketsphinxRecognizer : ISpeechRecognizer
{
    /// <summary>Bump when the output for the same input changes (part of every cache key).</summary>
    public const string PipelineVersion = "renderfarm-asr/1";

    private const int SampleRate = 16000;
    private const double ChunkSlackSeconds = 15;

    private readonly PocketsphinxOptions _options;
    private readonly string _cacheDirectory;
    private readonly TranscriptCache _cache;
    private readonly MediaProber _prober;
    private readonly FfmpegRunner _ffmpeg;
    private readonly Lock _identityLock = new();
    private (string Executable, string Identity)? _engine;
    private int _processStarts;
    private int _recognizerRuns;

    /// <param name="cacheDirectory">Transcripts (and probe results, under probe/) are kept here; created on demand.</param>
    /// <param name="ffmpegPath">Defaults to <see cref="FfmpegRunner.FfmpegPath"/>; ffprobe likewise.</param>
    public PocketsphinxRecognizer(string cacheDirectory, PocketsphinxOptions? options = null, string? ffmpegPath = null, string? ffprobePath = null)
    {
        _options = options ?? new PocketsphinxOptions();
        _options.Check();
        _cacheDirectory = Path.GetFullPath(cacheDirectory);
        _cache = new TranscriptCache(_cacheDirectory);
        _prober = new MediaProber(Path.Combine(_cacheDirectory, "probe"), ffprobePath);
        _ffmpeg = new FfmpegRunner(ffmpegPath);
    }

    /// <summary>Processes this instance has started: ffprobe, ffmpeg and pocketsphinx runs.</summary>
    public int ProcessStarts => Volatile.Read(ref _processStarts) + _prober.FfprobeRuns;

    /// <summary>How many pocketsphinx runs this instance has started.</summary>
    public int RecognizerRuns => Volatile.Read(ref _recognizerRuns);

    /// <exception cref="FileNotFoundException">The media file does not exist.</exception>
    /// <exception cref="ArgumentOutOfRangeException">start/end out of range (named).</exception>
    /// <exception cref="RenderFarm.Core.Json.RequestException">The file is not readable media.</exception>
    /// <exception cref="RecognitionException">pocketsphinx or its model is missing, failed or timed out.</exception>
    public async Task<IReadOnlyList<TimedSentence>> TranscribeAsync(string mediaPath, double start, double end, CancellationToken ct)
    {
        if (!double.IsFinite(start) || start < 0)
            throw new ArgumentOutOfRangeException(nameof(start), start, "start must be a finite number of seconds >= 0");
        if (!double.IsFinite(end) || end <= start)
            throw new ArgumentOutOfRangeException(nameof(end), end, "end must be a finite number of seconds after start");
        if (end - start > _options.MaxRangeSeconds)
            throw new ArgumentOutOfRangeException(nameof(end), end, $"end - start is {end - start:0.###} s; at most {_options.MaxRangeSeconds:0.###} s (MaxRangeSeconds) is transcribed in one call");

        var media = new FileInfo(Path.GetFullPath(mediaPath));
        if (!media.Exists) throw new FileNotFoundException($"'{media.FullName}' was not found", media.FullName);
        var (executable, identity) = Engine();
        var key = TranscriptCache.Key(
        [
            PipelineVersion, identity, Invariant($"{SpeechLevel.TargetDbfs}"),
            Invariant($"{_options.Sentences.PauseSeconds} {_options.Sentences.MaxWords} {_options.Sentences.MaxSeconds} {_options.ChunkSeconds}"),
            media.FullName, Invariant($"{media.Length} {media.LastWriteTimeUtc.Ticks}"), Invariant($"{start:R} {end:R}"),
        ]);
        if (_cache.TryRead(key) is { } cached) return cached;

        var facts = await _prober.ProbeAsync(media.FullName, nameof(mediaPath), ct).ConfigureAwait(false);
        IReadOnlyList<TimedSentence> sentences = [];
        if (facts.HasAudio)
        {
            var stop = facts.DurationSeconds > 0 ? Math.Min(end, facts.DurationSeconds) : end;
            var words = await RecognizeAsync(executable, media.FullName, start, stop, ct).ConfigureAwait(false);
            sentences = TranscriptSentences.Group(words, _options.Sentences);
        }
        _cache.Write(key, media.FullName, start, end, sentences);
        return sentences;
    }

    /// <summary>Words of [start, stop) of the first audio stream, in seconds from <paramref name="start"/>.</summary>
    private async Task<List<RecognizedWord>> RecognizeAsync(string executable, string path, double start, double stop, CancellationToken ct)
    {
        var work = Directory.CreateDirectory(Path.Combine(_cacheDirectory, ".work", Guid.NewGuid().ToString("N"))).FullName;
        try
        {
            var words = new List<RecognizedWord>();
            var position = start;
            for (var index = 0; position < stop - 0.01; index++)
            {
                var remaining = stop - position;
                var wanted = Math.Min(_options.ChunkSeconds + ChunkSlackSeconds, remaining);
                var samples = await ExtractAsync(path, position, wanted, Path.Combine(work, $"source{index}.wav"), ct).ConfigureAwait(false);
                if (samples.Length == 0) break;
                // The media may end before its probed duration: then this is the last chunk too.
                var last = wanted >= remaining || samples.Length < (wanted - 0.5) * SampleRate;
                var cut = last ? samples.Length : ChunkCut.QuietestPoint(samples, SampleRate,
                    _options.ChunkSeconds - ChunkSlackSeconds, _options.ChunkSeconds + ChunkSlackSeconds);
                var chunk = samples[..cut];
                if (SpeechLevel.Normalize(chunk, SampleRate) is not null) // silence: nothing to recognise
                {
                    var wav = Path.Combine(work, $"chunk{index}.wav");
                    new WavFile(SampleRate, chunk).Write(wav);
                    var timeout = _options.MinTimeout + TimeSpan.FromSeconds(_options.TimeoutPerAudioSecond * chunk.Length / SampleRate);
                    Interlocked.Increment(ref _processStarts);
                    Interlocked.Increment(ref _recognizerRuns);
                    var output = await PocketsphinxProcess.RunAsync(executable, _options, wav, Path.Combine(work, $"chunk{index}.log"), timeout, ct).ConfigureAwait(false);
                    var offset = position - start;
                    words.AddRange(PocketsphinxOutput.Parse(output).Select(w => w with { Start = w.Start + offset, End = w.End + offset }));
                }
                position += (double)cut / SampleRate;
                if (last) break;
            }
            return words;
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }

    private async Task<short[]> ExtractAsync(string path, double start, double duration, string wavPath, CancellationToken ct)
    {
        Interlocked.Increment(ref _processStarts);
        await _ffmpeg.RunAsync(
        [
            "-ss", Invariant($"{start:0.######}"), "-i", MediaSourceResolver.ForFfmpeg(path), "-t", Invariant($"{duration:0.######}"),
            "-map", "0:a:0", "-vn", "-sn", "-dn", "-map_metadata", "-1",
            "-ac", "1", "-ar", SampleRate.ToString(CultureInfo.InvariantCulture), "-c:a", "pcm_s16le", "-bitexact", "-f", "wav", wavPath,
        ], ct: ct).ConfigureAwait(false);
        return WavFile.Read(wavPath).Samples;
    }

    /// <summary>
    /// The program's full path and an identity string (sizes and modification times of the program and
    /// model files: a package upgrade changes it, so old transcripts are not served). Checked once per
    /// instance; a missing program or model is a <see cref="RecognitionException"/> with the apt command.
    /// </summary>
    private (string Executable, string Identity) Engine()
    {
        lock (_identityLock)
        {
            if (_engine is { } known) return known;
            var executable = Locate(_options.Executable)
                ?? throw new RecognitionException($"{_options.Executable} was not found on PATH; {PocketsphinxProcess.InstallHint}");
            var files = new List<string> { executable };
            foreach (var (what, model) in new[] { ("acoustic model", _options.AcousticModel), ("language model", _options.LanguageModel), ("dictionary", _options.Dictionary) })
            {
                if (!File.Exists(model) && !Directory.Exists(model))
                    throw new RecognitionException($"the pocketsphinx {what} '{model}' was not found; {PocketsphinxProcess.InstallHint}");
                files.AddRange(Directory.Exists(model) ? Directory.GetFiles(model).Order(StringComparer.Ordinal) : [model]);
            }
            var identity = string.Join(';', files.Select(f => new FileInfo(f)).Select(f => Invariant($"{f.FullName}:{f.Length}:{f.LastWriteTimeUtc.Ticks}")));
            _engine = (executable, identity);
            return _engine.Value;
        }
    }

    private static string? Locate(string program)
    {
        if (program.Contains(Path.DirectorySeparatorChar)) return File.Exists(program) ? Path.GetFullPath(program) : null;
        return (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
