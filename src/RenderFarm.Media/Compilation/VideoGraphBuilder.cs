using RenderFarm.Core.Planning;
using RenderFarm.Core.Timelines;
using RenderFarm.Media.Matting;
using static RenderFarm.Media.Compilation.FilterGraphText;

namespace RenderFarm.Media.Compilation;

/// <summary>
/// Builds the video half of a render for one window of the timeline: a black canvas with every
/// visible clip drawn on it in stacking order, transitions as xfade between the clips they join,
/// then effect-track effects and subtitles. Timestamps inside the graph are absolute timeline
/// frames (time base 1/fps), so subtitles and effects see timeline time whatever the window.
/// <paramref name="assets"/> holds the key colours and person mattes of clips with matting effects.
/// </summary>
internal sealed class VideoGraphBuilder(FilterGraph graph, Schedule schedule, IReadOnlyDictionary<string, string> localPaths, RenderWindow window,
    ClipAssets assets)
{
    private readonly OutputFormat _out = schedule.Output;
    private int Fps => _out.Fps;
    private string TimeBase => $"1/{Fps}";

    public string Build(string? subtitlesPath)
    {
        var canvas = graph.Source(
            Filter("color", ("c", "black"), ("s", $"{_out.Width}x{_out.Height}"), ("r", Fps), ("d", (window.FrameCount + 1) / (double)Fps)),
            Filter("trim", ("end_frame", window.FrameCount)),
            "format=yuv420p",
            Filter("settb", ("expr", TimeBase)),
            Filter("setpts", ("expr", $"N+{window.StartFrame}")));

        foreach (var run in Runs())
            canvas = Overlay(canvas, run);

        var tail = new List<string>();
        foreach (var effect in schedule.Effects.Where(Visible))
            canvas = FrameEffects.Apply(graph, canvas, effect, _out);
        if (subtitlesPath is not null)
            tail.Add(Filter("subtitles", ("filename", subtitlesPath)));
        tail.Add(Filter("setpts", ("expr", $"PTS-{window.StartFrame}")));
        tail.Add("format=yuv420p");
        return graph.Chain(canvas, [.. tail]);
    }

    private bool Visible(FrameEffect e) => e.StartFrame < window.EndFrame && e.EndFrame > window.StartFrame;

    /// <summary>The part of a layer inside the window.</summary>
    private (long From, long To) Clip(VideoLayer l) => (Math.Max(l.StartFrame, window.StartFrame), Math.Min(l.EndFrame, window.EndFrame));

    /// <summary>
    /// Visible layers grouped into runs: clips of one track joined by transitions that lie in the
    /// window. A run renders as one stream (xfade chain); a lone clip is a run of one.
    /// </summary>
    private IEnumerable<List<VideoLayer>> Runs()
    {
        List<VideoLayer>? run = null;
        foreach (var layer in schedule.Layers.Where(l => Clip(l).From < Clip(l).To))
        {
            var previous = run?[^1];
            var joined = previous is not null && JoinedByTransition(previous, layer)
                && previous.EndFrame - previous.TransitionOut!.Frames >= window.StartFrame && previous.EndFrame <= window.EndFrame;
            if (joined) { run!.Add(layer); continue; }
            if (run is not null) yield return run;
            run = [layer];
        }
        if (run is not null) yield return run;
    }

    private static bool JoinedByTransition(VideoLayer previous, VideoLayer next) =>
        previous.TrackIndex == next.TrackIndex && previous.TransitionOut is { } t && next.StartFrame == previous.EndFrame - t.Frames;

    /// <summary>
    /// The pixel format each layer is drawn in, decided over the whole schedule, never per window,
    /// so a layer is converted the same way in every segment as in a single pass (a conversion
    /// resamples chroma; if it differed per window, segment cuts would show). Layers of a transition
    /// chain use 4:4:4 because xfade only blends 4:4:4; alpha is added where a layer (or, in a chain,
    /// any of its clips) leaves part of the frame uncovered.
    /// </summary>
    private Dictionary<int, string> LayerFormats()
    {
        var formats = new Dictionary<int, string>();
        var chain = new List<VideoLayer>();
        void Close()
        {
            var geometries = chain.Select(l => LayerGeometry.Of(l.Clip, l.Media, _out)).ToList();
            var chained = chain.Count > 1;
            var alpha = chained ? geometries.Any(g => !g.FullFrame(_out)) : !geometries[0].Opaque;
            var format = (chained, alpha) switch
            {
                (true, true) => "yuva444p",
                (true, false) => "yuv444p",
                (false, true) => "yuva420p",
                _ => "yuv420p",
            };
            foreach (var layer in chain) formats[layer.Order] = format;
            chain.Clear();
        }
        foreach (var layer in schedule.Layers)
        {
            if (chain.Count > 0 && !JoinedByTransition(chain[^1], layer)) Close();
            chain.Add(layer);
        }
        if (chain.Count > 0) Close();
        return formats;
    }

    private Dictionary<int, string>? _formats;

    private string Overlay(string canvas, List<VideoLayer> run)
    {
        _formats ??= LayerFormats();
        var start = Clip(run[0]).From;
        string stream;
        int x = 0, y = 0;
        if (run.Count == 1)
        {
            var geometry = LayerGeometry.Of(run[0].Clip, run[0].Media, _out);
            stream = Layer(run[0], geometry, padToCanvas: false, _formats[run[0].Order]);
            (x, y) = (geometry.Box.X, geometry.Box.Y);
        }
        else
        {
            var geometries = run.Select(l => LayerGeometry.Of(l.Clip, l.Media, _out)).ToList();
            var format = _formats[run[0].Order];
            stream = Layer(run[0], geometries[0], padToCanvas: true, format);
            var length = FrameCount(run[0]);
            for (var i = 1; i < run.Count; i++)
            {
                var next = Layer(run[i], geometries[i], padToCanvas: true, format);
                var overlap = run[i - 1].TransitionOut!;
                stream = graph.Chain([stream, next], [Filter("xfade",
                    ("transition", overlap.Xfade),
                    ("duration", overlap.Frames / (double)Fps),
                    ("offset", (length - overlap.Frames) / (double)Fps))]);
                length += FrameCount(run[i]) - overlap.Frames;
            }
        }
        var placed = graph.Chain(stream, Filter("setpts", ("expr", $"PTS+{start}")));
        return graph.Chain([canvas, placed], [Filter("overlay", ("x", x), ("y", y), ("eof_action", "pass"), ("repeatlast", false))]);
    }

    private long FrameCount(VideoLayer l) => Clip(l).To - Clip(l).From;

    /// <summary>One clip's picture for its visible frames: exactly FrameCount frames, pts 0..n-1 in 1/fps.</summary>
    private string Layer(VideoLayer layer, LayerGeometry geometry, bool padToCanvas, string pixelFormat)
    {
        var (from, to) = Clip(layer);
        var frames = to - from;
        var path = localPaths[layer.Clip.MediaUrl];
        var still = layer.Clip.Type != VideoClipType.Video || layer.Media.IsStill;
        string stream;
        if (still)
        {
            // Declared at the output rate (image inputs say 25 fps): xfade requires both sides at the same rate.
            var input = graph.AddInput(MediaInput.Arguments(path, frameRate: Fps));
            var loop = Filter("loop", ("loop", frames - 1), ("size", 1), ("start", 0));
            if (layer.Clip.Effects.Matting is PersonMatte)
            {
                // The matte may change from frame to frame: repeat the picture first, then cut out each frame.
                var repeated = graph.Chain($"{input}:v", loop, Filter("settb", ("expr", TimeBase)), Filter("setpts", ("expr", "N")));
                stream = Picture(Matted(layer, repeated, from), geometry, layer.Clip.Effects.Background);
            }
            else
            {
                stream = Picture(Matted(layer, $"{input}:v", from), geometry, layer.Clip.Effects.Background);
                stream = graph.Chain(stream, loop);
            }
        }
        else
        {
            var source = Retimed(path, layer.SourceStart, layer.Speed, from - layer.StartFrame);
            stream = Picture(Matted(layer, source, from), geometry, layer.Clip.Effects.Background);
            // A source shorter than its slot holds its last frame.
            stream = graph.Chain(stream, Filter("tpad", ("stop_mode", "clone"), ("stop_duration", frames / (double)Fps)));
        }
        var tail = new List<string> { Filter("trim", ("end_frame", frames)) };
        if (padToCanvas && !geometry.Box.Covers(_out.Width, _out.Height))
        {
            tail.Add("format=yuva420p");
            tail.Add(Filter("pad", ("w", _out.Width), ("h", _out.Height), ("x", geometry.Box.X), ("y", geometry.Box.Y), ("color", "black@0")));
        }
        tail.Add($"format={pixelFormat}");
        tail.Add(Filter("settb", ("expr", TimeBase)));
        tail.Add(Filter("setpts", ("expr", "N")));
        return graph.Chain(stream, [.. tail]);
    }

    /// <summary>
    /// A video clip's frames on the output frame grid, from the window's first frame <paramref name="from"/>
    /// on: output frame n (counted from the clip's start) shows the last source frame whose time, relative
    /// to the clip's In and divided by its Speed, rounds to n or less. Every window of the clip must pick
    /// the same source frames, so no step depends on where the window starts except one exact shift:
    /// <list type="bullet">
    /// <item>the input keeps source time (<see cref="MediaInput.Arguments"/> keepSourceTime), so a source
    /// frame has the same timestamp in every window, and frames from the key frame before the seek on
    /// arrive (the one showing at the window's first frame may lie before the seek point);</item>
    /// <item>settb refines the time base F times (an exact multiplication), so one output frame is a whole
    /// number of ticks;</item>
    /// <item>setpts maps source time to clip time (In subtracted, Speed divided, rounded to a tick: the same
    /// arithmetic in every window), then moves the window's start to 0 by subtracting that whole number of
    /// ticks times the window's offset: exact, so rounding to frames below gives every window the same result;</item>
    /// <item>fps (from 0) rounds to the output grid, drops the frames before the window and repeats or drops
    /// source frames to fill each output frame.</item>
    /// </list>
    /// The input is not given a length: once the layer's last frame is drawn its branch ends, and ffmpeg
    /// stops reading a file whose frames nothing asks for.
    /// </summary>
    private string Retimed(string path, double sourceStart, double speed, long offset)
    {
        var seek = sourceStart + offset / (double)Fps * speed;
        var input = graph.AddInput(MediaInput.Arguments(path, seek, keepSourceTime: true));
        var clipTicks = $"round((PTS-{Number(sourceStart)}/TB)/{Number(speed)})";
        var ticksPerFrame = $"round(1/({Fps}*TB))";
        return graph.Chain($"{input}:v",
            Filter("settb", ("expr", $"intb/{Fps}")),
            Filter("setpts", ("expr", offset == 0 ? clipTicks : $"{clipTicks}-{offset}*{ticksPerFrame}")),
            Filter("fps", ("fps", Fps), ("start_time", 0)));
    }

    /// <summary>
    /// The source picture made see-through by the clip's matting effect, before any crop or fit (the
    /// key and the matte describe the whole source picture). <paramref name="picture"/> carries the
    /// clip's frames from the window's first frame <paramref name="from"/> on, pts 0, 1, ... in 1/fps.
    /// </summary>
    private string Matted(VideoLayer layer, string picture, long from)
    {
        switch (layer.Clip.Effects.Matting)
        {
            case ChromaKey key:
                if (!assets.KeyColours.TryGetValue(layer.Clip.Path, out var colour))
                    throw new InvalidOperationException($"{key.Path}: no key colour was prepared for this AI_Matting clip");
                return graph.Chain(picture, [.. MattingFilters.ChromaKey(colour, key.Similarity)]);
            case PersonMatte matte:
                if (!assets.MattePaths.TryGetValue(layer.Clip.Path, out var mattePath))
                    throw new InvalidOperationException($"{matte.Path}: AI_RealMatting needs a person matte of the clip and none was prepared (is a matte engine configured?)");
                // Matte frame n belongs to the clip's output frame n: the same retiming as a source at the
                // output rate played from 0 at Speed 1 gives a window starting k frames in frames k, k+1, ...
                var alpha = graph.Chain(Retimed(mattePath, 0, 1, from - layer.StartFrame),
                    [.. MattingFilters.Matte(matte.Threshold, layer.Media.Width, layer.Media.Height)]);
                var main = graph.Chain(picture, "format=yuva420p");
                return graph.Chain([main, alpha], ["alphamerge"]);
            default:
                return picture;
        }
    }

    /// <summary>Crop, then fit the picture into its box (Contain, Cover, Fill), with the box's background.</summary>
    private string Picture(string input, LayerGeometry g, BackgroundFill? background)
    {
        var pre = new List<string>();
        if (g.Crop is { } c) pre.Add(Filter("crop", ("w", c.Width), ("h", c.Height), ("x", c.X), ("y", c.Y)));
        var (bw, bh) = (g.Box.Width, g.Box.Height);
        switch (g.Mode)
        {
            case AdaptMode.Fill:
                return graph.Chain(input, [.. pre, Filter("scale", ("w", bw), ("h", bh)), "setsar=1"]);
            case AdaptMode.Cover:
                return graph.Chain(input, [.. pre, .. Cover(bw, bh), "setsar=1"]);
        }
        var content = Filter("scale", ("w", g.ContentWidth), ("h", g.ContentHeight));
        var (x, y) = ((bw - g.ContentWidth) / 2, (bh - g.ContentHeight) / 2);
        if (g.ContentWidth == bw && g.ContentHeight == bh)
            return graph.Chain(input, [.. pre, content, "setsar=1"]);
        switch (background)
        {
            case ColourBackground { Colour: var colour } when colour.Alpha < 1:
                // A see-through colour needs an alpha plane to keep its opacity (LayerGeometry: not opaque).
                return graph.Chain(input, [.. pre, content, "setsar=1", "format=yuva420p",
                    Filter("pad", ("w", bw), ("h", bh), ("x", x), ("y", y), ("color", $"0x{colour.Hex}@{Number(colour.Alpha)}"))]);
            case ColourBackground { Colour: var opaqueColour }:
                return graph.Chain(input, [.. pre, content, "setsar=1",
                    Filter("pad", ("w", bw), ("h", bh), ("x", x), ("y", y), ("color", "0x" + opaqueColour.Hex))]);
            case BlurredBackground blur:
                var source = pre.Count == 0 ? input : graph.Chain(input, [.. pre]);
                var copies = graph.Split(source, 2);
                var back = BlurredCover(copies[0], bw, bh, blur.Radius);
                var front = graph.Chain(copies[1], content, "setsar=1");
                return graph.Chain([back, front], [Filter("overlay", ("x", x), ("y", y))]);
            default:
                return graph.Chain(input, [.. pre, content, "setsar=1", "format=yuva420p",
                    Filter("pad", ("w", bw), ("h", bh), ("x", x), ("y", y), ("color", "black@0"))]);
        }
    }

    /// <summary>
    /// A blurred copy covering the box. Blurring at 1/8 size and scaling up looks the same as a
    /// full-size box blur of 8x the radius at a fraction of the cost.
    /// </summary>
    private string BlurredCover(string input, int bw, int bh, double radius)
    {
        const int factor = 8;
        var (sw, sh) = (Math.Max(8, EvenPixels.Down(bw / factor)), Math.Max(8, EvenPixels.Down(bh / factor)));
        var luma = Math.Clamp((int)Math.Round(radius * Math.Min(bw, bh) / factor), 1, Math.Min(sw, sh) / 2 - 1);
        var chroma = Math.Clamp(luma / 2, 1, Math.Min(sw, sh) / 4 - 1);
        return graph.Chain(input, [.. Cover(sw, sh),
            "format=yuv420p",
            Filter("boxblur", ("luma_radius", luma), ("luma_power", 2), ("chroma_radius", chroma), ("chroma_power", 2)),
            Filter("scale", ("w", bw), ("h", bh)),
            "setsar=1"]);
    }

    /// <summary>IMS AdaptMode Cover: scaled to fill <paramref name="width"/> x <paramref name="height"/>, the overflow cropped evenly.</summary>
    internal static IEnumerable<string> Cover(int width, int height)
    {
        yield return Filter("scale", ("w", width), ("h", height), ("force_original_aspect_ratio", "increase"));
        yield return Filter("crop", ("w", width), ("h", height));
    }
}
