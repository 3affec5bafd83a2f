using RenderFarm.Core.Json;

namespace RenderFarm.Core.Timelines;

/// <summary>
/// Reads the matting effects of a video clip: AI_Matting (Color, Auto, Thres) and AI_RealMatting
/// (Thres). Fields not read here are reported as unsupported by the reader like any other field.
/// VideoGreenScreenMatting (SubmitIProductionJob) reads its JobParams Color, Auto and Thres with <see cref="ReadChromaKey"/> too.
/// </summary>
public static class MattingEffectParser
{
    public static MattingEffect Read(JsonObjectReader effect, string type) => type switch
    {
        "AI_Matting" => ReadChromaKey(effect),
        "AI_RealMatting" => new PersonMatte(effect.Path, effect.Number("Thres", 0, PersonMatte.MaxThreshold) ?? 0),
        _ => throw new ArgumentException($"{type} is not a matting effect", nameof(type)),
    };

    /// <param name="autoByDefault">Auto when the reader has no Auto field (an AI_Matting effect: off).</param>
    public static ChromaKey ReadChromaKey(JsonObjectReader effect, bool autoByDefault = false)
    {
        var text = effect.String("Color") ?? "green";
        var colour = text.Trim().ToLowerInvariant() switch
        {
            "green" => ChromaKey.Green,
            "blue" => ChromaKey.Blue,
            // Six hex digits only: a key colour has no opacity.
            _ when text.TrimStart('#').Length == 6 && Rgba.TryParse(text, out var explicitColour) => explicitColour,
            _ => throw effect.Error("Color", $"must be green, blue or a colour like #RRGGBB (got '{JsonObjectReader.Excerpt(text)}')"),
        };
        var auto = effect.Bool("Auto") ?? autoByDefault;
        var threshold = effect.Number("Thres", 0, ChromaKey.MaxThreshold) ?? ChromaKey.DefaultThreshold;
        return new ChromaKey(effect.Path, colour, auto, threshold);
    }
}
