namespace RenderFarm.Core.Timelines;

/// <summary>
/// Every limit the renderer enforces. Defaults are the IMS limits; an operator may raise them
/// through configuration, and the README lists them.
/// </summary>
public sealed record TimelineLimits
{
    public int MaxTracksPerKind { get; init; } = 100;
    public int MaxClipsPerTrack { get; init; } = 1000;
    public int MinOutputSide { get; init; } = 128;
    public int MaxOutputSide { get; init; } = 4096;
    /// <summary>The shorter output side may not exceed this (2160 = 4K UHD).</summary>
    public int MaxShorterSide { get; init; } = 2160;
    public int MinFps { get; init; } = 1;
    public int MaxFps { get; init; } = 60;
    /// <summary>Output bitrate bounds in kbit/s.</summary>
    public int MinBitrateKbps { get; init; } = 100;
    public int MaxBitrateKbps { get; init; } = 100_000;
    /// <summary>Longest timeline accepted, in seconds (2 hours).</summary>
    public double MaxDurationSeconds { get; init; } = 2 * 60 * 60;
    public double MinSpeed { get; init; } = 0.1;
    public double MaxSpeed { get; init; } = 100;
    public double MaxGain { get; init; } = 10;
    public int MaxTextLength { get; init; } = 5000;
    /// <summary>Clips of all tracks together in one timeline (the per-track limit alone allows 100 x 1000).</summary>
    public int MaxClipsPerTimeline { get; init; } = 2000;
    /// <summary>The estimated size of one timeline's filter graph (see <see cref="RenderCost"/>).</summary>
    public int MaxFilterGraphNodes { get; init; } = 12000;

    public static readonly TimelineLimits Default = new();
}
