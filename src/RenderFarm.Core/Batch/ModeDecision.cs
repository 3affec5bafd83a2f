using RenderFarm.Core.Json;

namespace RenderFarm.Core.Batch;

/// <summary>The four ways IMS produces a batch; the first two are Script-to-Video, the others Image-Text Matching.</summary>
public enum BatchMode
{
    ScriptToVideoGlobal,
    ScriptToVideoSegmented,
    ImageTextMatchingGlobal,
    ImageTextMatchingStoryboard,
}

/// <summary>
/// The mode IMS would choose for an InputConfig and why, in words a user can check against
/// their request (GetBatchMediaProducingJob shows <see cref="Reason"/>).
/// Rules (IMS "parameter differences" and Script-to-Video pages):
/// MediaGroupArray means Script-to-Video and wins over MediaArray / MediaSearchInput. In
/// Script-to-Video, a non-empty SpeechTextArray means Global Scripts; otherwise any group with
/// Duration or SpeechTextArray means Segmented Scripts; otherwise Global Scripts without voice-over.
/// Image-Text Matching is Storyboard Script when SceneInfo describes shots (ShotInfo) and no
/// SpeechTextArray is given, Global Scripts when SpeechTextArray is given.
/// </summary>
public sealed record ModeDecision(BatchMode Mode, string Reason)
{
    public bool IsScriptToVideo => Mode is BatchMode.ScriptToVideoGlobal or BatchMode.ScriptToVideoSegmented;

    public string Name => Mode switch
    {
        BatchMode.ScriptToVideoGlobal => "Script-to-Video, Global Scripts",
        BatchMode.ScriptToVideoSegmented => "Script-to-Video, Segmented Scripts",
        BatchMode.ImageTextMatchingGlobal => "Image-Text Matching, Global Scripts",
        _ => "Image-Text Matching, Storyboard Script",
    };

    public override string ToString() => $"{Name}: {Reason}";

    /// <summary>Decides the mode; an InputConfig without any media is an error.</summary>
    public static ModeDecision Decide(BatchInput input, string inputPath = "InputConfig")
    {
        string At(string field) => $"{inputPath}.{field}";
        if (input.MediaGroups.Count > 0)
        {
            var ignored = new List<string>();
            if (input.Media.Count > 0) ignored.Add("MediaArray");
            if (input.MediaSearch is not null) ignored.Add("MediaSearchInput");
            var precedence = ignored.Count == 0 ? "" : $" ({string.Join(" and ", ignored)} ignored: MediaGroupArray takes precedence)";
            if (input.SpeechTexts.Count > 0)
                return new(BatchMode.ScriptToVideoGlobal,
                    $"MediaGroupArray is given and SpeechTextArray holds {Count(input.SpeechTexts.Count, "script")}; each output speaks one of them{precedence}");
            var segmented = input.MediaGroups.FirstOrDefault(g => g.IsSegmented);
            if (segmented is not null)
            {
                var what = segmented.SpeechTexts.Count > 0 ? "SpeechTextArray" : "Duration";
                var voiced = input.MediaGroups.Count(g => g.SpeechTexts.Count > 0);
                return new(BatchMode.ScriptToVideoSegmented,
                    $"SpeechTextArray is empty and {segmented.Path} ('{segmented.Name}') sets {what}; " +
                    $"voice-over in {voiced} of {input.MediaGroups.Count} groups{precedence}");
            }
            return new(BatchMode.ScriptToVideoGlobal,
                $"MediaGroupArray is given without SpeechTextArray and no group sets Duration or SpeechTextArray: no voice-over{precedence}");
        }
        if (input.Media.Count > 0 || input.MediaSearch is not null)
        {
            var source = (input.Media.Count > 0, input.MediaSearch is not null) switch
            {
                (true, true) => $"MediaArray holds {Count(input.Media.Count, "medium")} and MediaSearchInput searches the media library",
                (true, false) => $"MediaArray holds {Count(input.Media.Count, "medium")}",
                _ => "MediaSearchInput searches the media library",
            };
            if (input.SpeechTexts.Count > 0)
                return new(BatchMode.ImageTextMatchingGlobal,
                    $"{source} (no MediaGroupArray) and SpeechTextArray holds {Count(input.SpeechTexts.Count, "script")} to match clips to");
            if (input.HasShotScripts)
                return new(BatchMode.ImageTextMatchingStoryboard,
                    $"{source} (no MediaGroupArray), no SpeechTextArray, and SceneInfo.ShotInfo describes the shots");
            throw new RequestException(At("SpeechTextArray"),
                "Image-Text Matching (MediaArray / MediaSearchInput) needs SpeechTextArray (Global Scripts) or SceneInfo.ShotInfo (Storyboard Script)");
        }
        throw new RequestException(inputPath, "no media: give MediaGroupArray (Script-to-Video) or MediaArray / MediaSearchInput (Image-Text Matching)");
    }

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {(noun == "medium" ? "media" : noun + "s")}";
}
