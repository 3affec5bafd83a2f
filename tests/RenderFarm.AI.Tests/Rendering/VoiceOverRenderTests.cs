using System.Text.Json.Nodes;
using RenderFarm.Core.Json;
using RenderFarm.Media.Captions;
using RenderFarm.TestSupport;

namespace RenderFarm.AI.Tests.Rendering;

/// <summary>AI_TTS voice-over and AI_ASR captions in real renders: what is heard, what is shown and when.</summary>
public sealed class VoiceOverRenderTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly TestMedia _media;

    public VoiceOverRenderTests() => _media = new TestMedia(_dir.Path);

    public void Dispose() => _dir.Dispose();

    private static string Escape(string text) => JsonValue.Create(text)!.ToJsonString();

    /// <summary>A black 640x360 picture for <paramref name="seconds"/> and one TTS clip with captions.</summary>
    private string Timeline(string content, double seconds, string captionFields = "", string ttsFields = "")
    {
        _media.ColourImage("black.png", "black", 640, 360);
        return $$$"""
        {"Timeline":{
          "VideoTracks":[{"VideoTrackClips":[{"Type":"Image","MediaURL":"black.png","Duration":{{{seconds}}}}]}],
          "AudioTracks":[{"AudioTrackClips":[{"Type":"AI_TTS","Voice":"andy","Content":{{{Escape(content)}}}{{{ttsFields}}},
             "Effects":[{"Type":"AI_ASR","FontSize":40,"FontColor":"#ffffff","Alignment":"BottomCenter","Y":40{{{captionFields}}}}]}]}]},
         "OutputMediaConfig":{"Width":640,"Height":360,"Fps":25}}
        """;
    }

    [Fact]
    public async Task Captions_appear_and_leave_with_their_spoken_sentence()
    {
        var json = Timeline("<speak>The first sentence ends here.<break time=\"1500ms\"/>The second one follows it.</speak>", 8,
            ttsFields: ",\"TimelineIn\":1");
        var (prepared, output) = await AiRender.RenderAsync(json, _dir.Path);

        var captions = prepared.Captions;
        captions.Select(c => c.Clip.Content).Should().Equal("The first sentence ends here.", "The second one follows it.");
        // Speech starts 50 ms into each sentence's span and stops 50 ms before its end (the synthesizer's pad).
        var silences = Inspect.Silences(output, -45, 0.3);
        var gap = silences.Single(s => s.Start > captions[0].Start + 0.3 && s.End < captions[1].End - 0.3);
        (gap.Start - (captions[0].End - 0.05)).Should().BeApproximately(0, 0.05, "the first caption leaves when its sentence has been spoken");
        (gap.End - (captions[1].Start + 0.05)).Should().BeApproximately(0, 0.05, "the second caption comes when its sentence starts");
        var lead = silences.First();
        lead.Start.Should().Be(0);
        (lead.End - (captions[0].Start + 0.05)).Should().BeApproximately(0, 0.05, "the clip starts at TimelineIn 1 and the first caption with it");
        captions[0].Start.Should().BeApproximately(1.0, 1e-6);
        (captions[1].Start - captions[0].End).Should().BeApproximately(1.5, 0.01, "the break lies between the captions");

        // The caption is on screen while its sentence is spoken, and gone in the break.
        var during = Inspect.Frame(output, (captions[0].Start + captions[0].End) / 2);
        var inBreak = Inspect.Frame(output, captions[0].End + 0.75);
        Bright(during).Should().BeGreaterThan(200, "white caption text is drawn");
        Bright(inBreak).Should().Be(0, "no caption between sentences");
    }

    /// <summary>How many near-white pixels a frame has in its lower third.</summary>
    private static int Bright((byte[] Rgb, int Width, int Height) frame)
    {
        var count = 0;
        for (var y = frame.Height * 2 / 3; y < frame.Height; y++)
            for (var x = 0; x < frame.Width; x++)
            {
                var (r, g, b) = Inspect.Pixel(frame, x, y);
                if (r > 200 && g > 200 && b > 200) count++;
            }
        return count;
    }

    [Fact]
    public async Task A_highlighted_word_is_drawn_in_the_highlight_colour()
    {
        // "2026" is a number: a key word by the highlighting rule. Yellow highlight over white text.
        var json = Timeline("The farm opened in 2026.", 4,
            captionFields: ",\"NeedHighlighting\":true,\"HighlightingStyle\":{\"FontColor\":\"#FFFF00\",\"OutlineColour\":\"#000000\",\"Outline\":1}");
        var (prepared, output) = await AiRender.RenderAsync(json, _dir.Path);

        var caption = prepared.Captions.Should().ContainSingle().Subject;
        HighlightMarks.Strip(caption.Clip.Content).Should().Be("The farm opened in 2026.");
        var frame = Inspect.Frame(output, (caption.Start + caption.End) / 2);
        int yellow = 0, white = 0, yellowRight = 0;
        for (var y = frame.Height / 2; y < frame.Height; y++)
            for (var x = 0; x < frame.Width; x++)
            {
                var (r, g, b) = Inspect.Pixel(frame, x, y);
                if (r > 200 && g > 200 && b < 80) { yellow++; if (x > frame.Width / 2) yellowRight++; }
                if (r > 200 && g > 200 && b > 200) white++;
            }
        yellow.Should().BeGreaterThan(150, "the number is drawn in yellow");
        white.Should().BeGreaterThan(yellow, "the rest of the caption stays white");
        yellowRight.Should().BeGreaterThan(yellow * 9 / 10, "the yellow word is the last one, on the right of the centred line");
    }

    [Fact]
    public async Task Without_highlighting_no_word_changes_colour()
    {
        var json = Timeline("The farm opened in 2026.", 4);
        var (prepared, output) = await AiRender.RenderAsync(json, _dir.Path);
        var caption = prepared.Captions.Should().ContainSingle().Subject;
        var frame = Inspect.Frame(output, (caption.Start + caption.End) / 2);
        var yellow = 0;
        for (var y = 0; y < frame.Height; y++)
            for (var x = 0; x < frame.Width; x++)
            {
                var (r, g, b) = Inspect.Pixel(frame, x, y);
                if (r > 200 && g > 200 && b < 80) yellow++;
            }
        yellow.Should().Be(0);
    }

    [Fact]
    public async Task A_sub_alias_is_heard_in_the_render_while_the_caption_shows_the_written_form()
    {
        var alias = Timeline("<speak>Call the <sub alias=\"World Wide Web Consortium\">W3C</sub> today.</speak>", 6);
        var plain = Timeline("Call the W3C today.", 6);
        var spoken = await AiRender.PrepareAsync(alias, _dir.Path);
        var written = await AiRender.PrepareAsync(plain, _dir.Path);

        spoken.Captions.Single().Clip.Content.Should().Be("Call the W3C today.");
        var aliasLength = spoken.Schedule.Audio.Single().Duration;
        var plainLength = written.Schedule.Audio.Single().Duration;
        aliasLength.Should().BeGreaterThan(plainLength + 0.5, "the alias is longer to say than the letters");
    }

    [Fact]
    public async Task Captions_write_as_srt()
    {
        var json = Timeline("First line here. Second line there.", 6, ttsFields: ",\"TimelineIn\":0.5");
        var prepared = await AiRender.PrepareAsync(json, _dir.Path);
        var srt = SrtWriter.Write(prepared.Captions);
        srt.Should().StartWith("1\n00:00:00,500 --> ");
        srt.Should().Contain("\nFirst line here.\n\n2\n").And.Contain("Second line there.");
    }

    [Fact]
    public async Task An_unknown_voice_is_an_error_naming_the_clip_field()
    {
        var json = Timeline("Hello.", 3).Replace("\"Voice\":\"andy\"", "\"Voice\":\"nobody\"");
        var act = () => AiRender.PrepareAsync(json, _dir.Path);
        var error = (await act.Should().ThrowAsync<RequestException>()).Which;
        error.Path.Should().Be("Timeline.AudioTracks[0].AudioTrackClips[0].Voice");
        error.Reason.Should().Contain("unknown voice").And.Contain("zhichu");
    }

    [Fact]
    public async Task A_reference_to_a_speech_clip_places_media_with_it()
    {
        // A picture referencing the TTS clip starts with it (ReferenceClipId works across tracks for AI_TTS too).
        _media.ColourImage("red.png", "red", 640, 360);
        var json = Timeline("One short sentence.", 5, ttsFields: ",\"ClipId\":\"voice\",\"TimelineIn\":2")
            .Replace("\"VideoTrackClips\":[{", "\"VideoTrackClips\":[{\"Type\":\"Image\",\"MediaURL\":\"red.png\",\"ReferenceClipId\":\"voice\",\"Duration\":1},{");
        var prepared = await AiRender.PrepareAsync(json, _dir.Path);
        prepared.Schedule.Layers.Should().Contain(l => l.Clip.MediaUrl == "red.png" && l.StartFrame == 50);
    }
}
