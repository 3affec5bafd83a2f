using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using RenderFarm.Core.Batch.Matching;

namespace RenderFarm.Onnx.Embedding;

/// <summary>
/// The embedding ranker as the Image-Text Matching planner takes it (a factory over media texts), configured
/// by environment: <see cref="ModelVariable"/> names the ONNX model, <see cref="VocabularyVariable"/> its
/// vocab.txt (default: vocab.txt beside the model). One model session per process, shared by every ranker.
/// </summary>
public static class EmbeddingRankers
{
    public const string ModelVariable = "RENDERFARM_EMBEDDING_MODEL";
    public const string VocabularyVariable = "RENDERFARM_EMBEDDING_VOCAB";
    public const string DefaultVocabularyFile = "vocab.txt";

    private static readonly Lock Gate = new();
    private static readonly Dictionary<(string Model, string Vocabulary, EmbeddingOptions Options), TextEmbedder> Embedders = [];

    /// <summary>
    /// A ranker factory when <see cref="ModelVariable"/> is set, else null (use the BM25F ranker). The model is
    /// loaded here, so a bad configuration fails at start-up rather than in the first batch job.
    /// </summary>
    /// <exception cref="FileNotFoundException">The model or vocabulary file does not exist; the message names the variable.</exception>
    /// <exception cref="InvalidDataException">The model or vocabulary is not usable; the message names the variable.</exception>
    public static Func<IReadOnlyList<MediaText>, IRelevanceRanker>? FromEnvironment(ILogger? logger = null, EmbeddingOptions? options = null) =>
        FromEnvironment(Environment.GetEnvironmentVariable, logger, options);

    internal static Func<IReadOnlyList<MediaText>, IRelevanceRanker>? FromEnvironment(
        Func<string, string?> environment, ILogger? logger = null, EmbeddingOptions? options = null)
    {
        var model = environment(ModelVariable);
        if (string.IsNullOrWhiteSpace(model)) return null;
        options = (options ?? new EmbeddingOptions { Device = OnnxSessionFactory.DeviceFromEnvironment(environment) }).Validate();
        var embedder = Embedder(model, environment(VocabularyVariable), options, logger);
        return texts => new OnnxEmbeddingRanker(embedder, texts, options.MinSimilarity);
    }

    /// <summary>The process's embedder for these files and options, opened on first use.</summary>
    public static TextEmbedder Embedder(string modelPath, string? vocabularyPath, EmbeddingOptions options, ILogger? logger = null)
    {
        if (!File.Exists(modelPath))
            throw new FileNotFoundException($"{ModelVariable} is '{modelPath}', which does not exist", modelPath);
        modelPath = Path.GetFullPath(modelPath);
        string vocabulary;
        if (string.IsNullOrWhiteSpace(vocabularyPath))
        {
            vocabulary = Path.Combine(Path.GetDirectoryName(modelPath)!, DefaultVocabularyFile);
            if (!File.Exists(vocabulary))
                throw new FileNotFoundException($"no {DefaultVocabularyFile} beside the model {ModelVariable} names ({modelPath}); put it there or set {VocabularyVariable}", vocabulary);
        }
        else if (!File.Exists(vocabularyPath))
            throw new FileNotFoundException($"{VocabularyVariable} is '{vocabularyPath}', which does not exist", vocabularyPath);
        else
            vocabulary = Path.GetFullPath(vocabularyPath);

        lock (Gate)
        {
            // Under the lock: loading a model twice at once would only double the start-up time and memory.
            if (Embedders.TryGetValue((modelPath, vocabulary, options), out var cached)) return cached;
            WordPieceTokenizer tokenizer;
            try
            {
                tokenizer = WordPieceTokenizer.Load(vocabulary);
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"{VocabularyVariable}: {vocabulary} is not usable: {e.Message}", e);
            }
            TextEmbedder embedder;
            try
            {
                embedder = new TextEmbedder(modelPath, tokenizer, options, logger);
            }
            catch (Exception e) when (e is InvalidDataException or OnnxRuntimeException)
            {
                throw new InvalidDataException($"{ModelVariable}: {modelPath} is not a usable text embedding model: {e.Message.Split('\n')[0].Trim()}", e);
            }
            logger?.LogInformation("Image-Text Matching ranks by text embeddings: {Model} on {Provider}, up to {Tokens} tokens per text",
                modelPath, embedder.ExecutionProvider, embedder.MaxSequenceLength);
            Embedders[(modelPath, vocabulary, options)] = embedder;
            return embedder;
        }
    }
}
