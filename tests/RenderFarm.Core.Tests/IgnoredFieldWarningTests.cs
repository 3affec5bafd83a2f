using FluentAssertions;
using RenderFarm.Core.Jobs;
using RenderFarm.Core.Json;
using RenderFarm.Core.Planning;
using RenderFarm.Core.Timelines;
using Xunit;
using static RenderFarm.Core.Tests.TestTimelines;

namespace RenderFarm.Core.Tests;

/// <summary>
/// A field that is read but has no effect is reported with its JSON path, never dropped silently:
/// the user sees "warning: PATH: reason" and knows the render differs from what the request says.
/// </summary>
public sealed class IgnoredFieldWarningTests
{
    private const string OneClip = """{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4"}]}]}""";

    private static readonly Dictionary<string, MediaFacts> Media = new()
    {
        ["a.mp4"] = Video(4),
        ["pic.png"] = Still(),
        ["music.mp3"] = Sound(3),
        ["anim.gif"] = Video(1, 64, 64, audio: false), // an animated GIF probes as a short video
    };

    private static IReadOnlyList<string> Warnings(string timelineJson) =>
        Parse(timelineJson).Warnings.Select(w => w.ToString()).ToList();

    [Theory]
    [InlineData("EditingProduceConfig", """{"AutoRegisterInputVodMedia":true}""")]
    [InlineData("MediaMetadata", """{"Title":"x"}""")]
    [InlineData("ProjectMetadata", """{"Description":"x"}""")]
    [InlineData("OutputMediaTarget", "\"oss-object\"")]
    [InlineData("Source", "\"OPENAPI\"")]
    public void Job_fields_without_meaning_for_a_local_farm_are_reported(string field, string value)
    {
        var request = ProducingJobRequest.Parse($$"""{"Timeline":{{OneClip}},"{{field}}":{{value}}}""");

        request.Warnings.Select(w => w.ToString()).Should().ContainSingle()
            .Which.Should().Be($"{field}: has no meaning for a self-hosted farm and was ignored");
    }

    [Fact]
    public void A_null_job_field_is_not_reported()
    {
        ProducingJobRequest.Parse($$"""{"Timeline":{{OneClip}},"Source":null}""").Warnings.Should().BeEmpty();
    }

    [Theory]
    [InlineData("Image")]
    [InlineData("GlobalImage")]
    public void Speed_on_an_image_is_reported(string type)
    {
        var warnings = Warnings($$"""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"pic.png","Type":"{{type}}","Duration":2,"Speed":2}]}]}""");

        warnings.Should().ContainSingle().Which.Should().Be("VideoTracks[0].VideoTrackClips[0].Speed: an image has no playback speed; Speed was ignored");
    }

    [Fact]
    public void Honoured_track_modes_MaxOut_Opacity_and_ImageTrack_fields_are_not_reported_one_by_one()
    {
        var warnings = Warnings("""
            {"VideoTracks":[{"TrackShortenMode":"AutoSpeed","TrackExpandMode":"AutoSpeed","VideoTrackClips":[{"MediaURL":"a.mp4","MaxOut":2,"Opacity":0.5}]}],
             "AudioTracks":[{"MainTrack":true,"TrackShortenMode":"AutoSpeed","AudioTrackClips":[{"MediaURL":"music.mp3","MaxOut":2}]}],
             "ImageTracks":[{"ImageTrackClips":[{"MediaURL":"pic.png","ImageId":"0123","X":0.1,"Y":0.1,"Width":0.2,"Height":0.2}]}]}
            """);

        warnings.Should().ContainSingle("only the deprecated ImageTracks as a whole is reported")
            .Which.Should().StartWith("ImageTracks: image tracks are deprecated in IMS");
    }

