using System.Text.Json.Nodes;
using RenderFarm.TestSupport;

namespace RenderFarm.AI.Tests.Rendering;

/// <summary>
/// The IMS documentation's AI example timelines (Seed002/*.json, unchanged, AI parts kept), with
/// every MediaURL swapped for a generated local file of the same name. Output 360x640.
/// </summary>
public sealed class Seed002AiTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly TestMedia _media;

    public Seed002AiTests() => _media = new TestMedia(_dir.Path);

    public void Dispose() => _dir.Dispose();

    private string Request(string example, Func<string, string> mediaFor)
    {
        var timeline = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Seed002", example + ".json")))!.AsObject();
        var clips = (timeline["VideoTracks"]?.AsArray() ?? []).SelectMany(t => t!["VideoTrackClips"]!.AsArray())
            .Concat((timeline["AudioTracks"]?.AsArray() ?? []).SelectMany(t => t!["AudioTrackClips"]!.AsArray()))
            .Select(c => c!.AsObject());
        foreach (var clip in clips)
            if (clip["MediaURL"] is JsonValue url)
                clip["MediaURL"] = mediaFor(url.GetValue<string>().Split('/')[^1]);
        return new JsonObject
        {
            ["Timeline"] = timeline.ToJsonString(),
            ["OutputMediaConfig"] = new JsonObject { ["Width"] = 360, ["Height"] = 640, ["Fps"] = 25 },
        }.ToJsonString();
    }

    [Fact]
    public async Task Voice_over_example_speaks_the_poem_with_captions_over_the_muted_video()
    {
        var json = Request("tts_voiceover", name => _media.PatternVideo(name, 30, 640, 360, toneHz: 500));
        var (prepared, output) = await AiRender.RenderAsync(json, _dir.Path);

        prepared.Warnings.Should().BeEmpty();
        // FontSize 80 on a 360-wide frame: each sentence is cut into several short captions, which together say it all.
        string.Join(" ", prepared.Captions.Select(c => c.Clip.Content.Replace("\n", " "))).Replace(" ?", "?").Should().Be(
            "Do you not see the Yellow River come from the sky, rushing into the sea and never come back? Do you not see the mirrors bright " +
            "in chambers high, grieve over your snow-white hair though once it was silk-black?");
        prepared.Captions.Should().OnlyContain(c => c.End > c.Start);
        var speech = prepared.Schedule.Audio.Single(a => a.MediaUrl.StartsWith("tts:"));
        prepared.Captions[^1].End.Should().BeApproximately(speech.TimelineStart + speech.Duration, 0.01);
        Inspect.MeanVolume(output, 0.5, 2).Should().BeGreaterThan(-30, "the voice-over (Gain 2) is heard");
        Inspect.Probe(output).Duration.Should().BeApproximately(30, 0.1, "the video sets the length");
    }

    [Fact]
    public async Task Ssml_example_plays_both_voice_overs_in_turn_and_the_alias_changes_only_the_sound()
    {
        var json = Request("ssml_images_blur_windowslice", name => _media.ColourImage(name, "gray", 480, 270));
        var (prepared, output) = await AiRender.RenderAsync(json, _dir.Path);

        var voices = prepared.Schedule.Audio.Where(a => a.MediaUrl.StartsWith("tts:")).OrderBy(a => a.TimelineStart).ToList();
        voices.Should().HaveCount(2);
        voices[1].TimelineStart.Should().BeApproximately(voices[0].TimelineStart + voices[0].Duration, 0.001, "clips of a track play in turn");
        Math.Abs(voices[1].Duration - voices[0].Duration).Should().BeGreaterThan(0.1, "the second clip says \"Pee You\" where the first says \"PU\"");
        var captions = prepared.Captions.Select(c => c.Clip.Content.Replace("\n", " ")).ToList();
        captions.Count(c => c.Contains("PU line")).Should().Be(2, "both clips caption the written form");
        captions.Should().NotContain(c => c.Contains("Pee You"));
        Inspect.Probe(output).Duration.Should().BeApproximately(voices[1].TimelineStart + voices[1].Duration, 0.1,
            "the voice-over is the main track: it sets the length");
    }

    /// <summary>A video (pattern picture) whose sound is two English sentences spoken by espeak's Klatt voice, with a pause between.</summary>
    private string SpeakingVideo(string name, double seconds)
    {
        var speech = new Recognition.SpokenClip(_dir.Path).Silence(0.5).Say("The farm renders every video").Silence(1.2)
            .Say("Then it uploads the result").Silence(0.5).Write(name + ".wav");
        var path = _dir.File(name);
        Tool.Ffmpeg("-f", "lavfi", "-i", $"testsrc2=s=640x360:r=25:d={seconds}", "-i", speech, "-filter_complex", "[1:a]apad[a]",
            "-map", "0:v", "-map", "[a]", "-t", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", path);
        return path;
    }

    [Fact]
    public async Task Speech_captions_example_captions_what_the_video_says()
    {
        var json = Request("asr_captions", name => SpeakingVideo(name, 6));
        var (prepared, output) = await AiRender.RenderAsync(json, _dir.Path);

        // FontSize 60 on a 360-wide frame: a sentence may take several captions; the pause between the sentences stays a gap.
        prepared.Captions.Zip(prepared.Captions.Skip(1)).Should().Contain(p => p.Second.Start - p.First.End > 0.8, "the 1.2 s pause has no caption");
        var words = string.Join(" ", prepared.Captions.Select(c => c.Clip.Content.Replace("\n", " "))).ToLowerInvariant();
        Recognition.SpokenClip.WordsRight("the farm renders every video then it uploads the result", words).Should().BeGreaterThanOrEqualTo(0.5, "pocketsphinx on AAC-coded synthetic speech gets about 0.6 of the words (README: recognition limits)");
        prepared.Captions[0].Start.Should().BeInRange(0.3, 0.8, "the first sentence starts after 0.5 s of silence");
        prepared.Captions[0].Clip.Style.FontColour.Should().Be(new Core.Timelines.Rgba(0x00, 0x00, 0x79));
        Inspect.MeanVolume(output).Should().BeGreaterThan(-40, "the clip's own speech plays");
    }

    [Fact]
    public async Task Highlight_example_recognises_the_video_and_speaks_and_highlights_over_the_image()
    {
        var json = Request("highlighted_captions", name => name.EndsWith(".png") ? _media.ColourImage(name, "white", 360, 640) : SpeakingVideo(name, 5));
        var (prepared, output) = await AiRender.RenderAsync(json, _dir.Path);

        var image = prepared.Schedule.Layers.Single(l => l.Clip.ClipId == "image");
        var voice = prepared.Schedule.Audio.Single(a => a.MediaUrl.StartsWith("tts:"));
        voice.TimelineStart.Should().BeApproximately(image.StartFrame / 25.0, 0.001, "the voice-over references the image clip");
        var fromVideo = prepared.Captions.Where(c => c.End <= image.StartFrame / 25.0 + 1e-6).ToList();
        var fromVoice = prepared.Captions.Where(c => c.Start >= image.StartFrame / 25.0 - 1e-6).ToList();
        fromVideo.Should().NotBeEmpty("the first clip's speech is recognised");
        fromVoice.Should().NotBeEmpty("the voice-over is captioned");
        fromVoice.Should().OnlyContain(c => c.Clip.Highlight != null);
        fromVoice.Should().Contain(c => c.Clip.Content.Contains(RenderFarm.Media.Captions.HighlightMarks.Open),
            "IMS and its repeated, rare terms are highlighted");
        Inspect.Probe(output).VideoFrames.Should().Be(image.EndFrame);
    }
}
