using FluentAssertions;
using RenderFarm.Core.Json;
using RenderFarm.Core.Planning;
using RenderFarm.Core.Timelines;
using Xunit;
using static RenderFarm.Core.Tests.TestTimelines;

namespace RenderFarm.Core.Tests;

/// <summary>
/// The frame-grid schedule of IMS timelines at 25 fps: 1 s = 25 frames, so every expected frame
/// number below is seconds × 25.
/// </summary>
public sealed class SchedulerTests
{
    private static readonly Dictionary<string, MediaFacts> Media = new()
    {
        ["a.mp4"] = Video(4),        // 100 frames
        ["b.mp4"] = Video(6),        // 150 frames
        ["long.mp4"] = Video(10),    // 250 frames
        ["silent.mp4"] = Video(4, audio: false),
        ["odd.mp4"] = Video(1.5),    // 37.5 frames: not on the grid
        ["pic.png"] = Still(),
        ["logo.png"] = Still(64, 64),
        ["music.mp3"] = Sound(3),
        ["voice.mp3"] = Sound(6),
    };

    private static string Track(params string[] clips) => $"{{\"VideoTrackClips\":[{string.Join(",", clips)}]}}";

    private static string Timeline(params string[] tracks) => $"{{\"VideoTracks\":[{string.Join(",", tracks)}]}}";

    private static VideoLayer Layer(Schedule s, string path) => s.Layers.Single(l => l.Clip.Path == path);

    // ---- placement ---------------------------------------------------------------------------

    [Fact]
    public void Sequential_clips_follow_each_other()
    {
        var s = Schedule(Timeline(Track("""{"MediaURL":"a.mp4"}""", """{"MediaURL":"b.mp4"}""", """{"MediaURL":"a.mp4"}""")), Media);

        s.Layers.Select(l => (l.StartFrame, l.EndFrame)).Should().Equal((0, 100), (100, 250), (250, 350));
        s.TotalFrames.Should().Be(350);
        s.DurationSeconds.Should().Be(14);
        s.Layers.Select(l => l.Order).Should().Equal(0, 1, 2);
    }

    [Fact]
    public void A_clip_off_the_frame_grid_is_rounded_to_whole_frames_and_the_next_clip_starts_at_its_end()
    {
        var s = Schedule(Timeline(Track("""{"MediaURL":"odd.mp4"}""", """{"MediaURL":"a.mp4"}""")), Media);

        var first = s.Layers[0];
        var second = s.Layers[1];
        first.StartFrame.Should().Be(0);
        ((double)first.EndFrame).Should().BeApproximately(1.5 * 25, 0.5);   // 37 or 38: a whole frame
        second.StartFrame.Should().Be(first.EndFrame);                       // no gap, no overlap
        second.FrameCount.Should().Be(100);
        s.TotalFrames.Should().Be(second.EndFrame);
    }

    [Fact]
    public void TimelineIn_places_a_clip_and_later_clips_follow_it()
    {
        var s = Schedule(Timeline(
            Track("""{"MediaURL":"a.mp4"}""", """{"MediaURL":"a.mp4","TimelineIn":6}""", """{"MediaURL":"a.mp4"}"""),
            Track("""{"Type":"Image","MediaURL":"logo.png","TimelineIn":2.2,"Duration":1}""")), Media);

        Layer(s, "VideoTracks[0].VideoTrackClips[1]").StartFrame.Should().Be(150);
        Layer(s, "VideoTracks[0].VideoTrackClips[2]").StartFrame.Should().Be(250);
        var logo = Layer(s, "VideoTracks[1].VideoTrackClips[0]");
        (logo.StartFrame, logo.EndFrame).Should().Be((55L, 80L));
        s.TotalFrames.Should().Be(350);
    }

    [Fact]
    public void TimelineIn_and_TimelineOut_give_an_image_its_span()
    {
        var s = Schedule(Timeline(Track("""{"Type":"Image","MediaURL":"pic.png","TimelineIn":1,"TimelineOut":3.6}""")), Media);

        (s.Layers[0].StartFrame, s.Layers[0].EndFrame).Should().Be((25L, 90L));
        s.TotalFrames.Should().Be(s.Layers[0].EndFrame);
    }

