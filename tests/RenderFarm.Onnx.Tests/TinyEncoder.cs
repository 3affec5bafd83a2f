using RenderFarm.TestSupport;

namespace RenderFarm.Onnx.Tests;

/// <summary>
/// A toy sentence encoder: a WordPiece vocabulary and an embedding table whose six dimensions are
/// meanings (cat, dog, harbour, mountain, bread, and "filler" for function words and special tokens), so
/// synonyms and their Chinese translations share a direction. Two ONNX forms of it are written:
/// <see cref="TokenLevelModel"/> (Gather only: [batch, seq, dim], pooled by the embedder; unlike a real
/// model it leaves padding positions non-zero, so pooling that ignored the mask would show) and
/// <see cref="PooledModel"/> (adds a token-type table and pools in the graph: [batch, dim]).
/// </summary>
public sealed class TinyEncoder : IDisposable
{
    public const int Dim = 6;
    private const int Cat = 0, Dog = 1, Harbour = 2, Mountain = 3, Bread = 4, Filler = 5;

    /// <summary>Each token and its meaning (dimension, weight); the line number in vocab.txt is the id.</summary>
    public static readonly (string Token, int Meaning, float Weight)[] Vocabulary =
    [
        ("[PAD]", Filler, 5f), ("[UNK]", Filler, 0.2f), ("[CLS]", Filler, 0.2f), ("[SEP]", Filler, 0.2f), ("[MASK]", Filler, 0.2f),
        ("the", Filler, 0.2f), ("a", Filler, 0.2f), ("on", Filler, 0.2f), ("in", Filler, 0.2f), ("at", Filler, 0.2f), ("and", Filler, 0.2f),
        ("!", Filler, 0.1f), (".", Filler, 0.1f), ("##s", Filler, 0.2f), ("##ing", Filler, 0.3f), ("##ning", Filler, 0.3f),
        ("run", Filler, 0.3f), ("sleep", Filler, 0.3f), ("sofa", Filler, 0.3f), ("park", Filler, 0.3f), ("fresh", Filler, 0.3f), ("cafe", Filler, 0.3f),
        ("cat", Cat, 1f), ("kitten", Cat, 1f), ("猫", Cat, 1f), ("小", Filler, 0.3f),
        ("dog", Dog, 1f), ("puppy", Dog, 1f), ("狗", Dog, 1f),
        ("harbour", Harbour, 1f), ("port", Harbour, 1f), ("boat", Harbour, 1f), ("ship", Harbour, 1f), ("dawn", Filler, 0.3f),
        ("港", Harbour, 1f), ("船", Harbour, 1f), ("海", Harbour, 1f),
        ("mountain", Mountain, 1f), ("peak", Mountain, 1f), ("山", Mountain, 1f),
        ("bread", Bread, 1f), ("bakery", Bread, 1f), ("面", Bread, 0.7f), ("包", Bread, 0.7f),
    ];

    private readonly TempDir _dir = new();

    public TinyEncoder()
    {
        VocabularyPath = _dir.File("vocab.txt");
        TokenLevelModel = _dir.File("token-level.onnx");
        var pooled = Directory.CreateDirectory(_dir.File("pooled")).FullName;
        PooledModel = Path.Combine(pooled, "pooled.onnx");
        File.WriteAllLines(VocabularyPath, Vocabulary.Select(v => v.Token));
        File.Copy(VocabularyPath, Path.Combine(pooled, "vocab.txt"));
        TokenLevel().Save(TokenLevelModel);
        Pooled().Save(PooledModel);
    }

    /// <summary>Beside <see cref="TokenLevelModel"/>, as the default lookup expects (a copy lies beside <see cref="PooledModel"/>).</summary>
    public string VocabularyPath { get; }
    public string TokenLevelModel { get; }
    public string PooledModel { get; }

    /// <summary>A scratch directory for tests that write broken files.</summary>
    public string Scratch(string name) => _dir.File(name);

    public static float[] Row(string token)
    {
        var (_, meaning, weight) = Vocabulary.Single(v => v.Token == token);
        var row = new float[Dim];
        row[meaning] = weight;
        return row;
    }

    /// <summary>The unit vector of the mean of these tokens' rows: what the encoder should give for them.</summary>
    public static float[] Expected(params string[] tokens)
    {
        var sum = new float[Dim];
        foreach (var t in tokens)
            for (var d = 0; d < Dim; d++) sum[d] += Row(t)[d] / tokens.Length;
        var norm = (float)Math.Sqrt(sum.Sum(v => v * v));
        return sum.Select(v => v / norm).ToArray();
    }

    private static float[] Table() => Vocabulary.SelectMany(v => Row(v.Token)).ToArray();

    /// <summary>The token-level form; fixed axes (sizes instead of names) as some exports have them.</summary>
    public static OnnxModelWriter TokenLevel(object? batch = null, object? sequence = null) => new OnnxModelWriter()
        .Input("input_ids", OnnxModelWriter.Int64, batch ?? "batch", sequence ?? "sequence")
        .Input("attention_mask", OnnxModelWriter.Int64, batch ?? "batch", sequence ?? "sequence")
        .Output("last_hidden_state", OnnxModelWriter.Float, batch ?? "batch", sequence ?? "sequence", (long)Dim)
        .Initializer("table", [Vocabulary.Length, Dim], Table())
        .Node("Gather", ["table", "input_ids"], ["last_hidden_state"], ("axis", 0));

    /// <summary>
    /// Mean over the masked positions of (word row + token-type row). Token type 0's row is zero and type 1's is
    /// large, so feeding anything but zeros as token_type_ids would change every vector.
    /// </summary>
    private static OnnxModelWriter Pooled() => new OnnxModelWriter()
        .Input("input_ids", OnnxModelWriter.Int64, "batch", "sequence")
        .Input("token_type_ids", OnnxModelWriter.Int64, "batch", "sequence")
        .Input("attention_mask", OnnxModelWriter.Int64, "batch", "sequence")
        .Output("embedding", OnnxModelWriter.Float, "batch", (long)Dim)
        .Initializer("table", [Vocabulary.Length, Dim], Table())
        .Initializer("type_table", [2, Dim], [.. new float[Dim], .. Enumerable.Repeat(100f, Dim)])
        .Initializer("axis2", [1], [2L])
        .Initializer("axis1", [1], [1L])
        .Node("Gather", ["table", "input_ids"], ["words"], ("axis", 0))
        .Node("Gather", ["type_table", "token_type_ids"], ["types"], ("axis", 0))
        .Node("Add", ["words", "types"], ["tokens"])
        .Node("Cast", ["attention_mask"], ["mask"], ("to", OnnxModelWriter.Float))
        .Node("Unsqueeze", ["mask", "axis2"], ["mask3"])
        .Node("Mul", ["tokens", "mask3"], ["kept"])
        .Node("ReduceSum", ["kept", "axis1"], ["total"], ("keepdims", 0))
        .Node("ReduceSum", ["mask", "axis1"], ["count"], ("keepdims", 1))
        .Node("Div", ["total", "count"], ["embedding"]);

    public void Dispose() => _dir.Dispose();
}
