using System.Diagnostics;
using System.Globalization;
using System.Text;
using RenderFarm.Core.Jobs;
using RenderFarm.Core.Timelines;
using RenderFarm.Media.Compilation;
using RenderFarm.Media.Ffmpeg;
using RenderFarm.Media.Rendering;
using RenderFarm.Media.Sources;
using RenderFarm.TestSupport;

namespace RenderFarm.Benchmarks;

/// <summary>
/// Renders a reference timeline (12 clips joined by transitions, captions, looping background
/// music) with RenderFarm and with a hand-written single ffmpeg command that produces the same
/// composition, in the same run and with the same encoder settings, and prints the ratio.
/// Target: RenderFarm / hand-written at most 1.15. The two outputs must have the same frame count,
/// and the PSNR between them at three sample frames shows they draw the same picture.
/// </summary>
public static class RenderBenchmark
{
    private const int Clips = ReferenceTimeline.Clips;
    private const double Transition = ReferenceTimeline.Transition;
    private static readonly string[] Transitions = ReferenceTimeline.Transitions;

    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = Option(args, "--seconds", 60.0);
        var width = (int)Option(args, "--width", 1080.0);
        var height = (int)Option(args, "--height", 1920.0);
        const int fps = 25;
        using var dir = new TempDir();
        var media = new TestMedia(dir.Path);
        var clipSeconds = ReferenceTimeline.ClipSeconds(seconds);

        Console.WriteLine($"render benchmark: {seconds:0} s {width}x{height}@{fps}, {Clips} clips, {Clips - 1} transitions, captions, music; {Environment.ProcessorCount} cores");
        var sources = new List<(string Path, bool Still)>();
        for (var i = 0; i < Clips; i++)
        {
            var still = ReferenceTimeline.IsStill(i);
            sources.Add(still
                ? (media.ColourImage($"img{i}.png", $"0x{(i * 40) % 256:X2}80{(255 - i * 20) % 256:X2}", width, height), true)
                : (media.PatternVideo($"clip{i}.mp4", clipSeconds + 1, width / 2, height / 2, fps), false));
        }
        var music = media.Tone("music.m4a", 220, 20);

        var json = ReferenceTimeline.Json(sources.Select(s => s.Path).ToList(), clipSeconds, music, width, height, fps);
        var request = ProducingJobRequest.Parse(json);
        var policy = new MediaSourcePolicy { AllowedRoots = [dir.Path], CacheDirectory = Path.Combine(dir.Path, "cache") };
        using var preparer = new TimelinePreparer(policy, TimelineLimits.Default);
        var prepared = await preparer.PrepareAsync(request, dir.Path, CancellationToken.None);
        var ass = dir.File("captions.ass");
        File.WriteAllText(ass, prepared.SubtitlesAss);

        var encoder = EncoderSettings.Default;
        var renderer = new TimelineRenderer(new FfmpegRunner(), encoder);
        var farmTimes = new List<double>();
        var handTimes = new List<double>();
        // Alternate the two so drift in machine load affects both alike.
        for (var round = 0; round < 2; round++)
        {
            farmTimes.Add(await Time(() => renderer.RenderAsync(prepared, dir.File("farm.mp4"), new RenderOptions(), null, CancellationToken.None)));
            handTimes.Add(await Time(() => new FfmpegRunner().RunAsync(HandWritten(sources, clipSeconds, music, ass, dir.File("hand.mp4"), width, height, fps, seconds, encoder))));
        }

        var farm = Inspect.Probe(dir.File("farm.mp4"));
        var hand = Inspect.Probe(dir.File("hand.mp4"));
        var ratio = farmTimes.Min() / handTimes.Min();
        Console.WriteLine($"renderfarm   : {farmTimes.Min():0.00} s wall (best of {farmTimes.Count}), {farm.VideoFrames} frames, {farm.Duration:0.00} s");
        Console.WriteLine($"hand-written : {handTimes.Min():0.00} s wall (best of {handTimes.Count}), {hand.VideoFrames} frames, {hand.Duration:0.00} s");
        Console.WriteLine($"speed        : {seconds / farmTimes.Min():0.00}x real time");
        Console.WriteLine($"ratio        : {ratio:0.000} (target <= 1.15) {(ratio <= 1.15 ? "OK" : "OVER TARGET")}");

