namespace RenderFarm.AI;

/// <summary>
/// One call to a speech engine: <paramref name="Ssml"/> is a complete <c>&lt;speak&gt;</c> document in
/// the engine's own SSML dialect (built by <see cref="SpeechSynthesizer"/>, already validated),
/// <paramref name="Voice"/> an engine voice id (e.g. <c>cmn+f3</c>), <paramref name="WordsPerMinute"/>
/// the base speed, <paramref name="Pitch"/> the base pitch 0..99 (50 = normal) and
/// <paramref name="Amplitude"/> 0..200 (100 = normal).
/// </summary>
public sealed record EngineUtterance(string Ssml, string Voice, int WordsPerMinute = SpeechRates.DefaultWordsPerMinute,
    int Pitch = SpeechRates.DefaultPitch, int Amplitude = SpeechRates.DefaultAmplitude);

/// <summary>A text-to-speech engine that renders one utterance to a 16-bit PCM mono WAV file.</summary>
public interface ITtsEngine
{
    /// <summary>Engine name and version (e.g. "espeak-ng 1.51"); part of the cache key, so a new engine re-synthesizes.</summary>
    Task<string> GetVersionAsync(CancellationToken cancellationToken = default);

    /// <summary>Synthesizes <paramref name="utterance"/> into <paramref name="wavPath"/> (overwritten).</summary>
    Task SynthesizeAsync(EngineUtterance utterance, string wavPath, CancellationToken cancellationToken = default);
}

/// <summary>The engine failed: not installed, rejected its input, or produced no audio.</summary>
public sealed class TtsEngineException(string message, Exception? inner = null) : Exception(message, inner);
