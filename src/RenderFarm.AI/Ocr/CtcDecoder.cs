namespace RenderFarm.AI.Ocr;

/// <summary>
/// Greedy CTC decoding of the recogniser's output, as PaddleOCR's CTCLabelDecode: the most likely class at each
/// time step, repeats collapsed, the blank (class 0) dropped. The confidence is the mean probability of the
/// characters kept (0 when none is).
/// </summary>
public static class CtcDecoder
{
    /// <param name="probabilities">[steps, classes] softmax outputs, row by row.</param>
    /// <param name="characters">The class names: "blank" first, then the dictionary, then " " (see <see cref="Characters"/>).</param>
    public static (string Text, double Confidence) Decode(ReadOnlySpan<float> probabilities, int classes, IReadOnlyList<string> characters)
    {
        if (classes <= 0 || probabilities.Length % classes != 0)
            throw new ArgumentException($"{probabilities.Length} values are not whole steps of {classes} classes");
        if (characters.Count != classes)
            throw new ArgumentException($"the recogniser has {classes} classes but the dictionary gives {characters.Count} (blank + keys + space)");
        var text = new System.Text.StringBuilder();
        double sum = 0;
        var kept = 0;
        var previous = -1;
        for (var step = 0; step < probabilities.Length / classes; step++)
        {
            var row = probabilities.Slice(step * classes, classes);
            var best = 0;
            for (var c = 1; c < classes; c++)
                if (row[c] > row[best]) best = c;
            if (best != 0 && best != previous)
            {
                text.Append(characters[best]);
                sum += row[best];
                kept++;
            }
            previous = best;
        }
        return (text.ToString(), kept == 0 ? 0 : sum / kept);
    }

    /// <summary>
    /// The class names of a PaddleOCR dictionary (one character a line, ppocr_keys_v1.txt): "blank" (class 0),
    /// the lines in order, and a space last (use_space_char, as the Chinese models were trained).
    /// </summary>
    public static IReadOnlyList<string> Characters(IEnumerable<string> dictionaryLines) =>
        ["blank", .. dictionaryLines.Select(l => l.TrimEnd('\r', '\n')), " "];
}
