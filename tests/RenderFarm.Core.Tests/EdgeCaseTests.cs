using FluentAssertions;
using RenderFarm.Core.Jobs;
using RenderFarm.Core.Json;
using RenderFarm.Core.Planning;
using RenderFarm.Core.Timelines;
using Xunit;
using static RenderFarm.Core.Tests.TestTimelines;

namespace RenderFarm.Core.Tests;

/// <summary>Edge cases found in review: each once failed against the scheduler or parser.</summary>
public sealed class EdgeCaseTests
{
    private static readonly Dictionary<string, MediaFacts> Media = new()
    {
        ["a.mp4"] = Video(4), ["pic.png"] = Still(), ["music.mp3"] = Sound(3), ["x.mp4"] = Video(1.02),
    };

    [Fact]
    public void UserData_limit_is_512_bytes_not_512_characters()
    {
        // 200 CJK characters are 600 bytes in UTF-8: over the IMS limit of 512 bytes.
        var json = "{\"Timeline\":{\"VideoTracks\":[{\"VideoTrackClips\":[{\"MediaURL\":\"a.mp4\"}]}]},\"UserData\":\"" + new string('中', 200) + "\"}";

        var act = () => ProducingJobRequest.Parse(json);

        act.Should().Throw<RequestException>().Which.Path.Should().Be("UserData");
    }

    [Fact]
    public void A_looped_clip_on_the_main_audio_track_gives_an_error_naming_the_clip()
    {
        var timeline = Parse("""
            {"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4"}]}],
             "AudioTracks":[{"MainTrack":true,"AudioTrackClips":[{"MediaURL":"music.mp3","LoopMode":true}]}]}
            """).Timeline;

        var act = () => TimelineScheduler.Build(timeline, Media, Small);

        act.Should().Throw<RequestException>().Which.Path.Should().StartWith("AudioTracks[0].AudioTrackClips[0]");
    }

    [Fact]
    public void A_timeline_of_only_a_GlobalImage_with_Duration_lasts_that_Duration()
    {
        var s = Schedule("""{"VideoTracks":[{"VideoTrackClips":[{"Type":"GlobalImage","MediaURL":"pic.png","Duration":5}]}]}""", Media);

        s.TotalFrames.Should().Be(125);
    }

    [Fact]
    public void Scheduler_errors_for_a_request_timeline_carry_the_Timeline_prefix()
    {
        var request = ProducingJobRequest.Parse("""
            {"Timeline":{"VideoTracks":[{"VideoTrackClips":[{"Type":"GlobalImage","MediaURL":"pic.png"}]}]}}
            """);

        var act = () => TimelineScheduler.Build(request.Timeline, Media, Small);

        act.Should().Throw<RequestException>().Which.Path.Should().StartWith("Timeline.");
    }

    [Fact]
    public void Sequential_clips_do_not_drift_off_their_IMS_times()
    {
        // Ten clips of 1.02 s: in IMS clip k starts at 1.02·k s; the whole is 10.2 s = 255 frames.
        var s = Schedule("{\"VideoTracks\":[{\"VideoTrackClips\":[" + string.Join(",", Enumerable.Repeat("{\"MediaURL\":\"x.mp4\"}", 10)) + "]}]}", Media);

        for (var k = 0; k < 10; k++)
            ((double)s.Layers[k].StartFrame).Should().BeApproximately(1.02 * k * 25, 0.5 + 1e-9, $"clip {k} starts at {1.02 * k} s");
        ((double)s.TotalFrames).Should().BeApproximately(255, 0.5 + 1e-9);
    }

    [Fact]
    public void A_clip_never_overlaps_a_clip_two_places_away_on_its_track()
    {
        var s = Schedule("""
            {"VideoTracks":[{"VideoTrackClips":[
              {"MediaURL":"a.mp4","Effects":[{"Type":"Transition","Duration":1}]},
              {"Type":"Image","MediaURL":"pic.png","Duration":1.2,"Effects":[{"Type":"Transition","Duration":1}]},
              {"MediaURL":"a.mp4"}]}]}
            """, Media);

        s.Layers[2].StartFrame.Should().BeGreaterThanOrEqualTo(s.Layers[0].EndFrame, "the third clip must not start while the first is still playing");
    }

    [Fact]
    public void An_explicit_output_Width_is_kept_when_Height_comes_from_the_media()
    {
        var format = new OutputMediaConfig(null, 4000, null, null, null).Resolve([Video(1, 4000, 3000)], TimelineLimits.Default);

        format.Width.Should().Be(4000);
        Math.Min(format.Width, format.Height).Should().BeLessThanOrEqualTo(2160);
    }

    [Fact]
    public void A_clip_may_reference_an_AI_TTS_clip()
    {
        var timeline = Parse("""
            {"VideoTracks":[{"VideoTrackClips":[{"Type":"Image","MediaURL":"pic.png","ReferenceClipId":"t"}]}],
             "AudioTracks":[{"AudioTrackClips":[{"Type":"AI_TTS","Content":"hi","ClipId":"t"}]}]}
            """).Timeline;

        timeline.VideoTracks[0].Clips[0].ReferenceClipId.Should().Be("t");
        timeline.AudioTracks[0].Clips[0].ClipId.Should().Be("t");
    }

    [Fact]
    public void Speed_accepts_the_IMS_range_up_to_100()
    {
        var clip = Parse("""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4","Speed":20}]}]}""").Timeline.VideoTracks[0].Clips[0];

        clip.Timing.Speed.Should().Be(20);
    }
}
