using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using RenderFarm.Core.Json;

namespace RenderFarm.AI;

/// <summary>
/// One sentence of synthesized speech: <paramref name="Written"/> is the caption text (as in the content,
/// e.g. "PU"), <paramref name="Spoken"/> what the engine was asked to say (e.g. the &lt;sub&gt; alias "Pee You"),
/// <paramref name="Start"/>/<paramref name="End"/> its span in seconds in the WAV, padding included.
/// </summary>
public sealed record SpokenSentence(string Written, string Spoken, double Start, double End);

/// <summary>
/// Synthesized speech: a 16-bit mono WAV (22050 Hz with espeak-ng) in the synthesizer's cache directory
/// (treat it as read-only; copy it to change it), its duration, its sentences in order and what of the
/// content was not honoured. <see cref="DurationSeconds"/> equals the last sentence's End unless the
/// content ends with a &lt;break&gt;.
/// </summary>
public sealed record SpeechResult(string WavPath, double DurationSeconds, IReadOnlyList<SpokenSentence> Sentences, IReadOnlyList<string> Warnings);

/// <summary>
/// The TTS fields of an IMS <c>AI_TTS</c> clip. <paramref name="Voice"/> is one IMS voice name or a comma list
/// (one is picked by <paramref name="VoiceSeed"/>, e.g. the job id and clip index); null = <see cref="VoiceCatalog.DefaultVoice"/>.
/// <paramref name="SpeechRate"/> and <paramref name="PitchRate"/> are in [-500, 500]. A <c>&lt;speak&gt;</c> root's
/// voice/rate/pitch attributes override these.
/// </summary>
public sealed record TtsRequest(string Content, string? Voice = null, int SpeechRate = 0, int PitchRate = 0, string VoiceSeed = "");

/// <summary>Tuning of <see cref="SpeechSynthesizer"/>; all of it is part of the cache key.</summary>
public sealed record SynthesisOptions
{
    /// <summary>Silence kept before and after each sentence once espeak's own leading/trailing silence is trimmed (default 50 ms).</summary>
    public double PadSeconds { get; init; } = 0.05;

    /// <summary>An English comma ends a sentence once the sentence has this many characters (see <see cref="SentenceSplitter"/>).</summary>
    public int EnglishCommaMinChars { get; init; } = SentenceSplitter.DefaultEnglishCommaMinChars;

    /// <summary>A sample counts as silent below this fraction of full scale (default 0.002 ≈ -54 dBFS).</summary>
    public double SilenceThreshold { get; init; } = 0.002;

    /// <summary>Engine calls run at once (default: the processor count).</summary>
    public int MaxParallelism { get; init; } = Environment.ProcessorCount;
}

/// <summary>
/// Speaks IMS <c>AI_TTS</c> content: parses it (plain text or SSML, <see cref="SsmlParser"/>), splits it into
/// sentences (<see cref="SentenceSplitter"/>), synthesizes each sentence with one engine call, trims each to
/// <see cref="SynthesisOptions.PadSeconds"/> of silence on either side, and concatenates sentences and
/// &lt;break&gt; silences sample-exactly, so every sentence's Start/End is a sum of sample counts.
/// <para>
/// Results are cached in <c>cacheDirectory</c> as <c>&lt;sha256&gt;.wav</c> + <c>&lt;sha256&gt;.json</c>, keyed by
/// the SHA-256 of (pipeline version, engine version, content, resolved voice, rates, volume, options): the same
/// request again starts no engine process (the engine's version is read once per engine instance).
/// </para>
/// </summary>
public sealed class SpeechSynthesizer
{
    /// <summary>Bump when splitting, trimming or SSML handling changes what is produced, so old cache entries are not reused.</summary>
    internal const string PipelineVersion = "renderfarm-tts/1";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
    private readonly ITtsEngine _engine;
    private readonly SynthesisOptions _options;

    public SpeechSynthesizer(ITtsEngine engine, string cacheDirectory, SynthesisOptions? options = null)
    {
        _engine = engine;
        _options = options ?? new SynthesisOptions();
        if (_options.PadSeconds is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(options), "PadSeconds must be in [0, 1]");
        CacheDirectory = Directory.CreateDirectory(cacheDirectory).FullName;
    }

    public string CacheDirectory { get; }

