using RenderFarm.Cluster.Library;
using RenderFarm.Media.Ai;
using RenderFarm.Media.Analysis;

namespace RenderFarm.Cluster.Hosting;

/// <summary>
/// The media analyser of this host. The tag names the analyser and its options: it enters the content
/// address of every analysis, so changing an option analyses media again instead of reusing old results.
/// </summary>
public static class MediaAnalyzerFactory
{
    public static MediaAnalysisEngine Create(AiEngines engines)
    {
        var options = new MediaAnalyzerOptions();
        return new MediaAnalysisEngine(new MediaAnalyzer(engines.Recognizer, options), $"{nameof(MediaAnalyzer)}:{options}");
    }

    /// <summary>The OCR of media analysis (same engine, languages and limits) for reading slide titles.</summary>
    public static RenderFarm.Media.Slides.ISlideTextReader SlideText()
    {
        var options = new MediaAnalyzerOptions();
        return new TesseractLineReader(options.TesseractPath, options.OcrLanguages, options.OcrMinConfidence, TimeSpan.FromSeconds(options.OcrTimeoutSeconds));
    }
}