    [Fact]
    public void In_and_Out_trim_the_source()
    {
        var s = Schedule(Timeline(Track("""{"MediaURL":"long.mp4","In":2,"Out":5}""", """{"MediaURL":"a.mp4","In":3}""")), Media);

        var trimmed = s.Layers[0];
        (trimmed.StartFrame, trimmed.EndFrame).Should().Be((0L, 75L));
        trimmed.SourceStart.Should().Be(2);
        var tail = s.Layers[1];
        (tail.StartFrame, tail.EndFrame).Should().Be((75L, 100L)); // In 3 of a 4 s source leaves 1 s
        tail.SourceStart.Should().Be(3);
    }

    [Fact]
    public void Speed_2_halves_the_length_on_the_timeline()
    {
        var s = Schedule(Timeline(Track("""{"MediaURL":"a.mp4","Speed":2}""", """{"MediaURL":"long.mp4","In":1,"Out":3,"Speed":2}""", """{"MediaURL":"a.mp4","Speed":0.5}""")), Media);

        s.Layers.Select(l => l.FrameCount).Should().Equal(50, 25, 200);
        s.Layers.Select(l => l.Speed).Should().Equal(2, 2, 0.5);
        s.TotalFrames.Should().Be(275);
    }

    // ---- transitions -------------------------------------------------------------------------

    [Fact]
    public void A_one_second_transition_overlaps_the_clips_by_25_frames_and_shortens_the_timeline()
    {
        var s = Schedule(Timeline(Track(
            """{"MediaURL":"a.mp4","Effects":[{"Type":"Transition","SubType":"fade","Duration":1}]}""",
            """{"MediaURL":"b.mp4"}""")), Media);

        var a = s.Layers[0];
        var b = s.Layers[1];
        (a.StartFrame, a.EndFrame).Should().Be((0L, 100L));
        (b.StartFrame, b.EndFrame).Should().Be((75L, 225L));
        a.TransitionOut.Should().Be(new LayerTransition("fade", "fade", 25));
        b.TransitionOut.Should().BeNull();
        s.TotalFrames.Should().Be(100 + 150 - 25);
        s.TransitionSpans.Should().Equal((75L, 100L));
    }

    [Fact]
    public void A_transition_without_Duration_lasts_one_second()
    {
        var s = Schedule(Timeline(Track("""{"MediaURL":"a.mp4","Effects":[{"Type":"Transition","SubType":"wipeleft"}]}""", """{"MediaURL":"b.mp4"}""")), Media);

        s.Layers[0].TransitionOut!.Frames.Should().Be(25);
        s.TotalFrames.Should().Be(225);
    }

    [Fact]
    public void Three_images_with_transitions_of_0_4_s_lose_two_transitions_of_length()
    {
        const string image = """{"Type":"Image","MediaURL":"pic.png","Duration":3,"Effects":[{"Type":"Transition","SubType":"fade","Duration":0.4}]}""";
        var s = Schedule(Timeline(Track(image, image, image)), Media);

        // 3 × 75 frames, two transitions of 0.4 s = 10 frames each (the last clip's one has nothing to join).
        s.TotalFrames.Should().Be(3 * 75 - 2 * 10);
        s.Layers.Select(l => l.StartFrame).Should().Equal(0, 65, 130);
        s.Layers.Select(l => l.TransitionOut?.Frames).Should().Equal(10, 10, null);
    }