    [Theory]
    [InlineData("Image", "\"Duration\":2,")]
    [InlineData("GlobalImage", "")]
    public void DyncFrames_on_an_animated_image_is_honoured_without_a_warning(string type, string duration)
    {
        var diagnostics = new Diagnostics();
        var json = $$"""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4"}]},{"VideoTrackClips":[{"MediaURL":"anim.gif","Type":"{{type}}",{{duration}}"DyncFrames":8}]}]}""";
        var schedule = Schedule(json, Media, diagnostics: diagnostics);

        Parse(json).Warnings.Should().BeEmpty();
        diagnostics.Warnings.Should().BeEmpty();
        schedule.Layers.Single(l => l.Clip.MediaUrl == "anim.gif").AnimationFrames.Should().Be(8);
        schedule.Layers.Single(l => l.Clip.MediaUrl == "a.mp4").AnimationFrames.Should().BeNull();
    }

    [Fact]
    public void An_image_without_DyncFrames_stays_a_still()
    {
        Schedule("""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"anim.gif","Type":"Image","Duration":2}]}]}""", Media)
            .Layers.Single().AnimationFrames.Should().BeNull("without DyncFrames IMS draws an image's first frame");
    }

    [Fact]
    public void DyncFrames_on_a_still_file_is_reported_when_the_file_is_probed_and_the_picture_stays_a_still()
    {
        const string json = """{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"pic.png","Type":"Image","Duration":2,"DyncFrames":8}]}]}""";
        var diagnostics = new Diagnostics();
        var schedule = Schedule(json, Media, diagnostics: diagnostics);

        Parse(json).Warnings.Should().BeEmpty("only the probe knows a file has one frame");
        schedule.Layers.Single().AnimationFrames.Should().BeNull();
        diagnostics.Warnings.Select(w => w.ToString()).Should().ContainSingle().Which.Should().Be(
            "VideoTracks[0].VideoTrackClips[0].DyncFrames: the file is a still picture (one frame), not an animated image; it is drawn as a still");
    }

    [Theory]
    [InlineData("""{"MediaURL":"a.mp4","DyncFrames":8}""", "applies to Image clips (animated images); a Video clip plays all its frames, so DyncFrames was ignored")]
    [InlineData("""{"MediaURL":"anim.gif","Type":"Image","Duration":2,"DyncFrames":8,"Effects":[{"Type":"AI_RealMatting"}]}""",
        "an AI_RealMatting image is matted as a still picture (its first frame); DyncFrames was ignored")]
    [InlineData("""{"MediaURL":"anim.gif","Type":"Image","Duration":2,"DyncFrames":500}""", "at most 200 frames of an animated image are looped; its first 200 are shown")]
    public void DyncFrames_that_cannot_be_honoured_in_full_is_reported(string clip, string reason)
    {
        var parsed = Parse($$"""{"VideoTracks":[{"VideoTrackClips":[{{clip}}]}]}""");

        parsed.Warnings.Select(w => w.ToString()).Should().ContainSingle().Which.Should().Be($"VideoTracks[0].VideoTrackClips[0].DyncFrames: {reason}");
        parsed.Timeline.VideoTracks[0].Clips[0].DyncFrames.Should().Be(clip.Contains("500") ? AnimatedImages.MaxLoopFrames : null);
    }

    [Theory]
    [InlineData("-1", "must be between 0 and 10000 (got -1)")]
    [InlineData("10001", "must be between 0 and 10000 (got 10001)")]
    [InlineData("2.5", "must be a whole number (got 2.5)")]
    public void A_DyncFrames_out_of_range_is_an_error_naming_the_field(string value, string reason)
    {
        var error = ParseError($$"""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"anim.gif","Type":"Image","Duration":2,"DyncFrames":{{value}}}]}]}""");

        error.Path.Should().Be("VideoTracks[0].VideoTrackClips[0].DyncFrames");
        error.Message.Should().Contain(reason);
    }

    [Fact]
    public void Speed_on_a_video_is_not_reported()
    {
        Warnings("""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4","Speed":2}]}]}""").Should().BeEmpty();
    }

    [Fact]
    public void Duration_on_an_audio_clip_is_reported()
    {
        var warnings = Warnings("""{"AudioTracks":[{"AudioTrackClips":[{"MediaURL":"music.mp3","Duration":2}]}]}""");

        warnings.Should().ContainSingle().Which.Should().Be("AudioTracks[0].AudioTrackClips[0].Duration: an audio clip's length comes from In/Out (IMS); Duration was ignored");
    }

