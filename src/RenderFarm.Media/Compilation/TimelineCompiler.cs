using RenderFarm.Core.Planning;
using static RenderFarm.Media.Compilation.FilterGraphText;

namespace RenderFarm.Media.Compilation;

/// <summary>
/// Compiles a schedule into ffmpeg commands (pure: no process is started, no file written).
/// Four shapes, all built from the same video and audio graph builders so a single-pass render
/// and a segmented one draw identical frames:
/// <list type="bullet">
/// <item><see cref="SinglePass"/>: the whole timeline, video and audio (as the output has them), into the final file;</item>
/// <item><see cref="VideoSegment"/>: frames of one window, video only;</item>
/// <item><see cref="AudioTrack"/>: the whole timeline's audio, once;</item>
/// <item><see cref="Assemble"/>: segments concatenated without re-encoding, muxed with the audio (<see cref="OutputCodecs"/>).</item>
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
        var encoding = Out.Encoding;
        var graph = new FilterGraph();
        var window = new RenderWindow(0, schedule.TotalFrames);
        var video = encoding.HasVideo ? new VideoGraphBuilder(graph, schedule, localPaths, window, _assets).Build(subtitles) : null;
        if (encoding.Codec == VideoCodec.Gif) video = OutputCodecs.GifFrames(graph, video!);
        var audio = encoding.HasAudio ? new AudioGraphBuilder(graph, schedule, localPaths).Build() : null;
        var args = Inputs(graph, graphPath);
        if (video is not null) args.AddRange(["-map", $"[{video}]"]);
        if (audio is not null) args.AddRange(["-map", $"[{audio}]"]);
        if (video is not null) args.AddRange(VideoArguments(window.FrameCount, final: true));
        if (audio is not null) args.AddRange(OutputCodecs.Audio(encoding, encoder));
        args.AddRange([.. OutputCodecs.FinalMuxing(encoding), outputPath]);
        return new FfmpegCommand(args, graph.Text, graphPath, video is null ? 0 : window.FrameCount);
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
        args.AddRange(VideoArguments(window.FrameCount, final: false));
        args.AddRange(["-an", "-f", OutputCodecs.SegmentMuxer(Out.Encoding), outputPath]);
        return new FfmpegCommand(args, graph.Text, graphPath, window.FrameCount);
    }

    public FfmpegCommand AudioTrack(string outputPath, string graphPath)
    {
        var graph = new FilterGraph();
        var audio = new AudioGraphBuilder(graph, schedule, localPaths).Build();
        var args = Inputs(graph, graphPath);
        args.AddRange(["-map", $"[{audio}]"]);
        args.AddRange(OutputCodecs.Audio(Out.Encoding, encoder));
        args.AddRange(["-vn", "-f", OutputCodecs.AudioMuxer(Out.Encoding), outputPath]);
        return new FfmpegCommand(args, graph.Text, graphPath, 0);
    }

    /// <summary>
    /// Concatenates encoded segments (concat demuxer, stream copy; GIF frames are made here, from the lossless
    /// segments) and muxes the audio in, copied. An audio-only output has no segments (<paramref name="concatListPath"/> null).
    /// </summary>
    public static FfmpegCommand Assemble(OutputEncoding encoding, string? concatListPath, string audioPath, string outputPath, long expectedFrames)
    {
        var args = new List<string>();
        if (concatListPath is not null) args.AddRange(["-f", "concat", "-safe", "0", .. MediaInput.Arguments(concatListPath)]);
        if (encoding.HasAudio) args.AddRange(MediaInput.Arguments(audioPath));
        if (concatListPath is not null && encoding.Codec == VideoCodec.Gif)
        {
            var graph = new FilterGraph();
            var frames = OutputCodecs.GifFrames(graph, "0:v");
            args.AddRange(["-filter_complex", graph.Text, "-map", $"[{frames}]", "-c:v", "gif"]);
        }
        else if (concatListPath is not null) args.AddRange(["-map", "0:v:0", "-c:v", "copy"]);
        if (encoding.HasAudio) args.AddRange(["-map", $"{(concatListPath is null ? 0 : 1)}:a:0", "-c:a", "copy"]);
        args.AddRange([.. OutputCodecs.FinalMuxing(encoding), outputPath]);
        return new FfmpegCommand(args, null, null, concatListPath is null ? 0 : expectedFrames);
    }

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

    private IEnumerable<string> VideoArguments(long frames, bool final) =>
        [.. OutputCodecs.Video(Out, encoder, final), "-frames:v", frames.ToString()];
}