    [Fact]
    public void Three_images_with_transitions_of_0_3_s_keep_the_IMS_length_on_the_frame_grid()
    {
        const string image = """{"Type":"Image","MediaURL":"pic.png","Duration":3,"Effects":[{"Type":"Transition","Duration":0.3}]}""";
        var s = Schedule(Timeline(Track(image, image, image)), Media);

        // IMS times: clip 2 starts at 2.7 s, clip 3 at 5.4 s, the end is 8.4 s. Positions are rounded
        // to frames (not lengths), so 2.7 s -> frame 68 (7.5 frames of overlap round to 7) and
        // 5.4 s -> frame 135 (8 frames); the total stays 8.4 s = 210 frames.
        s.Layers.Select(l => l.TransitionOut?.Frames).Should().Equal(7, 8, null);
        s.TotalFrames.Should().Be(210);
        s.Layers[1].StartFrame.Should().Be(68);
        s.Layers[2].StartFrame.Should().Be(135);
    }

    [Fact]
    public void The_last_clips_transition_is_ignored()
    {
        var s = Schedule(Timeline(Track(
            """{"MediaURL":"a.mp4","Effects":[{"Type":"Transition","SubType":"fade","Duration":1}]}""",
            """{"MediaURL":"b.mp4","Effects":[{"Type":"Transition","SubType":"fade","Duration":1}]}""")), Media);

        s.Layers[1].TransitionOut.Should().BeNull();
        s.Layers[1].EndFrame.Should().Be(225);
        s.TotalFrames.Should().Be(225);
        s.TransitionSpans.Should().ContainSingle();
    }

    [Fact]
    public void A_transition_into_a_clip_placed_by_TimelineIn_is_dropped_with_a_warning()
    {
        var diagnostics = new Diagnostics();
        var s = Schedule(Timeline(Track(
            """{"MediaURL":"a.mp4","Effects":[{"Type":"Transition","SubType":"fade"}]}""",
            """{"MediaURL":"b.mp4","TimelineIn":4}""")), Media, diagnostics: diagnostics);

        s.Layers[0].TransitionOut.Should().BeNull();
        s.Layers[1].StartFrame.Should().Be(100);
        diagnostics.Warnings.Should().ContainSingle(w => w.Path == "VideoTracks[0].VideoTrackClips[0].Effects[0]");
    }

    [Fact]
    public void A_transition_longer_than_a_clip_is_shortened_with_a_warning()
    {
        var diagnostics = new Diagnostics();
        var s = Schedule(Timeline(Track(
            """{"Type":"Image","MediaURL":"pic.png","Duration":1,"Effects":[{"Type":"Transition","SubType":"fade","Duration":3}]}""",
            """{"MediaURL":"a.mp4"}""")), Media, diagnostics: diagnostics);

        var frames = s.Layers[0].TransitionOut!.Frames;
        frames.Should().BeLessThan(25);   // cannot blend longer than the 1 s image
        s.Layers[1].StartFrame.Should().Be(25 - frames);
        diagnostics.Warnings.Should().ContainSingle(w => w.Path.EndsWith("Effects[0].Duration"));
    }

    private static string RandomPair(string subType) => Timeline(Track(
        $$"""{"MediaURL":"a.mp4","Effects":[{"Type":"Transition","SubType":"{{subType}}"}]}""",
        """{"MediaURL":"b.mp4"}"""));

    [Theory]
    [InlineData("random")]
    [InlineData("wiperight,perlin,circle")]
    public void A_random_transition_is_the_same_for_the_same_seed(string subType)
    {
        var json = RandomPair(subType);
        for (var seed = 0; seed < 5; seed++)
        {
            var first = Schedule(json, Media, seed: seed).Layers[0].TransitionOut!;
            var second = Schedule(json, Media, seed: seed).Layers[0].TransitionOut!;
            second.Should().Be(first);
            first.Xfade.Should().Be(TransitionCatalog.XfadeFor(first.ImsName));
        }
    }

    [Fact]
    public void A_random_transition_varies_across_seeds()
    {
        var names = Enumerable.Range(0, 10).Select(seed => Schedule(RandomPair("random"), Media, seed: seed).Layers[0].TransitionOut!.ImsName).ToList();

        names.Should().OnlyContain(n => TransitionCatalog.ImsNames.Contains(n));
        names.Distinct().Should().HaveCountGreaterThanOrEqualTo(2);
    }

