using RenderFarm.Core.Timelines;

namespace RenderFarm.Core.Batch;

/// <summary>A media reference as the user wrote it (a path, URL or media id) and the JSON path to name it by.</summary>
public sealed record MediaRef(string Path, string Url);

/// <summary>A text from a list (script, title) with the JSON path it came from.</summary>
public sealed record TextItem(string Path, string Text);

/// <summary>
/// How a Segmented Scripts group spends its time. NoSplit fills it with shots picked from the
/// group's media; AverageSplit gives every medium of the group an equal share.
/// </summary>
public enum SplitMode { NoSplit, AverageSplit }

/// <summary>One MediaGroupArray entry (a script node): its media, its own voice-over texts, its duration and volume.</summary>
public sealed record MediaGroup(
    string Path,
    string Name,
    IReadOnlyList<MediaRef> Media,
    IReadOnlyList<TextItem> SpeechTexts,
    double? Duration,
    SplitMode SplitMode,
    double? Volume)
{
    /// <summary>Segmented mode: the group takes part in the voice-over or sets its own length.</summary>
    public bool IsSegmented => SpeechTexts.Count > 0 || Duration is not null;
}

/// <summary>A sticker, logo or watermark laid over the whole video (placement as on VideoTrackClips).</summary>
public sealed record Sticker(MediaRef Media, Extent? X, Extent? Y, Extent? Width, Extent? Height, double Opacity)
{
    /// <summary>IMS DyncFrames: the sticker is an animated image looping its first this many frames (null: a still).</summary>
    public int? DyncFrames { get; init; }
}

/// <summary>
/// InputConfig.MediaSearchInput: Image-Text Matching takes its media from the media library, the analysed
/// media its SearchText matches (all analysed media without one). IMS shape:
/// <c>{"LibSearchCondition":{"SearchLibs":["..."],"SearchText":"..."}}</c>. A farm keeps one library, so the
/// SearchLibs names are kept but select nothing.
/// </summary>
public sealed record MediaSearch(string Path, IReadOnlyList<string> SearchLibs, string? SearchText);

/// <summary>
/// InputConfig. Script-to-Video reads <see cref="MediaGroups"/>; Image-Text Matching reads
/// <see cref="Media"/> (which the node extends with the library media <see cref="MediaSearch"/> finds) and
/// <see cref="SceneInfoJson"/> (kept as JSON text for its planner). A MediaRef's Url may be a library MediaId
/// until the node resolves it. Singular IMS fields (Title, SpeechText, Sticker, BackgroundMusic) arrive here as one-item lists.
/// </summary>
public sealed record BatchInput(
    IReadOnlyList<MediaGroup> MediaGroups,
    IReadOnlyList<MediaRef> Media,
    MediaSearch? MediaSearch,
    string? SceneInfoJson,
    bool HasShotScripts,
    IReadOnlyList<TextItem> Titles,
    IReadOnlyList<TextItem> SpeechTexts,
    IReadOnlyList<Sticker> Stickers,
    IReadOnlyList<MediaRef> BackgroundMusic,
    IReadOnlyList<MediaRef> BackgroundImages);
