using RenderFarm.AI.Ocr;

namespace RenderFarm.AI.Tests.Ocr;

public sealed class CtcDecoderTests
{
    private static readonly IReadOnlyList<string> Classes = CtcDecoder.Characters(["a", "b"]); // blank, a, b, space

    /// <summary>[steps, 4] probabilities with <paramref name="winners"/> winning each step at <paramref name="p"/>.</summary>
    private static float[] Steps(float p, params int[] winners)
    {
        var values = new float[winners.Length * 4];
        for (var i = 0; i < winners.Length; i++)
            for (var c = 0; c < 4; c++) values[i * 4 + c] = c == winners[i] ? p : (1 - p) / 3;
        return values;
    }

    [Fact]
    public void The_dictionary_is_framed_by_the_blank_and_a_space()
    {
        Classes.Should().Equal("blank", "a", "b", " ");
    }

    [Fact]
    public void Repeats_collapse_blanks_separate_and_are_dropped()
    {
        // a a _ a b b _ ␣ b  ->  "aab b"
        var (text, confidence) = CtcDecoder.Decode(Steps(0.8f, 1, 1, 0, 1, 2, 2, 0, 3, 2), 4, Classes);

        text.Should().Be("aab b");
        confidence.Should().BeApproximately(0.8, 1e-6);
    }

    [Fact]
    public void The_confidence_is_the_mean_of_the_kept_characters_only()
    {
        var values = Steps(0.9f, 1, 0, 2);
        values[2 * 4 + 2] = 0.5f; // "b" wins its step with 0.5
        values[2 * 4 + 0] = 0.3f;

        var (text, confidence) = CtcDecoder.Decode(values, 4, Classes);

        text.Should().Be("ab");
        confidence.Should().BeApproximately(0.7, 1e-6);
    }

    [Fact]
    public void Only_blanks_read_as_nothing_with_zero_confidence()
    {
        CtcDecoder.Decode(Steps(0.99f, 0, 0, 0), 4, Classes).Should().Be(("", 0.0));
    }

    [Fact]
    public void A_dictionary_that_does_not_match_the_model_is_refused()
    {
        FluentActions.Invoking(() => CtcDecoder.Decode(new float[10], 5, Classes)).Should().Throw<ArgumentException>()
            .WithMessage("the recogniser has 5 classes but the dictionary gives 4*");
    }
}
