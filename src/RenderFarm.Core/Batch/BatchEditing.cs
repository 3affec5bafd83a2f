namespace RenderFarm.Core.Batch;

/// <summary>IMS ProcessConfig AlignmentMode: how pictures meet the voice-over's length.</summary>
public enum AlignmentMode { Cut, AutoSpeed }

/// <summary>SpeechConfig: the voices to pick from (empty = the engine's default), rate, volume and caption style.</summary>
public sealed record SpeechSettings(IReadOnlyList<string> Voices, double SpeechRate, double Volume, TextStyleFields Captions);

/// <summary>ProcessConfig as far as Script-to-Video uses it.</summary>
public sealed record ProcessSettings(
    double SingleShotSeconds,
    double ImageSeconds,
    bool SplitClips,
    bool AllowTransition,
    IReadOnlyList<string> Transitions,
    double TransitionSeconds,
    bool UniformTransition,
    AlignmentMode Alignment)
{
    /// <summary>The overlap each joined pair of shots loses to a transition.</summary>
    public double Overlap => AllowTransition ? TransitionSeconds : 0;
}

/// <summary>EditingConfig: source volume, voice-over, title style, music volume, music ducking under the voice-over (dB, 0: none) and processing.</summary>
public sealed record BatchEditing(
    double MediaVolume,
    SpeechSettings Speech,
    TextStyleFields TitleStyle,
    double MusicVolume,
    ProcessSettings Process,
    double MusicDuckDb = 0);
