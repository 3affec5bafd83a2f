using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using FluentAssertions;
using RenderFarm.TestSupport;
using RenderFarm.TestSupport.Farm;
using Xunit;

namespace RenderFarm.IntegrationTests;

/// <summary>
/// A media library whose content the test knows: 21 clips, each a colour of its own with one word written on it
/// (read back by the library's OCR) and tags given at registration, registered and analysed once by one farm node
/// for all tests of <see cref="ImageTextMatchingTests"/>.
/// </summary>
public sealed class KnownLibrary : IAsyncLifetime
{
    /// <summary>Word on screen, tags, and (for the first 8) the sentence that describes the clip.</summary>
    public static readonly (string Word, string[] Tags, string? Sentence)[] Entries =
    [
        ("BICYCLE", ["cycling", "bike"], "A cyclist rides a bicycle along the river."),
        ("VOLCANO", ["lava", "eruption"], "The volcano erupts and lava glows at night."),
        ("GUITAR", ["music", "concert"], "A musician plays the guitar at the concert."),
        ("PIZZA", ["food", "oven"], "Hot pizza comes out of the oven."),
        ("ROCKET", ["space", "launch"], "The rocket launch lights up the sky."),
        ("PENGUIN", ["bird", "antarctica"], "A penguin waddles across the snow in Antarctica."),
        ("LIBRARY", ["books", "reading"], "Students are reading books in the library."),
        ("TENNIS", ["racket", "sport"], "She hits the tennis ball with her racket."),
        ("COFFEE", ["cafe", "espresso"], null),
        ("SKIING", ["mountain", "winter"], null),
        ("CAMEL", ["desert", "sand"], null),
        ("GARDEN", ["flowers", "spring"], null),
        ("TRAIN", ["railway", "station"], null),
        ("VIOLIN", ["orchestra", "classical"], null),
        ("FIREWORKS", ["celebration", "night"], null),
        ("LIGHTHOUSE", ["coast", "ocean"], null),
        ("PUPPY", ["dog", "pet"], null),
        ("LAPTOP", ["computer", "office"], null),
        ("BRIDGE", ["city", "river"], null),
        ("UMBRELLA", ["rain", "weather"], null),
        ("CHESS", ["board", "game"], null),
    ];

    public FarmTestBed Bed { get; } = new();
    public FarmNodeProcess Node { get; private set; } = null!;
    public FarmApi Api { get; private set; } = null!;
    public List<string> Clips { get; } = [];
    public List<string> MediaIds { get; } = [];

    /// <summary>The described clips, in the (non-library) order the voice-over speaks them.</summary>
    public static IReadOnlyList<int> SpokenOrder
    {
        get
        {
            var described = Enumerable.Range(0, Entries.Length).Where(i => Entries[i].Sentence is not null).ToList();
            return described.OrderBy(i => (i * 5) % described.Count).ToList();
        }
    }

    public static string Script => string.Join(" ", SpokenOrder.Select(i => Entries[i].Sentence));

    public async ValueTask InitializeAsync()
    {
        Node = await FarmNodeProcess.StartAsync("solo", "gateway,cpu", Bed.Environment("solo"));
        Api = new FarmApi(Node.Url, FarmTestBed.Token);
        Clips.AddRange(Enumerable.Range(0, Entries.Length).Select(TextClip));
        for (var i = 0; i < Clips.Count; i++)
        {
            var register = new JsonObject { ["InputURL"] = Clips[i], ["Tags"] = string.Join(",", Entries[i].Tags) };
            var (status, body) = await Api.SendAsync(HttpMethod.Post, "RegisterMediaInfo", register.ToJsonString());
            status.Should().Be(200, body.ToString());
            MediaIds.Add(body.GetProperty("MediaId").GetString()!);
        }
        foreach (var (id, i) in MediaIds.Select((id, i) => (id, i)))
        {
            var info = await WaitForAnalysisAsync(id);
            info.GetRawText().Should().Contain(Entries[i].Word, "the library read the word on clip {0}", i);
        }
    }

