namespace RenderFarm.AI.Recognition;

/// <summary>
/// Where to cut long audio into recogniser runs: at the quietest moment near the nominal chunk length,
/// so a cut rarely falls inside a word (a word cut in two is lost or misheard on both sides).
/// </summary>
public static class ChunkCut
{
    private const double WindowSeconds = 0.2;
    private const double StepSeconds = 0.01;

    /// <summary>
    /// The sample index (within <paramref name="samples"/>) at the middle of the quietest 200 ms window
    /// whose middle lies in [<paramref name="earliest"/>, <paramref name="latest"/>] seconds; among equally
    /// quiet windows (digital silence) the one nearest the middle of that range, so chunks keep close to
    /// their nominal length. The range is clamped to the audio.
    /// </summary>
    public static int QuietestPoint(short[] samples, int sampleRate, double earliest, double latest)
    {
        if (samples.Length == 0) return 0;
        // Prefix sums of squares make each window's energy O(1).
        var prefix = new double[samples.Length + 1];
        for (var i = 0; i < samples.Length; i++) prefix[i + 1] = prefix[i] + (double)samples[i] * samples[i];

        var half = Math.Max(1, (int)(WindowSeconds * sampleRate / 2));
        var step = Math.Max(1, (int)(StepSeconds * sampleRate));
        var first = Math.Clamp((int)(earliest * sampleRate), 1, samples.Length - 1);
        var last = Math.Clamp((int)(latest * sampleRate), first, samples.Length - 1);
        var target = (first + last) / 2.0;
        var best = first;
        var bestEnergy = double.MaxValue;
        for (var middle = first; middle <= last; middle += step)
        {
            var from = Math.Max(0, middle - half);
            var to = Math.Min(samples.Length, middle + half);
            var energy = (prefix[to] - prefix[from]) / (to - from);
            if (energy < bestEnergy || (energy == bestEnergy && Math.Abs(middle - target) < Math.Abs(best - target)))
            {
                bestEnergy = energy;
                best = middle;
            }
        }
        return best;
    }
}
