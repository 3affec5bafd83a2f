namespace RenderFarm.Media.Compilation;

/// <summary>
/// The ASS scripts a render draws, in order (the timeline's texts first, then subtitle files in their own styles),
/// and the directory of FontUrl fonts libass loads for them.
/// </summary>
public sealed record SubtitleFiles(IReadOnlyList<string> Scripts, string? FontsDirectory = null)
{
    public static SubtitleFiles? Of(string? script) => script is null ? null : new SubtitleFiles([script]);
}
