using RenderFarm.Core.Batch.Matching;
using RenderFarm.Onnx.Embedding;

namespace RenderFarm.Onnx.Tests;

/// <summary>Configuration by environment: off when unset, one shared model session, errors that name the variable.</summary>
public sealed class EmbeddingRankersTests(TinyEncoder encoder)
{
    private static Func<string, string?> Env(string? model, string? vocabulary = null) => name => name switch
    {
        EmbeddingRankers.ModelVariable => model,
        EmbeddingRankers.VocabularyVariable => vocabulary,
        _ => null,
    };

    [Fact]
    public void Without_a_model_variable_there_is_no_embedding_ranker()
    {
        EmbeddingRankers.FromEnvironment(Env(null)).Should().BeNull();
        EmbeddingRankers.FromEnvironment(Env(" ")).Should().BeNull();
    }

    [Fact]
    public void A_configured_model_gives_rankers_that_share_one_session()
    {
        var factory = EmbeddingRankers.FromEnvironment(Env(encoder.TokenLevelModel));
        factory.Should().NotBeNull();
        var ranker = factory!([new MediaText("a", Title: "dog"), new MediaText("b", Title: "harbour")]);
        var scores = ranker.Scores("puppy");
        scores[0].Should().BeGreaterThan(scores[1]);
        var options = new EmbeddingOptions();
        EmbeddingRankers.Embedder(encoder.TokenLevelModel, null, options)
            .Should().BeSameAs(EmbeddingRankers.Embedder(encoder.TokenLevelModel, encoder.VocabularyPath, options), "vocab.txt beside the model is the default");
    }

    [Fact]
    public void A_missing_model_names_the_model_variable()
    {
        var act = () => EmbeddingRankers.FromEnvironment(Env(encoder.Scratch("absent.onnx")));
        act.Should().Throw<FileNotFoundException>().WithMessage("RENDERFARM_EMBEDDING_MODEL is '*absent.onnx', which does not exist");
    }

    [Fact]
    public void A_missing_vocabulary_names_the_vocabulary_variable()
    {
        var lonely = Directory.CreateDirectory(encoder.Scratch("lonely")).FullName;
        var model = Path.Combine(lonely, "model.onnx");
        File.Copy(encoder.TokenLevelModel, model, overwrite: true);
        var act = () => EmbeddingRankers.FromEnvironment(Env(model));
        act.Should().Throw<FileNotFoundException>().WithMessage("no vocab.txt beside the model RENDERFARM_EMBEDDING_MODEL names*set RENDERFARM_EMBEDDING_VOCAB");
        act = () => EmbeddingRankers.FromEnvironment(Env(model, encoder.Scratch("absent-vocab.txt")));
        act.Should().Throw<FileNotFoundException>().WithMessage("RENDERFARM_EMBEDDING_VOCAB is '*absent-vocab.txt', which does not exist");
    }

    [Fact]
    public void Invalid_files_name_their_variable()
    {
        var garbage = encoder.Scratch("garbage.onnx");
        File.WriteAllText(garbage, "this is not a protobuf model");
        var act = () => EmbeddingRankers.FromEnvironment(Env(garbage, encoder.VocabularyPath));
        act.Should().Throw<InvalidDataException>().WithMessage("RENDERFARM_EMBEDDING_MODEL: *garbage.onnx is not a usable text embedding model: *");

        var badVocabulary = encoder.Scratch("bad-vocab.txt");
        File.WriteAllLines(badVocabulary, ["hello", "world"]);
        act = () => EmbeddingRankers.FromEnvironment(Env(encoder.TokenLevelModel, badVocabulary));
        act.Should().Throw<InvalidDataException>().WithMessage("RENDERFARM_EMBEDDING_VOCAB: *bad-vocab.txt is not usable: *[PAD]*");
    }
}
