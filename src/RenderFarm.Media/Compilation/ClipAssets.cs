using RenderFarm.Core.Timelines;

namespace RenderFarm.Media.Compilation;

/// <summary>
/// Per-clip files and facts computed while preparing a timeline, keyed by the clip's JSON path:
/// person mattes for AI_RealMatting clips, the key colour an AI_Matting clip removes (Auto
/// estimates it from the clip's border pixels).
/// </summary>
public sealed record ClipAssets(IReadOnlyDictionary<string, string> MattePaths, IReadOnlyDictionary<string, Rgba> KeyColours)
{
    public static readonly ClipAssets Empty = new(new Dictionary<string, string>(), new Dictionary<string, Rgba>());
}
