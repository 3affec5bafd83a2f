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
}
