using FluentAssertions;
using RenderFarm.Core.Jobs;
using RenderFarm.Core.Json;
using RenderFarm.Core.Timelines;
using Xunit;
using static RenderFarm.Core.Tests.TestTimelines;

namespace RenderFarm.Core.Tests;

/// <summary>
/// What a user sees when a request is read: one-line "JSON.Path: reason" errors, warnings for
/// everything not honoured, IMS leniency (case, numbers as strings) and the IMS limits.
/// </summary>
public sealed class JsonAndParserTests
{
    private const string OneClip = """{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4"}]}]}""";

    private static string Request(string timelineJson, string? outputJson = null, bool asStrings = false)
    {
        string Embed(string json) => asStrings ? System.Text.Json.JsonSerializer.Serialize(json) : json;
        var output = outputJson is null ? "" : $",\"OutputMediaConfig\":{Embed(outputJson)}";
        return $"{{\"Timeline\":{Embed(timelineJson)}{output}}}";
    }

    private static RequestException RequestError(string json)
    {
        var act = () => ProducingJobRequest.Parse(json);
        var error = act.Should().Throw<RequestException>().Which;
        ShouldBeOneLine(error);
        return error;
    }

    // ---- error format -------------------------------------------------------------------------

    [Fact]
    public void Out_not_after_In_names_the_clip_path_and_the_In_value()
    {
        var error = ParseError("""
            {"VideoTracks":[{"VideoTrackClips":[
              {"MediaURL":"a.mp4"},
              {"MediaURL":"b.mp4"},
              {"MediaURL":"c.mp4","In":4,"Out":2}]}]}
            """);

        error.Message.Should().Be("VideoTracks[0].VideoTrackClips[2].Out: must be greater than In (4.0)");
        error.Path.Should().Be("VideoTracks[0].VideoTrackClips[2].Out");
    }

    [Theory]
    // Numbers in messages use "0.0##": one to three decimals (whole numbers keep ".0"), '.' as separator.
    [InlineData("\"In\":1.23456,\"Out\":1", "(1.235)")]
    [InlineData("\"In\":2.5,\"Out\":2.5", "(2.5)")]
    [InlineData("\"In\":3,\"Out\":2", "(3.0)")]
    [InlineData("\"Out\":0", "(0.0)")]
    public void Numbers_in_messages_are_short_invariant_decimals(string timing, string expectedTail)
    {
        var error = ParseError($$"""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4",{{timing}}}]}]}""");

        error.Message.Should().Be($"VideoTracks[0].VideoTrackClips[0].Out: must be greater than In {expectedTail}");
    }

    [Fact]
    public void TimelineOut_not_after_TimelineIn_is_rejected_with_its_path()
    {
        var error = ParseError("""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4","TimelineIn":3,"TimelineOut":1}]}]}""");

        error.Message.Should().Be("VideoTracks[0].VideoTrackClips[0].TimelineOut: must be greater than TimelineIn (3.0)");
    }

    [Fact]
    public void Malformed_json_reports_line_and_column()
    {
        // The broken token is the '}' on line 3, right after "[ ".
        var json = "{\n  \"VideoTracks\": [\n    {\"VideoTrackClips\": [ }\n";
        var expectedColumn = "    {\"VideoTrackClips\": [ }".IndexOf('}') + 1;

        var error = ParseError(json);

        error.Message.Should().StartWith("malformed JSON at line 3, column ");
        error.Message.Should().MatchRegex(@"^malformed JSON at line 3, column \d+$");
        var column = int.Parse(error.Message[(error.Message.LastIndexOf(' ') + 1)..]);
        column.Should().BeInRange(expectedColumn - 1, expectedColumn + 1);
    }

    [Fact]
    public void A_clip_that_is_not_an_object_is_named_by_its_index()
    {
        var error = ParseError("""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4"}, 7]}]}""");

        error.Path.Should().Be("VideoTracks[0].VideoTrackClips[1]");
        error.Reason.Should().Contain("object").And.Contain("7");
    }

    [Fact]
    public void A_string_that_is_not_a_number_is_rejected_naming_the_field_and_the_value()
    {
        var error = ParseError("""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4","In":"abc"}]}]}""");

        error.Path.Should().Be("VideoTracks[0].VideoTrackClips[0].In");
        error.Reason.Should().Contain("number").And.Contain("abc");
    }

