using RenderFarm.Core.Json;

namespace RenderFarm.Core.Timelines;

/// <summary>Reads a clip's Effects array into typed effects; unknown types are errors listing the known ones.</summary>
internal static class EffectParser
{
    /// <summary>AI effects are accepted (they are valid IMS) and reported until their engines exist.</summary>
    public static readonly string[] AiEffectTypes = ["AI_ASR", "AI_Matting", "AI_RealMatting"];

    private static readonly string[] VideoEffectTypes =
        ["Volume", "Transition", "Background", "Crop", "AFade", "Text", .. FrameEffectCatalog.Types, .. ClipFrameEffectParser.Types, .. AiEffectTypes];

    private static readonly string[] AudioEffectTypes = ["Volume", "AFade", "Duck", "AI_ASR"];

    public static VideoEffects ReadVideoEffects(JsonObjectReader clip, TimelineLimits limits)
    {
        var seen = new FirstOfEachKind();
        CaptionEffect? captions = null;
        Transition? transition = null;
        BackgroundFill? background = null;
        CropBox? crop = null;
        MattingEffect? matting = null;
        var frame = new ClipFrameEffectParser(seen.IsFirst);
        var audio = AudioEffects.None;
        var frameEffects = new List<EffectTrackItem>();
        var banners = new List<BannerText>();
        foreach (var effect in clip.Objects("Effects"))
        {
            var type = effect.OneOf("Type", VideoEffectTypes) ?? throw effect.Error("Type", "is required");
            switch (type)
            {
                case "VFX" or "Filter":
                    frameEffects.Add(EffectTrackParser.Read(effect));
                    break;
                case "Transition":
                    var t = ReadTransition(effect);
                    if (seen.IsFirst(effect, "Transition")) transition = t;
                    break;
                case "Background":
                    var b = ReadBackground(effect);
                    if (seen.IsFirst(effect, "Background")) background = b;
                    break;
                case "Crop":
                    var c = ReadCrop(effect);
                    if (seen.IsFirst(effect, "Crop")) crop = c;
                    break;
                case "Text":
                    if (effect.Has("Content")) banners.Add(new TextClipParser(limits).ReadBanner(effect));
                    else effect.Warn("Type", "an empty Text effect has nothing to draw and was ignored");
                    break;
                case "AI_ASR":
                    var caption = CaptionEffectParser.Read(effect, limits);
                    if (seen.IsFirst(effect, "AI_ASR")) captions = caption;
                    break;
                case var _ when ClipFrameEffectParser.Types.Contains(type):
                    frame.Read(effect, type);
                    break;
                case "AI_Matting" or "AI_RealMatting":
                    var m = MattingEffectParser.Read(effect, type);
                    if (seen.IsFirst(effect, "AI_Matting/AI_RealMatting")) matting = m;
                    break;
                default:
                    audio = ReadAudioEffect(effect, type, audio, limits, seen);
                    break;
            }
        }
        return frame.Apply(new VideoEffects(audio, transition, background, crop) { Captions = captions, Matting = matting, FrameEffects = frameEffects, Banners = banners });
    }

    /// <summary>An audio clip's Volume/AFade effects and its AI_ASR captions, if any.</summary>
    public static AudioEffects ReadAudioEffects(JsonObjectReader clip, TimelineLimits limits, out CaptionEffect? captions)
    {
        var seen = new FirstOfEachKind();
        var audio = AudioEffects.None;
        captions = null;
        foreach (var effect in clip.Objects("Effects"))
        {
            var type = effect.OneOf("Type", AudioEffectTypes) ?? throw effect.Error("Type", "is required");
            if (type == "AI_ASR")
            {
                var read = CaptionEffectParser.Read(effect, limits);
                if (seen.IsFirst(effect, "AI_ASR")) captions = read;
                continue;
            }
            audio = ReadAudioEffect(effect, type, audio, limits, seen);
        }
        return audio;
    }

    /// <summary>
    /// A clip carries at most one effect of each kind. Every one is still checked, but the first is
    /// used and each later one is reported with the path of the one that counts (like duplicate fields).
    /// </summary>
    private sealed class FirstOfEachKind
    {
        private readonly Dictionary<string, string> _first = new(StringComparer.Ordinal);

        public bool IsFirst(JsonObjectReader effect, string kind)
        {
            if (_first.TryAdd(kind, effect.Path)) return true;
            effect.Warn("Type", $"a clip takes one {kind} effect; the first ({_first[kind]}) is used and this one was ignored");
            return false;
        }
    }

