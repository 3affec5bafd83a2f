namespace RenderFarm.Core.Library;

/// <summary>
/// What analysing one medium found: its shots (scene cuts), a keyframe, on-screen text and spoken words per
/// shot, the whole transcript and basic picture statistics. Times are in seconds from the medium's start.
/// An image is one shot covering no time (In = Out = 0) and has no transcript.
/// </summary>
public sealed record MediaAnalysis(
    double DurationSeconds,
    int Width,
    int Height,
    bool HasAudio,
    IReadOnlyList<AnalysedShot> Shots,
    string? Transcript,
    VisualStats Visual);

/// <summary>One shot: its time range, the keyframe file name (relative to the analysis's keyframe directory), its OCR text and the words spoken during it.</summary>
public sealed record AnalysedShot(double In, double Out, string KeyframeFile, string OcrText, string? Transcript, VisualStats Visual);

/// <summary>Mean luma and saturation (0-255, ffmpeg signalstats YAVG / SATAVG) and the mean colour as #RRGGBB.</summary>
public sealed record VisualStats(double MeanLuma, double MeanSaturation, string MeanColour);