    // ---- IMS leniency ------------------------------------------------------------------------

    [Fact]
    public void Field_names_are_case_insensitive()
    {
        var parsed = Parse("""
            {"videotracks":[{"videotrackclips":[{"mediaurl":"pic.png","type":"image","duration":2,"x":0.25}]}],
             "AUDIOTRACKS":[{"audiotrackclips":[{"MEDIAURL":"m.mp3","timelinein":1}]}]}
            """);

        parsed.Warnings.Should().BeEmpty();
        var clip = parsed.Timeline.VideoTracks.Should().ContainSingle().Which.Clips.Should().ContainSingle().Which;
        clip.MediaUrl.Should().Be("pic.png");
        clip.Type.Should().Be(VideoClipType.Image);
        clip.Timing.Duration.Should().Be(2);
        clip.Placement.X.Should().Be(new Extent(0.25));
        var audio = parsed.Timeline.AudioTracks.Single().Clips.Single();
        audio.MediaUrl.Should().Be("m.mp3");
        audio.Timing.TimelineIn.Should().Be(1);
    }

    [Fact]
    public void Numbers_and_booleans_may_arrive_as_strings()
    {
        var parsed = Parse("""
            {"VideoTracks":[{"MainTrack":"true","VideoTrackClips":[
              {"MediaURL":"a.mp4","In":"0.5","Out":"2.25","Speed":"2","X":"0.5","Width":"0.5",
               "Effects":[{"Type":"Volume","Gain":"0.5"}]}]}]}
            """);

        parsed.Warnings.Should().BeEmpty();
        var track = parsed.Timeline.VideoTracks.Single();
        track.MainTrack.Should().BeTrue();
        var clip = track.Clips.Single();
        clip.Timing.In.Should().Be(0.5);
        clip.Timing.Out.Should().Be(2.25);
        clip.Timing.Speed.Should().Be(2);
        clip.Placement.X.Should().Be(new Extent(0.5));
        clip.Placement.Width.Should().Be(new Extent(0.5));
        clip.Effects.Audio.Gain.Should().Be(0.5);
    }

    [Fact]
    public void Enumerated_values_match_case_insensitively()
    {
        var clip = Parse("""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"p.png","Type":"IMAGE","Duration":1,"Width":1,"Height":1,"AdaptMode":"cover"}]}]}""")
            .Timeline.VideoTracks[0].Clips[0];

        clip.Type.Should().Be(VideoClipType.Image);
        clip.Placement.AdaptMode.Should().Be(AdaptMode.Cover);
    }

    // ---- unknown values list the supported ones ----------------------------------------------

    [Fact]
    public void Unknown_clip_type_lists_the_supported_types()
    {
        var error = ParseError("""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.gif","Type":"Gif"}]}]}""");

        error.Path.Should().Be("VideoTracks[0].VideoTrackClips[0].Type");
        error.Reason.Should().Contain("'Gif'");
        error.Reason.Should().ContainAll("Video", "Image", "GlobalImage");
    }

    [Fact]
    public void Unknown_effect_type_lists_the_supported_effects()
    {
        var error = ParseError("""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4","Effects":[{"Type":"Volume","Gain":1},{"Type":"Sparkle"}]}]}]}""");

        error.Path.Should().Be("VideoTracks[0].VideoTrackClips[0].Effects[1].Type");
        error.Reason.Should().Contain("'Sparkle'");
        error.Reason.Should().ContainAll("Volume", "Transition", "Background", "Crop", "AFade");
    }

    [Fact]
    public void Unknown_transition_lists_every_transition_name()
    {
        var error = ParseError("""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4","Effects":[{"Type":"Transition","SubType":"nope"}]},{"MediaURL":"b.mp4"}]}]}""");

        error.Path.Should().Be("VideoTracks[0].VideoTrackClips[0].Effects[0].SubType");
        error.Reason.Should().Contain("'nope'");
        error.Reason.Should().Contain("random");
        error.Reason.Should().ContainAll(TransitionCatalog.ImsNames);
    }

    [Fact]
    public void An_unknown_name_inside_a_transition_list_is_named()
    {
        var error = ParseError("""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4","Effects":[{"Type":"Transition","SubType":"fade, nope"}]},{"MediaURL":"b.mp4"}]}]}""");

        error.Path.Should().Be("VideoTracks[0].VideoTrackClips[0].Effects[0].SubType");
        error.Reason.Should().Contain("'nope'").And.NotContain("'fade, nope'");
    }

