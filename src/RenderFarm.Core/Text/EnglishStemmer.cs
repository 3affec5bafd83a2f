namespace RenderFarm.Core.Text;

/// <summary>
/// The one English stemmer of the project (caption highlighting and media relevance ranking): small
/// on purpose, enough to make "clusters"/"cluster" and "upgrading"/"upgraded"/"upgrade" agree.
/// </summary>
public static class EnglishStemmer
{
    /// <summary>A small suffix stemmer (-ies→y, -sses→ss, -ing, -ed, -es after s/x/z/ch/sh, -s, -ly; a final silent e dropped).</summary>
    public static string Stem(string word)
    {
        string Strip(int n) => word[..^n];
        if (word.EndsWith("ies", StringComparison.Ordinal) && word.Length > 4) return Strip(3) + "y";
        if (word.EndsWith("sses", StringComparison.Ordinal)) return Strip(2);
        if (word.EndsWith("ing", StringComparison.Ordinal) && word.Length - 3 >= 3) return TrimE(Strip(3));
        if (word.EndsWith("ed", StringComparison.Ordinal) && word.Length - 2 >= 3) return TrimE(Strip(2));
        if (word.EndsWith("ly", StringComparison.Ordinal) && word.Length - 2 >= 3) return Strip(2);
        if (word.EndsWith("es", StringComparison.Ordinal) && word.Length - 2 >= 3 &&
            (word.EndsWith("ses", StringComparison.Ordinal) || word.EndsWith("xes", StringComparison.Ordinal) || word.EndsWith("zes", StringComparison.Ordinal) ||
             word.EndsWith("ches", StringComparison.Ordinal) || word.EndsWith("shes", StringComparison.Ordinal)))
            return Strip(2);
        if (word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) && !word.EndsWith("us", StringComparison.Ordinal) && word.Length - 1 >= 3)
            return TrimE(Strip(1));
        return TrimE(word);

        // "bake", "baked" and "baking" all become "bak".
        static string TrimE(string stem) => stem.Length > 3 && stem.EndsWith('e') ? stem[..^1] : stem;
    }
}