    [Fact]
    public void A_comma_list_picks_only_from_the_list_and_uses_more_than_one_across_seeds()
    {
        var names = Enumerable.Range(0, 10).Select(seed => Schedule(RandomPair(" wiperight , Perlin "), Media, seed: seed).Layers[0].TransitionOut!.ImsName).ToList();

        names.Should().OnlyContain(n => n == "wiperight" || n == "perlin");
        names.Distinct().Should().HaveCount(2);
    }

    // ---- GlobalImage, main track, track lengths ----------------------------------------------

    [Fact]
    public void A_GlobalImage_spans_the_whole_timeline()
    {
        var s = Schedule(Timeline(
            Track("""{"MediaURL":"a.mp4"}""", """{"MediaURL":"b.mp4"}"""),
            Track("""{"Type":"GlobalImage","MediaURL":"logo.png","X":0.8,"Y":0.05,"Width":0.1}""")), Media);

        var logo = Layer(s, "VideoTracks[1].VideoTrackClips[0]");
        (logo.StartFrame, logo.EndFrame).Should().Be((0L, 250L));
        s.TotalFrames.Should().Be(250);
        logo.Order.Should().Be(s.Layers.Count - 1); // on the upper track: drawn last
    }

    [Fact]
    public void An_audio_main_track_decides_the_length_and_cuts_longer_video()
    {
        var json = """
            {"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"long.mp4"}]}],
             "AudioTracks":[{"MainTrack":true,"AudioTrackClips":[{"MediaURL":"voice.mp3"}]}]}
            """;
        var s = Schedule(json, Media);

        s.TotalFrames.Should().Be(150);
        s.Layers.Single().EndFrame.Should().Be(150);
        s.Audio.Should().OnlyContain(a => a.TimelineStart + a.Duration <= 6 + 1e-9);
        s.Audio.Single(a => a.MediaUrl == "long.mp4").Duration.Should().BeApproximately(6, 1e-9);
    }

    [Fact]
    public void A_video_main_track_decides_the_length_and_cuts_longer_audio()
    {
        var json = """
            {"VideoTracks":[{"MainTrack":true,"VideoTrackClips":[{"MediaURL":"silent.mp4"}]}],
             "AudioTracks":[{"AudioTrackClips":[{"MediaURL":"voice.mp3"}]}]}
            """;
        var s = Schedule(json, Media);

        s.TotalFrames.Should().Be(100);
        s.Audio.Single().Duration.Should().BeApproximately(4, 1e-9);
    }

    [Theory]
    [InlineData("silent.mp4", "voice.mp3", 150)] // 4 s video, 6 s audio: audio is longest
    [InlineData("long.mp4", "voice.mp3", 250)]   // 10 s video, 6 s audio: video is longest
    public void Without_a_main_track_the_longest_track_decides(string video, string audio, long expected)
    {
        var s = Schedule($$"""
            {"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"{{video}}"}]}],
             "AudioTracks":[{"AudioTrackClips":[{"MediaURL":"{{audio}}"}]}]}
            """, Media);

        s.TotalFrames.Should().Be(expected);
    }

    // ---- references --------------------------------------------------------------------------

    private const string ReferencedTrack = """{"VideoTrackClips":[{"MediaURL":"a.mp4"},{"MediaURL":"b.mp4","ClipId":"B"}]}""";

    [Fact]
    public void An_image_referencing_a_clip_on_another_track_takes_its_start_and_length()
    {
        var s = Schedule($$"""{"VideoTracks":[{{ReferencedTrack}},{"VideoTrackClips":[{"Type":"Image","MediaURL":"pic.png","ReferenceClipId":"B"}]}]}""", Media);

        var image = Layer(s, "VideoTracks[1].VideoTrackClips[0]");
        (image.StartFrame, image.EndFrame).Should().Be((100L, 250L));
    }