    [Fact]
    public void Unknown_effect_track_subtype_lists_the_supported_ones()
    {
        var error = ParseError($$"""
            {"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4"}]}],
             "EffectTracks":[{"EffectTrackItems":[{"Type":"VFX","SubType":"blur","TimelineIn":0,"TimelineOut":1},{"Type":"VFX","SubType":"sparkles"}]}]}
            """);

        error.Path.Should().Be("EffectTracks[0].EffectTrackItems[1].SubType");
        error.Reason.Should().Contain("'sparkles'");
        error.Reason.Should().ContainAll(FrameEffectCatalog.SubTypes("VFX"));
    }

    [Fact]
    public void Unknown_subtype_on_a_video_track_of_type_Effect_is_named_by_that_track()
    {
        var error = ParseError("""
            {"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4"}]},
                            {"Type":"Effect","VideoTrackClips":[{"Type":"Filter","SubType":"sepia"}]}]}
            """);

        error.Path.Should().Be("VideoTracks[1].VideoTrackClips[0].SubType");
        error.Reason.Should().Contain("'sepia'").And.ContainAll(FrameEffectCatalog.SubTypes("Filter"));
    }

    // ---- warnings ----------------------------------------------------------------------------

    [Fact]
    public void Unknown_fields_are_warned_about_with_their_full_path()
    {
        var parsed = Parse("""
            {"Foo":1,
             "VideoTracks":[{"VideoTrackClips":[
               {"MediaURL":"a.mp4","Foo":true,"Effects":[{"Type":"Volume","Gain":1,"bar":2}]}]}]}
            """);

        parsed.Warnings.Select(w => w.ToString()).Should().BeEquivalentTo(
            "Foo: field is not supported and was ignored",
            "VideoTracks[0].VideoTrackClips[0].Foo: field is not supported and was ignored",
            "VideoTracks[0].VideoTrackClips[0].Effects[0].bar: field is not supported and was ignored");
    }

    [Fact]
    public void A_field_given_twice_with_different_case_is_warned_about()
    {
        var parsed = Parse("""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4","mediaurl":"b.mp4"}]}]}""");

        parsed.Timeline.VideoTracks[0].Clips[0].MediaUrl.Should().Be("a.mp4");
        parsed.Warnings.Should().ContainSingle(w => w.Path == "VideoTracks[0].VideoTrackClips[0].mediaurl");
    }

    [Fact]
    public void AI_ASR_is_a_caption_effect_with_the_text_style_fields()
    {
        var parsed = Parse("""
            {"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4",
               "Effects":[{"Type":"AI_ASR","Font":"SimSun","FontSize":40,"Y":0.8,"Alignment":"TopCenter","NeedHighlighting":true,
                           "HighlightingStyle":{"FontColor":"F6DD14","OutlineColour":"873600","Outline":4}}]}]}],
             "AudioTracks":[{"AudioTrackClips":[{"MediaURL":"m.mp3","Effects":[{"Type":"AI_ASR"}]}]}]}
            """);

        parsed.Warnings.Should().BeEmpty();
        var video = parsed.Timeline.VideoTracks[0].Clips[0].Effects.Captions!;
        video.Path.Should().Be("VideoTracks[0].VideoTrackClips[0].Effects[0]");
        (video.Style.FontSize, video.Style.Alignment, video.Style.Y.Value).Should().Be((40, TextAlignment.TopCenter, 0.8));
        video.Highlight.Should().Be(new HighlightStyle(new Rgba(0xF6, 0xDD, 0x14), new Rgba(0x87, 0x36, 0x00), 4));
        var audio = parsed.Timeline.AudioTracks[0].Clips[0].Captions!;
        (audio.Style.Alignment, audio.Style.Fit, audio.Highlight).Should().Be((TextAlignment.BottomCenter, TextFit.AutoWrap, (HighlightStyle?)null),
            "captions default to the bottom centre, wrapped");
    }

