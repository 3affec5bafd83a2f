using RenderFarm.Onnx.Embedding;

namespace RenderFarm.Onnx.Tests;

/// <summary>BERT's uncased basic + WordPiece tokenization over the toy vocabulary.</summary>
public sealed class WordPieceTokenizerTests
{
    private static readonly WordPieceTokenizer Tokenizer = new(TinyEncoder.Vocabulary.Select(v => v.Token).ToList());

    [Fact]
    public void English_words_are_lower_cased_and_split_into_pieces_and_punctuation()
    {
        Tokenizer.Tokenize("Running KITTENS!").Should().Equal("run", "##ning", "kitten", "##s", "!");
        Tokenizer.Tokenize("the\tboat.ship").Should().Equal("the", "boat", ".", "ship");
    }

    [Fact]
    public void Accents_are_stripped_after_lower_casing()
    {
        Tokenizer.Tokenize("Café CAFÉ cafe\u0301").Should().Equal("cafe", "cafe", "cafe");
    }

    [Fact]
    public void Every_CJK_character_is_its_own_token_and_Chinese_punctuation_splits()
    {
        Tokenizer.Tokenize("小猫，港口的船").Should().Equal("小", "猫", "[UNK]", "港", "[UNK]", "[UNK]", "船");
        Tokenizer.Tokenize("cat猫dog").Should().Equal("cat", "猫", "dog");
    }

    [Fact]
    public void A_word_without_a_full_segmentation_is_one_unknown_token()
    {
        // "cat" + "##xyz": BERT does not keep the piece it found, the whole word becomes [UNK].
        Tokenizer.Tokenize("catxyz zebra").Should().Equal("[UNK]", "[UNK]");
        Tokenizer.Tokenize(new string('a', WordPieceTokenizer.MaxWordChars + 1)).Should().Equal("[UNK]");
    }

    [Fact]
    public void Encoding_wraps_in_CLS_and_SEP_and_cuts_to_the_length()
    {
        int Id(string token) => TinyEncoder.Vocabulary.Select(v => v.Token).ToList().IndexOf(token);
        Tokenizer.Encode("cat dog", 16).Should().Equal(Id("[CLS]"), Id("cat"), Id("dog"), Id("[SEP]"));
        Tokenizer.Encode("cat dog port ship", 4).Should().Equal(Id("[CLS]"), Id("cat"), Id("dog"), Id("[SEP]"));
        Tokenizer.Encode("", 4).Should().Equal(Id("[CLS]"), Id("[SEP]"));
    }

    [Fact]
    public void A_vocabulary_without_the_special_tokens_is_refused()
    {
        var act = () => new WordPieceTokenizer(["[PAD]", "[CLS]", "[SEP]", "cat"]);
        act.Should().Throw<InvalidDataException>().WithMessage("*[UNK]*");
    }
}
