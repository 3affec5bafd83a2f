using RenderFarm.Core.Planning;
using RenderFarm.Core.Timelines;
using System.Text;
using static RenderFarm.Media.Subtitles.AssFormat;

namespace RenderFarm.Media.Subtitles;

/// <summary>What the motion tags of a text depend on: its anchor, the frame, its font size and the alphas it settles at.</summary>
internal sealed record MotionScene(AssPoint Anchor, OutputFormat Output, double FontSize, string VisibleAlphas, double Spacing = 0, double Angle = 0);

/// <summary>One Dialogue line of a text: its bounds in centiseconds and its position and animation tags.</summary>
internal sealed record AssEventPart(long Start, long End, string Tags);

/// <summary>
/// IMS entry/exit motions (TextMotionCatalog) as ASS tags. Times in tags are milliseconds from the event start;
/// exits run over the last OutSeconds. Scaling happens about the anchor point. Slides move by a whole frame
/// width or height, so a text that fits the frame starts or ends fully outside it. As everywhere in ASS, \blur
/// softens only the outline of a text that has one.
/// A loop (TextMotion.Loop) plays from the end of the entry to the start of the exit: ASS cannot repeat a \t, so
/// each period is written out, and the loop is cut into events of at most <see cref="PeriodsPerEvent"/> periods
/// to keep every event's tag list short; the entry and the exit then play in events of their own.
/// </summary>
internal static class AssMotion
{
    private const int Blur = 20;

    internal const int PeriodsPerEvent = 16;

    /// <summary>The shortest loop period (ms) whatever the Ratio: quicker ones would flicker at common frame rates.</summary>
    internal const int MinPeriodMs = 100;

    // Fades animate the alpha tags instead of using \fad: libass does not fade the BorderStyle 4 box with \fad.
    private const string Transparent = @"\1a&HFF&\3a&HFF&\4a&HFF&";

    public static IEnumerable<AssEventPart> Parts(TextMotion motion, long start, long end, MotionScene scene) =>
        motion.Loop is { } loop && Loop(loop, scene) is { } cycle
            ? Looped(motion, cycle, start, end, scene)
            : Unlooped(motion, start, end, scene);

    private static IEnumerable<AssEventPart> Unlooped(TextMotion motion, long start, long end, MotionScene scene)
    {
        var duration = (int)(end - start) * 10;
        var (inMs, outMs) = Durations(motion, duration);
        var entry = motion.In is { } inName ? In(inName, inMs, scene) : Animation.None;
        var exit = motion.Out is { } outName ? Out(outName, outMs, duration, scene) : Animation.None;
        if (entry.Move is null || exit.Move is null)
        {
            yield return new(start, end, Position(entry.Move ?? exit.Move, scene) + entry.Tags + exit.Tags);
            yield break;
        }
        // An event takes one \move: the entry plays in an event of its own and the exit in the rest.
        var split = start + (inMs + 9) / 10;
        yield return new(start, split, entry.Move + entry.Tags);
        if (split >= end) yield break;
        var rest = (int)(end - split) * 10;
        exit = Out(motion.Out!, Math.Min(outMs, rest), rest, scene);
        yield return new(split, end, exit.Move + exit.Tags);
    }

    private static IEnumerable<AssEventPart> Looped(TextMotion motion, Cycle cycle, long start, long end, MotionScene scene)
    {
        var (inMs, outMs) = Durations(motion, (int)(end - start) * 10);
        var loopStart = start + (inMs + 9) / 10;
        var loopEnd = Math.Max(loopStart, end - (outMs + 9) / 10);
        if (motion.In is { } inName && loopStart > start)
        {
            var entry = In(inName, inMs, scene);
            yield return new(start, loopStart, Position(entry.Move, scene) + entry.Tags);
        }
        var periodMs = Math.Max(MinPeriodMs, (int)Math.Round(cycle.PeriodMs / motion.LoopSpeed));
        var chunk = Math.Max(1, (long)periodMs * PeriodsPerEvent / 10);
        for (var from = loopStart; from < loopEnd; from += chunk)
        {
            var to = Math.Min(loopEnd, from + chunk);
            yield return new(from, to, Position(null, scene) + LoopTags(cycle, periodMs, (int)(to - from) * 10));
        }
        if (motion.Out is { } outName && loopEnd < end)
        {
            var rest = (int)(end - loopEnd) * 10;
            var exit = Out(outName, Math.Min(outMs, rest), rest, scene);
            yield return new(loopEnd, end, Position(exit.Move, scene) + exit.Tags);
        }
    }

    /// <summary>
    /// The loop's keyframes period after period over <paramref name="ms"/>; a period cut short by the end
    /// goes back to the rest look there, so what follows (an exit) starts from it.
    /// </summary>
    internal static string LoopTags(Cycle cycle, int periodMs, int ms)
    {
        var tags = new StringBuilder();
        for (var period = 0; period * periodMs < ms; period++)
        {
            var previous = period * periodMs;
            foreach (var (fraction, keyTags) in cycle.Keys)
            {
                if (previous >= ms) break;
                var at = period * periodMs + (int)Math.Round(fraction * periodMs);
                tags.Append(at > ms ? T(previous, ms, cycle.Rest) : T(previous, at, keyTags));
                previous = at;
            }
        }
        return tags.ToString();
    }