    [Fact]
    public void AI_TTS_clips_carry_their_speech_and_stand_for_a_synthesized_file()
    {
        var parsed = Parse("""
            {"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4"}]}],
             "AudioTracks":[{"AudioTrackClips":[
               {"Type":"AI_TTS","Content":"hello","Voice":"xiaoyun","SpeechRate":-200,"PitchRate":"100","Format":"mp3"},
               {"MediaURL":"m.mp3"}]}]}
            """);

        var clips = parsed.Timeline.AudioTracks[0].Clips;
        clips.Should().HaveCount(2);
        clips[0].Speech.Should().Be(new SpeechContent("hello", "xiaoyun", -200, 100));
        clips[0].MediaUrl.Should().Be("tts:AudioTracks[0].AudioTrackClips[0]");
        clips[1].Speech.Should().BeNull();
        parsed.Warnings.Should().ContainSingle().Which.Path.Should().Be("AudioTracks[0].AudioTrackClips[0].Format");
    }

    [Theory]
    [InlineData("""{"Type":"AI_TTS"}""", "AudioTracks[0].AudioTrackClips[0].Content", "is required")]
    [InlineData("""{"Type":"AI_TTS","Content":"  "}""", "AudioTracks[0].AudioTrackClips[0].Content", "must not be empty")]
    [InlineData("""{"Type":"AI_TTS","Content":"hi","SpeechRate":600}""", "AudioTracks[0].AudioTrackClips[0].SpeechRate", "500")]
    [InlineData("""{"MediaURL":"m.mp3","Effects":[{"Type":"AI_Matting"}]}""", "AudioTracks[0].AudioTrackClips[0].Effects[0].Type", "supported: Volume, AFade, Duck, AI_ASR")]
    [InlineData("""{"MediaURL":"m.mp3","Effects":[{"Type":"AI_ASR","NeedHighlighting":true,"HighlightingStyle":{"FontColor":"yellow"}}]}""",
        "AudioTracks[0].AudioTrackClips[0].Effects[0].HighlightingStyle.FontColor", "#RRGGBB")]
    public void Bad_AI_audio_fields_are_errors_naming_the_field(string clip, string path, string reason)
    {
        var act = () => Parse($$"""{"AudioTracks":[{"AudioTrackClips":[{{clip}}]}]}""");
        var error = act.Should().Throw<RequestException>().Which;
        error.Path.Should().Be(path);
        error.Message.Should().Contain(reason);
    }

    [Fact]
    public void Settings_that_are_not_honoured_are_warned_about()
    {
        var parsed = Parse("""
            {"VideoTracks":[{"TrackShortenMode":"Squeeze","VideoTrackClips":[{"MediaURL":"a.mp4","Out":2,"MaxOut":3,"DyncFrames":5}]}]}
            """);

        parsed.Warnings.Select(w => w.Path).Should().BeEquivalentTo(
            ["VideoTracks[0].TrackShortenMode", "VideoTracks[0].VideoTrackClips[0].MaxOut", "VideoTracks[0].VideoTrackClips[0].DyncFrames"]);
    }

    // ---- limits ------------------------------------------------------------------------------

    private static string Tracks(int count) =>
        "{\"VideoTracks\":[" + string.Join(",", Enumerable.Range(0, count).Select(i => $"{{\"VideoTrackClips\":[{{\"MediaURL\":\"v{i}.mp4\"}}]}}")) + "]}";

    [Fact]
    public void A_hundred_video_tracks_are_accepted()
    {
        Parse(Tracks(100)).Timeline.VideoTracks.Should().HaveCount(100);
    }

