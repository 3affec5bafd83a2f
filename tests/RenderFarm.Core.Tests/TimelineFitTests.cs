using System.Text.Json.Nodes;
using FluentAssertions;
using RenderFarm.Core.Batch;
using RenderFarm.Core.Jobs;
using RenderFarm.Core.Json;
using RenderFarm.Core.Library;
using RenderFarm.Core.Planning;
using RenderFarm.Core.Tests.Batch;
using RenderFarm.Core.Timelines;
using Xunit;
using static RenderFarm.Core.Tests.TestTimelines;

namespace RenderFarm.Core.Tests;

/// <summary>
/// IMS track and clip fields that decide lengths and looks: TrackShortenMode / TrackExpandMode (AutoSpeed),
/// MaxOut, Opacity, and library MediaIds written as MediaURLs before a timeline is parsed.
/// </summary>
public sealed class TimelineFitTests
{
    private static readonly Dictionary<string, MediaFacts> Media = new()
    {
        ["v4.mp4"] = Video(4),
        ["v1.mp4"] = Video(1),
        ["pic.png"] = Still(),
        ["voice2.mp3"] = Sound(2),
        ["voice3.mp3"] = Sound(3),
    };

    private static string MainAudio(string voice, string videoTrack) =>
        $$"""{"VideoTracks":[{{videoTrack}}],"AudioTracks":[{"MainTrack":true,"AudioTrackClips":[{"MediaURL":"{{voice}}"}]}]}""";

    [Fact]
    public void AutoSpeed_shortening_speeds_a_longer_video_track_up_to_end_with_the_main_audio()
    {
        var schedule = Schedule(MainAudio("voice2.mp3", """{"TrackShortenMode":"AutoSpeed","VideoTrackClips":[{"MediaURL":"v4.mp4"}]}"""), Media);

        schedule.TotalFrames.Should().Be(50, "the main audio track is 2 s");
        var layer = schedule.Layers.Should().ContainSingle().Which;
        layer.EndFrame.Should().Be(50);
        layer.Speed.Should().BeApproximately(2, 1e-9, "4 s of video fit into 2 s: the whole video plays, twice as fast");
    }

    [Fact]
    public void Without_a_mode_a_longer_track_is_cut_and_a_shorter_one_ends_early()
    {
        var cut = Schedule(MainAudio("voice2.mp3", """{"VideoTrackClips":[{"MediaURL":"v4.mp4"}]}"""), Media);
        cut.Layers.Single().Speed.Should().Be(1);
        cut.Layers.Single().EndFrame.Should().Be(50);

        var early = Schedule(MainAudio("voice3.mp3", """{"TrackShortenMode":"AutoSpeed","VideoTrackClips":[{"MediaURL":"v1.mp4"}]}"""), Media);
        early.Layers.Single().EndFrame.Should().Be(25, "only TrackExpandMode slows a shorter track down");
    }

    [Fact]
    public void AutoSpeed_expanding_slows_every_clip_of_a_shorter_track_and_moves_them_apart()
    {
        var schedule = Schedule(MainAudio("voice3.mp3",
            """{"TrackExpandMode":"AutoSpeed","VideoTrackClips":[{"MediaURL":"v1.mp4"},{"MediaURL":"pic.png","Type":"Image","Duration":0.5}]}"""), Media);

        schedule.Layers.Select(l => (l.StartFrame, l.EndFrame)).Should().Equal((0L, 50L), (50L, 75L));
        schedule.Layers[0].Speed.Should().BeApproximately(0.5, 1e-9, "1.5 s of clips stretched to 3 s");
    }

    [Fact]
    public void AutoSpeed_fits_an_audio_track_to_a_main_video_track()
    {
        var schedule = Schedule("""
            {"VideoTracks":[{"MainTrack":true,"VideoTrackClips":[{"MediaURL":"v1.mp4"}]}],
             "AudioTracks":[{"TrackShortenMode":"AutoSpeed","AudioTrackClips":[{"MediaURL":"voice2.mp3"}]}]}
            """, Media);

        var voice = schedule.Audio.Single(a => a.MediaUrl == "voice2.mp3");
        voice.Duration.Should().BeApproximately(1, 1e-9);
        voice.Speed.Should().BeApproximately(2, 1e-9);
    }

