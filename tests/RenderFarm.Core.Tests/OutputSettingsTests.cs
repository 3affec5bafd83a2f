using FluentAssertions;
using RenderFarm.Core.Jobs;
using RenderFarm.Core.Json;
using RenderFarm.Core.Planning;
using Xunit;
using static RenderFarm.Core.Tests.TestTimelines;

namespace RenderFarm.Core.Tests;

/// <summary>
/// OutputMediaConfig's output settings as read: the container from the MediaURL's extension, Video.Codec/Crf/
/// Preset/Profile/Gop and MaxDuration honoured without warnings, and every combination a container cannot
/// hold refused with the JSON path of the field that asked for it.
/// </summary>
public sealed class OutputSettingsTests
{
    private const string OneClip = """{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4"}]}]}""";

    private static ProducingJobRequest Parse(string outputJson) =>
        ProducingJobRequest.Parse($$"""{"Timeline":{{OneClip}},"OutputMediaConfig":{{outputJson}}}""");

    private static string Error(string outputJson)
    {
        var act = () => Parse(outputJson);
        return act.Should().Throw<RequestException>().Which.Message;
    }

    [Fact]
    public void Video_settings_and_MaxDuration_are_read_without_warnings()
    {
        var request = Parse("""{"MediaURL":"out.mov","MaxDuration":7.5,"Video":{"Codec":"h.265","Crf":28,"Preset":"Slow","Profile":"main","Gop":50,"Fps":30}}""");

        request.Warnings.Should().BeEmpty();
        request.Output.Encoding.Should().Be(new OutputEncoding(OutputContainer.Mov, VideoCodec.H265, 28, "slow", "main", 50));
        (request.Output.MaxDurationSeconds, request.Output.Fps).Should().Be((7.5, 30));
    }

    [Theory]
    [InlineData(null, OutputContainer.Mp4, VideoCodec.H264)]
    [InlineData("a/b.MP4", OutputContainer.Mp4, VideoCodec.H264)]
    [InlineData("file:///x/out.webm", OutputContainer.Webm, VideoCodec.Vp9)]
    [InlineData("out.gif", OutputContainer.Gif, VideoCodec.Gif)]
    [InlineData("https://bucket.example/x.mp3?sig=1", OutputContainer.Mp3, VideoCodec.None)]
    [InlineData("x.m4a", OutputContainer.M4a, VideoCodec.None)]
    [InlineData("x.wav", OutputContainer.Wav, VideoCodec.None)]
    public void The_MediaURL_extension_names_the_container(string? url, OutputContainer container, VideoCodec codec)
    {
        var output = Parse(url is null ? "{}" : $$"""{"MediaURL":"{{url}}"}""").Output;

        (output.Encoding.Container, output.Encoding.Codec).Should().Be((container, codec));
    }