    [Fact]
    public void More_than_a_hundred_video_tracks_are_rejected_with_the_count()
    {
        var error = ParseError(Tracks(101));

        error.Path.Should().Be("VideoTracks");
        error.Reason.Should().Contain("100").And.Contain("101");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Output_width_above_4096_is_rejected(bool asStrings)
    {
        var error = RequestError(Request(OneClip, """{"Width":5000,"Height":1080}""", asStrings));

        error.Path.Should().Be("OutputMediaConfig.Width");
        // A whole-number field states its range in whole numbers.
        error.Reason.Should().Be("must be between 128 and 4096 (got 5000)");
    }

    [Theory]
    [InlineData(false, 3840, 2400)]
    [InlineData(true, 3840, 2400)]
    [InlineData(false, 2400, 3840)]
    [InlineData(true, 2200, 2200)]
    public void Output_with_a_shorter_side_above_2160_is_rejected(bool asStrings, int width, int height)
    {
        var error = RequestError(Request(OneClip, $$"""{"Width":{{width}},"Height":{{height}}}""", asStrings));

        error.Path.Should().StartWith("OutputMediaConfig.");
        error.Reason.Should().Contain("2160").And.Contain($"{width}x{height}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Output_of_4K_UHD_in_either_orientation_is_accepted(bool asStrings)
    {
        ProducingJobRequest.Parse(Request(OneClip, """{"Width":3840,"Height":2160,"Fps":30}""", asStrings))
            .Output.Should().Be(new OutputMediaConfig(null, 3840, 2160, null, 30));
        ProducingJobRequest.Parse(Request(OneClip, """{"Width":2160,"Height":3840}""", asStrings))
            .Output.Width.Should().Be(2160);
    }

    [Fact]
    public void Output_width_below_128_is_rejected()
    {
        var error = RequestError(Request(OneClip, """{"Width":100,"Height":720}"""));

        error.Path.Should().Be("OutputMediaConfig.Width");
        error.Reason.Should().Contain("128");
    }

    [Fact]
    public void Volume_gain_above_10_is_rejected_with_the_range()
    {
        var error = ParseError("""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4","Effects":[{"Type":"Volume","Gain":11}]}]}]}""");

        error.Message.Should().Be("VideoTracks[0].VideoTrackClips[0].Effects[0].Gain: must be between 0.0 and 10.0 (got 11.0)");
    }

    [Fact]
    public void Volume_gain_of_10_and_0_are_accepted()
    {
        var clips = Parse("""
            {"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4","Effects":[{"Type":"Volume","Gain":10}]},
                                                {"MediaURL":"b.mp4","Effects":[{"Type":"Volume","Gain":0}]}]}]}
            """).Timeline.VideoTracks[0].Clips;

        clips[0].Effects.Audio.Gain.Should().Be(10);
        clips[1].Effects.Audio.Muted.Should().BeTrue();
    }

    // ---- references and required content -----------------------------------------------------

    [Fact]
    public void A_duplicate_ClipId_names_both_clips()
    {
        var error = ParseError("""
            {"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4","ClipId":"x"}]}],
             "AudioTracks":[{"AudioTrackClips":[{"MediaURL":"m.mp3","ClipId":"x"}]}]}
            """);

        error.Path.Should().Be("AudioTracks[0].AudioTrackClips[0].ClipId");
        error.Reason.Should().Contain("'x'").And.Contain("VideoTracks[0].VideoTrackClips[0]");
    }

    [Fact]
    public void An_unknown_ReferenceClipId_is_rejected()
    {
        var error = ParseError("""
            {"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4","ClipId":"x"}]},
                            {"VideoTrackClips":[{"MediaURL":"b.mp4","ReferenceClipId":"y"}]}]}
            """);

        error.Path.Should().Be("VideoTracks[1].VideoTrackClips[0].ReferenceClipId");
        error.Reason.Should().Contain("'y'");
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"VideoTracks":[{"VideoTrackClips":[]}],"AudioTracks":[{"AudioTrackClips":[]}]}""")]
    [InlineData("""{"SubtitleTracks":[{"SubtitleTrackClips":[{"Type":"Text","Content":"hi"}]}]}""")]
    public void A_timeline_without_video_or_audio_clips_is_rejected(string json)
    {
        var error = ParseError(json);

        error.Path.Should().Be("VideoTracks");
        error.Reason.Should().Contain("no clips");
    }

    [Fact]
    public void MediaId_without_MediaURL_is_rejected_naming_MediaId()
    {
        var error = ParseError("""{"VideoTracks":[{"VideoTrackClips":[{"MediaId":"abc123"}]}]}""");

        error.Path.Should().Be("VideoTracks[0].VideoTrackClips[0].MediaId");
        error.Reason.Should().Contain("MediaURL");
    }

    [Fact]
    public void A_clip_without_any_media_is_rejected_naming_MediaURL()
    {
        var error = ParseError("""{"VideoTracks":[{"VideoTrackClips":[{"Duration":3,"Type":"Image"}]}]}""");

        error.Path.Should().Be("VideoTracks[0].VideoTrackClips[0].MediaURL");
    }

    [Fact]
    public void MediaId_next_to_MediaURL_is_accepted_quietly()
    {
        var parsed = Parse("""{"VideoTracks":[{"VideoTrackClips":[{"MediaId":"abc","MediaURL":"a.mp4"}]}]}""");

        parsed.Timeline.VideoTracks[0].Clips[0].MediaUrl.Should().Be("a.mp4");
        parsed.Warnings.Should().BeEmpty();
    }

    [Fact]
    public void Deprecated_ImageTracks_become_image_clips_on_video_tracks_above_the_others_with_a_warning()
    {
        var parsed = Parse("""
            {"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4"}]}],
             "ImageTracks":[{"ImageTrackClips":[{"MediaURL":"logo.png","X":10,"Y":10,"Width":40,"Height":20},
                                                {"MediaURL":"b.png","TimelineIn":1,"Duration":2}]}]}
            """);

        parsed.Timeline.VideoTracks.Should().HaveCount(2);
        var images = parsed.Timeline.VideoTracks[1];
        images.Path.Should().Be("ImageTracks[0]");
        images.Clips.Select(c => c.Type).Should().Equal(VideoClipType.GlobalImage, VideoClipType.Image);
        images.Clips[0].Placement.Width.Should().Be(new Extent(40));
        images.Clips[1].Timing.TimelineIn.Should().Be(1);
        parsed.Warnings.Should().ContainSingle().Which.Path.Should().Be("ImageTracks");
    }

    [Fact]
    public void An_ImageId_left_unresolved_is_an_error_naming_it()
    {
        var error = ParseError("""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4"}]}],"ImageTracks":[{"ImageTrackClips":[{"ImageId":"0123"}]}]}""");

        error.Path.Should().Be("ImageTracks[0].ImageTrackClips[0].ImageId");
    }

    // ---- SubmitMediaProducingJob -------------------------------------------------------------

    [Fact]
    public void Timeline_and_OutputMediaConfig_given_as_json_strings_are_read()
    {
        var json = Request("""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4"},{"MediaURL":"b.mp4"}]}]}""",
            """{"MediaURL":"out.mp4","Width":1280,"Height":720,"Bitrate":4000,"Video":{"Fps":30}}""", asStrings: true);
        json = json[..^1] + ",\"UserData\":{\"NotifyAddress\":\"https://x\"},\"ClientToken\":\"t1\",\"Seed\":7}";

        var request = ProducingJobRequest.Parse(json);

        request.Warnings.Should().BeEmpty();
        request.Timeline.VideoTracks[0].Clips.Select(c => c.MediaUrl).Should().Equal("a.mp4", "b.mp4");
        request.Output.Should().Be(new OutputMediaConfig("out.mp4", 1280, 720, 4000, 30));
        request.UserData.Should().Contain("NotifyAddress");
        request.ClientToken.Should().Be("t1");
        request.Seed.Should().Be(7);
    }

    [Fact]
    public void A_bare_timeline_is_accepted_as_a_request()
    {
        var request = ProducingJobRequest.Parse(OneClip);

        request.Timeline.VideoTracks[0].Clips.Single().MediaUrl.Should().Be("a.mp4");
        request.Output.Should().Be(OutputMediaConfig.Empty);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_bad_field_inside_the_timeline_is_reported_under_Timeline(bool asStrings)
    {
        var error = RequestError(Request("""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4","In":4,"Out":2}]}]}""", asStrings: asStrings));

        error.Message.Should().Be("Timeline.VideoTracks[0].VideoTrackClips[0].Out: must be greater than In (4.0)");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Unknown_fields_inside_the_timeline_and_output_config_are_warned_about_under_their_parent(bool asStrings)
    {
        var json = Request("""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4","Foo":1}]}]}""", """{"Width":1280,"Height":720,"Bar":2}""", asStrings);

        var request = ProducingJobRequest.Parse(json);

        request.Warnings.Select(w => w.ToString()).Should().BeEquivalentTo(
            "Timeline.VideoTracks[0].VideoTrackClips[0].Foo: field is not supported and was ignored",
            "OutputMediaConfig.Bar: field is not supported and was ignored");
    }

    [Fact]
    public void A_malformed_timeline_string_reports_Timeline_and_the_position()
    {
        var error = RequestError("""{"Timeline":"{\"VideoTracks\":[}"}""");

        error.Path.Should().Be("Timeline");
        error.Reason.Should().MatchRegex(@"^malformed JSON at line 1, column \d+$");
    }

    [Fact]
    public void Projects_and_templates_are_rejected()
    {
        var error = RequestError($$"""{"Timeline":{{OneClip}},"TemplateId":"t"}""");

        error.Path.Should().Be("TemplateId");
    }
}
