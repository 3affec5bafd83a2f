using RenderFarm.Core.Json;
using RenderFarm.Core.Planning;
using RenderFarm.Media.Compilation;

namespace RenderFarm.Media.Rendering;

/// <summary>
/// A timeline ready to render: scheduled on the frame grid, every MediaURL resolved to a local
/// file, captions written as ASS text. Everything a renderer or a segment worker needs.
/// </summary>
public sealed record PreparedTimeline(
    Schedule Schedule,
    IReadOnlyDictionary<string, string> LocalPaths,
    string? SubtitlesAss,
    IReadOnlyList<Warning> Warnings)
{
    /// <summary>Mattes and key colours of the clips with matting effects.</summary>
    public ClipAssets Assets { get; init; } = ClipAssets.Empty;

    /// <summary>The ASS scripts of Type=Subtitle clips with ASS files, shifted to their clips' times, drawn after <see cref="SubtitlesAss"/>.</summary>
    public IReadOnlyList<string> SubtitleScripts { get; init; } = [];

    /// <summary>The directory holding the FontUrl fonts, given to libass; null when no text has a FontUrl.</summary>
    public string? FontsDirectory { get; init; }

    /// <summary>The AI_ASR captions (also in the schedule's texts), for writing an SRT file.</summary>
    public IReadOnlyList<TextSegment> Captions { get; init; } = [];
}