    [Fact]
    public void Duration_on_a_video_clip_is_reported_and_does_not_change_its_length()
    {
        var diagnostics = new Diagnostics();
        var schedule = Schedule("""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4","Duration":1}]}]}""", Media, diagnostics: diagnostics);

        schedule.TotalFrames.Should().Be(100, "the 4 s video plays whole: In/Out decide a video clip's length");
        diagnostics.Warnings.Select(w => w.ToString()).Should().ContainSingle()
            .Which.Should().Be("VideoTracks[0].VideoTrackClips[0].Duration: a video clip's length comes from In/Out (IMS); Duration was ignored");
    }

    [Fact]
    public void Duration_on_an_image_is_used_without_a_warning()
    {
        var diagnostics = new Diagnostics();
        var schedule = Schedule("""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"pic.png","Type":"Image","Duration":2}]}]}""", Media, diagnostics: diagnostics);

        schedule.TotalFrames.Should().Be(50);
        diagnostics.Warnings.Should().BeEmpty();
    }

    [Theory]
    [InlineData("\"Width\":0.5", "Width")]
    [InlineData("\"Height\":0.5", "Height")]
    public void AdaptMode_with_only_one_side_is_reported(string side, string given)
    {
        var warnings = Warnings($$"""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4",{{side}},"AdaptMode":"Cover"}]}]}""");

        warnings.Should().ContainSingle().Which.Should().Be(
            $"VideoTracks[0].VideoTrackClips[0].AdaptMode: applies only when both Width and Height are given; with only {given} the other side follows the clip's aspect and 'Cover' was ignored");
    }

    [Theory]
    [InlineData("")]
    [InlineData("\"Width\":0.5,\"Height\":0.5,")]
    public void AdaptMode_with_both_sides_or_none_is_not_reported(string sides)
    {
        Warnings($$"""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4",{{sides}}"AdaptMode":"Cover"}]}]}""").Should().BeEmpty();
    }

    [Fact]
    public void A_second_transition_is_reported_and_the_first_is_used()
    {
        var parsed = Parse("""
            {"VideoTracks":[{"VideoTrackClips":[
              {"MediaURL":"a.mp4","Effects":[{"Type":"Transition","SubType":"fade","Duration":1},{"Type":"Transition","SubType":"wipeleft","Duration":2}]},
              {"MediaURL":"a.mp4"}]}]}
            """);

        var transition = parsed.Timeline.VideoTracks[0].Clips[0].Effects.Transition!;
        transition.Choices.Should().Equal("fade");
        transition.Duration.Should().Be(1);
        parsed.Warnings.Select(w => w.ToString()).Should().ContainSingle().Which.Should().Be(
            "VideoTracks[0].VideoTrackClips[0].Effects[1].Type: a clip takes one Transition effect; the first (VideoTracks[0].VideoTrackClips[0].Effects[0]) is used and this one was ignored");
    }

    [Fact]
    public void A_second_volume_is_reported_and_the_first_is_used()
    {
        var parsed = Parse("""
            {"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4","Effects":[{"Type":"Volume","Gain":0.5},{"Type":"Volume","Gain":2}]}]}],
             "AudioTracks":[{"AudioTrackClips":[{"MediaURL":"music.mp3","Effects":[{"Type":"Volume","Gain":0},{"Type":"Volume","Gain":1}]}]}]}
            """);

        parsed.Timeline.VideoTracks[0].Clips[0].Effects.Audio.Gain.Should().Be(0.5);
        parsed.Timeline.AudioTracks[0].Clips[0].Effects.Gain.Should().Be(0);
        parsed.Warnings.Select(w => w.ToString()).Should().Equal(
            "VideoTracks[0].VideoTrackClips[0].Effects[1].Type: a clip takes one Volume effect; the first (VideoTracks[0].VideoTrackClips[0].Effects[0]) is used and this one was ignored",
            "AudioTracks[0].AudioTrackClips[0].Effects[1].Type: a clip takes one Volume effect; the first (AudioTracks[0].AudioTrackClips[0].Effects[0]) is used and this one was ignored");
    }

