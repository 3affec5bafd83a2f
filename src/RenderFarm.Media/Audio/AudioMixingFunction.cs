using System.Text.Json.Nodes;
using RenderFarm.Core.Json;
using RenderFarm.Media.Production;

namespace RenderFarm.Media.Audio;

/// <summary>One more input of a mix, named in JobParams.inputs.</summary>
public sealed record MixInput(ParamMedia Media, TrackRole Role, double LevelLu);

/// <summary>AudioMixing's parameters: the extra inputs, the role of Input itself, and the mix settings.</summary>
public sealed record AudioMixingParams(IReadOnlyList<MixInput> Inputs, TrackRole InputRole, double InputLevelLu, MixSettings Settings);

/// <summary>
/// AudioMixing (IMS 智能混音): Input and the media of JobParams.inputs mixed into one track by
/// <see cref="AudioMixer"/>: loudness-normalised, music ducked under speech, faded, under the true-peak ceiling.
/// </summary>
public sealed class AudioMixingFunction(PcmCodec codec) : ProductionFunction<AudioMixingParams>
{
    public const int MaxInputs = 8;
    private static readonly string[] Roles = ["voice", "music", "effects"];

    public override string Name => "AudioMixing";
    public override ProductionInput Input => ProductionInput.Audio;
    public override IReadOnlyList<string> OutputExtensions => PcmCodec.Extensions;
    public override IReadOnlyList<string> ParamNames { get; } =
        ["inputs", "inputRole", "inputLevel", "loudness", "truePeak", "duck", "attack", "release", "fadeIn", "fadeOut", "tail"];

    /// <summary>A role's level relative to the target when none is given: music sits under the voice, effects a little.</summary>
    public static double DefaultLevel(TrackRole role) => role switch { TrackRole.Music => -6, TrackRole.Effects => -3, _ => 0 };

    public override AudioMixingParams ParseParams(JsonObjectReader p)
    {
        var inputs = p.Objects("inputs");
        if (inputs.Count > MaxInputs) throw p.Error("inputs", $"at most {MaxInputs} more inputs are mixed (got {inputs.Count})");
        var extra = inputs.Select(i =>
        {
            var role = Role(i, "role") ?? TrackRole.Music;
            var media = new ParamMedia(i.FieldPath("media"), i.RequiredString("media"));
            return new MixInput(media, role, i.Number("level", -30, 10) ?? DefaultLevel(role));
        }).ToList();
        var inputRole = Role(p, "inputRole") ?? TrackRole.Voice;
        var defaults = new MixSettings();
        var settings = new MixSettings
        {
            TargetLufs = p.Number("loudness", -40, -5) ?? defaults.TargetLufs,
            TruePeakDbtp = p.Number("truePeak", -9, 0) ?? defaults.TruePeakDbtp,
            DuckDb = p.Number("duck", 0, 40) ?? defaults.DuckDb,
            AttackSeconds = p.Number("attack", 0.01, 2) ?? defaults.AttackSeconds,
            ReleaseSeconds = p.Number("release", 0.01, 5) ?? defaults.ReleaseSeconds,
            FadeInSeconds = p.Number("fadeIn", 0, 10) ?? defaults.FadeInSeconds,
            FadeOutSeconds = p.Number("fadeOut", 0, 10) ?? defaults.FadeOutSeconds,
            TailSeconds = p.Number("tail", 0, 30) ?? defaults.TailSeconds,
        };
        return new AudioMixingParams(extra, inputRole, p.Number("inputLevel", -30, 10) ?? DefaultLevel(inputRole), settings);
    }

    private static TrackRole? Role(JsonObjectReader reader, string name) =>
        reader.OneOf(name, Roles) is { } role ? Enum.Parse<TrackRole>(role, ignoreCase: true) : null;

    public override IReadOnlyList<ParamMedia> MediaOf(AudioMixingParams parameters) => parameters.Inputs.Select(i => i.Media).ToList();

    public override async Task<JsonObject> RunAsync(ProductionRun run, AudioMixingParams parameters, IProgress<double> progress, CancellationToken ct)
    {
        var tracks = new List<MixTrack> { new("Input", await codec.DecodeAsync(run.InputPath, "Input.Media", ct), parameters.InputRole, parameters.InputLevelLu) };
        progress.Report(0.1);
        foreach (var input in parameters.Inputs)
        {
            tracks.Add(new MixTrack(input.Media.Path, await codec.DecodeAsync(run.Media[input.Media.Path], input.Media.Path, ct), input.Role, input.LevelLu));
            progress.Report(0.1 + 0.3 * tracks.Count / (parameters.Inputs.Count + 1));
        }
        var mix = await Task.Run(() => new AudioMixer(new SpeechDetector()).Mix(tracks, parameters.Settings), ct);
        progress.Report(0.8);
        await codec.EncodeAsync(mix.Audio, run.OutputPath, ct);
        progress.Report(1);
        return new JsonObject
        {
            ["Duration"] = Math.Round(mix.Audio.Seconds, 3),
            ["Loudness"] = mix.LoudnessLufs,
            ["TruePeak"] = mix.TruePeakDbtp,
            ["Tracks"] = new JsonArray(mix.Tracks.Select(t => (JsonNode)new JsonObject
            {
                ["Name"] = t.Name, ["Role"] = t.Role.ToString(), ["Loudness"] = t.LoudnessLufs, ["Gain"] = t.GainDb,
            }).ToArray()),
            ["Speech"] = new JsonArray(mix.Speech.Select(s => (JsonNode)new JsonObject { ["Start"] = Math.Round(s.Start, 3), ["End"] = Math.Round(s.End, 3) }).ToArray()),
        };
    }
}
