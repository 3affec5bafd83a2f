using RenderFarm.Core.Library;
using RenderFarm.Media.Ai;

namespace RenderFarm.Media.Analysis;

/// <summary>Placeholder until the analysis engine lands (this file is replaced by it).</summary>
public sealed class MediaAnalyzer(ISpeechRecognizer? recognizer, MediaAnalyzerOptions? options = null) : IMediaAnalyzer
{
    public ISpeechRecognizer? Recognizer { get; } = recognizer;
    public MediaAnalyzerOptions Options { get; } = options ?? new MediaAnalyzerOptions();

    public Task<MediaAnalysis> AnalyseAsync(string mediaPath, string keyframeDirectory, IProgress<double>? progress, CancellationToken ct) =>
        throw new NotImplementedException("media analysis is not available in this build");
}

/// <summary>Placeholder until the analysis engine lands.</summary>
public sealed record MediaAnalyzerOptions;
