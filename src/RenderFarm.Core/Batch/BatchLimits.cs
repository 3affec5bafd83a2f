using RenderFarm.Core.Timelines;

namespace RenderFarm.Core.Batch;

/// <summary>
/// Every limit a batch request is checked against. Defaults are the IMS limits for
/// SubmitBatchMediaProducingJob (groups, list sizes, text lengths, Count); the picture and
/// duration limits are the renderer's <see cref="TimelineLimits"/>.
/// </summary>
public sealed record BatchLimits
{
    public int MaxGroups { get; init; } = 40;
    public int MaxMediaPerGroup { get; init; } = 200;
    public int MaxGroupNameLength { get; init; } = 50;
    /// <summary>TitleArray, SpeechTextArray, StickerArray, BackgroundMusicArray, BackgroundImageArray and a group's SpeechTextArray.</summary>
    public int MaxListItems { get; init; } = 50;
    public int MaxTitleLength { get; init; } = 20;
    public int MaxSpeechTextLength { get; init; } = 1000;
    public int MaxCount { get; init; } = 100;
    public int MaxMediaArrayItems { get; init; } = 1000;
    public double MaxVolume { get; init; } = 10;
    public double MinSpeechRate { get; init; } = -500;
    public double MaxSpeechRate { get; init; } = 500;
    public double MinShotSeconds { get; init; } = 0.5;
    public double MaxShotSeconds { get; init; } = 60;
    public double MinTransitionSeconds { get; init; } = 0.1;
    public double MaxTransitionSeconds { get; init; } = 5;
    public int MaxPatternLength { get; init; } = 1024;
    public TimelineLimits Timeline { get; init; } = TimelineLimits.Default;

    public static readonly BatchLimits Default = new();
}
