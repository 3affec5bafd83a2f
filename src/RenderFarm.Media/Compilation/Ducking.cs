using System.Globalization;

namespace RenderFarm.Media.Compilation;

/// <summary>
/// The music ducking of AudioMixing (<see cref="Audio.AudioMixer"/>) as an ffmpeg volume expression, for a
/// timeline's Duck effect: down by the depth while speech plays, reached over the attack before it starts and
/// left over the release after it ends (the same envelope, 0.15 s and 0.4 s), evaluated per audio frame.
/// </summary>
public static class Ducking
{
    public const double AttackSeconds = 0.15, ReleaseSeconds = 0.4;

    /// <summary>The gain expression of time t, or null when no speech span reaches the clip.</summary>
    public static string? Expression(IReadOnlyList<(double Start, double End)> speech, double depthDb)
    {
        // Each span is a trapezoid: min(rise, fall) clipped to [0, 1]; spans combine by max, as a balanced tree.
        var terms = speech.Where(s => s.End + ReleaseSeconds > 0).Select(s =>
            $"clip(min((t-({N(s.Start - AttackSeconds)}))/{N(AttackSeconds)},(({N(s.End + ReleaseSeconds)})-t)/{N(ReleaseSeconds)}),0,1)").ToList();
        if (terms.Count == 0) return null;
        while (terms.Count > 1)
            terms = terms.Chunk(2).Select(pair => pair.Length == 2 ? $"max({pair[0]},{pair[1]})" : pair[0]).ToList();
        return $"pow(10,-{N(depthDb)}*{terms[0]}/20)";
    }

    private static string N(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
}
