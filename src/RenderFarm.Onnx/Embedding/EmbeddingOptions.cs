using System.Globalization;

namespace RenderFarm.Onnx.Embedding;

/// <summary>How text embeddings are computed and turned into relevance scores. Every value has a stated range.</summary>
public sealed record EmbeddingOptions
{
    public const int MinSequenceLength = 8, MaxSequenceLengthLimit = 512;
    public const int MaxBatchSize = 256;
    public const double MaxMinSimilarity = 0.95;

    /// <summary>
    /// Tokens per text, [CLS] and [SEP] included ([8, 512]; 512 is BERT's position table). Longer texts are cut.
    /// A model whose sequence axis is fixed uses its own length instead.
    /// </summary>
    public int MaxSequenceLength { get; init; } = 256;

    /// <summary>Texts per model run when the media texts are embedded ([1, 256]); a model with a fixed batch axis uses its own.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>
    /// Cosine similarity at or below which a text counts as no match (score 0), [0, 0.95]. Scores above it are
    /// rescaled to (0, 1], so the matcher's "within 15% of the best" is measured above this floor.
    /// </summary>
    public double MinSimilarity { get; init; }

    /// <summary>ONNX Runtime intra-op threads, [0, 256]; 0 = one per core.</summary>
    public int Threads { get; init; }

    /// <summary>Where the encoder runs (default: CUDA when its provider loads, else the CPU).</summary>
    public OnnxDevice Device { get; init; }

    /// <exception cref="ArgumentOutOfRangeException">A value is out of its range; the message names it.</exception>
    public EmbeddingOptions Validate()
    {
        Check(nameof(MaxSequenceLength), MaxSequenceLength, MinSequenceLength, MaxSequenceLengthLimit);
        Check(nameof(BatchSize), BatchSize, 1, MaxBatchSize);
        Check(nameof(MinSimilarity), MinSimilarity, 0, MaxMinSimilarity);
        Check(nameof(Threads), Threads, 0, OnnxSessionFactory.MaxThreads);
        return this;
    }

    private static void Check(string name, double value, double min, double max)
    {
        if (!(value >= min && value <= max)) // also rejects NaN
            throw new ArgumentOutOfRangeException(name, value, string.Create(CultureInfo.InvariantCulture,
                $"EmbeddingOptions.{name} is {value}; it must be between {min} and {max}"));
    }
}
