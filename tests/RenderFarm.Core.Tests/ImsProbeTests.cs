using FluentAssertions;
using RenderFarm.Core.Jobs;
using RenderFarm.Core.Timelines;
using Xunit;

namespace RenderFarm.Core.Tests;

/// <summary>
/// The IMS documentation probe as a test: one small timeline per documented name (transitions, VFX on a
/// clip and on an effect track, filters, text entrance, exit and loop motions, flower and bubble text) and per
/// timeline feature the documentation shows. Each must validate, and none may come back as "not
/// supported" or "ignored": an IMS user's request renders what it says.
/// </summary>
public sealed class ImsProbeTests
{
    private const string Clip = """{"MediaURL":"a.mp4"}""";

    /// <summary>Names seen on the IMS/VOD example pages themselves, independent of the catalogs.</summary>
    private static readonly string[] DocumentedEntrances =
    [
        "blur_in", "wave_in", "scroll_right_in", "scroll_left_in", "heartjump_in", "musicjump_in", "rotateup_in", "close_in",
        "slingshot_in", "rotateflip_in", "elasticzoom_in", "zoom_in", "spring_in", "fade_in", "growth_in", "open_in", "dissovle_in",
        "zoomslightout_in", "zoomin_in", "zoomout_in", "angular_in", "rotate1_in", "rotate2_in", "brokentypewriter_in",
        "typewriter1_in", "typewriter2_in", "typewriter3_in", "slide_left_in", "slide_right_in", "slide_down_in", "slide_up_in",
    ];

    private static readonly string[] DocumentedBasicVfx =
    [
        "open", "close", "h_blur", "v_blur", "blur", "slightshake", "zoominout", "movie", "zoomslight", "zoom", "withcircleopen",
        "withcircleclose", "withcircleshake", "withcircleflashlight", "disappear", "shock", "bluropen", "blurclose", "photograph",
        "black", "blurring", "color_to_grey", "grey_to_color", "slightrectshow", "slightshow", "wipecross", "whiteshow",
        "image_in_image", "color_difference", "colorfulradial",
    ];

