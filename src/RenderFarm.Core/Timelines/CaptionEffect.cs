namespace RenderFarm.Core.Timelines;

/// <summary>
/// IMS AI_ASR on a clip: captions of what is said in the clip's sound (the known sentences of an
/// AI_TTS clip, or a speech recogniser's for media), drawn in <see cref="Style"/>. With
/// <see cref="Highlight"/> the key words of each caption are drawn in the highlight style.
/// </summary>
public sealed record CaptionEffect(string Path, TextStyle Style, HighlightStyle? Highlight)
{
    /// <summary>Entry/exit animation of each caption (AaiMotionInEffect / AaiMotionOutEffect, as on Text clips).</summary>
    public TextMotion Motion { get; init; } = TextMotion.None;
}

/// <summary>IMS HighlightingStyle: how key words differ from the rest of a caption.</summary>
public sealed record HighlightStyle(Rgba FontColour, Rgba OutlineColour, double Outline);

/// <summary>The TTS fields of an IMS AI_TTS audio clip: Content (plain text or SSML), Voice (one name or a comma list), SpeechRate and PitchRate in [-500, 500].</summary>
public sealed record SpeechContent(string Content, string? Voice, int SpeechRate, int PitchRate);
