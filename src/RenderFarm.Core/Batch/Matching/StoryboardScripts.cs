using RenderFarm.Core.Json;

namespace RenderFarm.Core.Batch.Matching;

/// <summary>
/// One storyboard shot (SceneInfo.ShotInfo.ShotScripts[i]). IMS describes a storyboard shot by "script,
/// voice-over and duration"; the field layout is not published, so RenderFarm reads: <c>ScriptText</c>
/// (required: what the shot shows, matched against the media texts), <c>SpeechText</c> (the voice-over;
/// default ScriptText, "" for none) and <c>Duration</c> (seconds). The shot lasts Duration, or its spoken
/// length without Duration, or SingleShotDuration when silent; a voice-over longer than Duration wins.
/// </summary>
public sealed record StoryboardShot(string Path, string ScriptText, string? SpeechText, double? Duration);

public static class StoryboardScripts
{
    public static IReadOnlyList<StoryboardShot> Parse(string sceneInfoJson, BatchLimits limits, Diagnostics diagnostics, string path = "InputConfig.SceneInfo")
    {
        var scene = JsonObjectReader.Parse(sceneInfoJson, diagnostics, path);
        var shotInfo = scene.ObjectOrJsonText("ShotInfo") ?? throw scene.Error("ShotInfo", "is required for Storyboard Script mode");
        var items = shotInfo.Objects("ShotScripts");
        if (items.Count == 0) throw shotInfo.Error("ShotScripts", "must list at least one shot");
        if (items.Count > limits.MaxListItems) throw shotInfo.Error("ShotScripts", $"at most {limits.MaxListItems} shots are allowed (got {items.Count})");
        var shots = new List<StoryboardShot>();
        foreach (var item in items)
        {
            var text = item.String("ScriptText");
            if (string.IsNullOrWhiteSpace(text)) throw item.Error("ScriptText", "is required: it says what the shot shows");
            var speech = item.String("SpeechText");
            foreach (var (name, value) in new[] { ("ScriptText", text), ("SpeechText", speech ?? "") })
                if (value.Length > limits.MaxSpeechTextLength)
                    throw item.Error(name, $"at most {limits.MaxSpeechTextLength} characters are allowed (got {value.Length})");
            var duration = item.Number("Duration", limits.MinShotSeconds, limits.Timeline.MaxDurationSeconds);
            shots.Add(new StoryboardShot(item.Path, text.Trim(), speech?.Trim(), duration));
        }
        scene.Accept("Scene");
        scene.ReportUnread();
        return shots;
    }
}
