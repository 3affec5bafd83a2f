namespace RenderFarm.AI.Recognition;

/// <summary>
/// Brings speech to the level the recogniser's acoustic model expects. pocketsphinx normalises its
/// cepstra with a running mean that starts from the model's training level; speech much louder than
/// that (espeak-ng peaks near full scale) is misrecognised for the first seconds of every run: words
/// right on six sentences went from 0.60 to 0.85-0.90 once the level was brought down.
/// </summary>
public static class SpeechLevel
{
    /// <summary>
    /// Active level aimed at, dBFS. Measured: words right were flat within a few points for -29..-37
    /// dBFS and fell off above -27 dBFS, so the middle of that plateau.
    /// </summary>
    public const double TargetDbfs = -32;

    /// <summary>Blocks quieter than this (dBFS) are silence and never raise the gain.</summary>
    public const double SilenceDbfs = -60;

    /// <summary>Gain limits (dB): a near-silent recording is not blown up into loud noise.</summary>
    public const double MaxBoostDb = 30, MaxCutDb = 40;

    private const double BlockSeconds = 0.1;

    /// <summary>
    /// The active speech level in dBFS: mean power of the 100 ms blocks above <see cref="SilenceDbfs"/>
    /// and within 10 dB of their mean (the gating of EBU R128, without its K-weighting), or null when no
    /// block is above the silence gate.
    /// </summary>
    public static double? ActiveLevelDbfs(short[] samples, int sampleRate)
    {
        var block = Math.Max(1, (int)(sampleRate * BlockSeconds));
        var powers = new List<double>();
        for (var start = 0; start < samples.Length; start += block)
        {
            var count = Math.Min(block, samples.Length - start);
            if (count < block / 2 && powers.Count > 0) break; // a short tail block says little
            double sum = 0;
            for (var i = start; i < start + count; i++) sum += (double)samples[i] * samples[i];
            powers.Add(sum / count / (32768.0 * 32768.0));
        }
        var silence = Math.Pow(10, SilenceDbfs / 10);
        var loud = powers.Where(p => p > silence).ToList();
        if (loud.Count == 0) return null;
        var relativeGate = loud.Average() / 10;
        var active = loud.Where(p => p >= relativeGate).ToList();
        return 10 * Math.Log10(active.Average());
    }

    /// <summary>
    /// Scales the samples in place so their active level is <see cref="TargetDbfs"/> (within the gain
    /// limits), saturating instead of wrapping. Returns the gain applied in dB, or null for silence
    /// (samples untouched: there is nothing to recognise).
    /// </summary>
    public static double? Normalize(short[] samples, int sampleRate)
    {
        if (ActiveLevelDbfs(samples, sampleRate) is not { } level) return null;
        var gainDb = Math.Clamp(TargetDbfs - level, -MaxCutDb, MaxBoostDb);
        var gain = Math.Pow(10, gainDb / 20);
        for (var i = 0; i < samples.Length; i++)
            samples[i] = (short)Math.Clamp(Math.Round(samples[i] * gain), short.MinValue, short.MaxValue);
        return gainDb;
    }
}