    public ValueTask DisposeAsync()
    {
        Api?.Dispose();
        Node?.Dispose();
        Bed.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>A distinct background per clip: hues around the wheel, alternately bright (black text) and dark (white text).</summary>
    public static (int R, int G, int B) Colour(int index)
    {
        var hue = index * 360.0 / Entries.Length;
        var (s, v) = (0.75, index % 2 == 0 ? 0.85 : 0.55);
        var c = v * s;
        var x = c * (1 - Math.Abs(hue / 60 % 2 - 1));
        var (r, g, b) = (hue / 60) switch
        {
            < 1 => (c, x, 0.0), < 2 => (x, c, 0.0), < 3 => (0.0, c, x), < 4 => (0.0, x, c), < 5 => (x, 0.0, c), _ => (c, 0.0, x),
        };
        var m = v - c;
        return ((int)((r + m) * 255), (int)((g + m) * 255), (int)((b + m) * 255));
    }

    private string TextClip(int index)
    {
        var (r, g, b) = Colour(index);
        var font = Tool.Run("fc-match", "-f", "%{file}", "DejaVu Sans:bold").Stdout;
        var path = Path.Combine(Bed.Media.Directory, $"clip{index:00}.mp4");
        var ink = index % 2 == 0 ? "black" : "white";
        Tool.Ffmpeg("-f", "lavfi", "-i", $"color=c=0x{r:X2}{g:X2}{b:X2}:s=640x360:r=25:d=6",
            "-vf", $"drawtext=fontfile={System.Text.Encoding.UTF8.GetString(font)}:text={Entries[index].Word}:fontsize=64:fontcolor={ink}:x=(w-tw)/2:y=(h-th)/2",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", path);
        return path;
    }

    private async Task<JsonElement> WaitForAnalysisAsync(string id)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (DateTime.UtcNow < deadline)
        {
            var (status, body) = await Api.SendAsync(HttpMethod.Get, $"GetMediaInfo?MediaId={id}");
            status.Should().Be(200, body.ToString());
            var state = body.GetProperty("MediaInfo").GetProperty("MediaBasicInfo").GetProperty("Status").GetString();
            if (state == "Normal") return body;
            state.Should().NotBe("Failed", body.ToString());
            await Task.Delay(300);
        }
        throw new TimeoutException($"media {id} was not analysed in time\n{Node.Log}");
    }
}

/// <summary>
/// Image-Text Matching against <see cref="KnownLibrary"/>: a voice-over of 8 sentences, each describing one clip,
/// must be matched to that clip (at least 7 of 8), and the rendered video must show, during each sentence, the
/// clip the plan put there. The same library is reached by MediaId and by MediaSearchInput.
/// </summary>
public sealed class ImageTextMatchingTests(KnownLibrary library) : IClassFixture<KnownLibrary>
{
    private static JsonObject Request(JsonObject input, bool previewOnly = false)
    {
        input["SpeechTextArray"] ??= new JsonArray(KnownLibrary.Script);
        var output = new JsonObject { ["MediaURL"] = "itm/video_{index}.mp4", ["Count"] = 1, ["Width"] = 640, ["Height"] = 360, ["Fps"] = 25 };
        if (previewOnly) output["GeneratePreviewOnly"] = true;
        return new JsonObject
        {
            ["InputConfig"] = input,
            ["EditingConfig"] = new JsonObject { ["SpeechConfig"] = new JsonObject { ["Voice"] = "andy" } },
            ["OutputConfig"] = output,
            ["Seed"] = 3,
        };
    }

    [Fact]
    public async Task Each_sentence_of_the_voice_over_is_shown_over_the_library_clip_it_describes()
    {
        var (clips, api) = (library.Clips, library.Api);
        var request = Request(new JsonObject { ["MediaArray"] = new JsonArray(clips.Select(c => (JsonNode)c!).ToArray()) });
        var (submitStatus, submitted) = await api.SendAsync(HttpMethod.Post, "SubmitBatchMediaProducingJob", request.ToJsonString());
        submitStatus.Should().Be(200, submitted.ToString());
        submitted.GetProperty("Mode").GetString().Should().Be("Image-Text Matching, Global Scripts");
        var done = await api.WaitAsync(submitted.GetProperty("JobId").GetString()!, TimeSpan.FromMinutes(4), () => library.Node.Log);
        done.GetProperty("Status").GetString().Should().Be("Success", library.Node.Log);

        var (_, got) = await api.SendAsync(HttpMethod.Get, $"GetBatchMediaProducingJob?JobId={submitted.GetProperty("JobId").GetString()}");
        var subJob = got.GetProperty("EditingBatchJob").GetProperty("SubJobList")[0];
        var timeline = subJob.GetProperty("Timeline");
        var video = subJob.GetProperty("MediaURL").GetString()!;
        var sentences = VoiceOver(timeline, Inspect.Probe(video).Duration);
        sentences.Should().HaveCount(8, "the script has 8 sentences");

        var order = KnownLibrary.SpokenOrder;
        var right = 0;
        for (var k = 0; k < sentences.Count; k++)
        {
            var (start, end) = sentences[k];
            var middle = (start + end) / 2;
            var planned = clips.IndexOf(ClipAt(timeline, middle));
            if (planned == order[k]) right++;
            var frame = Inspect.Frame(video, middle);
            var corner = Inspect.Mean(frame, 4, 4, 40, 40);
            NearestColour(corner).Should().Be(planned, "during sentence {0} the video shows the clip the plan put there", k + 1);
        }
        right.Should().BeGreaterThanOrEqualTo(7, "the top pick is the described clip for at least 7 of 8 sentences");
    }

    [Fact]
    public async Task MediaSearchInput_matches_the_sentences_to_clips_of_the_whole_library()
    {
        var search = new JsonObject { ["LibSearchCondition"] = new JsonObject { ["SearchLibs"] = new JsonArray("ims-default-search-lib") } };
        var preview = await PreviewAsync(Request(new JsonObject { ["MediaSearchInput"] = search }, previewOnly: true));

        preview.GetProperty("ModeReason").GetString().Should().Contain("MediaSearchInput searches the media library");
        var picks = PlannedClips(preview);
        picks.Should().HaveCount(8);
        picks.Zip(KnownLibrary.SpokenOrder, (planned, spoken) => planned == spoken).Count(same => same).Should().BeGreaterThanOrEqualTo(7,
            "with no MediaArray the library's analysed media are the candidates, and the described clip is the top pick");
    }

