using RenderFarm.Core.Library;

namespace RenderFarm.Gateway;

/// <summary>Library entries in IMS media asset shapes (MediaBasicInfo, MediaInfo with the analysis facts).</summary>
public static class LibraryResponses
{
    public static object BasicInfo(LibraryEntry e) => new
    {
        e.MediaId,
        InputURL = e.InputUrl,
        e.MediaType,
        e.Title,
        e.Description,
        Tags = string.Join(",", e.Tags),
        Status = e.State.ToString(),
        Progress = (int)Math.Floor(e.Progress),
        ErrorMessage = e.Error,
        e.JobId,
        CreateTime = ImsResponses.Time(e.CreateTime),
        ModifiedTime = ImsResponses.Time(e.ModifiedTime),
    };

    /// <summary>The entry with its analysis; keyframes as absolute paths under <paramref name="keyframeDirectory"/> (the shared artifact directory).</summary>
    public static object MediaInfo(LibraryEntry e, string? keyframeDirectory) => new
    {
        e.MediaId,
        MediaBasicInfo = BasicInfo(e),
        FileInfoList = e.Analysis is not { } a ? [] : new[]
        {
            new { FileBasicInfo = new { FileURL = e.InputUrl, Duration = a.DurationSeconds, a.Width, a.Height } },
        },
        AnalysisInfo = e.Analysis is not { } analysis ? null : new
        {
            Duration = analysis.DurationSeconds,
            analysis.Width,
            analysis.Height,
            analysis.HasAudio,
            analysis.Transcript,
            analysis.Visual,
            Shots = analysis.Shots.Select((s, i) => new
            {
                Index = i,
                s.In,
                s.Out,
                Keyframe = keyframeDirectory is null || s.KeyframeFile.Length == 0 ? null : Path.Combine(keyframeDirectory, s.KeyframeFile),
                s.OcrText,
                s.Transcript,
                s.Visual,
            }),
        },
    };

    public static object Hit(LibraryHit hit) => new
    {
        hit.Entry.MediaId,
        Score = Math.Round(hit.Score, 4),
        MediaBasicInfo = BasicInfo(hit.Entry),
        ClipInfo = hit.BestShot is { } shot ? new[] { new { From = shot.In, To = shot.Out, Score = Math.Round(hit.Score, 4) } } : [],
    };
}
