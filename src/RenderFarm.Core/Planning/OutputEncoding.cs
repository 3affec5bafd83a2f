namespace RenderFarm.Core.Planning;

/// <summary>The file an output is written as, named by its extension.</summary>
public enum OutputContainer { Mp4, Mov, Webm, Gif, Mp3, M4a, Wav }

/// <summary>The picture's codec: H.264/H.265 (MP4, MOV), VP9 (WebM), GIF, or none (audio-only outputs).</summary>
public enum VideoCodec { H264, H265, Vp9, Gif, None }

/// <summary>
/// How the output is encoded (OutputMediaConfig.Video and the MediaURL's extension). Null settings take the
/// node's defaults (EncoderSettings). <see cref="Alpha"/>: a WebM output whose composition lets the canvas
/// show through somewhere (<see cref="CanvasCoverage"/>) is written with an alpha plane; decided when the
/// timeline is prepared, never per segment.
/// </summary>
public sealed record OutputEncoding(OutputContainer Container, VideoCodec Codec, int? Crf = null, string? Preset = null, string? Profile = null,
    int? GopFrames = null)
{
    public static readonly OutputEncoding Default = new(OutputContainer.Mp4, VideoCodec.H264);

    public bool Alpha { get; init; }

    public bool HasVideo => Codec != VideoCodec.None;
    public bool HasAudio => Container != OutputContainer.Gif;

    /// <summary>Every output extension, in the order errors list them.</summary>
    public static readonly IReadOnlyList<string> Extensions = [".mp4", ".mov", ".webm", ".gif", ".mp3", ".m4a", ".wav"];

    public string Extension => Extensions[(int)Container];

    /// <summary>The container a file name asks for (case-insensitive extension), or null for an extension no output has.</summary>
    public static OutputContainer? ContainerOf(string path)
    {
        var extension = Path.GetExtension(path);
        for (var i = 0; i < Extensions.Count; i++)
            if (string.Equals(extension, Extensions[i], StringComparison.OrdinalIgnoreCase)) return (OutputContainer)i;
        return null;
    }

    /// <summary>The codec a container holds when the request names none.</summary>
    public static VideoCodec DefaultCodec(OutputContainer container) => container switch
    {
        OutputContainer.Mp4 or OutputContainer.Mov => VideoCodec.H264,
        OutputContainer.Webm => VideoCodec.Vp9,
        OutputContainer.Gif => VideoCodec.Gif,
        _ => VideoCodec.None,
    };
}

/// <summary>
/// Whether a composition is transparent somewhere (pure): some frame is not painted whole by an opaque,
/// full-frame layer, so the canvas shows through (a clip smaller than the frame or fitted with margins,
/// a matted clip with nothing under it, a gap with no clip).
/// </summary>
public static class CanvasCoverage
{
    public static bool ShowsThrough(Schedule schedule)
    {
        var covering = schedule.Layers
            .Where(l => LayerGeometry.Of(l.Clip, l.Media, schedule.Output).FullFrame(schedule.Output))
            .Select(l => (l.StartFrame, l.EndFrame))
            .OrderBy(s => s.StartFrame)
            .ToList();
        long covered = 0; // frames [0, covered) are painted whole
        foreach (var (start, end) in covering)
        {
            if (start > covered) break;
            covered = Math.Max(covered, end);
        }
        return covered < schedule.TotalFrames;
    }
}
