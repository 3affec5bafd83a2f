using System.Globalization;
using System.Text.Json;
using FluentAssertions;
using RenderFarm.Core.Planning;
using RenderFarm.Media.Rendering;
using RenderFarm.TestSupport;
using Xunit;

namespace RenderFarm.Media.Tests.Rendering;

/// <summary>One tiny clip (192x128, 10 fps, 2 s, with a tone) shared by the output-settings renders.</summary>
public sealed class OutputSettingsMedia : IDisposable
{
    private readonly TempDir _dir = new();
    public string Directory => _dir.Path;
    public string Clip { get; }

    public OutputSettingsMedia() => Clip = new TestMedia(_dir.Path).PatternVideo("clip.mp4", 2, 192, 128, 10, toneHz: 440);

    /// <summary>A request with the clip on one video track, placed by <paramref name="placement"/> (JSON members, may be empty).</summary>
    public string Request(string outputName, string outputFields, string placement = "", int fps = 10) => $$$"""
        {"Timeline":{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"{{{Clip}}}"{{{placement}}}}]}]},
         "OutputMediaConfig":{"MediaURL":"{{{outputName}}}","Width":192,"Height":128,"Fps":{{{fps}}}{{{outputFields}}}}}
        """;

    public async Task<string> RenderAsync(string json, string name, double? segmentSeconds = null) =>
        await LocalRender.RenderAsync(json, Directory, name, new RenderOptions(segmentSeconds));

    public void Dispose() => _dir.Dispose();
}

/// <summary>OutputMediaConfig output settings as a viewer (or ffprobe) sees them: codecs, containers, alpha, audio-only files, Crf, Fps, MaxDuration.</summary>
public sealed class OutputSettingsRenderTests(OutputSettingsMedia media) : IClassFixture<OutputSettingsMedia>
{
    [Fact]
    public async Task H265_in_mov_rendered_in_segments_is_hevc_main_tagged_hvc1_with_every_frame()
    {
        var output = await media.RenderAsync(media.Request("h265.mov", ""","Video":{"Codec":"H.265","Profile":"main","Crf":30}"""), "h265.mov", segmentSeconds: 1);

        var stream = Stream(output, "v");
        (stream.GetProperty("codec_name").GetString(), stream.GetProperty("profile").GetString(), stream.GetProperty("codec_tag_string").GetString())
            .Should().Be(("hevc", "Main", "hvc1"));
        Inspect.Probe(output).VideoFrames.Should().Be(20);
        Inspect.Probe(output).AudioCodec.Should().Be("aac");
    }