    public async Task<SpeechResult> SynthesizeAsync(TtsRequest request, CancellationToken cancellationToken = default)
    {
        SpeechRates.Check(request.SpeechRate, "SpeechRate");
        SpeechRates.Check(request.PitchRate, "PitchRate");
        if (string.IsNullOrWhiteSpace(request.Content)) throw new RequestException("Content", "is empty; there is nothing to speak");

        var document = SsmlParser.Parse(request.Content);
        var voice = VoiceCatalog.Resolve(document.Voice ?? request.Voice, request.VoiceSeed, document.Voice is null ? "Voice" : "Content");
        var speechRate = document.Rate ?? request.SpeechRate;
        var pitchRate = document.Pitch ?? request.PitchRate;
        var wpm = SpeechRates.WordsPerMinute(speechRate);
        var pitch = SpeechRates.Pitch(pitchRate);
        var amplitude = document.Volume is { } volume ? SpeechRates.Amplitude(volume) : SpeechRates.DefaultAmplitude;

        var engineVersion = await _engine.GetVersionAsync(cancellationToken).ConfigureAwait(false);
        var key = CacheKey(engineVersion, request.Content, voice, speechRate, pitchRate, amplitude);
        var wavPath = Path.Combine(CacheDirectory, key + ".wav");
        var metaPath = Path.Combine(CacheDirectory, key + ".json");
        if (TryLoad(wavPath, metaPath) is { } cached) { RenderFarm.Core.Housekeeping.DiskCache.MarkUsed(wavPath); return cached; } // used: last to go when the cache is over its cap

        var steps = SentenceSplitter.Plan(document.Items, _options.EnglishCommaMinChars, TextNormalizer.For(voice.Language));
        if (!steps.OfType<SentencePlan>().Any() && !steps.OfType<SilencePlan>().Any())
            throw new RequestException("Content", "has nothing to speak");

        var warnings = new List<string>(document.Warnings);
        var sentences = steps.OfType<SentencePlan>().ToArray();
        var audio = await SynthesizeSentencesAsync(sentences, new EngineUtterance("", voice.Espeak, wpm, pitch, amplitude), cancellationToken).ConfigureAwait(false);

        var rate = audio.Length > 0 ? audio[0].SampleRate : 22050;
        if (audio.Any(a => a.SampleRate != rate)) throw new TtsEngineException("the engine returned sentences at different sample rates");
        var pad = (int)Math.Round(_options.PadSeconds * rate);
        var threshold = (int)Math.Round(_options.SilenceThreshold * 32768);

        var samples = new List<short>();
        var spoken = new List<SpokenSentence>();
        var next = 0;
        foreach (var step in steps)
        {
            if (step is SilencePlan silence)
            {
                samples.AddRange(new short[(int)Math.Round(silence.Seconds * rate)]);
                continue;
            }
            var sentence = (SentencePlan)step;
            var trimmed = Trim(audio[next].Samples, pad, threshold, out var audible);
            if (!audible) warnings.Add($"sentence {next + 1} (\"{sentence.Written}\") produced no audible speech");
            var start = samples.Count;
            samples.AddRange(trimmed);
            spoken.Add(new SpokenSentence(sentence.Written, sentence.Spoken, (double)start / rate, (double)samples.Count / rate));
            next++;
        }

        var output = new WavFile(rate, [.. samples]);
        var result = new SpeechResult(wavPath, output.DurationSeconds, spoken, warnings);
        Store(output, result, wavPath, metaPath);
        return result;
    }

    private async Task<WavFile[]> SynthesizeSentencesAsync(SentencePlan[] sentences, EngineUtterance template, CancellationToken cancellationToken)
    {
        var audio = new WavFile[sentences.Length];
        if (sentences.Length == 0) return audio;
        var scratch = Directory.CreateDirectory(Path.Combine(CacheDirectory, "tmp", Guid.NewGuid().ToString("N"))).FullName;
        try
        {
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.MaxParallelism), CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(Enumerable.Range(0, sentences.Length), parallel, async (i, token) =>
            {
                var path = Path.Combine(scratch, $"{i:D5}.wav");
                await _engine.SynthesizeAsync(template with { Ssml = sentences[i].Ssml }, path, token).ConfigureAwait(false);
                audio[i] = WavFile.Read(path);
            }).ConfigureAwait(false);
        }
        finally
        {
            try { Directory.Delete(scratch, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
        return audio;
    }

    /// <summary>
    /// Cuts the silence before the first and after the last sample louder than <paramref name="threshold"/> and
    /// keeps exactly <paramref name="pad"/> samples on each side (the original samples where there are enough, zeros otherwise).
    /// All-silent input gives 2·pad zeros.
    /// </summary>
    internal static short[] Trim(short[] samples, int pad, int threshold, out bool audible)
    {
        var first = Array.FindIndex(samples, s => Math.Abs((int)s) > threshold);
        audible = first >= 0;
        if (!audible) return new short[2 * pad];
        var last = Array.FindLastIndex(samples, s => Math.Abs((int)s) > threshold);
        var voiced = last - first + 1;
        var result = new short[pad + voiced + pad];
        var lead = Math.Min(pad, first);
        Array.Copy(samples, first - lead, result, pad - lead, lead + voiced);
        var trail = Math.Min(pad, samples.Length - 1 - last);
        Array.Copy(samples, last + 1, result, pad + voiced, trail);
        return result;
    }

    private string CacheKey(string engineVersion, string content, VoiceEntry voice, int speechRate, int pitchRate, int amplitude)
    {
        var canonical = string.Join('\n',
            PipelineVersion,
            engineVersion,
            $"voice={voice.Name}|{voice.Espeak}",
            string.Create(CultureInfo.InvariantCulture, $"rate={speechRate};pitch={pitchRate};amplitude={amplitude}"),
            string.Create(CultureInfo.InvariantCulture, $"pad={_options.PadSeconds};comma={_options.EnglishCommaMinChars};threshold={_options.SilenceThreshold}"),
            content);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    private sealed record CacheEntry(double DurationSeconds, List<SpokenSentence> Sentences, List<string> Warnings);

    private static SpeechResult? TryLoad(string wavPath, string metaPath)
    {
        if (!File.Exists(metaPath) || !File.Exists(wavPath)) return null;
        try
        {
            var entry = JsonSerializer.Deserialize<CacheEntry>(File.ReadAllText(metaPath), Json);
            return entry is null ? null : new SpeechResult(wavPath, entry.DurationSeconds, entry.Sentences, entry.Warnings);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>WAV first, metadata last, each written to a temporary name and moved into place: a present .json means a complete entry.</summary>
    private static void Store(WavFile audio, SpeechResult result, string wavPath, string metaPath)
    {
        var suffix = "." + Guid.NewGuid().ToString("N") + ".tmp";
        audio.Write(wavPath + suffix);
        File.Move(wavPath + suffix, wavPath, overwrite: true);
        File.WriteAllText(metaPath + suffix, JsonSerializer.Serialize(new CacheEntry(result.DurationSeconds, [.. result.Sentences], [.. result.Warnings]), Json));
        File.Move(metaPath + suffix, metaPath, overwrite: true);
    }
}
