namespace RenderFarm.Media.AudioAnalysis;

/// <summary>
/// A click at every beat, so a person can hear the tracked beats mixed over the music: a short decaying
/// sine, higher on downbeats. Pure PCM out; the caller mixes and encodes.
/// </summary>
public static class ClickTrack
{
    public const double BeatHz = 1000;
    public const double DownbeatHz = 1500;
    public const double ClickSeconds = 0.04;

    /// <summary>Mono PCM of <paramref name="durationSeconds"/> with a click of peak <paramref name="gain"/> starting at each beat.</summary>
    public static float[] Render(IEnumerable<Beat> beats, int sampleRate, double durationSeconds, float gain = 0.5f)
    {
        var pcm = new float[(int)Math.Ceiling(durationSeconds * sampleRate)];
        var length = (int)(ClickSeconds * sampleRate);
        foreach (var beat in beats)
        {
            var start = (int)Math.Round(beat.Time * sampleRate);
            var hz = beat.Downbeat ? DownbeatHz : BeatHz;
            for (var i = 0; i < length && start + i < pcm.Length; i++)
            {
                if (start + i < 0) continue;
                var t = (double)i / sampleRate;
                pcm[start + i] += (float)(gain * Math.Exp(-t / (ClickSeconds / 5)) * Math.Sin(2 * Math.PI * hz * t));
            }
        }
        return pcm;
    }
}
