using RenderFarm.Core.Planning;
using RenderFarm.Core.Timelines;
using RenderFarm.Media.Compilation;
using RenderFarm.Media.Matting;
using RenderFarm.Media.Sources;
using static RenderFarm.Media.Compilation.FilterGraphText;

namespace RenderFarm.Media.Vision.Matting;

/// <summary>How a picture is cut out: a colour key (a green screen) or a person matte video (ISNet, <see cref="Ai.IMatteProducer"/>).</summary>
public abstract record Cutout;

/// <summary>The screen colour keyed out, with the timeline's AI_Matting chain (<see cref="MattingFilters.ChromaKey"/>).</summary>
public sealed record ColourCutout(Rgba Key, double Similarity) : Cutout;

/// <summary>
/// A person matte: a grey video whose frame n is the alpha of the source's frame n at <see cref="Fps"/> (null: a
/// still, one frame), values up to <see cref="Threshold"/> made transparent like AI_RealMatting's Thres.
/// </summary>
public sealed record MatteCutout(string MattePath, double Threshold, int? Fps) : Cutout;

/// <summary>What a cut-out is written as: a WebM with alpha, an MP4 over a background, or a PNG (alpha, or over the background).</summary>
public enum CutoutFormat { WebmWithAlpha, Mp4, Png }

/// <summary>
/// One cut-out to write: the source (its probed size), how it is cut out, the background image (null: keep the
/// transparency) and the output file in <see cref="Format"/>.
/// </summary>
public sealed record CutoutJob(string Source, MediaFacts Facts, Cutout Cutout, string? Background, CutoutFormat Format, string Output);

/// <summary>
/// The ffmpeg arguments of a cut-out (pure). The matting filters are the timeline's (<see cref="MattingFilters"/>);
/// a background image is scaled to cover the picture (IMS AdaptMode Cover). The image is laid once over a copy
/// of the source so the background stream has the source's own frame times (an image input has one frame at
/// its own rate), then the cut-out goes over it. Video sizes are cut to even numbers for 4:2:0 encoders.
/// </summary>
public static class CutoutComposer
{
    /// <summary>VP9 quality (constant quality mode) of WebM output; 31-33 is the usual range for HD.</summary>
    internal const int WebmCrf = 32;

    /// <summary>H.264 quality of MP4 output.</summary>
    internal const int Mp4Crf = 20;

    /// <summary>The output's size: the source's, cut to even numbers for video.</summary>
    public static (int Width, int Height) Size(MediaFacts facts, CutoutFormat format) =>
        format == CutoutFormat.Png ? (facts.Width, facts.Height) : (EvenPixels.Down(facts.Width), EvenPixels.Down(facts.Height));

    public static IReadOnlyList<string> Arguments(CutoutJob job)
    {
        var video = job.Format != CutoutFormat.Png;
        var (width, height) = Size(job.Facts, job.Format);
        if (width < 2 || height < 2) throw new ArgumentException($"a {job.Facts.Width}x{job.Facts.Height} picture is too small to cut out", nameof(job));
        if (job.Format == CutoutFormat.Mp4 && job.Background is null) throw new ArgumentException("an MP4 has no alpha: it needs a background", nameof(job));
        var graph = new FilterGraph();
        var source = graph.AddInput(MediaInput.Arguments(job.Source));
        var picture = new List<string>();
        if (job.Cutout is MatteCutout { Fps: { } fps })
            picture.Add(Filter("fps", ("fps", fps), ("start_time", 0))); // matte frame n is source time n / fps
        if (width != job.Facts.Width || height != job.Facts.Height)
            picture.Add(Filter("crop", ("w", width), ("h", height), ("x", 0), ("y", 0)));
        var sourcePicture = graph.Chain($"{source}:v", [.. picture]);

        string cut, timing = "";
        if (job.Background is null) cut = sourcePicture;
        else
        {
            var copies = graph.Split(sourcePicture, 2);
            (cut, timing) = (copies[0], copies[1]);
        }
        var foreground = job.Cutout switch
        {
            ColourCutout key => graph.Chain(cut, [.. MattingFilters.ChromaKey(key.Key, key.Similarity)]),
            MatteCutout matte => graph.Chain([graph.Chain(cut, video ? "format=yuva420p" : "format=rgba"),
                    graph.Chain($"{graph.AddInput(MediaInput.Arguments(matte.MattePath))}:v", ["setpts=PTS-STARTPTS", .. MattingFilters.Matte(matte.Threshold, width, height)])],
                ["alphamerge"]),
            _ => throw new ArgumentException($"unknown cutout {job.Cutout.GetType().Name}", nameof(job)),
        };

        string output;
        if (job.Background is { } background)
        {
            // format drops any transparency of the image itself: the background is opaque.
            var image = graph.Chain($"{graph.AddInput(MediaInput.Arguments(background))}:v", [.. VideoGraphBuilder.Cover(width, height), "setsar=1", "format=yuv444p"]);
            var backdrop = graph.Chain([timing, image], ["overlay"]);
            output = graph.Chain([backdrop, foreground], video ? ["overlay", "format=yuv420p"] : [Filter("overlay", ("format", "rgb")), "format=rgb24"], "out");
        }
        else
            output = graph.Chain([foreground], [video ? "format=yuva420p" : "format=rgba"], "out");

        var args = new List<string>();
        foreach (var input in graph.Inputs) args.AddRange(input);
        args.AddRange(["-filter_complex", graph.Text, "-map", $"[{output}]"]);
        args.AddRange(job.Format switch
        {
            CutoutFormat.WebmWithAlpha =>
            [
                "-map", $"{source}:a:0?", "-c:v", "libvpx-vp9", "-pix_fmt", "yuva420p", "-crf", $"{WebmCrf}", "-b:v", "0",
                "-deadline", "good", "-cpu-used", "4", "-row-mt", "1", "-c:a", "libopus", "-b:a", "128k", "-f", "webm",
            ],
            CutoutFormat.Mp4 =>
            [
                "-map", $"{source}:a:0?", "-c:v", "libx264", "-preset", "veryfast", "-crf", $"{Mp4Crf}", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-b:a", "160k", "-movflags", "+faststart", "-f", "mp4",
            ],
            _ => ["-frames:v", "1", "-c:v", "png", "-f", "image2", "-update", "1"],
        });
        args.Add(MediaSourceResolver.ForFfmpeg(job.Output));
        return args;
    }
}
