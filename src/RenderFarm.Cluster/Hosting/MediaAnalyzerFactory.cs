using RenderFarm.Cluster.Library;
using RenderFarm.Media.Ai;
using RenderFarm.Media.Analysis;

namespace RenderFarm.Cluster.Hosting;

/// <summary>
/// The media analyser of this host. The tag names the analyser, its options and its OCR engine: it enters the
/// content address of every analysis, so changing either analyses media again instead of reusing old results.
/// </summary>
public static class MediaAnalyzerFactory
{
    public static MediaAnalysisEngine Create(AiEngines engines)
    {
        var options = new MediaAnalyzerOptions();
        return new MediaAnalysisEngine(new MediaAnalyzer(engines.Recognizer, engines.TextReader, options),
            $"{nameof(MediaAnalyzer)}:{options}:ocr={engines.TextReader?.Name ?? "none"}");
    }
}