    public static TheoryData<string, string> Probes()
    {
        var probes = new TheoryData<string, string>();
        void Add(string name, string timeline) => probes.Add(name, timeline);
        string OneClip(string effects) => $$"""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4","Effects":{{effects}}}]}]}""";
        string Text(string fields) =>
            $$"""{"VideoTracks":[{"VideoTrackClips":[{{Clip}}]}],"SubtitleTracks":[{"SubtitleTrackClips":[{"Type":"Text","Content":"Hello","TimelineIn":0,"TimelineOut":2{{fields}}}]}]}""";

        foreach (var name in TransitionCatalog.ImsNames.Append("random").Append("wiperight,perlin"))
            Add($"Transition {name}", $$"""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4","Effects":[{"Type":"Transition","SubType":"{{name}}","Duration":0.5}]},{{Clip}}]}]}""");
        foreach (var name in VfxCatalog.Names.Concat(DocumentedBasicVfx).Distinct().Append("random").Append("h_blur,v_blur"))
        {
            Add($"VFX {name} on a clip", OneClip($$"""[{"Type":"VFX","SubType":"{{name}}"}]"""));
            Add($"VFX {name} on an effect track", $$"""{"VideoTracks":[{"VideoTrackClips":[{{Clip}}]}],"EffectTracks":[{"EffectTrackItems":[{"Type":"VFX","SubType":"{{name}}","TimelineIn":0,"TimelineOut":1}]}]}""");
        }
        foreach (var name in FilterCatalog.Names.Where(n => n != "color"))
            Add($"Filter {name}", OneClip($$"""[{"Type":"Filter","SubType":"{{name}}"}]"""));
        Add("Filter ExtParams", OneClip("""[{"Type":"Filter","SubType":"m1","ExtParams":"brightness=10,contrast=5,saturation=-5,kelvin_temperature=5000,temperature_ratio=50,dark_corner_ratio=20"}]"""));
        foreach (var name in TextMotionCatalog.InNames.Concat(DocumentedEntrances).Distinct())
            Add($"AaiMotionInEffect {name}", Text($$""","AaiMotionInEffect":"{{name}}","AaiMotionIn":0.5"""));
        foreach (var name in TextMotionCatalog.OutNames)
            Add($"AaiMotionOutEffect {name}", Text($$""","AaiMotionOutEffect":"{{name}}","AaiMotionOut":0.5"""));
        foreach (var name in TextMotionCatalog.LoopNames)
            Add($"AaiMotionLoopEffect {name}", Text($$""","AaiMotionLoopEffect":"{{name}}","Ratio":1.2"""));
        foreach (var id in TextStyleCatalog.FlowerIds)
            Add($"EffectColorStyle {id}", Text($$""","EffectColorStyle":"{{id}}" """));
        foreach (var id in TextStyleCatalog.BubbleIds)
            Add($"BubbleStyleId {id}", Text($$""","BubbleStyleId":"{{id}}" """));

        // The timeline features the documentation shows (each one refused or ignored before issue 12).
        Add("TrackShortenMode AutoSpeed", """{"VideoTracks":[{"TrackShortenMode":"AutoSpeed","VideoTrackClips":[{"MediaURL":"a.mp4"}]}],"AudioTracks":[{"MainTrack":true,"AudioTrackClips":[{"MediaURL":"m.mp3"}]}]}""");
        Add("TrackExpandMode AutoSpeed", """{"VideoTracks":[{"TrackExpandMode":"AutoSpeed","VideoTrackClips":[{"MediaURL":"a.mp4"}]}],"AudioTracks":[{"MainTrack":true,"AudioTrackClips":[{"MediaURL":"m.mp3"}]}]}""");
        Add("MaxOut", """{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4","MaxOut":1.5}]}]}""");
        Add("Opacity", """{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4"}]},{"VideoTrackClips":[{"MediaURL":"b.png","Type":"Image","Duration":1,"Opacity":0.5}]}]}""");
        Add("DyncFrames", """{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4"}]},{"VideoTrackClips":[{"MediaURL":"s.gif","Type":"Image","Duration":5,"X":20,"Y":40,"Width":200,"Height":200,"DyncFrames":8}]}]}""");
        Add("ImageTracks", """{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4"}]}],"ImageTracks":[{"ImageTrackClips":[{"MediaURL":"b.png","TimelineIn":0,"TimelineOut":1}]}]}""");
        Add("Scale", OneClip("""[{"Type":"Scale","Width":0.5,"Height":0.5}]"""));
        Add("Pad", OneClip("""[{"Type":"Pad","Width":200,"Height":100,"Color":"#00FF00"}]"""));
        Add("Flip", OneClip("""[{"Type":"Flip","SubType":"Horizontal"}]"""));
        Add("KenBurns", OneClip("""[{"Type":"KenBurns","SubType":"ZoomIn"}]"""));
        Add("DeWatermark", OneClip("""[{"Type":"DeWatermark","SubType":"Delogo_Blur","X":0.7,"Y":0.05,"Width":100,"Height":50}]"""));
        Add("banner Text", OneClip("""[{"Type":"Text","Content":"Banner","FontSize":40,"X":0.1,"Y":0.1}]"""));
        Add("Subtitle file", """{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4"}]}],"SubtitleTracks":[{"SubtitleTrackClips":[{"Type":"Subtitle","FileURL":"c.srt"}]}]}""");
        Add("FontUrl, LineSpacing, BorderStyle", Text(""","FontUrl":"f.ttf","LineSpacing":10,"BorderStyle":3"""));
        Add("SubtitleEffects Outline and Shadow", Text(""","SubtitleEffects":[{"Type":"Outline","Bord":3,"Color":"#FF0000"},{"Type":"Shadow","XShadow":4,"YShadow":4,"Color":"#000000"}]"""));
        return probes;
    }

    [Theory]
    [MemberData(nameof(Probes))]
    public void Every_documented_name_and_feature_validates_without_being_refused_or_ignored(string probe, string timeline)
    {
        var request = ProducingJobRequest.Parse($$"""{"Timeline":{{timeline}},"OutputMediaConfig":{"MediaURL":"out.mp4"} }""");

        request.Warnings.Select(w => w.ToString())
            .Where(w => w.Contains("not supported") || w.Contains("ignored") || w.Contains("unknown"))
            .Should().BeEmpty($"{probe} is documented IMS and renders as asked");
    }

    [Fact]
    public void The_probe_covers_every_catalog()
    {
        var names = Probes().Select(row => row.Data.Item1).ToList();
        names.Should().HaveCountGreaterThan(TransitionCatalog.ImsNames.Count + 2 * VfxCatalog.Names.Length + FilterCatalog.Names.Length
            + TextMotionCatalog.InNames.Length + TextMotionCatalog.OutNames.Length + TextMotionCatalog.LoopNames.Length + TextStyleCatalog.FlowerIds.Length);
    }

    [Theory]
    [InlineData("output.mp4")]
    [InlineData("output.mov")]
    [InlineData("output.webm")]
    [InlineData("output.gif")]
    [InlineData("output.mp3")]
    [InlineData("output.m4a")]
    [InlineData("output.wav")]
    public void Every_documented_output_container_validates(string file)
    {
        var request = ProducingJobRequest.Parse($$"""{"Timeline":{"VideoTracks":[{"VideoTrackClips":[{{Clip}}]}]},"OutputMediaConfig":{"MediaURL":"{{file}}"} }""");
        request.Warnings.Should().BeEmpty();
    }
}
