using RenderFarm.AI;
using RenderFarm.AI.Recognition;
using RenderFarm.Matting;
using RenderFarm.Media.Ai;

namespace RenderFarm.Cluster.Nodes;

/// <summary>
/// The AI engines of this host, with their caches under one directory: on a farm node the shared
/// artifact directory, so speech synthesized or mattes computed by one node serve every node.
/// </summary>
public static class AiEngineFactory
{
    public static AiEngines Create(string cacheDirectory) => new(
        Speech: new EspeakSpeechEngine(Path.Combine(cacheDirectory, "tts")),
        Recognizer: new PocketsphinxRecognizer(Path.Combine(cacheDirectory, "asr")),
        Matte: new IsNetMatteProducer(Path.Combine(cacheDirectory, "matte")));
}
