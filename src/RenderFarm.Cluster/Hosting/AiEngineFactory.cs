using Microsoft.Extensions.Logging;
using RenderFarm.AI;
using RenderFarm.AI.Faces;
using RenderFarm.AI.Ocr;
using RenderFarm.AI.Recognition;
using RenderFarm.Matting;
using RenderFarm.Media.Ai;
using RenderFarm.Onnx;

namespace RenderFarm.Cluster.Hosting;

/// <summary>
/// The AI engines of this host, with their caches under one directory: on a farm node the shared
/// artifact directory, so speech synthesized or mattes computed by one node serve every node.
/// Person matting takes its analysis settings from the environment (<see cref="MattingOptions.FromEnvironment"/>)
/// and logs where it runs (CUDA or CPU, and why) to <paramref name="logs"/>; so does PaddleOCR, the OCR of media
/// analysis (models from RENDERFARM_OCR_MODELS or .models/ppocr, opened at the first keyframe read), and BlazeFace, the
/// face detector of the media-AI vision functions (models from RENDERFARM_FACE_MODELS or .models/blazeface, opened at the first picture).
/// </summary>
public static class AiEngineFactory
{
    /// <exception cref="ArgumentException">A RENDERFARM_MATTING_* variable is invalid; the message names it.</exception>
    public static AiEngines Create(string cacheDirectory, ILoggerFactory? logs = null) => new(
        Speech: new EspeakSpeechEngine(Path.Combine(cacheDirectory, "tts")),
        Recognizer: new PocketsphinxRecognizer(Path.Combine(cacheDirectory, "asr")),
        Matte: new IsNetMatteProducer(Path.Combine(cacheDirectory, "matte"), MattingOptions.FromEnvironment(), logs?.CreateLogger("matting")),
        TextReader: new PaddleOcr(logger: logs?.CreateLogger("ocr")),
        Faces: new BlazeFace(logger: logs?.CreateLogger("faces")));

    /// <summary>
    /// Says at start where this host's matte tasks will run: CUDA when its provider loads here, else the
    /// CPU with the reason; or that person matting is unavailable (native runtime unusable on this machine).
    /// </summary>
    public static void LogMattingDevice(ILogger log, OnnxDevice device)
    {
        try
        {
            if (OnnxSessionFactory.WhyNoCuda(device) is { } reason)
                log.LogInformation("person matting (matte tasks) runs on the CPU: CUDA is not available ({Reason})", reason);
            else
                log.LogInformation("person matting (matte tasks) runs on CUDA: its provider loaded");
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or BadImageFormatException)
        {
            log.LogWarning("person matting is unavailable on this node: {Reason}", e.Message);
        }
    }
}