        // Same output: as many frames, and the same picture in the middle of a video, an image and another video.
        var sameLength = farm.VideoFrames == hand.VideoFrames;
        Console.WriteLine($"frames       : {farm.VideoFrames} vs {hand.VideoFrames} {(sameLength ? "same" : "DIFFERENT")}");
        foreach (var clip in new[] { 1, 3, 10 })
        {
            var frame = (long)Math.Round((clip * (clipSeconds - Transition) + clipSeconds / 2) * fps);
            var psnr = Inspect.Psnr(Inspect.FrameAt(dir.File("farm.mp4"), frame), Inspect.FrameAt(dir.File("hand.mp4"), frame));
            Console.WriteLine($"psnr         : {psnr:0.0} dB at frame {frame} (clip {clip}, {(sources[clip].Still ? "image" : "video")})");
        }
        return sameLength ? 0 : 1;
    }

    private static async Task<double> Time(Func<Task> work)
    {
        var watch = Stopwatch.StartNew();
        await work();
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// The same composition as one ffmpeg command, written the way an expert would: clips placed on
    /// whole frames (IMS timing: each clip starts a transition before the previous one ends; times
    /// rounded to the nearest frame), each image decoded and scaled once and repeated with the loop
    /// filter (not read again for every frame with <c>-loop 1</c>), videos cut to their frames, clips
    /// joined by xfade at frame-exact offsets, and <c>-frames:v</c> ending the video at exactly the
    /// timeline's frame count.
    /// </summary>
    private static List<string> HandWritten(List<(string Path, bool Still)> sources, double clipSeconds, string music, string ass, string output,
        int width, int height, int fps, double seconds, EncoderSettings encoder)
    {
        long Frame(double t) => (long)Math.Round(t * fps, MidpointRounding.AwayFromZero);
        string At(long frame) => Num((double)frame / fps);
        var spans = new List<(long Start, long End)>();
        for (var i = 0; i < sources.Count; i++)
        {
            var start = i * (clipSeconds - Transition);
            spans.Add((Frame(start), Frame(start + clipSeconds)));
        }

        var args = new List<string>();
        var graph = new StringBuilder();
        var fit = $"scale={width}:{height}:force_original_aspect_ratio=increase,crop={width}:{height},setsar=1,format=yuv420p";
        for (var i = 0; i < sources.Count; i++)
        {
            var frames = spans[i].End - spans[i].Start;
            // ffmpeg 5.1's xfade loses the last blended frame when the outgoing clip ends with the
            // transition (a gap the encoder fills with a repeat): one cloned frame more keeps it.
            var extra = i < sources.Count - 1 ? 1 : 0;
            if (sources[i].Still)
            {
                args.AddRange(["-framerate", $"{fps}", "-i", sources[i].Path]);
                graph.Append($"[{i}:v]{fit},loop=loop={frames - 1 + extra}:size=1:start=0,settb=1/{fps},setpts=N[v{i}];");
            }
            else
            {
                args.AddRange(["-t", At(frames), "-i", sources[i].Path]);
                graph.Append($"[{i}:v]fps={fps},{fit},trim=end_frame={frames},tpad=stop={extra}:stop_mode=clone,settb=1/{fps},setpts=N[v{i}];");
            }
        }
        args.AddRange(["-stream_loop", "-1", "-i", music]);
        var previous = "v0";
        for (var i = 1; i < sources.Count; i++)
        {
            var label = $"x{i}";
            var overlap = spans[i - 1].End - spans[i].Start;
            graph.Append($"[{previous}][v{i}]xfade=transition={TransitionCatalog.XfadeFor(Transitions[(i - 1) % Transitions.Length])}:duration={At(overlap)}:offset={At(spans[i].Start)}[{label}];");
            previous = label;
        }
        graph.Append($"[{previous}]subtitles=filename={ass},format=yuv420p[vout];");
        graph.Append($"[{sources.Count}:a]aresample=48000,atrim=duration={Num(seconds)},volume=0.5,afade=t=in:d=1,afade=t=out:st={Num(seconds - 2)}:d=2[aout]");
        args.AddRange(["-filter_complex", graph.ToString(), "-map", "[vout]", "-map", "[aout]",
            "-c:v", "libx264", "-preset", encoder.Preset, "-crf", encoder.Crf.ToString(), "-pix_fmt", "yuv420p", "-profile:v", "high",
            "-r", $"{fps}", "-g", $"{fps * 2}", "-frames:v", $"{Frame(seconds)}",
            "-c:a", "aac", "-b:a", $"{encoder.AudioBitrateKbps}k", "-ar", "48000", "-ac", "2",
            "-movflags", "+faststart", "-f", "mp4", output]);
        return args;
    }

    private static double Option(string[] args, string name, double fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? double.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string Num(double v) => ReferenceTimeline.Num(v);
}
