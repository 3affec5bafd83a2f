using System.Globalization;

namespace RenderFarm.Benchmarks;

/// <summary>
/// The render benchmarks' reference timeline: 12 clips joined by transitions of 6 kinds (every fourth
/// clip a still image, the others video cut to their slot, Cover), 6 captions long enough to wrap,
/// looping background music with fades.
/// </summary>
internal static class ReferenceTimeline
{
    public const int Clips = 12;
    public const double Transition = 0.5;
    public static readonly string[] Transitions = ["fade", "wipeleft", "bounce_up", "circleopen", "displacement", "windowslice"];

    /// <summary>Seconds each clip lasts so that the timeline lasts <paramref name="seconds"/> (clips overlap by a transition).</summary>
    public static double ClipSeconds(double seconds) => (seconds + (Clips - 1) * Transition) / Clips;

    public static bool IsStill(int clip) => clip % 4 == 3;

    public static string Json(IReadOnlyList<string> sources, double clipSeconds, string music, int width, int height, int fps)
    {
        var clips = sources.Select((path, i) =>
        {
            var transition = $$"""{"Type":"Transition","SubType":"{{Transitions[i % Transitions.Length]}}","Duration":{{Num(Transition)}}}""";
            return IsStill(i)
                ? $$"""{"MediaURL":"{{path}}","Type":"Image","Duration":{{Num(clipSeconds)}},"Effects":[{{transition}}]}"""
                : $$"""{"MediaURL":"{{path}}","In":0,"Out":{{Num(clipSeconds)}},"AdaptMode":"Cover","Effects":[{{transition}},{"Type":"Volume","Gain":0}]}""";
        });
        var captions = Enumerable.Range(0, 6).Select(i =>
            $$"""{"Type":"Text","Content":"Caption {{i + 1}}: a longer line that the farm wraps to fit the frame 渲染","TimelineIn":{{i * 10 + 1}},"TimelineOut":{{i * 10 + 9}},"Alignment":"BottomCenter","Y":0.1,"FontSize":64,"FontColor":"#FFFFFF","Outline":3,"OutlineColour":"#000000","AaiMotionInEffect":"fade_in"}""");
        return $$"""
            {"Timeline":{"VideoTracks":[{"VideoTrackClips":[{{string.Join(",", clips)}}]}],
             "AudioTracks":[{"AudioTrackClips":[{"MediaURL":"{{music}}","LoopMode":true,"Effects":[{"Type":"Volume","Gain":0.5},{"Type":"AFade","SubType":"In","Duration":1},{"Type":"AFade","SubType":"Out","Duration":2}]}]}],
             "SubtitleTracks":[{"SubtitleTrackClips":[{{string.Join(",", captions)}}]}]},
             "OutputMediaConfig":{"Width":{{width}},"Height":{{height}},"Fps":{{fps}}} }
            """;
    }

    public static string Num(double v) => v.ToString("0.######", CultureInfo.InvariantCulture);
}
