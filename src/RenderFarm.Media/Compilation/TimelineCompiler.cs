using RenderFarm.Core.Planning;
using static RenderFarm.Media.Compilation.FilterGraphText;

namespace RenderFarm.Media.Compilation;

/// <summary>
/// Compiles a schedule into ffmpeg commands (pure: no process is started, no file written).
/// Four shapes, all built from the same video and audio graph builders so a single-pass render
/// and a segmented one draw identical frames:
/// <list type="bullet">
/// <item><see cref="SinglePass"/>: the whole timeline, video and audio, into the final MP4;</item>
/// <item><see cref="VideoSegment"/>: frames of one window, video only;</item>
/// <item><see cref="AudioTrack"/>: the whole timeline's audio, once;</item>
/// <item><see cref="Assemble"/>: segments concatenated without re-encoding, muxed with the audio.</item>
/// </list>
/// <paramref name="assets"/>: key colours and person mattes of clips with AI_Matting / AI_RealMatting.
/// </summary>
public sealed class TimelineCompiler(Schedule schedule, IReadOnlyDictionary<string, string> localPaths, EncoderSettings encoder,
    ClipAssets? assets = null)
{
    private readonly ClipAssets _assets = assets ?? ClipAssets.Empty;
    private OutputFormat Out => schedule.Output;

    public FfmpegCommand SinglePass(string outputPath, string graphPath, SubtitleFiles? subtitles)
    {
        var graph = new FilterGraph();
        var window = new RenderWindow(0, schedule.TotalFrames);
        var video = new VideoGraphBuilder(graph, schedule, localPaths, window, _assets).Build(subtitles);
        var audio = new AudioGraphBuilder(graph, schedule, localPaths).Build();
        var args = Inputs(graph, graphPath);
        args.AddRange(["-map", $"[{video}]", "-map", $"[{audio}]"]);
        args.AddRange(VideoCodec(window.FrameCount));
        args.AddRange(AudioCodec());
        args.AddRange(["-movflags", "+faststart", "-f", "mp4", outputPath]);
        return new FfmpegCommand(args, graph.Text, graphPath, window.FrameCount);
    }

    /// <exception cref="ArgumentOutOfRangeException">The window is empty or outside the timeline.</exception>
    /// <exception cref="ArgumentException">
    /// The window starts or ends inside a transition: the two clips blend across the cut, and a window
    /// holding only one side of it cannot draw the blend (see <see cref="SegmentPlanner.IsSafeCut"/>).
    /// </exception>
    public FfmpegCommand VideoSegment(RenderWindow window, string outputPath, string graphPath, SubtitleFiles? subtitles)
    {
        if (window.StartFrame < 0 || window.EndFrame > schedule.TotalFrames || window.FrameCount <= 0)
            throw new ArgumentOutOfRangeException(nameof(window), $"window {window} is outside the timeline's {schedule.TotalFrames} frames");
        foreach (var frame in new[] { window.StartFrame, window.EndFrame })
            if (!SegmentPlanner.IsSafeCut(schedule, frame))
            {
                var (from, to) = schedule.TransitionSpans.First(s => frame > s.From && frame < s.To);
                throw new ArgumentException($"window {window} cuts at frame {frame}, inside the transition over frames [{from}, {to})", nameof(window));
            }
        var graph = new FilterGraph();
        var video = new VideoGraphBuilder(graph, schedule, localPaths, window, _assets).Build(subtitles);
        var args = Inputs(graph, graphPath);
        args.AddRange(["-map", $"[{video}]"]);
        args.AddRange(VideoCodec(window.FrameCount));
        args.AddRange(["-an", "-f", "mp4", outputPath]);
        return new FfmpegCommand(args, graph.Text, graphPath, window.FrameCount);
    }

    public FfmpegCommand AudioTrack(string outputPath, string graphPath)
    {
        var graph = new FilterGraph();
        var audio = new AudioGraphBuilder(graph, schedule, localPaths).Build();
        var args = Inputs(graph, graphPath);
        args.AddRange(["-map", $"[{audio}]"]);
        args.AddRange(AudioCodec());
        args.AddRange(["-vn", "-f", "mp4", outputPath]);
        return new FfmpegCommand(args, graph.Text, graphPath, 0);
    }

    /// <summary>Concatenates encoded segments (concat demuxer, stream copy) and muxes the audio in.</summary>
    public static FfmpegCommand Assemble(string concatListPath, string audioPath, string outputPath, long expectedFrames) =>
        new(["-f", "concat", "-safe", "0", .. MediaInput.Arguments(concatListPath), .. MediaInput.Arguments(audioPath),
             "-map", "0:v:0", "-map", "1:a:0", "-c", "copy", "-movflags", "+faststart", "-f", "mp4", outputPath],
            null, null, expectedFrames);

    /// <summary>The concat demuxer's list file: one quoted absolute path per line.</summary>
    public static string ConcatList(IEnumerable<string> segmentPaths) =>
        string.Concat(segmentPaths.Select(p => $"file '{p.Replace("'", "'\\''")}'\n"));

    private List<string> Inputs(FilterGraph graph, string graphPath)
    {
        var args = new List<string>();
        if (encoder.Threads is { } t) args.AddRange(["-filter_complex_threads", t.ToString()]);
        foreach (var input in graph.Inputs)
        {
            // A thread limit covers decoders too, so a limited render really stays on that many cores.
            args.AddRange(["-threads", (encoder.Threads ?? encoder.DecoderThreads).ToString()]);
            args.AddRange(input);
        }
        args.AddRange(["-filter_complex_script", graphPath]);
        return args;
    }

    private IEnumerable<string> VideoCodec(long frames)
    {
        var args = encoder.Nvenc
            ? new List<string> { "-c:v", EncoderSettings.NvencEncoder, "-preset", "p4", "-pix_fmt", "yuv420p", "-profile:v", "high" }
            : new List<string> { "-c:v", "libx264", "-preset", encoder.Preset, "-pix_fmt", "yuv420p", "-profile:v", "high" };
        if (Out.BitrateKbps is { } kbps)
            args.AddRange(["-b:v", $"{kbps}k", "-maxrate", $"{kbps * 3 / 2}k", "-bufsize", $"{kbps * 2}k"]);
        else if (encoder.Nvenc)
            args.AddRange(["-rc", "vbr", "-cq", encoder.Crf.ToString(), "-b:v", "0"]); // constant quality, no bitrate target
        else
            args.AddRange(["-crf", encoder.Crf.ToString()]);
        if (encoder.Threads is { } t) args.AddRange(["-threads", t.ToString()]);
        args.AddRange(["-r", Out.Fps.ToString(), "-g", (Out.Fps * 2).ToString(), "-frames:v", frames.ToString()]);
        return args;
    }

    private IEnumerable<string> AudioCodec() =>
        ["-c:a", "aac", "-b:a", $"{encoder.AudioBitrateKbps}k", "-ar", EncoderSettings.AudioSampleRate.ToString(), "-ac", "2"];
}
