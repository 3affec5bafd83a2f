using RenderFarm.Core.Library;

namespace RenderFarm.Media.Analysis;

/// <summary>
/// Analyses one local media file (video, audio or image); keyframes are written as files into
/// <paramref name="keyframeDirectory"/> (created when missing; give each medium its own directory),
/// and the result names them relative to it. <paramref name="progress"/> receives a rising fraction
/// 0..1 ending with 1. Cancelling stops the running tool process.
/// </summary>
/// <exception cref="RenderFarm.Core.Json.RequestException">The medium is missing, not media, or over a limit.</exception>
public interface IMediaAnalyzer
{
    Task<MediaAnalysis> AnalyseAsync(string mediaPath, string keyframeDirectory, IProgress<double>? progress, CancellationToken ct);
}