    /// <summary>The loop's period at Ratio 1 and its keyframes; null for a loop that draws nothing (normal_display).</summary>
    private static Cycle? Loop(string name, MotionScene scene)
    {
        var angle = scene.Angle;
        return name switch
        {
            "normal_display" => null,
            // Two beats, a strong and a weak one, then rest until the next period.
            "heartbeat_display" => new(1000, [(0.15, Scale(120)), (0.3, Scale(100)), (0.45, Scale(112)), (0.6, Scale(100))], Scale(100)),
            // A wiper: swings 15 degrees one way, through to the other, and back.
            "rainbrush_display" => new(1200, [(0.25, Rotate(angle + 15)), (0.75, Rotate(angle - 15)), (1.0, Rotate(angle))], Rotate(angle)),
            _ => throw new NotSupportedException($"text loop '{name}' has no ASS rendering"),
        };
    }

    /// <summary>The entry and exit durations in ms, shortened in proportion when together they outlast the event.</summary>
    private static (int In, int Out) Durations(TextMotion motion, int duration)
    {
        var inMs = motion.In is null ? 0 : (int)Math.Round(motion.InSeconds * 1000);
        var outMs = motion.Out is null ? 0 : (int)Math.Round(motion.OutSeconds * 1000);
        var total = inMs + outMs;
        if (total <= duration) return (inMs, outMs);
        inMs = (int)((long)inMs * duration / total);
        return (inMs, motion.Out is null ? 0 : duration - inMs);
    }

    private static Animation In(string name, int ms, MotionScene scene)
    {
        var anchor = scene.Anchor;
        var (width, height) = (scene.Output.Width, scene.Output.Height);
        var settle = ms * 7 / 10;
        return name switch
        {
            "fade_in" => new(FadeIn(ms, scene)),
            "blur_in" => new($@"\blur{Blur}" + T(0, ms, @"\blur0")),
            "zoom_in" => new(Scale(0) + T(0, ms, Scale(100))),
            // IMS "Zoom out" (zoomin_in) shrinks into place from twice the size; "Zoom in" (zoomout_in) grows from half, fading in.
            "zoomin_in" => new(Scale(200) + T(0, ms, Scale(100))),
            "elasticzoom_in" => new(Scale(0) + T(0, settle, Scale(115)) + T(settle, ms, Scale(100))),
            "zoomout_in" => new(Transparent + Scale(50) + T(0, ms, scene.VisibleAlphas + Scale(100))),
            // Flies up from below the frame, then overshoots in size and springs back.
            "slingshot_in" => new(T(settle, (settle + ms) / 2, Scale(115)) + T((settle + ms) / 2, ms, Scale(100)),
                Move(anchor.Offset(0, height), anchor, 0, settle)),
            "scroll_left_in" => new("", Move(anchor.Offset(width, 0), anchor, 0, ms)),
            "scroll_right_in" => new("", Move(anchor.Offset(-width, 0), anchor, 0, ms)),
            "rotateup_in" => new(@"\frx90" + T(0, ms, @"\frx0")),
            "open_in" => new(@"\fscx0" + T(0, ms, @"\fscx100")),
            // A whole-text approximation of the per-character wave: fade in while rising half a line.
            "wave_in" => new(FadeIn(ms, scene), Move(anchor.Offset(0, scene.FontSize / 2), anchor, 0, ms)),
            // Drops from two lines above and squashes as it lands.
            "heartjump_in" => new(T(ms / 2, ms * 3 / 4, @"\fscx115\fscy80") + T(ms * 3 / 4, ms, Scale(100)),
                Move(anchor.Offset(0, -2 * scene.FontSize), anchor, 0, ms / 2)),
            // Hops in from the upper left, tilted.
            "musicjump_in" => new(@"\frz-20" + T(0, ms, @"\frz0"), Move(anchor.Offset(-2 * scene.FontSize, -scene.FontSize), anchor, 0, ms)),
            "close_in" => new($@"\fsp{Number(scene.Spacing + scene.FontSize)}" + T(0, ms, $@"\fsp{Number(scene.Spacing)}")),
            "rotateflip_in" => new(@"\fry-180" + T(0, ms, @"\fry0")),
            "spring_in" => new(Scale(0) + T(0, ms / 2, Scale(125)) + T(ms / 2, ms * 3 / 4, Scale(90)) + T(ms * 3 / 4, ms, Scale(100))),
            "growth_in" => new(@"\fscy0" + T(0, ms, @"\fscy100")),
            "dissovle_in" => new(Transparent + @"\blur8" + T(0, ms, scene.VisibleAlphas + @"\blur0")),
            "zoomslightout_in" => new(Transparent + Scale(115) + T(0, ms, scene.VisibleAlphas + Scale(100))),
            "angular_in" => new(@"\frz90" + T(0, ms, @"\frz0")),
            "rotate1_in" => new(@"\frz360" + Scale(0) + T(0, ms, @"\frz0" + Scale(100))),
            "rotate2_in" => new(@"\fry360" + T(0, ms, @"\fry0")),
            // Typewriters: a clip edge uncovers the text (the whole frame's width or height over the entry).
            "typewriter1_in" => new(Reveal(ms, scene, across: true)),
            "typewriter2_in" => new(Reveal(ms, scene, across: true) + FadeIn(ms, scene)),
            "typewriter3_in" => new(Reveal(ms, scene, across: false)),
            "brokentypewriter_in" => new(Reveal(ms, scene, across: true) + @"\frz-8" + T(0, ms, @"\frz0") + Flicker(ms, scene)),
            "slide_left_in" => new(FadeIn(ms, scene), Move(anchor.Offset(2 * scene.FontSize, 0), anchor, 0, ms)),
            "slide_right_in" => new(FadeIn(ms, scene), Move(anchor.Offset(-2 * scene.FontSize, 0), anchor, 0, ms)),
            "slide_down_in" => new(FadeIn(ms, scene), Move(anchor.Offset(0, -2 * scene.FontSize), anchor, 0, ms)),
            "slide_up_in" => new(FadeIn(ms, scene), Move(anchor.Offset(0, 2 * scene.FontSize), anchor, 0, ms)),
            _ => throw new NotSupportedException($"text motion '{name}' has no ASS rendering"),
        };
    }

