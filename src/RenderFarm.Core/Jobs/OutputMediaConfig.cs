using RenderFarm.Core.Json;
using RenderFarm.Core.Planning;
using RenderFarm.Core.Timelines;

namespace RenderFarm.Core.Jobs;

/// <summary>
/// IMS OutputMediaConfig as far as a local render uses it. Missing Width/Height default to the
/// largest picture among the timeline's media (the IMS rule); fps defaults to 25. The container comes
/// from the MediaURL's extension (none: MP4); Video.Codec/Crf/Preset/Profile/Gop and MaxDuration are
/// honoured (<see cref="Encoding"/>, <see cref="MaxDurationSeconds"/>); a combination a container cannot
/// hold is an error naming the field.
/// </summary>
public sealed record OutputMediaConfig(string? MediaUrl, int? Width, int? Height, int? BitrateKbps, int? Fps)
{
    public const int DefaultFps = 25;
    public static readonly OutputMediaConfig Empty = new(null, null, null, null, null);

    public OutputEncoding Encoding { get; init; } = OutputEncoding.Default;

    /// <summary>The output is cut here (seconds) when the timeline is longer.</summary>
    public double? MaxDurationSeconds { get; init; }

    /// <summary>IMS Video.Codec values (case-insensitive).</summary>
    public static readonly IReadOnlyList<string> Codecs = ["H.264", "H.265"];

    /// <summary>x264/x265 presets, fastest first.</summary>
    public static readonly IReadOnlyList<string> Presets = ["ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow"];

    public static readonly IReadOnlyList<string> H264Profiles = ["baseline", "main", "high"];
    public static readonly IReadOnlyList<string> H265Profiles = ["main"];
    public const int MaxCrf = 51, MaxVp9Crf = 63, MinGop = 1, MaxGop = 1000;

    public static OutputMediaConfig Read(JsonObjectReader r, TimelineLimits limits)
    {
        var width = r.Integer("Width", limits.MinOutputSide, limits.MaxOutputSide);
        var height = r.Integer("Height", limits.MinOutputSide, limits.MaxOutputSide);
        if (width is { } w && height is { } h && Math.Min(w, h) > limits.MaxShorterSide)
            throw r.Error("Width", $"the shorter side of {w}x{h} exceeds {limits.MaxShorterSide} px");
        var bitrate = r.Integer("Bitrate", limits.MinBitrateKbps, limits.MaxBitrateKbps);
        var fps = r.Integer("Fps", limits.MinFps, limits.MaxFps);
        var video = r.ObjectOrJsonText("Video");
        if (video is not null)
        {
            fps ??= video.Integer("Fps", limits.MinFps, limits.MaxFps);
            bitrate ??= video.Integer("Bitrate", limits.MinBitrateKbps, limits.MaxBitrateKbps);
            if (video.Has("Orientation")) { video.Warn("Orientation", "is not supported; Width and Height decide the orientation"); video.Accept("Orientation"); }
        }
        foreach (var ignored in new[] { "StorageLocation", "FileName", "VodTemplateGroupId", "ProduceTemplateId" })
            if (r.Has(ignored)) { r.Warn(ignored, "has no meaning for a self-hosted farm and was ignored"); r.Accept(ignored); }
        var maxDuration = r.Number("MaxDuration", 0.1, limits.MaxDurationSeconds);
        var url = r.String("MediaURL") is { } text ? MediaLocation.Check(r.FieldPath("MediaURL"), text) : null;
        var container = OutputContainer.Mp4;
        if (url is not null)
            container = OutputEncoding.ContainerOf(UrlPath(url))
                ?? throw r.Error("MediaURL", $"'{JsonObjectReader.Excerpt(url)}' must end in one of {string.Join(", ", OutputEncoding.Extensions)} (the extension names the container)");
        var codecNamed = video?.Has("Codec") == true;
        var encoding = ReadEncoding(video, container, bitrate, r.Path);
        return new OutputMediaConfig(url, width, height, bitrate, fps) { Encoding = encoding, MaxDurationSeconds = maxDuration, CodecNamed = codecNamed };
    }

    /// <summary>
    /// This output written to <paramref name="path"/> instead (`farm render -o`): its extension names the
    /// container, and the request's Video settings must suit it (errors name the field; an unknown extension names <paramref name="option"/>).
    /// </summary>
    public OutputMediaConfig WrittenTo(string path, string option)
    {
        var container = OutputEncoding.ContainerOf(path)
            ?? throw new RequestException(option, $"'{Path.GetFileName(path)}' must end in one of {string.Join(", ", OutputEncoding.Extensions)} (the extension names the container)");
        if (container == Encoding.Container) return this;
        var settings = Encoding with { Container = container, Codec = CodecNamed && Encoding.HasVideo ? Encoding.Codec : OutputEncoding.DefaultCodec(container) };
        Check(settings, BitrateKbps is not null, "OutputMediaConfig", CodecNamed);
        return this with { Encoding = settings };
    }

    /// <summary>Whether the request named Video.Codec (then a container without that codec is an error, not a switch).</summary>
    private bool CodecNamed { get; init; }

