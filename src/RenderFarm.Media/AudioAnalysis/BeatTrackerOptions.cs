using System.Globalization;
using RenderFarm.Core.Json;

namespace RenderFarm.Media.AudioAnalysis;

/// <summary>Settings of <see cref="BeatTracker"/>. The defaults suit popular music; <see cref="Validate"/> names the bad field.</summary>
public sealed record BeatTrackerOptions
{
    /// <summary>The slowest tempo reported.</summary>
    public double MinBpm { get; init; } = 40;
    /// <summary>The fastest tempo reported.</summary>
    public double MaxBpm { get; init; } = 240;
    /// <summary>Centre of the tempo prior: between two metrical levels, the one nearer this wins.</summary>
    public double PreferredBpm { get; init; } = 120;
    /// <summary>Spread of the tempo prior in octaves.</summary>
    public double TempoPriorOctaves { get; init; } = 1.0;
    /// <summary>Length of the windows the tempo is estimated in; shorter follows changes sooner but is noisier.</summary>
    public double TempoWindowSeconds { get; init; } = 8;
    /// <summary>Distance between tempo windows.</summary>
    public double TempoStepSeconds { get; init; } = 1;
    /// <summary>Cost of a tempo change per octave, against each window's normalised periodicity (0-1).</summary>
    public double TempoChangePenalty { get; init; } = 4;
    /// <summary>How strictly beats keep the period (Ellis's tightness).</summary>
    public double Tightness { get; init; } = 100;

    /// <exception cref="RequestException">At <paramref name="path"/>.Field for the first setting out of range.</exception>
    public BeatTrackerOptions Validate(string path = "")
    {
        string Field(string name) => path.Length == 0 ? name : $"{path}.{name}";
        static string N(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
        if (!(MinBpm is >= 20 and <= 300)) throw new RequestException(Field(nameof(MinBpm)), $"{N(MinBpm)} is out of range (20-300)");
        if (!(MaxBpm is >= 20 and <= 400)) throw new RequestException(Field(nameof(MaxBpm)), $"{N(MaxBpm)} is out of range (20-400)");
        if (MaxBpm < MinBpm * 1.5) throw new RequestException(Field(nameof(MaxBpm)), $"must be at least 1.5 times MinBpm ({N(MinBpm)})");
        if (!(PreferredBpm >= MinBpm && PreferredBpm <= MaxBpm)) throw new RequestException(Field(nameof(PreferredBpm)), $"{N(PreferredBpm)} must lie between MinBpm and MaxBpm");
        if (!(TempoPriorOctaves is >= 0.1 and <= 10)) throw new RequestException(Field(nameof(TempoPriorOctaves)), $"{N(TempoPriorOctaves)} is out of range (0.1-10)");
        if (!(TempoWindowSeconds is >= 2 and <= 60)) throw new RequestException(Field(nameof(TempoWindowSeconds)), $"{N(TempoWindowSeconds)} is out of range (2-60)");
        if (!(TempoStepSeconds > 0 && TempoStepSeconds <= TempoWindowSeconds)) throw new RequestException(Field(nameof(TempoStepSeconds)), $"{N(TempoStepSeconds)} must be above 0 and at most TempoWindowSeconds");
        if (!(TempoChangePenalty is >= 0 and <= 1000)) throw new RequestException(Field(nameof(TempoChangePenalty)), $"{N(TempoChangePenalty)} is out of range (0-1000)");
        if (!(Tightness is >= 1 and <= 10000)) throw new RequestException(Field(nameof(Tightness)), $"{N(Tightness)} is out of range (1-10000)");
        return this;
    }
}