    private static AudioEffects ReadAudioEffect(JsonObjectReader effect, string type, AudioEffects audio, TimelineLimits limits, FirstOfEachKind seen)
    {
        switch (type)
        {
            case "Volume":
                var gain = effect.Number("Gain", 0, limits.MaxGain) ?? 1;
                return seen.IsFirst(effect, "Volume") ? audio with { Gain = gain } : audio;
            case "Duck":
                // Our extension (IMS has none): background music lowered under the timeline's AI_TTS speech.
                var depth = effect.Number("Depth", 0, 40) ?? 15;
                return seen.IsFirst(effect, "Duck") ? audio with { DuckDb = depth } : audio;
            case "AFade":
                var direction = effect.OneOf("SubType", ["In", "Out"]) ?? throw effect.Error("SubType", "is required (In or Out)");
                var duration = effect.Number("Duration", 0, 60) ?? 1;
                if (effect.Has("Curve")) effect.Warn("Curve", "fade curves other than linear are not supported yet; linear is used");
                effect.Accept("Curve");
                if (!seen.IsFirst(effect, $"AFade {direction}")) return audio;
                return direction == "In" ? audio with { FadeInSeconds = duration } : audio with { FadeOutSeconds = duration };
            default:
                effect.Diagnostics.Warn(effect.FieldPath("Type"), $"{type} is not supported yet; the effect was ignored");
                foreach (var name in AiFieldNames) effect.Accept(name);
                return audio;
        }
    }

    // Fields of AI effects, accepted without a warning each: the effect as a whole is already reported.
    private static readonly string[] AiFieldNames =
    [
        "Font", "FontSize", "FontColor", "FontColorOpacity", "Outline", "OutlineColour", "Alignment", "X", "Y",
        "FontFace", "AdaptMode", "TextWidth", "NeedHighlighting", "HighlightingStyle", "SubtitleEffects",
        "Color", "Auto", "Thres", "SubType", "Spacing", "Angle",
    ];

    private static Transition ReadTransition(JsonObjectReader effect)
    {
        var subType = effect.String("SubType") ?? "random";
        var names = subType.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0) throw effect.Error("SubType", "is empty");
        var choices = new List<string>();
        foreach (var name in names)
        {
            if (name.Equals("random", StringComparison.OrdinalIgnoreCase)) { choices.AddRange(TransitionCatalog.ImsNames); continue; }
            choices.Add(TransitionCatalog.Canonical(name)
                ?? throw effect.Error("SubType", $"unknown transition '{JsonObjectReader.Excerpt(name)}'; supported: random, {string.Join(", ", TransitionCatalog.ImsNames)}"));
        }
        var duration = effect.Number("Duration", 0.1, 5) ?? TransitionCatalog.DefaultDurationSeconds;
        return new Transition(effect.Path, choices.Distinct().ToList(), duration);
    }

    private static BackgroundFill ReadBackground(JsonObjectReader effect)
    {
        var subType = effect.OneOf("SubType", ["Blur", "Color"]) ?? "Blur";
        if (subType == "Color")
        {
            var text = effect.String("Color") ?? "#000000";
            return Rgba.TryParse(text, out var colour)
                ? new ColourBackground(colour)
                : throw effect.Error("Color", $"must be a colour like #RRGGBB (got '{JsonObjectReader.Excerpt(text)}')");
        }
        return new BlurredBackground(effect.Number("Radius", 0, 1) ?? 0.1);
    }

    private static CropBox ReadCrop(JsonObjectReader effect)
    {
        var x = effect.Number("X", 0, 8192) ?? 0;
        var y = effect.Number("Y", 0, 8192) ?? 0;
        var w = effect.Number("Width", 0, 8192) ?? 1;
        var h = effect.Number("Height", 0, 8192) ?? 1;
        if (w == 0) throw effect.Error("Width", "must be greater than 0");
        if (h == 0) throw effect.Error("Height", "must be greater than 0");
        if (x <= 1 && w <= 1 && x + w > 1.0001) throw effect.Error("Width", $"X + Width must not exceed 1 (got {JsonObjectReader.Format(x + w)})");
        if (y <= 1 && h <= 1 && y + h > 1.0001) throw effect.Error("Height", $"Y + Height must not exceed 1 (got {JsonObjectReader.Format(y + h)})");
        return new CropBox(new Extent(x), new Extent(y), new Extent(w), new Extent(h));
    }
}