    private static OutputEncoding ReadEncoding(JsonObjectReader? video, OutputContainer container, int? bitrate, string configPath)
    {
        var codecName = video?.OneOf("Codec", Codecs);
        var codec = OutputEncoding.DefaultCodec(container) == VideoCodec.None ? VideoCodec.None : codecName switch
        {
            "H.264" => VideoCodec.H264,
            "H.265" => VideoCodec.H265,
            _ => OutputEncoding.DefaultCodec(container),
        };
        var maxCrf = codec == VideoCodec.Vp9 ? MaxVp9Crf : MaxCrf;
        var encoding = new OutputEncoding(container, codec,
            video?.Integer("Crf", 0, maxCrf),
            video?.OneOf("Preset", Presets),
            video?.OneOf("Profile", [.. H264Profiles.Concat(H265Profiles).Distinct()]),
            video?.Integer("Gop", MinGop, MaxGop));
        Check(encoding, bitrate is not null, configPath, codecName is not null);
        return encoding;
    }

    /// <summary>Refuses what the container cannot hold, naming the field that asked for it.</summary>
    private static void Check(OutputEncoding e, bool bitrateGiven, string configPath, bool codecGiven)
    {
        string Field(string name) => $"{configPath}.Video.{name}";
        var what = $"a {e.Extension} output";
        if (OutputEncoding.DefaultCodec(e.Container) == VideoCodec.None)
        {
            if (codecGiven) throw new RequestException(Field("Codec"), $"{what} is audio only: it has no video to encode");
            foreach (var (name, set) in new[] { ("Crf", e.Crf is not null), ("Preset", e.Preset is not null), ("Profile", e.Profile is not null), ("Gop", e.GopFrames is not null) })
                if (set) throw new RequestException(Field(name), $"{what} is audio only: it has no video to encode");
            if (bitrateGiven) throw new RequestException($"{configPath}.Bitrate", $"{what} is audio only: the video bitrate has nothing to apply to");
            return;
        }
        if (codecGiven && e.Codec != OutputEncoding.DefaultCodec(e.Container) && e.Container is not (OutputContainer.Mp4 or OutputContainer.Mov))
            throw new RequestException(Field("Codec"), $"{e.Codec switch { VideoCodec.H265 => "H.265", _ => "H.264" }} cannot be written to {what} ({(e.Container == OutputContainer.Webm ? "WebM holds VP9" : "GIF holds GIF frames")}; leave Codec out, or write .mp4/.mov)");
        if (e.Container == OutputContainer.Gif)
        {
            foreach (var (name, set) in new[] { ("Crf", e.Crf is not null), ("Preset", e.Preset is not null), ("Profile", e.Profile is not null) })
                if (set) throw new RequestException(Field(name), $"does not apply to {what} (GIF has a 256-colour palette, no quality setting)");
            if (bitrateGiven) throw new RequestException($"{configPath}.Bitrate", $"does not apply to {what} (GIF has no bitrate control)");
        }
        if (e.Container == OutputContainer.Webm)
            foreach (var (name, set) in new[] { ("Preset", e.Preset is not null), ("Profile", e.Profile is not null) })
                if (set) throw new RequestException(Field(name), $"applies to H.264/H.265 only; {what} is VP9");
        if (e.Codec == VideoCodec.H265 && e.Profile is { } p && !H265Profiles.Contains(p))
            throw new RequestException(Field("Profile"), $"'{p}' is not an H.265 profile; supported: {string.Join(", ", H265Profiles)}");
        if (e.Codec == VideoCodec.H264 && e.Profile is { } q && !H264Profiles.Contains(q))
            throw new RequestException(Field("Profile"), $"'{q}' is not an H.264 profile; supported: {string.Join(", ", H264Profiles)}");
        if (e.Codec != VideoCodec.Vp9 && e.Crf > MaxCrf)
            throw new RequestException(Field("Crf"), $"must be between 0 and {MaxCrf} for {e.Codec switch { VideoCodec.H265 => "H.265", _ => "H.264" }}");
    }

    /// <summary>The path part of a MediaURL (no query or fragment), whose extension names the container.</summary>
    private static string UrlPath(string url)
    {
        var end = url.IndexOfAny(['?', '#']);
        return end < 0 ? url : url[..end];
    }

    /// <summary>
    /// The output format, filling unset fields from the media (largest width and height). A size
    /// taken from the media is reduced to respect the shorter-side limit; a size the user gave is kept.
    /// </summary>
    public OutputFormat Resolve(IEnumerable<MediaFacts> visualMedia, TimelineLimits limits)
    {
        var pictures = visualMedia.Where(m => m.HasVideo && m.Width > 0).ToList();
        var width = Width ?? Math.Clamp(EvenPixels.Down(pictures.Select(m => m.Width).DefaultIfEmpty(1920).Max()), limits.MinOutputSide, limits.MaxOutputSide);
        var height = Height ?? Math.Clamp(EvenPixels.Down(pictures.Select(m => m.Height).DefaultIfEmpty(1080).Max()), limits.MinOutputSide, limits.MaxOutputSide);
        if (Math.Min(width, height) > limits.MaxShorterSide)
        {
            var scale = (double)limits.MaxShorterSide / Math.Min(width, height);
            if (Width is null && Height is null) (width, height) = (EvenPixels.Down(width * scale), EvenPixels.Down(height * scale));
            else if (Width is null) width = Math.Min(width, limits.MaxShorterSide);
            else height = Math.Min(height, limits.MaxShorterSide);
        }
        // 4:2:0 output needs even sizes.
        return new OutputFormat(EvenPixels.Down(width), EvenPixels.Down(height), Fps ?? DefaultFps, BitrateKbps) { Encoding = Encoding };
    }
}