    [Fact]
    public void A_longer_video_referencing_a_clip_is_cut_to_its_length()
    {
        var s = Schedule($$"""{"VideoTracks":[{{ReferencedTrack}},{"VideoTrackClips":[{"MediaURL":"long.mp4","ReferenceClipId":"B"}]}]}""", Media);

        var video = Layer(s, "VideoTracks[1].VideoTrackClips[0]");
        (video.StartFrame, video.EndFrame, video.Speed).Should().Be((100L, 250L, 1.0));
        s.TotalFrames.Should().Be(250);
    }

    [Fact]
    public void A_shorter_clip_referencing_a_clip_is_slowed_to_fill_it()
    {
        var s = Schedule($$"""
            {"VideoTracks":[{{ReferencedTrack}},{"VideoTrackClips":[{"MediaURL":"a.mp4","ReferenceClipId":"B"}]}],
             "AudioTracks":[{"AudioTrackClips":[{"MediaURL":"music.mp3","ReferenceClipId":"B"}]}]}
            """, Media);

        var video = Layer(s, "VideoTracks[1].VideoTrackClips[0]");
        (video.StartFrame, video.EndFrame).Should().Be((100L, 250L));
        video.Speed.Should().BeApproximately(4.0 / 6, 1e-9); // 4 s of source over 6 s
        var music = s.Audio.Single(a => a.Path == "AudioTracks[0].AudioTrackClips[0]");
        music.TimelineStart.Should().BeApproximately(4, 1e-9);
        music.Duration.Should().BeApproximately(6, 1e-9);
        music.Speed.Should().BeApproximately(0.5, 1e-9);  // 3 s of music over 6 s
    }

    [Fact]
    public void A_reference_to_a_clip_on_the_same_track_is_an_error()
    {
        var error = ScheduleError("""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4","ClipId":"A"},{"MediaURL":"b.mp4","ReferenceClipId":"A"}]}]}""", Media);

        error.Path.Should().Be("VideoTracks[0].VideoTrackClips[1].ReferenceClipId");
    }

    [Fact]
    public void Explicit_TimelineIn_and_TimelineOut_win_over_a_reference()
    {
        var s = Schedule($$"""{"VideoTracks":[{{ReferencedTrack}},{"VideoTrackClips":[{"Type":"Image","MediaURL":"pic.png","ReferenceClipId":"B","TimelineIn":1,"TimelineOut":2}]}]}""", Media);

        var image = Layer(s, "VideoTracks[1].VideoTrackClips[0]");
        (image.StartFrame, image.EndFrame).Should().Be((25L, 50L));
    }

    // ---- media-dependent errors --------------------------------------------------------------

    [Fact]
    public void Out_beyond_the_media_is_an_error_naming_Out()
    {
        var error = ScheduleError(Timeline(Track("""{"MediaURL":"a.mp4"}""", """{"MediaURL":"a.mp4","In":1,"Out":5}""")), Media);

        error.Path.Should().Be("VideoTracks[0].VideoTrackClips[1].Out");
        error.Reason.Should().Contain("4");
    }

    [Fact]
    public void In_at_the_end_of_the_media_is_an_error_naming_In()
    {
        var error = ScheduleError(Timeline(Track("""{"MediaURL":"a.mp4","In":4}""")), Media);

        error.Path.Should().Be("VideoTracks[0].VideoTrackClips[0].In");
    }

    [Fact]
    public void An_image_without_Duration_is_an_error_naming_Duration()
    {
        var error = ScheduleError(Timeline(Track("""{"MediaURL":"a.mp4"}"""), Track("""{"Type":"Image","MediaURL":"pic.png"}""")), Media);

        error.Path.Should().Be("VideoTracks[1].VideoTrackClips[0].Duration");
    }

    [Fact]
    public void Media_that_was_not_probed_is_an_error_naming_MediaURL()
    {
        var error = ScheduleError(Timeline(Track("""{"MediaURL":"missing.mp4"}""")), Media);

        error.Path.Should().Be("VideoTracks[0].VideoTrackClips[0].MediaURL");
        error.Reason.Should().Contain("missing.mp4");
    }

    // ---- audio -------------------------------------------------------------------------------

