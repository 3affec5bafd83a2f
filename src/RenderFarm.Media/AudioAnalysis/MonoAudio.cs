namespace RenderFarm.Media.AudioAnalysis;

/// <summary>Mono PCM in [-1, 1] at <see cref="SampleRate"/> Hz: what every audio engine here analyses.</summary>
public sealed record MonoAudio(float[] Samples, int SampleRate)
{
    public double DurationSeconds => (double)Samples.Length / SampleRate;
}
