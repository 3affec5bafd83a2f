using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace RenderFarm.Onnx.Embedding;

/// <summary>
/// A BERT-style sentence encoder in ONNX form with its WordPiece vocabulary: text in, unit-length vector out.
/// The model contract (README.md): int64 inputs <c>input_ids</c> and <c>attention_mask</c> [batch, seq]
/// (<c>token_type_ids</c> optional, fed zeros); a float output [batch, dim] (already pooled) or
/// [batch, seq, dim] (mean-pooled here over the positions the mask keeps). Thread-safe: concurrent calls share
/// the session.
/// </summary>
public sealed class TextEmbedder : IDisposable
{
    private const string InputIds = "input_ids", AttentionMask = "attention_mask", TokenTypeIds = "token_type_ids";

    private readonly OnnxSession _session;
    private readonly WordPieceTokenizer _tokenizer;
    private readonly string[] _inputNames;
    private readonly string _outputName;
    private readonly bool _tokenLevelOutput;
    private readonly int? _fixedBatch, _fixedSequence;

    /// <exception cref="FileNotFoundException">ONNX Runtime is not installed.</exception>
    /// <exception cref="InvalidDataException">The model does not follow the contract, or the vocabulary is not a WordPiece vocab.txt.</exception>
    /// <exception cref="OnnxRuntimeException">The model file is not a model ONNX Runtime can load.</exception>
    public TextEmbedder(string modelPath, string vocabularyPath, EmbeddingOptions? options = null, ILogger? logger = null)
        : this(modelPath, WordPieceTokenizer.Load(vocabularyPath), options, logger)
    {
    }

    /// <inheritdoc cref="TextEmbedder(string, string, EmbeddingOptions?, ILogger?)"/>
    public TextEmbedder(string modelPath, WordPieceTokenizer tokenizer, EmbeddingOptions? options = null, ILogger? logger = null)
    {
        options = (options ?? new EmbeddingOptions()).Validate();
        _tokenizer = tokenizer;
        ModelPath = modelPath;
        _session = OnnxSessionFactory.Open(modelPath, "Text embedding", options.Threads, logger, options.Device);
        try
        {
            var session = _session.Session;
            var inputs = session.InputMetadata;
            foreach (var name in inputs.Keys.Where(n => n is not (InputIds or AttentionMask or TokenTypeIds)))
                throw new InvalidDataException($"{modelPath} has an input '{name}'; a text embedding model takes only {InputIds}, {AttentionMask} and optionally {TokenTypeIds}");
            foreach (var name in new[] { InputIds, AttentionMask, TokenTypeIds }.Where(inputs.ContainsKey))
            {
                var meta = inputs[name];
                if (!meta.IsTensor || meta.ElementDataType != TensorElementType.Int64 || meta.Dimensions.Length != 2)
                    throw new InvalidDataException($"{modelPath}: input '{name}' must be an int64 tensor [batch, sequence]");
            }
            if (!inputs.TryGetValue(InputIds, out var ids) || !inputs.ContainsKey(AttentionMask))
                throw new InvalidDataException($"{modelPath} lacks the input {InputIds} or {AttentionMask} of a BERT-style text encoder");
            _inputNames = [.. new[] { InputIds, AttentionMask, TokenTypeIds }.Where(inputs.ContainsKey)];
            _fixedBatch = ids.Dimensions[0] > 0 ? ids.Dimensions[0] : null;
            _fixedSequence = ids.Dimensions[1] > 0 ? ids.Dimensions[1] : null;
            if (_fixedSequence is < 2 or > EmbeddingOptions.MaxSequenceLengthLimit)
                throw new InvalidDataException($"{modelPath} has a fixed sequence length of {_fixedSequence}; between 2 and {EmbeddingOptions.MaxSequenceLengthLimit} is supported");
            (_outputName, _tokenLevelOutput) = ChooseOutput(session.OutputMetadata, modelPath);
        }
        catch
        {
            _session.Dispose();
            throw;
        }
        MaxSequenceLength = _fixedSequence ?? options.MaxSequenceLength;
        BatchSize = Math.Min(_fixedBatch ?? options.BatchSize, EmbeddingOptions.MaxBatchSize);
    }

    public string ModelPath { get; }

    /// <summary>"CUDA" or "CPU".</summary>
    public string ExecutionProvider => _session.ExecutionProvider;

    /// <summary>Tokens per text, [CLS] and [SEP] included; longer texts are cut.</summary>
    public int MaxSequenceLength { get; }

    /// <summary>Texts per model run.</summary>
    public int BatchSize { get; }

    public WordPieceTokenizer Tokenizer => _tokenizer;