    [Fact]
    public async Task SearchText_keeps_only_the_library_media_it_matches()
    {
        var search = new JsonObject { ["LibSearchCondition"] = new JsonObject { ["SearchText"] = "lava eruption bird antarctica" } };
        var preview = await PreviewAsync(Request(new JsonObject { ["MediaSearchInput"] = search }, previewOnly: true));

        var volcano = Array.FindIndex(KnownLibrary.Entries, e => e.Word == "VOLCANO");
        var penguin = Array.FindIndex(KnownLibrary.Entries, e => e.Word == "PENGUIN");
        PlannedClips(preview).Should().OnlyContain(i => i == volcano || i == penguin, "only the volcano and penguin clips match the search text")
            .And.Contain([volcano, penguin]);

        var nothing = Request(new JsonObject { ["MediaSearchInput"] = new JsonObject { ["LibSearchCondition"] = new JsonObject { ["SearchText"] = "quarterly tax return" } } }, previewOnly: true);
        var (status, error) = await library.Api.SendAsync(HttpMethod.Post, "SubmitBatchMediaProducingJob", nothing.ToJsonString());
        status.Should().Be(400, error.ToString());
        error.GetProperty("Field").GetString().Should().Be("InputConfig.MediaSearchInput.LibSearchCondition.SearchText");
    }

    [Fact]
    public async Task MediaArray_may_list_library_MediaIds()
    {
        var ids = new JsonArray(library.MediaIds.Select(id => (JsonNode)id!).ToArray());
        var preview = await PreviewAsync(Request(new JsonObject { ["MediaArray"] = ids }, previewOnly: true));
        PlannedClips(preview).Zip(KnownLibrary.SpokenOrder, (planned, spoken) => planned == spoken).Count(same => same).Should().BeGreaterThanOrEqualTo(7,
            "each MediaId stands for its registered file, with its library texts");

        var unknown = Request(new JsonObject { ["MediaArray"] = new JsonArray(library.MediaIds[0], new string('a', 32)) }, previewOnly: true);
        var (status, error) = await library.Api.SendAsync(HttpMethod.Post, "SubmitBatchMediaProducingJob", unknown.ToJsonString());
        status.Should().Be(400, error.ToString());
        error.GetProperty("Field").GetString().Should().Be("InputConfig.MediaArray[1]");
    }

    private async Task<JsonElement> PreviewAsync(JsonObject request)
    {
        var (status, preview) = await library.Api.SendAsync(HttpMethod.Post, "SubmitBatchMediaProducingJob", request.ToJsonString());
        status.Should().Be(200, preview.ToString());
        return preview;
    }

    /// <summary>The library clip (index) the single planned output shows in the middle of each sentence.</summary>
    private List<int> PlannedClips(JsonElement preview)
    {
        var output = preview.GetProperty("Outputs")[0];
        var timeline = output.GetProperty("Timeline");
        return output.GetProperty("VoiceOver").EnumerateArray()
            .Select(v => v.GetProperty("TimelineIn").GetDouble() + v.GetProperty("Duration").GetDouble() / 2)
            .Select(middle => library.Clips.IndexOf(ClipAt(timeline, middle))).ToList();
    }


    /// <summary>The voice-over sentences' time ranges: each AI_TTS clip lasts until the next one starts (the last until the end).</summary>
    private static List<(double Start, double End)> VoiceOver(JsonElement timeline, double videoSeconds)
    {
        var starts = timeline.GetProperty("AudioTracks").EnumerateArray().SelectMany(t => t.GetProperty("AudioTrackClips").EnumerateArray())
            .Where(c => c.TryGetProperty("Type", out var type) && type.GetString() == "AI_TTS")
            .Select(c => c.GetProperty("TimelineIn").GetDouble()).Order().ToList();
        return starts.Select((start, k) => (start, k + 1 < starts.Count ? starts[k + 1] : videoSeconds)).ToList();
    }

    /// <summary>The medium of the main video track's clip that covers <paramref name="seconds"/> (clips follow each other: each lasts Out - In).</summary>
    private static string ClipAt(JsonElement timeline, double seconds)
    {
        var end = 0.0;
        foreach (var clip in timeline.GetProperty("VideoTracks")[0].GetProperty("VideoTrackClips").EnumerateArray())
        {
            end += clip.GetProperty("Out").GetDouble() - clip.GetProperty("In").GetDouble();
            if (seconds < end) return clip.GetProperty("MediaURL").GetString()!;
        }
        throw new InvalidOperationException($"no clip covers {seconds} s");
    }

    private static int NearestColour((double R, double G, double B) seen) =>
        Enumerable.Range(0, KnownLibrary.Entries.Length).MinBy(i =>
        {
            var (r, g, b) = KnownLibrary.Colour(i);
            return Math.Pow(r - seen.R, 2) + Math.Pow(g - seen.G, 2) + Math.Pow(b - seen.B, 2);
        });
}
