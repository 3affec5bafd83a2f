using System.Globalization;
using RenderFarm.Media.Ffmpeg;

namespace RenderFarm.Media.Analysis;

/// <summary>
/// How <see cref="MediaAnalyzer"/> finds shots, keyframes and text. Every setting has a stated range;
/// <see cref="Validate"/> (run by the analyzer's constructor) rejects a value outside it with an
/// <see cref="ArgumentException"/> naming the setting.
/// </summary>
public sealed record MediaAnalyzerOptions
{
    /// <summary>
    /// A frame starts a new shot when ffmpeg's scene score (select filter, 0 = same picture, 1 = all
    /// different) is above this. 0.3 finds hard cuts in ordinary footage without cutting on camera
    /// moves. Range 0.01-1.
    /// </summary>
    public double SceneThreshold { get; init; } = 0.3;

    /// <summary>A shot shorter than this is merged into the next one (the last into the one before). Range 0-60 s.</summary>
    public double MinShotSeconds { get; init; } = 1.0;

    /// <summary>
    /// At most this many shots per medium: beyond it only the strongest cuts are kept (as if the
    /// threshold were raised until this many shots remain). Range 1-10000.
    /// </summary>
    public int MaxShots { get; init; } = 500;

    /// <summary>A longer medium is refused (a RequestException at "media"), not analysed in part. Range 1 s - 24 h.</summary>
    public double MaxDurationSeconds { get; init; } = 2 * 3600;

    /// <summary>Keyframes are scaled down (never up) so their long side is at most this, before OCR. Range 64-4096 px.</summary>
    public int KeyframeMaxSide { get; init; } = 1280;

    /// <summary>Probes the medium; null = a prober with a throwaway cache for each analysis.</summary>
    public MediaProber? Prober { get; init; }

    /// <summary>The ffmpeg executable; null = <see cref="FfmpegRunner.FfmpegPath"/>.</summary>
    public string? FfmpegPath { get; init; }

    /// <exception cref="ArgumentException">One line naming the setting and its range.</exception>
    public MediaAnalyzerOptions Validate()
    {
        Range(nameof(SceneThreshold), SceneThreshold, 0.01, 1, "");
        Range(nameof(MinShotSeconds), MinShotSeconds, 0, 60, " s");
        Range(nameof(MaxShots), MaxShots, 1, 10_000, "");
        Range(nameof(MaxDurationSeconds), MaxDurationSeconds, 1, 24 * 3600, " s");
        Range(nameof(KeyframeMaxSide), KeyframeMaxSide, 64, 4096, " px");
        return this;
    }

    private static void Range(string name, double value, double min, double max, string unit)
    {
        // NaN fails both comparisons, so it is refused too.
        if (!(value >= min && value <= max))
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"MediaAnalyzerOptions.{name} must be between {min:0.##} and {max:0.##}{unit}, not {value}"), name);
    }
}