    [Fact]
    public void A_video_clips_sound_follows_its_picture()
    {
        var s = Schedule(Timeline(Track("""{"MediaURL":"a.mp4"}""", """{"MediaURL":"long.mp4","In":2,"Out":6,"Speed":2}""")), Media);

        var second = s.Audio.Single(a => a.Path == "VideoTracks[0].VideoTrackClips[1]");
        second.TimelineStart.Should().BeApproximately(4, 1e-9);
        second.Duration.Should().BeApproximately(2, 1e-9);
        second.SourceStart.Should().Be(2);
        second.Speed.Should().Be(2);
    }

    [Fact]
    public void A_muted_video_clip_has_no_audio_segment()
    {
        var s = Schedule(Timeline(Track(
            """{"MediaURL":"a.mp4","Effects":[{"Type":"Volume","Gain":0}]}""",
            """{"MediaURL":"b.mp4","Effects":[{"Type":"Volume","Gain":0.5}]}""")), Media);

        s.Audio.Should().ContainSingle().Which.Path.Should().Be("VideoTracks[0].VideoTrackClips[1]");
        s.Audio[0].Effects.Gain.Should().Be(0.5);
    }

    [Fact]
    public void Images_and_silent_videos_have_no_audio_segment()
    {
        var s = Schedule(Timeline(Track("""{"MediaURL":"silent.mp4"}""", """{"Type":"Image","MediaURL":"pic.png","Duration":2}""")), Media);

        s.Audio.Should().BeEmpty();
    }

    [Fact]
    public void Looped_audio_runs_to_the_end_of_the_timeline_without_extending_it()
    {
        var s = Schedule("""
            {"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"long.mp4"}]}],
             "AudioTracks":[{"AudioTrackClips":[{"MediaURL":"music.mp3","LoopMode":true,"TimelineIn":1}]}]}
            """, Media);

        s.TotalFrames.Should().Be(250);
        var music = s.Audio.Single(a => a.MediaUrl == "music.mp3");
        music.TimelineStart.Should().BeApproximately(1, 1e-9);
        music.Duration.Should().BeApproximately(9, 1e-9);
        music.LoopLength.Should().BeApproximately(3, 1e-9);
    }

    [Fact]
    public void Audio_without_loop_stops_at_the_end_of_its_source()
    {
        var s = Schedule("""
            {"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"long.mp4"}]}],
             "AudioTracks":[{"AudioTrackClips":[{"MediaURL":"music.mp3"},{"MediaURL":"music.mp3","In":1}]}]}
            """, Media);

        var music = s.Audio.Where(a => a.MediaUrl == "music.mp3").OrderBy(a => a.TimelineStart).ToList();
        music.Select(a => (Math.Round(a.TimelineStart, 6), Math.Round(a.Duration, 6))).Should().Equal((0.0, 3.0), (3.0, 2.0));
        music.Should().OnlyContain(a => a.LoopLength == null);
    }

    // ---- text and effect tracks --------------------------------------------------------------

    [Fact]
    public void Subtitles_without_TimelineOut_last_to_the_end_and_are_cut_at_the_end()
    {
        var s = Schedule("""
            {"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4"}]}],
             "SubtitleTracks":[{"SubtitleTrackClips":[{"Type":"Text","Content":"a","TimelineIn":1},{"Type":"Text","Content":"b","TimelineIn":5}]}]}
            """, Media);

        s.Texts.Should().ContainSingle();
        (s.Texts[0].Start, s.Texts[0].End).Should().Be((1.0, 4.0));
    }

    [Fact]
    public void An_effect_track_item_is_placed_on_frames_and_cut_at_the_end()
    {
        var s = Schedule("""
            {"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4"}]}],
             "EffectTracks":[{"EffectTrackItems":[{"Type":"VFX","SubType":"black","TimelineIn":2},{"Type":"Filter","SubType":"warm","TimelineIn":1,"Duration":1}]}]}
            """, Media);

        s.Effects.Select(e => (e.Item.SubType, e.StartFrame, e.EndFrame)).Should().Equal(("black", 50L, 100L), ("warm", 25L, 50L));
    }
}
