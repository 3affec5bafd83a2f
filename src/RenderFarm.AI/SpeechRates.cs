using RenderFarm.Core.Json;

namespace RenderFarm.AI;

/// <summary>
/// IMS/Alibaba TTS rate integers to espeak-ng settings.
/// <para>
/// <b>SpeechRate</b> and <b>PitchRate</b> are integers in [-500, 500], 0 = the voice's normal. Alibaba's
/// conversion between a speed multiplier <c>m</c> and the rate <c>r</c> is piecewise:
/// <c>r = (1 - 1/m) / 0.002</c> for m &lt; 1 and <c>r = (1 - 1/m) / 0.001</c> for m ≥ 1, so -500 is 0.5×,
/// 0 is 1× and 500 is 2×. Inverted: <c>m = 1 / (1 + 0.002·|r|)</c> for r &lt; 0 and <c>m = 1 / (1 - 0.001·r)</c>
/// for r ≥ 0 (e.g. r = 250 → 1.333×, r = -250 → 0.667×).
/// </para>
/// <para>
/// Speed: <c>wpm = round(175 · m)</c> (espeak-ng's default 175 wpm at 0; 88 wpm at -500, 350 wpm at 500).
/// Pitch: the same multiplier taken in octaves onto espeak's 0..99 scale around its default 50:
/// <c>pitch = clamp(round(50 + 49 · log2(m)), 0, 99)</c> (1 at -500, 50 at 0, 99 at 500). Applying the speed
/// formula to PitchRate is our assumption; Alibaba documents only the range for it.
/// </para>
/// <para>Volume (the <c>&lt;speak volume&gt;</c> attribute, 0..100, default 50) → espeak amplitude <c>2 · volume</c>.</para>
/// </summary>
public static class SpeechRates
{
    public const int Min = -500;
    public const int Max = 500;
    public const int DefaultWordsPerMinute = 175;
    public const int DefaultPitch = 50;
    public const int DefaultAmplitude = 100;

    /// <summary>The speed (or pitch) multiplier for a rate in [-500, 500]; <paramref name="field"/> names it in the error.</summary>
    public static double Multiplier(int rate, string field = "SpeechRate")
    {
        Check(rate, field);
        return rate < 0 ? 1.0 / (1.0 - 0.002 * rate) : 1.0 / (1.0 - 0.001 * rate);
    }

    /// <summary>espeak-ng words per minute for an IMS SpeechRate.</summary>
    public static int WordsPerMinute(int speechRate) =>
        (int)Math.Round(DefaultWordsPerMinute * Multiplier(speechRate, "SpeechRate"), MidpointRounding.AwayFromZero);

    /// <summary>espeak-ng pitch (0..99) for an IMS PitchRate.</summary>
    public static int Pitch(int pitchRate) =>
        Math.Clamp((int)Math.Round(DefaultPitch + 49 * Math.Log2(Multiplier(pitchRate, "PitchRate")), MidpointRounding.AwayFromZero), 0, 99);

    /// <summary>espeak-ng amplitude (0..200) for an Alibaba volume (0..100, 50 = normal).</summary>
    public static int Amplitude(int volume, string field = "Volume")
    {
        if (volume is < 0 or > 100) throw new RequestException(field, $"must be an integer in [0, 100], got {volume}");
        return 2 * volume;
    }

    /// <summary>Throws <see cref="RequestException"/> naming <paramref name="field"/> when the rate is outside [-500, 500].</summary>
    public static void Check(int rate, string field)
    {
        if (rate is < Min or > Max) throw new RequestException(field, $"must be an integer in [{Min}, {Max}] (0 = normal), got {rate}");
    }
}