    /// <summary>Exits mirror the entries of the same name over the last <paramref name="ms"/> of the event.</summary>
    private static Animation Out(string name, int ms, int duration, MotionScene scene)
    {
        var anchor = scene.Anchor;
        var (width, height) = (scene.Output.Width, scene.Output.Height);
        var from = duration - ms;
        return name switch
        {
            "fade_out" => new(T(from, duration, Transparent)),
            "blur_out" => new(T(from, duration, $@"\blur{Blur}")),
            "zoom_out" => new(T(from, duration, Scale(0))),
            "zoomin_out" => new(T(from, duration, Transparent + Scale(50))),
            "zoomout_out" => new(T(from, duration, Scale(200))),
            "scroll_left_out" => new("", Move(anchor, anchor.Offset(-width, 0), from, duration)),
            "scroll_right_out" => new("", Move(anchor, anchor.Offset(width, 0), from, duration)),
            "slide_down_out" => new("", Move(anchor, anchor.Offset(0, height), from, duration)),
            "dissolve_out" => new(T(from, duration, Transparent + @"\blur8")),
            _ => throw new NotSupportedException($"text motion '{name}' has no ASS rendering"),
        };
    }

    private static string FadeIn(int ms, MotionScene scene) => Transparent + T(0, ms, scene.VisibleAlphas);

    /// <summary>A rectangular clip growing from the left edge (or the top) to the whole frame over <paramref name="ms"/>.</summary>
    private static string Reveal(int ms, MotionScene scene, bool across)
    {
        var (w, h) = (scene.Output.Width, scene.Output.Height);
        return (across ? $@"\clip(0,0,0,{h})" : $@"\clip(0,0,{w},0)") + T(0, ms, $@"\clip(0,0,{w},{h})");
    }

    /// <summary>Blinks off and on twice during the entry, like a failing print head.</summary>
    private static string Flicker(int ms, MotionScene scene) =>
        T(ms / 5, ms / 5 + 1, Transparent) + T(ms * 3 / 10, ms * 3 / 10 + 1, scene.VisibleAlphas)
        + T(ms * 3 / 5, ms * 3 / 5 + 1, Transparent) + T(ms * 7 / 10, ms * 7 / 10 + 1, scene.VisibleAlphas);

    private static string Position(string? move, MotionScene scene) =>
        move ?? $@"\pos({Number(scene.Anchor.X)},{Number(scene.Anchor.Y)})";

    private static string Move(AssPoint from, AssPoint to, int startMs, int endMs) =>
        $@"\move({Number(from.X)},{Number(from.Y)},{Number(to.X)},{Number(to.Y)},{startMs},{endMs})";

    private static string Scale(int percent) => $@"\fscx{percent}\fscy{percent}";

    private static string Rotate(double degrees) => $@"\frz{Number(degrees)}";

    private static string T(int startMs, int endMs, string tags) => $@"\t({startMs},{endMs},{tags})";

    /// <summary>A loop: its period (ms) at Ratio 1, its keyframes (fraction of the period, tags reached there) and its rest look.</summary>
    internal sealed record Cycle(int PeriodMs, IReadOnlyList<(double Fraction, string Tags)> Keys, string Rest);

    /// <summary>Animation tags, and the \move replacing \pos when the motion travels.</summary>
    private sealed record Animation(string Tags, string? Move = null)
    {
        public static readonly Animation None = new("");
    }
}
