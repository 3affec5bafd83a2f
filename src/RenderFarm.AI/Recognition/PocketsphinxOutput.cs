using System.Globalization;

namespace RenderFarm.AI.Recognition;

/// <summary>
/// Reads what <c>pocketsphinx_continuous -time yes</c> prints on stdout: for every utterance its
/// hypothesis on one line, then one line per segment, <c>WORD START END POSTERIOR</c> (seconds).
/// Only the segment lines carry times, so they are the ones kept; hypothesis lines are recognised by
/// not ending in three numbers (dictionary words are never numbers).
/// </summary>
public static class PocketsphinxOutput
{
    public static IReadOnlyList<RecognizedWord> Parse(string stdout)
    {
        var words = new List<RecognizedWord>();
        foreach (var raw in stdout.Split('\n'))
        {
            var fields = raw.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 4) continue;
            if (!Number(fields[1], out var start) || !Number(fields[2], out var end) || !Number(fields[3], out _)) continue;
            words.Add(new RecognizedWord(fields[0], start, Math.Max(start, end)));
        }
        return words;
    }

    private static bool Number(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}
