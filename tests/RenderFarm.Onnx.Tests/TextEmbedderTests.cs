using FluentAssertions.Equivalency;
using RenderFarm.Onnx.Embedding;

namespace RenderFarm.Onnx.Tests;

/// <summary>The embedder runs a real ONNX Runtime session over the toy models and pools as the contract says.</summary>
public sealed class TextEmbedderTests(TinyEncoder encoder)
{
    [Fact]
    public void A_token_level_model_is_mean_pooled_over_the_real_tokens_only()
    {
        using var embedder = new TextEmbedder(encoder.TokenLevelModel, encoder.VocabularyPath, new EmbeddingOptions { BatchSize = 4 });
        embedder.ExecutionProvider.Should().Be("CPU", "these machines have no GPU");
        // "cat" is padded to the length of the longer text in its batch; [PAD]'s row is large, so pooling
        // that counted padding would pull the vector towards the filler dimension.
        var vectors = embedder.Embed(["cat", "the puppy and the kitten at the port"], TestContext.Current.CancellationToken);
        vectors[0].Should().BeEquivalentTo(TinyEncoder.Expected("[CLS]", "cat", "[SEP]"), o => o.Using<float>(Close).WhenTypeIs<float>());
        vectors[1].Should().BeEquivalentTo(
            TinyEncoder.Expected("[CLS]", "the", "puppy", "and", "the", "kitten", "at", "the", "port", "[SEP]"), o => o.Using<float>(Close).WhenTypeIs<float>());
    }

    [Fact]
    public void Batching_does_not_change_a_texts_vector()
    {
        string[] texts = ["cat", "ships in the harbour", "小猫", "mountain peak at dawn", "bread"];
        using var one = new TextEmbedder(encoder.TokenLevelModel, encoder.VocabularyPath, new EmbeddingOptions { BatchSize = 1 });
        using var three = new TextEmbedder(encoder.TokenLevelModel, encoder.VocabularyPath, new EmbeddingOptions { BatchSize = 3 });
        var alone = one.Embed(texts, TestContext.Current.CancellationToken);
        var batched = three.Embed(texts, TestContext.Current.CancellationToken);
        for (var i = 0; i < texts.Length; i++)
            batched[i].Should().BeEquivalentTo(alone[i], o => o.Using<float>(Close).WhenTypeIs<float>(), texts[i]);
    }

    [Fact]
    public void A_pooled_model_gets_zero_token_types_and_its_vector_is_used_as_is()
    {
        using var embedder = new TextEmbedder(encoder.PooledModel, encoder.VocabularyPath);
        var vectors = embedder.Embed(["dog", "港口"], TestContext.Current.CancellationToken);
        vectors[0].Should().BeEquivalentTo(TinyEncoder.Expected("[CLS]", "dog", "[SEP]"), o => o.Using<float>(Close).WhenTypeIs<float>());
        vectors[1].Should().BeEquivalentTo(TinyEncoder.Expected("[CLS]", "港", "[UNK]", "[SEP]"), o => o.Using<float>(Close).WhenTypeIs<float>());
    }

    [Fact]
    public void A_model_with_fixed_axes_gets_batches_and_lengths_of_its_own_size()
    {
        var path = encoder.Scratch("fixed-axes.onnx");
        TinyEncoder.TokenLevel(batch: 2L, sequence: 6L).Save(path);
        using var embedder = new TextEmbedder(path, encoder.VocabularyPath, new EmbeddingOptions { BatchSize = 32, MaxSequenceLength = 256 });
        (embedder.BatchSize, embedder.MaxSequenceLength).Should().Be((2, 6));
        // Three texts: two runs, the second filled up with an empty text; the long one is cut to 6 tokens.
        var vectors = embedder.Embed(["dog", "ship ship ship ship ship cat cat", "山"], TestContext.Current.CancellationToken);
        vectors[0].Should().BeEquivalentTo(TinyEncoder.Expected("[CLS]", "dog", "[SEP]"), o => o.Using<float>(Close).WhenTypeIs<float>());
        vectors[1].Should().BeEquivalentTo(TinyEncoder.Expected("[CLS]", "ship", "ship", "ship", "ship", "[SEP]"), o => o.Using<float>(Close).WhenTypeIs<float>());
        vectors[2].Should().BeEquivalentTo(TinyEncoder.Expected("[CLS]", "山", "[SEP]"), o => o.Using<float>(Close).WhenTypeIs<float>());
    }

    [Fact]
    public void Texts_longer_than_the_limit_are_cut()
    {
        using var embedder = new TextEmbedder(encoder.TokenLevelModel, encoder.VocabularyPath, new EmbeddingOptions { MaxSequenceLength = 8 });
        embedder.MaxSequenceLength.Should().Be(8);
        var text = "cat cat cat cat cat cat " + string.Join(' ', Enumerable.Repeat("dog", 600));
        embedder.Embed([text], TestContext.Current.CancellationToken)[0].Should().BeEquivalentTo(
            TinyEncoder.Expected("[CLS]", "cat", "cat", "cat", "cat", "cat", "cat", "[SEP]"), o => o.Using<float>(Close).WhenTypeIs<float>());
    }

    [Fact]
    public void Options_out_of_range_are_refused_naming_the_option()
    {
        var act = () => new TextEmbedder(encoder.TokenLevelModel, encoder.VocabularyPath, new EmbeddingOptions { MaxSequenceLength = 513 });
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("EmbeddingOptions.MaxSequenceLength is 513; it must be between 8 and 512*");
        act = () => new TextEmbedder(encoder.TokenLevelModel, encoder.VocabularyPath, new EmbeddingOptions { BatchSize = 0 });
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("EmbeddingOptions.BatchSize is 0*");
    }

    [Fact]
    public void A_model_with_other_inputs_is_refused()
    {
        var path = encoder.Scratch("image-model.onnx");
        new OnnxModelWriter()
            .Input("pixels", OnnxModelWriter.Float, 1L, 3L)
            .Output("out", OnnxModelWriter.Float, 1L, 3L)
            .Node("Identity", ["pixels"], ["out"])
            .Save(path);
        var act = () => new TextEmbedder(path, encoder.VocabularyPath);
        act.Should().Throw<InvalidDataException>().WithMessage("*input 'pixels'*input_ids, attention_mask*");
    }

    private static void Close(IAssertionContext<float> c) => c.Subject.Should().BeApproximately(c.Expectation, 1e-5f);
}
