using RenderFarm.Core.Batch.Matching;
using RenderFarm.Onnx.Embedding;

namespace RenderFarm.Onnx.Tests;

/// <summary>Configuration by environment: MiniLM when unset, one shared model session, errors that name the variable.</summary>
public sealed class SentenceEncodersTests(TinyEncoder encoder)
{
    private static Func<string, string?> Env(string? model, string? vocabulary = null) => name => name switch
    {
        SentenceEncoders.ModelVariable => model,
        SentenceEncoders.VocabularyVariable => vocabulary,
        _ => null,
    };

    [Fact]
    public void Without_a_model_variable_the_encoder_is_MiniLM_shared_by_the_process()
    {
        var miniLm = SentenceEncoders.FromEnvironment(Env(null));
        miniLm.Name.Should().StartWith(MiniLm.ModelName);
        SentenceEncoders.FromEnvironment(Env(" ")).Should().BeSameAs(miniLm);
        miniLm.MinSimilarity.Should().Be(MiniLm.Options.MinSimilarity);
        miniLm.Embed(["A dog runs on the beach."], TestContext.Current.CancellationToken)[0].Should().HaveCount(384);
    }

    [Fact]
    public void A_configured_model_replaces_MiniLM_and_is_shared_by_the_process()
    {
        var configured = SentenceEncoders.FromEnvironment(Env(encoder.TokenLevelModel));
        configured.Name.Should().StartWith(Path.GetFileName(encoder.TokenLevelModel), "the configured model replaces MiniLM");
        var ranker = new HybridRelevanceRanker([new MediaText("a", Title: "dog"), new MediaText("b", Title: "harbour")], configured);
        var scores = ranker.Scores("puppy");
        scores[0].Should().BeGreaterThan(scores[1]);
        var options = new EmbeddingOptions();
        SentenceEncoders.Embedder(encoder.TokenLevelModel, null, options)
            .Should().BeSameAs(SentenceEncoders.Embedder(encoder.TokenLevelModel, encoder.VocabularyPath, options), "vocab.txt beside the model is the default");
    }

    [Fact]
    public void A_missing_model_names_the_model_variable()
    {
        var act = () => SentenceEncoders.FromEnvironment(Env(encoder.Scratch("absent.onnx")));
        act.Should().Throw<FileNotFoundException>().WithMessage("RENDERFARM_EMBEDDING_MODEL is '*absent.onnx', which does not exist");
    }

    [Fact]
    public void A_missing_vocabulary_names_the_vocabulary_variable()
    {
        var lonely = Directory.CreateDirectory(encoder.Scratch("lonely")).FullName;
        var model = Path.Combine(lonely, "model.onnx");
        File.Copy(encoder.TokenLevelModel, model, overwrite: true);
        var act = () => SentenceEncoders.FromEnvironment(Env(model));
        act.Should().Throw<FileNotFoundException>().WithMessage("no vocab.txt beside the model RENDERFARM_EMBEDDING_MODEL names*set RENDERFARM_EMBEDDING_VOCAB");
        act = () => SentenceEncoders.FromEnvironment(Env(model, encoder.Scratch("absent-vocab.txt")));
        act.Should().Throw<FileNotFoundException>().WithMessage("RENDERFARM_EMBEDDING_VOCAB is '*absent-vocab.txt', which does not exist");
    }

    [Fact]
    public void Invalid_files_name_their_variable()
    {
        var garbage = encoder.Scratch("garbage.onnx");
        File.WriteAllText(garbage, "this is not a protobuf model");
        var act = () => SentenceEncoders.FromEnvironment(Env(garbage, encoder.VocabularyPath));
        act.Should().Throw<InvalidDataException>().WithMessage("RENDERFARM_EMBEDDING_MODEL: *garbage.onnx is not a usable text embedding model: *");

        var badVocabulary = encoder.Scratch("bad-vocab.txt");
        File.WriteAllLines(badVocabulary, ["hello", "world"]);
        act = () => SentenceEncoders.FromEnvironment(Env(encoder.TokenLevelModel, badVocabulary));
        act.Should().Throw<InvalidDataException>().WithMessage("RENDERFARM_EMBEDDING_VOCAB: *bad-vocab.txt is not usable: *[PAD]*");
    }
}
