using RenderFarm.Core.Planning;

namespace RenderFarm.Core.Batch;

/// <summary>One voice-over text as it will be spoken: the text, the voice (null = the engine's default) and the rate.</summary>
public sealed record SpeechLine(string Text, string? Voice, double SpeechRate);

/// <summary>
/// What planning needs to know but cannot compute: media facts (probed) and how long each
/// voice-over text lasts when spoken (from the speech engine). Null means "not known", which the
/// planner reports as an error naming the field the media or text came from.
/// </summary>
public interface IBatchFacts
{
    MediaFacts? Media(string mediaUrl);
    double? SpeechSeconds(SpeechLine line);
}

/// <summary>Facts gathered beforehand: probed media by URL and a lookup for spoken durations.</summary>
public sealed class BatchFacts(IReadOnlyDictionary<string, MediaFacts> media, Func<SpeechLine, double?> speechSeconds) : IBatchFacts
{
    public MediaFacts? Media(string mediaUrl) => media.TryGetValue(mediaUrl, out var facts) ? facts : null;
    public double? SpeechSeconds(SpeechLine line) => speechSeconds(line);
}

/// <summary>
/// The facts a Script-to-Video plan may ask for, so a caller can probe and synthesise them up
/// front: every medium, and every voice-over text in every voice it may be spoken in.
/// </summary>
public sealed record FactsNeeded(IReadOnlyList<string> MediaUrls, IReadOnlyList<SpeechLine> SpeechLines)
{
    public static FactsNeeded For(BatchRequest request)
    {
        var input = request.Input;
        var media = input.MediaGroups.SelectMany(g => g.Media).Concat(input.Media).Concat(input.BackgroundMusic)
            .Concat(input.BackgroundImages).Concat(input.Stickers.Select(s => s.Media))
            .Select(m => m.Url).Distinct(StringComparer.Ordinal).ToList();
        var speech = request.Editing.Speech;
        IReadOnlyList<string?> voices = speech.Voices.Count == 0 ? [null] : speech.Voices.Cast<string?>().ToList();
        var lines = input.SpeechTexts.Concat(input.MediaGroups.SelectMany(g => g.SpeechTexts))
            .Select(t => t.Text).Distinct(StringComparer.Ordinal)
            .SelectMany(text => voices.Select(v => new SpeechLine(text, v, speech.SpeechRate)))
            .ToList();
        return new FactsNeeded(media, lines);
    }
}