    [Fact]
    public void A_mode_without_a_main_track_is_reported_and_changes_nothing()
    {
        var diagnostics = new Diagnostics();
        var schedule = Schedule("""{"VideoTracks":[{"TrackShortenMode":"AutoSpeed","VideoTrackClips":[{"MediaURL":"v4.mp4"}]}]}""", Media, diagnostics: diagnostics);

        schedule.TotalFrames.Should().Be(100);
        diagnostics.Warnings.Should().ContainSingle().Which.Path.Should().Be("VideoTracks[0].TrackShortenMode");
    }

    [Fact]
    public void MaxOut_ends_a_video_at_MaxOut_or_at_its_media_end_whichever_comes_first()
    {
        Schedule("""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"v4.mp4","MaxOut":1.5}]}]}""", Media).TotalFrames.Should().Be(38);
        Schedule("""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"v4.mp4","In":1,"MaxOut":9}]}]}""", Media).TotalFrames.Should().Be(75);
        Schedule("""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"v4.mp4","Out":2,"MaxOut":1}]}]}""", Media).TotalFrames.Should().Be(50, "Out wins over MaxOut");
    }

    [Fact]
    public void MaxOut_shows_an_image_no_longer_than_MaxOut()
    {
        var schedule = Schedule("""
            {"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"v4.mp4"}]},
                            {"VideoTrackClips":[{"MediaURL":"pic.png","Type":"Image","Duration":3,"MaxOut":1}]}]}
            """, Media);

        schedule.Layers.Single(l => l.Clip.MediaUrl == "pic.png").EndFrame.Should().Be(25);
    }

    [Theory]
    [InlineData("""{"MediaURL":"v4.mp4","In":2,"MaxOut":1}""", "MaxOut")]
    [InlineData("""{"MediaURL":"v4.mp4","Opacity":1.5}""", "Opacity")]
    public void Bad_values_name_their_field(string clip, string field)
    {
        ParseError($$"""{"VideoTracks":[{"VideoTrackClips":[{{clip}}]}]}""").Path.Should().Be($"VideoTracks[0].VideoTrackClips[0].{field}");
    }

    [Fact]
    public void Opacity_below_one_makes_a_layer_see_through()
    {
        var clip = Parse("""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"v4.mp4","Opacity":0.5}]}]}""").Timeline.VideoTracks[0].Clips[0];

        clip.Opacity.Should().Be(0.5);
        LayerGeometry.Of(clip, Media["v4.mp4"], Small).Opaque.Should().BeFalse("the layers below show through");
    }

    [Fact]
    public void Library_ids_in_video_audio_and_image_tracks_become_their_stored_MediaURLs()
    {
        var timeline = JsonNode.Parse("""
            {"VideoTracks":[{"VideoTrackClips":[{"MediaId":"aaa"},{"MediaURL":"keep.mp4","MediaId":"zzz"}]}],
             "AudioTracks":[{"AudioTrackClips":[{"mediaid":"bbb"}]}],
             "ImageTracks":[{"ImageTrackClips":[{"ImageId":"ccc","Duration":1}]}]}
            """)!.AsObject();
        var library = new Dictionary<string, string> { ["aaa"] = "lib/a.mp4", ["bbb"] = "lib/b.mp3", ["ccc"] = "lib/c.png" };

        var references = TimelineMediaIds.Find(timeline, "Timeline");
        references.Select(r => r.Path).Should().Equal("Timeline.VideoTracks[0].VideoTrackClips[0].MediaId",
            "Timeline.AudioTracks[0].AudioTrackClips[0].MediaId", "Timeline.ImageTracks[0].ImageTrackClips[0].ImageId");
        TimelineMediaIds.Replace(references, id => library.GetValueOrDefault(id));

        var parsed = Parse(timeline.ToJsonString());
        parsed.Timeline.VideoTracks[0].Clips.Select(c => c.MediaUrl).Should().Equal("lib/a.mp4", "keep.mp4");
        parsed.Timeline.AudioTracks[0].Clips[0].MediaUrl.Should().Be("lib/b.mp3");
        parsed.Timeline.VideoTracks[1].Clips[0].MediaUrl.Should().Be("lib/c.png");
    }

    [Fact]
    public void An_id_the_library_does_not_hold_is_an_error_naming_the_field()
    {
        var timeline = JsonNode.Parse("""{"AudioTracks":[{"AudioTrackClips":[{"MediaId":"nope"}]}]}""")!.AsObject();

        var act = () => TimelineMediaIds.Replace(TimelineMediaIds.Find(timeline, "Timeline"), _ => null);

        var error = act.Should().Throw<RequestException>().Which;
        error.Path.Should().Be("Timeline.AudioTracks[0].AudioTrackClips[0].MediaId");
        error.Reason.Should().Contain("media library");
    }

