using System.Text.Json.Nodes;
using RenderFarm.Core.Json;
using RenderFarm.Media.Audio;
using RenderFarm.Media.Production;

namespace RenderFarm.Media.AudioAnalysis;

/// <summary>AudioBeatDetection's parameters: the tracker's tempo range and whether to write a click track mixed over the input.</summary>
public sealed record AudioBeatDetectionParams(BeatTrackerOptions Options, bool Click);

/// <summary>
/// AudioBeatDetection (IMS 音乐节奏检测): beat times, downbeats where the metre is clear and the tempo with a
/// confidence (<see cref="BeatTracker"/>), written as the output .json; with <c>click</c>, the input with a
/// click on every beat (<see cref="ClickTrack"/>) beside it as NAME-click.m4a so a person can hear them.
/// </summary>
public sealed class AudioBeatDetectionFunction(AudioDecoder decoder, PcmCodec codec) : ProductionFunction<AudioBeatDetectionParams>
{
    public override string Name => "AudioBeatDetection";
    public override ProductionInput Input => ProductionInput.Audio;
    public override IReadOnlyList<string> OutputExtensions { get; } = [".json"];
    public override IReadOnlyList<string> ParamNames { get; } = ["minBpm", "maxBpm", "preferredBpm", "click"];

    public override AudioBeatDetectionParams ParseParams(JsonObjectReader p)
    {
        var defaults = new BeatTrackerOptions();
        var options = defaults with
        {
            MinBpm = p.Number("minBpm", 20, 300) ?? defaults.MinBpm,
            MaxBpm = p.Number("maxBpm", 20, 400) ?? defaults.MaxBpm,
        };
        options = options with { PreferredBpm = p.Number("preferredBpm", options.MinBpm, options.MaxBpm) ?? Math.Clamp(defaults.PreferredBpm, options.MinBpm, options.MaxBpm) };
        var click = p.Bool("click") ?? false;
        return new AudioBeatDetectionParams(options.Validate(p.Path), click);
    }

    public override async Task<JsonObject> RunAsync(ProductionRun run, AudioBeatDetectionParams parameters, IProgress<double> progress, CancellationToken ct)
    {
        var audio = await decoder.DecodeAsync(run.InputPath, "Input.Media", ct: ct);
        progress.Report(0.3);
        var beats = await Task.Run(() => new BeatTracker(parameters.Options).Analyse(audio), ct);
        progress.Report(0.7);
        var result = new JsonObject
        {
            ["Duration"] = Math.Round(beats.DurationSeconds, 3),
            ["Bpm"] = Math.Round(beats.Bpm, 2),
            ["Confidence"] = Math.Round(beats.Confidence, 3),
            ["BeatsPerBar"] = beats.BeatsPerBar,
            ["Beats"] = new JsonArray(beats.Beats.Select(b => (JsonNode)Math.Round(b.Time, 3)).ToArray()),
            ["Downbeats"] = new JsonArray(beats.Downbeats.Select(t => (JsonNode)Math.Round(t, 3)).ToArray()),
            ["Tempos"] = new JsonArray(beats.Tempos.Select(s => (JsonNode)new JsonObject
            {
                ["Start"] = Math.Round(s.Start, 3), ["End"] = Math.Round(s.End, 3), ["Bpm"] = Math.Round(s.Bpm, 2),
            }).ToArray()),
        };
        if (parameters.Click)
        {
            var clickPath = Path.Combine(Path.GetDirectoryName(run.FinalPath)!, Path.GetFileNameWithoutExtension(run.FinalPath) + "-click.m4a");
            await WriteClickMixAsync(run.InputPath, beats, clickPath, ct);
            result["Click"] = Path.GetFileName(clickPath);
        }
        await File.WriteAllTextAsync(run.OutputPath, result.ToJsonString(), ct);
        progress.Report(1);
        return result;
    }

    /// <summary>The input (stereo, 48 kHz) with the clicks added to both channels, kept under -1 dBTP.</summary>
    private async Task WriteClickMixAsync(string input, BeatAnalysis beats, string clickPath, CancellationToken ct)
    {
        var music = await codec.DecodeAsync(input, "Input.Media", ct);
        var clicks = ClickTrack.Render(beats.Beats, music.SampleRate, music.Seconds);
        foreach (var channel in music.Channels)
            for (var i = 0; i < channel.Length && i < clicks.Length; i++) channel[i] += clicks[i];
        using var output = new Rendering.AtomicOutput(clickPath);
        await codec.EncodeAsync(AudioMixer.Limit(music, -1.5), output.TempPath, ct);
        output.Commit();
    }
}
