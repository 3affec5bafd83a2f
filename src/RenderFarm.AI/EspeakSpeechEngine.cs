using RenderFarm.Core.Json;
using RenderFarm.Media.Ai;

namespace RenderFarm.AI;

/// <summary>
/// The renderer's text-to-speech: <see cref="SpeechSynthesizer"/> over espeak-ng, its errors moved
/// under the clip's JSON path (Voice becomes AudioTracks[0].AudioTrackClips[1].Voice).
/// </summary>
public sealed class EspeakSpeechEngine(SpeechSynthesizer synthesizer) : ISpeechEngine
{
    public EspeakSpeechEngine(string cacheDirectory) : this(new SpeechSynthesizer(new EspeakTtsEngine(), cacheDirectory)) { }

    public async Task<SpeechTrack> SynthesizeAsync(SpeechSpec spec, CancellationToken ct)
    {
        try
        {
            var result = await synthesizer.SynthesizeAsync(new TtsRequest(spec.Content, spec.Voice, spec.SpeechRate, spec.PitchRate, spec.Seed), ct);
            return new SpeechTrack(result.WavPath, result.DurationSeconds,
                result.Sentences.Select(s => new TimedSentence(s.Written, s.Start, s.End)).ToList(), result.Warnings);
        }
        catch (RequestException e)
        {
            throw new RequestException(e.Path.Length == 0 ? spec.JsonPath : $"{spec.JsonPath}.{e.Path}", e.Reason);
        }
    }
}