    /// <summary>
    /// One unit-length vector per text, in order (a zero vector where the model gives one). Texts are run in
    /// batches of <see cref="BatchSize"/>, each padded to its longest text.
    /// </summary>
    public float[][] Embed(IReadOnlyList<string> texts, CancellationToken ct = default)
    {
        var encoded = texts.Select(t => _tokenizer.Encode(t, MaxSequenceLength)).ToArray();
        var vectors = new float[texts.Count][];
        for (var start = 0; start < encoded.Length; start += BatchSize)
        {
            ct.ThrowIfCancellationRequested();
            var count = Math.Min(BatchSize, encoded.Length - start);
            var batch = encoded.AsSpan(start, count);
            RunBatch(batch, vectors.AsSpan(start, count));
        }
        return vectors;
    }

    private void RunBatch(ReadOnlySpan<int[]> batch, Span<float[]> into)
    {
        var rows = _fixedBatch ?? batch.Length;
        var sequence = _fixedSequence ?? batch.ToArray().Max(e => e.Length);
        var ids = new long[rows * sequence];
        var mask = new long[rows * sequence];
        Array.Fill(ids, _tokenizer.Pad);
        for (var r = 0; r < rows; r++)
        {
            // A fixed batch axis is filled up with empty texts, whose outputs are dropped.
            var tokens = r < batch.Length ? batch[r] : [_tokenizer.Cls, _tokenizer.Sep];
            for (var t = 0; t < tokens.Length; t++)
            {
                ids[r * sequence + t] = tokens[t];
                mask[r * sequence + t] = 1;
            }
        }
        long[] shape = [rows, sequence];
        var values = new List<OrtValue>(3);
        try
        {
            foreach (var name in _inputNames)
                values.Add(OrtValue.CreateTensorValueFromMemory(name switch
                {
                    InputIds => ids,
                    AttentionMask => mask,
                    _ => new long[rows * sequence], // token_type_ids: every token is of the first segment
                }, shape));
            using var runOptions = new RunOptions();
            using var outputs = _session.Session.Run(runOptions, _inputNames, values, [_outputName]);
            var output = outputs[0];
            var outShape = output.GetTensorTypeAndShape().Shape;
            var data = output.GetTensorDataAsSpan<float>();
            if (outShape.Length != (_tokenLevelOutput ? 3 : 2) || outShape[0] != rows || (_tokenLevelOutput && outShape[1] != sequence))
                throw new InvalidDataException($"{ModelPath}: output '{_outputName}' has shape [{string.Join(", ", outShape)}] for input [{rows}, {sequence}]");
            var dim = (int)outShape[^1];
            for (var r = 0; r < batch.Length; r++)
            {
                var vector = new float[dim];
                if (_tokenLevelOutput)
                    MeanPool(data.Slice(r * sequence * dim, sequence * dim), mask.AsSpan(r * sequence, sequence), vector);
                else
                    data.Slice(r * dim, dim).CopyTo(vector);
                Normalize(vector);
                into[r] = vector;
            }
        }
        finally
        {
            foreach (var v in values) v.Dispose();
        }
    }

    private static void MeanPool(ReadOnlySpan<float> tokens, ReadOnlySpan<long> mask, float[] into)
    {
        var dim = into.Length;
        var kept = 0;
        for (var t = 0; t < mask.Length; t++)
        {
            if (mask[t] == 0) continue;
            kept++;
            var row = tokens.Slice(t * dim, dim);
            for (var d = 0; d < dim; d++) into[d] += row[d];
        }
        if (kept > 0)
            for (var d = 0; d < dim; d++) into[d] /= kept;
    }

    private static void Normalize(float[] vector)
    {
        double sum = 0;
        foreach (var v in vector) sum += (double)v * v;
        if (sum == 0 || !double.IsFinite(sum)) return;
        var scale = (float)(1 / Math.Sqrt(sum));
        for (var d = 0; d < vector.Length; d++) vector[d] *= scale;
    }

    /// <summary>
    /// "sentence_embedding" (sentence-transformers' export) if present; else the one token-level output
    /// ([batch, seq, dim], e.g. last_hidden_state), mean-pooled; else the one pooled output [batch, dim].
    /// BERT's pooler_output is passed over when last_hidden_state is there: it was not trained for similarity.
    /// </summary>
    private static (string Name, bool TokenLevel) ChooseOutput(IReadOnlyDictionary<string, NodeMetadata> outputs, string modelPath)
    {
        var floats = outputs.Where(o => o.Value.IsTensor && o.Value.ElementDataType == TensorElementType.Float).ToList();
        if (floats.FirstOrDefault(o => o.Key == "sentence_embedding" && o.Value.Dimensions.Length == 2) is { Key: not null } named)
            return (named.Key, false);
        var tokenLevel = floats.Where(o => o.Value.Dimensions.Length == 3).Select(o => o.Key).ToList();
        if (tokenLevel.Count > 0) return (tokenLevel.Contains("last_hidden_state") ? "last_hidden_state" : tokenLevel[0], true);
        var pooled = floats.Where(o => o.Value.Dimensions.Length == 2).Select(o => o.Key).ToList();
        if (pooled.Count > 0) return (pooled[0], false);
        throw new InvalidDataException($"{modelPath} has no float output [batch, dim] or [batch, sequence, dim]");
    }

    public void Dispose() => _session.Dispose();
}