    [Theory]
    [InlineData("""{"MediaURL":"x.avi"}""", "OutputMediaConfig.MediaURL: 'x.avi' must end in one of .mp4, .mov, .webm, .gif, .mp3, .m4a, .wav (the extension names the container)")]
    [InlineData("""{"Video":{"Codec":"VP8"}}""", "OutputMediaConfig.Video.Codec: unknown value 'VP8'; supported: H.264, H.265")]
    [InlineData("""{"Video":{"Crf":52}}""", "OutputMediaConfig.Video.Crf: must be between 0 and 51 (got 52)")]
    [InlineData("""{"MediaURL":"x.webm","Video":{"Crf":64}}""", "OutputMediaConfig.Video.Crf: must be between 0 and 63 (got 64)")]
    [InlineData("""{"Video":{"Preset":"warp"}}""", "OutputMediaConfig.Video.Preset: unknown value 'warp'; supported: ultrafast, superfast, veryfast, faster, fast, medium, slow, slower, veryslow")]
    [InlineData("""{"Video":{"Codec":"H.265","Profile":"high"}}""", "OutputMediaConfig.Video.Profile: 'high' is not an H.265 profile; supported: main")]
    [InlineData("""{"Video":{"Gop":0}}""", "OutputMediaConfig.Video.Gop: must be between 1 and 1000 (got 0)")]
    [InlineData("""{"MaxDuration":0}""", "OutputMediaConfig.MaxDuration: must be between 0.1 and 7200.0 (got 0.0)")]
    [InlineData("""{"MediaURL":"x.webm","Video":{"Codec":"H.265"}}""", "OutputMediaConfig.Video.Codec: H.265 cannot be written to a .webm output (WebM holds VP9; leave Codec out, or write .mp4/.mov)")]
    [InlineData("""{"MediaURL":"x.webm","Video":{"Preset":"fast"}}""", "OutputMediaConfig.Video.Preset: applies to H.264/H.265 only; a .webm output is VP9")]
    [InlineData("""{"MediaURL":"x.gif","Video":{"Codec":"H.264"}}""", "OutputMediaConfig.Video.Codec: H.264 cannot be written to a .gif output (GIF holds GIF frames; leave Codec out, or write .mp4/.mov)")]
    [InlineData("""{"MediaURL":"x.gif","Video":{"Crf":20}}""", "OutputMediaConfig.Video.Crf: does not apply to a .gif output (GIF has a 256-colour palette, no quality setting)")]
    [InlineData("""{"MediaURL":"x.gif","Bitrate":2000}""", "OutputMediaConfig.Bitrate: does not apply to a .gif output (GIF has no bitrate control)")]
    [InlineData("""{"MediaURL":"x.mp3","Video":{"Codec":"H.264"}}""", "OutputMediaConfig.Video.Codec: a .mp3 output is audio only: it has no video to encode")]
    [InlineData("""{"MediaURL":"x.wav","Video":{"Crf":20}}""", "OutputMediaConfig.Video.Crf: a .wav output is audio only: it has no video to encode")]
    [InlineData("""{"MediaURL":"x.m4a","Video":{"Bitrate":900}}""", "OutputMediaConfig.Bitrate: a .m4a output is audio only: the video bitrate has nothing to apply to")]
    public void Unsupported_settings_and_combinations_are_refused_naming_the_field(string outputJson, string message)
    {
        Error(outputJson).Should().Be(message);
    }

    [Fact]
    public void The_file_farm_render_writes_names_the_container_and_must_suit_the_request()
    {
        var h265 = Parse("""{"MediaURL":"out.mp4","Video":{"Codec":"H.265"}}""").Output;
        var plain = Parse("""{"MediaURL":"out.mp4","Video":{"Crf":30}}""").Output;

        h265.WrittenTo("/tmp/a.mov", "--output").Encoding.Should().Be(new OutputEncoding(OutputContainer.Mov, VideoCodec.H265));
        plain.WrittenTo("/tmp/a.webm", "--output").Encoding.Should().Be(new OutputEncoding(OutputContainer.Webm, VideoCodec.Vp9, 30));
        var wrongCodec = () => h265.WrittenTo("/tmp/a.webm", "--output");
        wrongCodec.Should().Throw<RequestException>().Which.Path.Should().Be("OutputMediaConfig.Video.Codec");
        var unknown = () => plain.WrittenTo("/tmp/a.mkv", "--output");
        unknown.Should().Throw<RequestException>().Which.Message.Should().StartWith("--output: 'a.mkv' must end in one of .mp4");
    }

    [Fact]
    public void MaxDuration_cuts_the_schedule_and_a_clip_running_over_it_ends_there()
    {
        var media = new Dictionary<string, MediaFacts> { ["a.mp4"] = Video(4), ["b.mp4"] = Video(4) };
        var schedule = Schedule("""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4","Effects":[{"Type":"Transition","SubType":"fade","Duration":1}]},{"MediaURL":"b.mp4"}]}]}""", media);

        var cut = ScheduleCut.At(schedule, 90);

        schedule.TotalFrames.Should().Be(175);
        cut.TotalFrames.Should().Be(90);
        cut.Layers.Select(l => (l.StartFrame, l.EndFrame, l.TransitionOut is null)).Should().Equal((0L, 90L, true), (75L, 90L, true));
        ScheduleCut.At(schedule, 60).Layers.Should().ContainSingle();
    }

    [Fact]
    public void A_composition_shows_the_canvas_where_no_opaque_full_frame_clip_covers_it()
    {
        var media = new Dictionary<string, MediaFacts> { ["a.mp4"] = Video(4) };

        CanvasCoverage.ShowsThrough(Schedule(OneClip, media)).Should().BeFalse();
        CanvasCoverage.ShowsThrough(Schedule("""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4","Width":0.5,"Height":0.5}]}]}""", media)).Should().BeTrue();
        CanvasCoverage.ShowsThrough(Schedule("""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4","TimelineIn":1}]}]}""", media)).Should().BeTrue("the first second has no clip");
    }
}
