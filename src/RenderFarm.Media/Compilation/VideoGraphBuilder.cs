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

    public string Build(SubtitleFiles? subtitles)
    {
        var runs = Runs().ToList();
        string canvas;
        if (runs.Count > 0 && CoversWindow(runs[0]))
        {
            // The bottom run paints every pixel of every frame: it is the canvas. Drawing it over black
            // would give the same pixels (an opaque overlay replaces them) after an alpha conversion and
            // a blend of every frame.
            canvas = graph.Chain(RunStream(runs[0], asCanvas: true, out _, out _), "format=yuv420p", Filter("setpts", ("expr", $"N+{window.StartFrame}")));
            canvas = ClipEffects(canvas, runs[0]);
            runs.RemoveAt(0);
        }
        else
        {
            // A transparent output (WebM with alpha) starts from a see-through canvas.
            canvas = graph.Source(
                Filter("color", ("c", _out.Encoding.Alpha ? "black@0" : "black"), ("s", $"{_out.Width}x{_out.Height}"), ("r", Fps), ("d", (window.FrameCount + 1) / (double)Fps)),
                Filter("trim", ("end_frame", window.FrameCount)),
                OutputPixels,
                Filter("settb", ("expr", TimeBase)),
                Filter("setpts", ("expr", $"N+{window.StartFrame}")));
        }

        foreach (var run in runs)
            canvas = ClipEffects(Overlay(canvas, run), run);

        var tail = new List<string>();
        foreach (var effect in schedule.Effects.Where(Visible))
            canvas = FrameEffects.Apply(graph, canvas, effect, _out);
        foreach (var script in subtitles?.Scripts ?? [])
            tail.Add(subtitles!.FontsDirectory is { } fonts
                ? Filter("subtitles", ("filename", script), ("fontsdir", fonts))
                : Filter("subtitles", ("filename", script)));
        tail.Add(Filter("setpts", ("expr", $"PTS-{window.StartFrame}")));
        tail.Add(OutputPixels);
        return graph.Chain(canvas, [.. tail]);
    }

    private string OutputPixels => _out.Encoding.Alpha ? "format=yuva420p" : "format=yuv420p";

    private bool Visible(FrameEffect e) => e.StartFrame < window.EndFrame && e.EndFrame > window.StartFrame;

    /// <summary>
    /// The VFX/Filter effects of a run's clips, drawn right after the run: they change the clip's
    /// frames (over its span) and never the layers drawn above it.
    /// </summary>
    private string ClipEffects(string canvas, List<VideoLayer> run)
    {
        foreach (var effect in run.SelectMany(l => l.Effects).Where(Visible))
            canvas = FrameEffects.Apply(graph, canvas, effect, _out);
        return canvas;
    }

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
    /// The pixel formats each layer is drawn in, decided over the whole schedule, never per window,
    /// so a layer is converted the same way in every segment as in a single pass (a conversion
    /// resamples chroma; if it differed per window, segment cuts would show). A layer is drawn in
    /// 4:2:0, with alpha where it (or, in a transition chain, any clip of the chain) leaves part of the
    /// frame uncovered; only the frames a transition blends go through 4:4:4 (<see cref="PixelFormats.Blend"/>),
    /// because xfade only blends 4:4:4.
    /// </summary>
    private Dictionary<int, PixelFormats> LayerFormats()
    {
        var formats = new Dictionary<int, PixelFormats>();
        var chain = new List<VideoLayer>();
        void Close()
        {
            var geometries = chain.Select(l => LayerGeometry.Of(l.Clip, l.Media, _out)).ToList();
            var alpha = chain.Count > 1
                ? chain.Where((l, i) => !PaintsFrame(l, geometries[i])).Any()
                : !geometries[0].Opaque && !OnBlack(chain[0]);
            var format = alpha ? new PixelFormats("yuva420p", "yuva444p") : new PixelFormats("yuv420p", "yuv444p");
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

    /// <summary>A layer's own pixel format and the one its transition frames are blended in.</summary>
    private sealed record PixelFormats(string Layer, string Blend);

    private Dictionary<int, PixelFormats>? _formats;

    /// <summary>The run paints every pixel of every frame of the window (padded to the frame where it must be).</summary>
    private bool CoversWindow(List<VideoLayer> run) =>
        Clip(run[0]).From == window.StartFrame && Clip(run[^1]).To == window.EndFrame
        && run.All(l => PaintsFrame(l, LayerGeometry.Of(l.Clip, l.Media, _out)));

    /// <summary>A layer that, padded to the frame, paints every pixel: full-frame and opaque, or drawn on black.</summary>
    private bool PaintsFrame(VideoLayer layer, LayerGeometry geometry) => geometry.FullFrame(_out) || OnBlack(layer);

    private HashSet<int>? _onBlack;

    /// <summary>
    /// A layer whose see-through parts can be painted black: nothing but the black canvas lies under
    /// it (no layer of another track drawn before it shares any of its frames) and its only
    /// transparency is the margin a Contain fit or a placement leaves (no matting, no alpha in the source, no background
    /// effect). Painting that margin opaque black draws the same pixels as leaving it transparent
    /// over black, without an alpha plane or a blend. Decided over the whole schedule, like the formats.
    /// </summary>
    private bool OnBlack(VideoLayer layer)
    {
        if (_out.Encoding.Alpha) return false; // the canvas is see-through: margins must stay transparent
        _onBlack ??= schedule.Layers
            .Where((l, i) => !schedule.Layers.Take(i).Any(o => o.TrackIndex != l.TrackIndex && o.StartFrame < l.EndFrame && o.EndFrame > l.StartFrame))
            .Select(l => l.Order).ToHashSet();
        return _onBlack.Contains(layer.Order) && layer.Clip.Effects.Matting is null && !layer.Media.HasAlpha && layer.Clip.Effects.Background is null && layer.Clip.Opacity >= 1;
    }

    private string Overlay(string canvas, List<VideoLayer> run)
    {
        var stream = RunStream(run, asCanvas: false, out var x, out var y);
        var placed = graph.Chain(stream, Filter("setpts", ("expr", $"PTS+{Clip(run[0]).From}")));
        return graph.Chain([canvas, placed], [Filter("overlay", ("x", x), ("y", y), ("eof_action", "pass"), ("repeatlast", false))]);
    }

    /// <summary>
    /// A run's frames, pts 0..n-1 in 1/fps, and where a lone clip's box sits (a chain fills the frame).
    /// A chain is cut into pieces joined by concat: each clip's frames outside transitions pass as they
    /// are, and only the frames two clips overlap on are converted to 4:4:4, blended by xfade and
    /// converted back (a whole-clip xfade would convert every frame and, in ffmpeg 5.1, drop frames
    /// where one xfade feeds the next).
    /// </summary>
    private string RunStream(List<VideoLayer> run, bool asCanvas, out int x, out int y)
    {
        _formats ??= LayerFormats();
        var format = _formats[run[0].Order];
        if (run.Count == 1)
        {
            var geometry = LayerGeometry.Of(run[0].Clip, run[0].Media, _out);
            (x, y) = (geometry.Box.X, geometry.Box.Y);
            return Layer(run[0], geometry, padToCanvas: asCanvas, format.Layer);
        }
        (x, y) = (0, 0);
        var pieces = new List<string>();
        string? outgoing = null; // the previous clip's frames inside its transition out
        for (var i = 0; i < run.Count; i++)
        {
            var stream = Layer(run[i], LayerGeometry.Of(run[i].Clip, run[i].Media, _out), padToCanvas: true, format.Layer);
            var length = FrameCount(run[i]);
            var incoming = i > 0 ? run[i - 1].TransitionOut!.Frames : 0;
            var leaving = i < run.Count - 1 ? run[i].TransitionOut!.Frames : 0;
            var spans = new List<(long From, long To)>();
            if (incoming > 0) spans.Add((0, incoming));
            if (length - leaving > incoming) spans.Add((incoming, length - leaving));
            if (leaving > 0) spans.Add((length - leaving, length));
            var parts = graph.Split(stream, spans.Count).Zip(spans, (part, span) => graph.Chain(part,
                Filter("trim", ("start_frame", span.From), ("end_frame", span.To)), "setpts=PTS-STARTPTS")).ToList();
            var next = 0;
            if (incoming > 0)
            {
                var overlap = run[i - 1].TransitionOut!;
                (string, object)[] options = [("transition", overlap.Xfade), ("duration", overlap.Frames / (double)Fps), ("offset", 0)];
                if (overlap is { Xfade: "overlay", Expression: { } slideY })
                    pieces.Add(Slide(outgoing!, parts[next++], overlap, slideY));
                else if (overlap is { Expression: { } mask, Mask: true })
                    pieces.Add(MaskBlend(outgoing!, parts[next++], overlap, mask, format.Layer));
                else if (overlap.Expression is { } expression)
                {
                    // A custom expression is evaluated per pixel by ffmpeg's interpreter (about 100x a built-in
                    // transition), so it runs on a small copy scaled back up: its cost stays bounded at any size.
                    var (w, h) = CustomTransitionSize();
                    var from = graph.Chain(outgoing!, Filter("scale", ("w", w), ("h", h)), $"format={format.Blend}");
                    var to = graph.Chain(parts[next++], Filter("scale", ("w", w), ("h", h)), $"format={format.Blend}");
                    options = [.. options, ("expr", expression)];
                    pieces.Add(graph.Chain([from, to], [Filter("xfade", options), Filter("scale", ("w", _out.Width), ("h", _out.Height)), $"format={format.Layer}"]));
                }
                else
                {
                    var from = graph.Chain(outgoing!, $"format={format.Blend}");
                    var to = graph.Chain(parts[next++], $"format={format.Blend}");
                    pieces.Add(graph.Chain([from, to], [Filter("xfade", options), $"format={format.Layer}"]));
                }
            }
            if (length - leaving > incoming) pieces.Add(parts[next++]);
            outgoing = leaving > 0 ? parts[next] : null;
        }
        var joined = pieces.Count == 1 ? pieces[0] : graph.Chain(pieces, [Filter("concat", ("n", pieces.Count), ("v", 1), ("a", 0))]);
        return OnFrameGrid(joined);
    }

    private long FrameCount(VideoLayer l) => Clip(l).To - Clip(l).From;

    /// <summary>Frames numbered 0..n-1 in 1/fps: the time base every piece of a chain is joined in.</summary>
    private string[] FrameGrid => [Filter("settb", ("expr", TimeBase)), Filter("setpts", ("expr", "N"))];

    private string OnFrameGrid(string stream) => graph.Chain(stream, FrameGrid);

    /// <summary>A transition that moves the whole outgoing picture over the incoming one: an overlay at full size.</summary>
    private string Slide(string outgoing, string incoming, LayerTransition overlap, string y)
    {
        var (a, b) = (OnFrameGrid(outgoing), OnFrameGrid(incoming));
        var at = y.Replace(TransitionCatalog.OverlayDuration, Number(overlap.Frames / (double)Fps), StringComparison.Ordinal);
        return graph.Chain([b, a], [Filter("overlay", ("x", 0), ("y", at), ("eval", "frame"))]);
    }

    /// <summary>
    /// A mask transition: its expression draws the weight of the incoming picture on a small grey copy
    /// (A black, B white), which is scaled to the frame and put in every plane; maskedmerge then blends the
    /// full-size pictures in their own format. The pictures stay sharp, and the expression, evaluated once
    /// per small pixel instead of per plane of every pixel, stays cheap.
    /// </summary>
    private string MaskBlend(string outgoing, string incoming, LayerTransition overlap, string expression, string pixelFormat)
    {
        var (w, h) = CustomTransitionSize();
        string Grey(int level) => graph.Source(Filter("color", ("c", "black"), ("s", $"{w}x{h}"), ("r", Fps)), "format=gray",
            Filter("lut", ("c0", level)), Filter("trim", ("end_frame", overlap.Frames)));
        var mask = graph.Chain([Grey(0), Grey(255)], [
            Filter("xfade", ("transition", "custom"), ("duration", overlap.Frames / (double)Fps), ("offset", 0), ("expr", expression)),
            Filter("mergeplanes", ("mapping", "0x00000000"), ("format", pixelFormat.StartsWith("yuva", StringComparison.Ordinal) ? "yuva444p" : "yuv444p")),
            Filter("scale", ("w", _out.Width), ("h", _out.Height)), $"format={pixelFormat}",
            .. FrameGrid]);
        var (a, b) = (OnFrameGrid(outgoing), OnFrameGrid(incoming));
        return graph.Chain([a, b, mask], [Filter("maskedmerge")]);
    }

    /// <summary>One clip's picture for its visible frames: exactly FrameCount frames, pts 0..n-1 in 1/fps.</summary>
    private string Layer(VideoLayer layer, LayerGeometry geometry, bool padToCanvas, string pixelFormat)
    {
        var (from, to) = Clip(layer);
        var frames = to - from;
        var path = localPaths[layer.Clip.MediaUrl];
        var still = layer.Clip.Type != VideoClipType.Video || layer.Media.IsStill;
        string stream;
        if (layer.AnimationFrames is { } animationFrames)
        {
            // An animated image: its first frames fitted once, then looped (AnimationLoop).
            var input = graph.AddInput(MediaInput.Arguments(path));
            var picture = Picture(Matted(layer, graph.Chain($"{input}:v", AnimationLoop.FirstFrames(animationFrames)), from), geometry, layer);
            stream = graph.Chain(picture, AnimationLoop.Played(animationFrames, Fps, from - layer.StartFrame));
        }
        else if (still)
        {
            // Declared at the output rate (image inputs say 25 fps): xfade requires both sides at the same rate.
            var input = graph.AddInput(MediaInput.Arguments(path, frameRate: Fps));
            var loop = Filter("loop", ("loop", frames - 1), ("size", 1), ("start", 0));
            if (layer.Clip.Effects.Matting is PersonMatte)
            {
                // The matte may change from frame to frame: repeat the picture first, then cut out each frame.
                var repeated = graph.Chain($"{input}:v", [loop, .. FrameGrid]);
                stream = Picture(Matted(layer, repeated, from), geometry, layer);
            }
            else
            {
                stream = Picture(Matted(layer, $"{input}:v", from), geometry, layer);
                stream = graph.Chain(stream, loop);
            }
        }
        else
        {
            var source = Retimed(path, layer.SourceStart, layer.Speed, from - layer.StartFrame);
            stream = Picture(Matted(layer, source, from), geometry, layer);
            // A source shorter than its slot holds its last frame.
            stream = graph.Chain(stream, Filter("tpad", ("stop_mode", "clone"), ("stop_duration", frames / (double)Fps)));
        }
        stream = KenBurnsZoom(stream, layer, geometry, from);
        var tail = new List<string> { Filter("trim", ("end_frame", frames)) };
        if (padToCanvas && !geometry.Box.Covers(_out.Width, _out.Height))
        {
            if (!OnBlack(layer)) tail.Add("format=yuva420p");
            tail.Add(Filter("pad", ("w", _out.Width), ("h", _out.Height), ("x", geometry.Box.X), ("y", geometry.Box.Y), ("color", OnBlack(layer) ? "black" : "black@0")));
        }
        if (layer.Clip.Opacity < 1)
        {
            // IMS Opacity scales the layer's alpha; the overlay then blends it over the layers below.
            tail.Add("format=yuva420p");
            tail.Add(Filter("lut", ("a", $"val*{Number(layer.Clip.Opacity)}")));
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
    private string Picture(string input, LayerGeometry g, VideoLayer layer)
    {
        var (media, background) = (layer.Media, layer.Clip.Effects.Background);
        input = Unwatermarked(input, layer);
        var pre = new List<string>();
        if (g.Crop is { } c) pre.Add(Filter("crop", ("w", c.Width), ("h", c.Height), ("x", c.X), ("y", c.Y)));
        if (layer.Clip.Effects.Flip is { } flip) pre.Add(flip.Horizontal ? "hflip" : "vflip");
        var (bw, bh) = (g.Box.Width, g.Box.Height);
        switch (g.Mode)
        {
            case AdaptMode.Fill:
                return graph.Chain(input, [.. pre, Filter("scale", ("w", bw), ("h", bh)), "setsar=1"]);
            case AdaptMode.Cover when CoverCrop(g, media) is { } visible:
                // Cut the part that shows before scaling: scaling the whole picture up and then cutting
                // away most of it (a 16:9 source on a 9:16 frame loses two thirds) costs three times the work.
                return graph.Chain(input, [.. pre,
                    Filter("crop", ("w", visible.Width), ("h", visible.Height), ("x", visible.X), ("y", visible.Y)),
                    Filter("scale", ("w", bw), ("h", bh)), "setsar=1"]);
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
                if (OnBlack(layer))
                    return graph.Chain(input, [.. pre, content, "setsar=1", Filter("pad", ("w", bw), ("h", bh), ("x", x), ("y", y), ("color", "black"))]);
                return graph.Chain(input, [.. pre, content, "setsar=1", "format=yuva420p",
                    Filter("pad", ("w", bw), ("h", bh), ("x", x), ("y", y), ("color", "black@0"))]);
        }
    }

    /// <summary>
    /// IMS DeWatermark: each region of the source picture (relative/pixel rule against the source size) is
    /// replaced by a strong box blur of itself, so a logo there can no longer be read.
    /// </summary>
    private string Unwatermarked(string input, VideoLayer layer)
    {
        var regions = layer.Clip.Effects.BlurredRegions;
        if (regions.Count == 0) return input;
        var (mw, mh) = (Math.Max(8, layer.Media.Width), Math.Max(8, layer.Media.Height));
        var copies = graph.Split(input, regions.Count + 1);
        var picture = copies[0];
        for (var i = 0; i < regions.Count; i++)
        {
            var r = regions[i];
            var x = Math.Clamp(EvenPixels.Down(r.X.ToPixels(mw)), 0, mw - 8);
            var y = Math.Clamp(EvenPixels.Down(r.Y.ToPixels(mh)), 0, mh - 8);
            var w = Math.Clamp(EvenPixels.Down(r.Width.ToPixels(mw)), 8, mw - x);
            var h = Math.Clamp(EvenPixels.Down(r.Height.ToPixels(mh)), 8, mh - y);
            var radius = Math.Max(2, Math.Min(w, h) / 4);
            var blurred = graph.Chain(copies[i + 1], Filter("crop", ("w", w), ("h", h), ("x", x), ("y", y)),
                Filter("boxblur", ("luma_radius", radius), ("luma_power", 3), ("chroma_radius", Math.Max(1, radius / 2)), ("chroma_power", 3)));
            picture = graph.Chain([picture, blurred], [Filter("overlay", ("x", x), ("y", y))]);
        }
        return picture;
    }

    /// <summary>
    /// KenBurns: a zoom about the centre of the clip's box from 1x to the effect's zoom over the clip's span
    /// (or back). The zoom of a frame depends on its place in the clip, not in the window, so segments agree.
    /// </summary>
    private string KenBurnsZoom(string stream, VideoLayer layer, LayerGeometry geometry, long from)
    {
        if (layer.Clip.Effects.KenBurns is not { } kenBurns) return stream;
        var progress = $"(on+{from - layer.StartFrame})/{Math.Max(1, layer.FrameCount - 1)}";
        var zoom = kenBurns.ZoomOut ? $"{Number(kenBurns.MaxZoom)}-{Number(kenBurns.MaxZoom - 1)}*{progress}" : $"1+{Number(kenBurns.MaxZoom - 1)}*{progress}";
        return graph.Chain(stream, Filter("zoompan", ("z", zoom), ("x", "iw/2-(iw/zoom/2)"), ("y", "ih/2-(ih/zoom/2)"), ("d", 1),
            ("s", $"{geometry.Box.Width}x{geometry.Box.Height}"), ("fps", Fps)));
    }

    /// <summary>
    /// The centred part of the (cropped) source that a Cover fit shows, in source pixels and even, so
    /// that cropping it and scaling it to the box draws what scaling the whole picture and cutting the
    /// box out of its centre would. Null when the source size is unknown.
    /// </summary>
    internal static SourceCrop? CoverCrop(LayerGeometry g, MediaFacts media)
    {
        // Relative to the picture after the user's crop, which is applied before this one.
        var (sw, sh) = g.Crop is { } c ? (c.Width, c.Height) : (media.Width, media.Height);
        if (sw < 2 || sh < 2) return null;
        var scale = Math.Max(g.Box.Width / (double)sw, g.Box.Height / (double)sh);
        var (vw, vh) = (Math.Clamp(EvenPixels.Nearest(g.Box.Width / scale), 2, EvenPixels.Down(sw)), Math.Clamp(EvenPixels.Nearest(g.Box.Height / scale), 2, EvenPixels.Down(sh)));
        return new SourceCrop(EvenPixels.Down((sw - vw) / 2.0), EvenPixels.Down((sh - vh) / 2.0), vw, vh);
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

    /// <summary>At most this many pixels are blended by a custom transition expression.</summary>
    internal const int CustomTransitionPixels = 256 * 144;

    /// <summary>The output size scaled down (aspect kept, even sides) to at most <see cref="CustomTransitionPixels"/>.</summary>
    private (int Width, int Height) CustomTransitionSize()
    {
        var scale = Math.Min(1, Math.Sqrt(CustomTransitionPixels / ((double)_out.Width * _out.Height)));
        return (Math.Max(2, EvenPixels.Down(_out.Width * scale)), Math.Max(2, EvenPixels.Down(_out.Height * scale)));
    }
}