    [Fact]
    public void Picture_effects_are_read_and_Scale_and_Pad_become_the_clip_box()
    {
        VideoClip Clip(string effects, string placement = "") =>
            Parse($$"""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"v4.mp4"{{placement}},"Effects":{{effects}}}]}]}""").Timeline.VideoTracks[0].Clips[0];

        Clip("""[{"Type":"Flip","SubType":"Vertical"}]""").Effects.Flip.Should().Be(new Flip(false, true));
        Clip("""[{"Type":"KenBurns","SubType":"ZoomOut"}]""").Effects.KenBurns.Should().Be(new KenBurns(true, KenBurns.DefaultZoom));
        Clip("""[{"Type":"DeWatermark","SubType":"Delogo_Blur","X":0.7,"Y":0.05,"Width":100,"Height":50}]""").Effects.BlurredRegions
            .Should().Equal(new RegionBox(new Extent(0.7), new Extent(0.05), new Extent(100), new Extent(50)));
        var scaled = Clip("""[{"Type":"Scale","Width":0.5,"Height":0.5}]""", ""","X":0.25""");
        (scaled.Placement.Width, scaled.Placement.Height, scaled.Placement.AdaptMode).Should().Be((new Extent(0.5), new Extent(0.5), AdaptMode.Fill));
        var padded = Clip("""[{"Type":"Pad","Width":200,"Height":100,"Color":"#00FF00"}]""");
        padded.Placement.AdaptMode.Should().Be(AdaptMode.Contain);
        padded.Effects.Background.Should().Be(new ColourBackground(new Rgba(0, 255, 0)));
    }

    [Theory]
    [InlineData("""[{"Type":"Flip","SubType":"Diagonal"}]""", "Effects[0].SubType")]
    [InlineData("""[{"Type":"Scale","Width":0.5}]""", "Effects[0].Height")]
    [InlineData("""[{"Type":"DeWatermark","Boxes":[{"X":0,"Y":0,"Width":0,"Height":10}]}]""", "Effects[0].Boxes[0].Width")]
    public void Bad_picture_effects_name_their_field(string effects, string field)
    {
        ParseError($$"""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"v4.mp4","Effects":{{effects}}}]}]}""").Path
            .Should().Be($"VideoTracks[0].VideoTrackClips[0].{field}");
    }

    [Fact]
    public void Scale_next_to_the_clip_own_size_is_reported_and_the_clip_keeps_its_size()
    {
        var parsed = Parse("""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"v4.mp4","Width":0.3,"Effects":[{"Type":"Scale","Width":0.5,"Height":0.5}]}]}]}""");

        parsed.Timeline.VideoTracks[0].Clips[0].Placement.Width.Should().Be(new Extent(0.3));
        parsed.Warnings.Should().ContainSingle().Which.Path.Should().Be("VideoTracks[0].VideoTrackClips[0].Effects");
    }

    [Fact]
    public void A_batch_sticker_keeps_its_Opacity_on_the_rendered_clip()
    {
        var request = BatchFixture.Edit(BatchFixture.GlobalRequest(count: 1), "InputConfig",
            input => input["StickerArray"]![0]!["Opacity"] = 0.4);
        var output = new ScriptToVideoPlanner().Plan(BatchFixture.Parse(request), BatchFixture.Facts).Outputs.Single();

        var job = ProducingJobRequest.Parse(output.ProducingJobJson);
        job.Timeline.VideoTracks[1].Clips.Single().Opacity.Should().Be(0.4);
        job.Warnings.Should().BeEmpty("Opacity is honoured");
    }

    [Fact]
    public void A_batch_sticker_DyncFrames_makes_the_rendered_clip_an_animated_image()
    {
        var request = BatchFixture.Edit(BatchFixture.GlobalRequest(count: 1), "InputConfig",
            input => input["StickerArray"]![0]!["DyncFrames"] = 8);
        var batch = BatchFixture.Parse(request);
        var output = new ScriptToVideoPlanner().Plan(batch, BatchFixture.Facts).Outputs.Single();

        var job = ProducingJobRequest.Parse(output.ProducingJobJson);
        job.Timeline.VideoTracks[1].Clips.Single().DyncFrames.Should().Be(8);
        job.Warnings.Should().BeEmpty("DyncFrames is honoured");
    }
}