    [Fact]
    public void A_fade_in_and_a_fade_out_on_one_clip_are_both_used()
    {
        var parsed = Parse("""
            {"AudioTracks":[{"AudioTrackClips":[{"MediaURL":"music.mp3","Effects":[{"Type":"AFade","SubType":"In","Duration":1},{"Type":"AFade","SubType":"Out","Duration":2}]}]}]}
            """);

        parsed.Warnings.Should().BeEmpty();
        parsed.Timeline.AudioTracks[0].Clips[0].Effects.Should().Be(new AudioEffects(1, 1, 2));
    }

    [Fact]
    public void An_invalid_second_effect_is_still_an_error()
    {
        var error = ParseError("""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4","Effects":[{"Type":"Volume","Gain":1},{"Type":"Volume","Gain":11}]}]}]}""");

        error.Path.Should().Be("VideoTracks[0].VideoTrackClips[0].Effects[1].Gain");
    }

    [Fact]
    public void Text_style_fields_banner_texts_and_subtitle_files_are_honoured_without_warnings()
    {
        const string style = """
            "EffectColorStyle":"CS0002-000003","BubbleStyleId":"BS0001-000001","FontUrl":"f.ttf","LineSpacing":8,"BorderStyle":3,
            "SubtitleEffects":[{"Type":"Outline","Bord":2,"Color":"#FF0000","Opacity":0.5},{"Type":"Shadow","XShadow":3,"YShadow":3,"Color":"#000000"}]
            """;
        var parsed = Parse($$"""
            {"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4","Effects":[{"Type":"Text","Content":"banner","X":0.1,"Y":0.1,"FontSize":30,"TimelineIn":1,"TimelineOut":2,{{style}}}]}]}],
             "SubtitleTracks":[{"SubtitleTrackClips":[{"Type":"Text","Content":"t",{{style}}},{"Type":"Subtitle","FileURL":"a.srt","TimelineIn":1,"TimelineOut":3,{{style}}}]}]}
            """);

        parsed.Warnings.Should().BeEmpty();
    }

    [Fact]
    public void A_text_effect_without_content_is_reported()
    {
        Warnings("""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4","Effects":[{"Type":"Text"}]}]}]}""").Should().ContainSingle()
            .Which.Should().Be("VideoTracks[0].VideoTrackClips[0].Effects[0].Type: an empty Text effect has nothing to draw and was ignored");
    }

    [Fact]
    public void A_known_loop_and_its_Ratio_are_honoured_without_warnings()
    {
        var parsed = Parse("""
            {"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4"}]}],
             "SubtitleTracks":[{"SubtitleTrackClips":[{"Type":"Text","Content":"t","AaiMotionLoopEffect":"heartbeat_display","Ratio":1.5}]}]}
            """);

        parsed.Warnings.Should().BeEmpty();
        var motion = parsed.Timeline.SubtitleTracks[0].Clips[0].Motion;
        (motion.Loop, motion.LoopSpeed).Should().Be(("heartbeat_display", 1.5));
    }

    [Fact]
    public void An_exit_or_loop_beyond_the_known_ones_is_warned_and_the_text_still_renders()
    {
        // The IMS page's exit and loop lists could not be read in full: a name beyond ours must not fail the job.
        var parsed = Parse("""
            {"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4"}]}],
             "SubtitleTracks":[{"SubtitleTrackClips":[{"Type":"Text","Content":"t","AaiMotionLoopEffect":"spin_display","AaiMotionOutEffect":"spin_out"}]}]}
            """);

        parsed.Warnings.Select(w => w.ToString()).Should().BeEquivalentTo(
            "SubtitleTracks[0].SubtitleTrackClips[0].AaiMotionOutEffect: 'spin_out' is not one RenderFarm draws ("
                + string.Join(", ", TextMotionCatalog.OutNames) + "); the text leaves without an exit motion",
            "SubtitleTracks[0].SubtitleTrackClips[0].AaiMotionLoopEffect: 'spin_display' is not one RenderFarm draws ("
                + string.Join(", ", TextMotionCatalog.LoopNames) + "); the text is shown without a loop");
        var motion = parsed.Timeline.SubtitleTracks[0].Clips[0].Motion;
        (motion.Out, motion.Loop).Should().Be(((string?)null, (string?)null));
    }
}
