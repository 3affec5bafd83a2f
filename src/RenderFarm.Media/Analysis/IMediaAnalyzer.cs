using RenderFarm.Core.Library;

namespace RenderFarm.Media.Analysis;

/// <summary>Analyses one local media file (video, audio or image); keyframes are written as files into <paramref name="keyframeDirectory"/>.</summary>
public interface IMediaAnalyzer
{
    Task<MediaAnalysis> AnalyseAsync(string mediaPath, string keyframeDirectory, IProgress<double>? progress, CancellationToken ct);
}