    [Fact]
    public async Task WebM_of_a_half_frame_clip_is_vp9_with_alpha_opaque_under_the_clip_and_clear_beside_it()
    {
        // The clip covers the left half only: the right half is the see-through canvas. Segments keep the alpha.
        var json = media.Request("alpha.webm", "", ""","X":0,"Y":0,"Width":96,"Height":128""");
        var output = await media.RenderAsync(json, "alpha.webm", segmentSeconds: 1);

        var stream = Stream(output, "v");
        stream.GetProperty("codec_name").GetString().Should().Be("vp9");
        stream.GetProperty("tags").EnumerateObject().Single(t => t.Name.Equals("alpha_mode", StringComparison.OrdinalIgnoreCase)).Value.GetString().Should().Be("1");
        Inspect.Probe(output).AudioCodec.Should().Be("opus");
        // libvpx-vp9 decodes the alpha plane (ffmpeg's native vp9 decoder drops it).
        var alpha = Tool.Ffmpeg("-c:v", "libvpx-vp9", "-i", output, "-vf", "select=eq(n\\,15),alphaextract", "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "gray", "-");
        alpha.Should().HaveCount(192 * 128);
        (alpha[64 * 192 + 40], alpha[64 * 192 + 150]).Should().Be(((byte)255, (byte)0));
    }

    [Fact]
    public async Task WebM_whose_frames_are_all_covered_by_an_opaque_clip_has_no_alpha()
    {
        var prepared = await LocalRender.PrepareAsync(media.Request("opaque.webm", ""), media.Directory);

        (prepared.Schedule.Output.Encoding.Codec, prepared.Schedule.Output.Encoding.Alpha).Should().Be((VideoCodec.Vp9, false));
    }

    [Fact]
    public async Task Gif_rendered_in_segments_has_gif_frames_at_the_requested_rate_cut_at_MaxDuration_and_no_audio()
    {
        var output = await media.RenderAsync(media.Request("clip.gif", ""","MaxDuration":1.2""", fps: 5), "clip.gif", segmentSeconds: 0.6);

        var facts = Inspect.Probe(output);
        (facts.VideoCodec, facts.VideoFrames, facts.HasAudio).Should().Be(("gif", 6L, false));
    }

    [Theory]
    [InlineData("audio.mp3", "mp3")]
    [InlineData("audio.m4a", "aac")]
    [InlineData("audio.wav", "pcm_s16le")]
    public async Task Audio_only_outputs_hold_the_timeline_sound_and_no_video(string name, string codec)
    {
        var output = await media.RenderAsync(media.Request(name, ""), name, segmentSeconds: 1);

        var facts = Inspect.Probe(output);
        (facts.VideoCodec, facts.AudioCodec).Should().Be(("", codec));
        facts.Duration.Should().BeApproximately(2, 0.06);
    }

    [Fact]
    public async Task Crf_Bitrate_Fps_and_MaxDuration_are_honoured()
    {
        var fine = await media.RenderAsync(media.Request("fine.mp4", ""","MaxDuration":1,"Video":{"Crf":18,"Preset":"ultrafast"}""", fps: 5), "fine.mp4");
        var coarse = await media.RenderAsync(media.Request("coarse.mp4", ""","MaxDuration":1,"Video":{"Crf":40,"Preset":"ultrafast"}""", fps: 5), "coarse.mp4");
        var lowRate = await media.RenderAsync(media.Request("low.mp4", ""","MaxDuration":1,"Bitrate":100,"Video":{"Preset":"ultrafast","Profile":"baseline"}""", fps: 5), "low.mp4");
        var highRate = await media.RenderAsync(media.Request("high.mp4", ""","MaxDuration":1,"Video":{"Bitrate":2000,"Preset":"ultrafast"}""", fps: 5), "high.mp4");

        foreach (var output in new[] { fine, coarse, lowRate, highRate })
        {
            var facts = Inspect.Probe(output);
            facts.VideoFrames.Should().Be(5, "Fps 5 for MaxDuration 1 s");
            facts.Duration.Should().BeApproximately(1, 0.05);
        }
        VideoBytes(coarse).Should().BeLessThan(VideoBytes(fine) / 2, "Crf 40 against Crf 18");
        // x264's average bitrate cannot settle in 5 frames: the effect is there, not the exact rate.
        VideoBytes(lowRate).Should().BeLessThan(VideoBytes(highRate) * 4 / 5, "100 kbit/s against 2000 kbit/s");
        Stream(lowRate, "v").GetProperty("profile").GetString().Should().Be("Constrained Baseline");
    }

    /// <summary>The video stream's encoded size (the audio, the same in each, left out).</summary>
    private static long VideoBytes(string path)
    {
        var (exit, stdout, stderr) = Tool.Run("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "packet=size", "-of", "csv=p=0", path);
        if (exit != 0) throw new InvalidOperationException(stderr);
        return System.Text.Encoding.UTF8.GetString(stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.TrimEnd(',')).Where(line => line.Length > 0)
            .Sum(line => long.Parse(line, CultureInfo.InvariantCulture));
    }

    private static JsonElement Stream(string path, string type)
    {
        var (exit, stdout, stderr) = Tool.Run("ffprobe", "-v", "error", "-select_streams", type + ":0", "-print_format", "json", "-show_streams", path);
        if (exit != 0) throw new InvalidOperationException(stderr);
        using var doc = JsonDocument.Parse(stdout);
        return doc.RootElement.GetProperty("streams")[0].Clone();
    }
}
