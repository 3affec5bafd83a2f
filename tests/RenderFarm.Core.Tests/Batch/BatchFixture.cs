using System.Text.Json;
using System.Text.Json.Nodes;
using FluentAssertions;
using RenderFarm.Core.Batch;
using RenderFarm.Core.Json;
using RenderFarm.Core.Planning;
using RenderFarm.Core.Timelines;

namespace RenderFarm.Core.Tests.Batch;

/// <summary>
/// A Script-to-Video request over four groups of probed media (opening, body, detail, ending),
/// with spoken durations given as facts: 2 s + 0.05 s per character, a quarter longer in voice "slow".
/// </summary>
internal static class BatchFixture
{
    public static readonly string[][] GroupMedia =
    [
        ["open/a.mp4", "open/b.mp4", "open/c.png"],
        ["body/a.mp4", "body/b.mp4", "body/c.mp4"],
        ["detail/a.mp4", "detail/b.jpg"],
        ["end/a.mp4", "end/b.mp4"],
    ];

    /// <summary>Long enough (15-25 s spoken) that one shot per group does not cover them: extra shots are needed.</summary>
    public static readonly string[] Scripts =
    [
        "Our new store opens this weekend, with fresh bread every morning and coffee roasted in house. " +
        "Come early for the warm croissants, stay for a second cup, and take a loaf home for dinner.",
        "Come and see the bakery: croissants at seven, sourdough at nine, and a table by the window for you. " +
        "Every loaf is shaped by hand and baked in a stone oven, the way it was done a hundred years ago. See you soon.",
        "Fresh food, fair prices and friendly people. Visit us on Main Street from Saturday.",
    ];

    public static readonly string[] KnownVoices = ["en", "slow", "zh"];

    public static readonly IReadOnlyDictionary<string, MediaFacts> Media = new Dictionary<string, MediaFacts>
    {
        ["open/a.mp4"] = TestTimelines.Video(9, 1280, 720),
        ["open/b.mp4"] = TestTimelines.Video(6, 1280, 720),
        ["open/c.png"] = TestTimelines.Still(1080, 1920),
        ["body/a.mp4"] = TestTimelines.Video(12, 1920, 1080),
        ["body/b.mp4"] = TestTimelines.Video(8, 1920, 1080),
        ["body/c.mp4"] = TestTimelines.Video(5, 1920, 1080),
        ["detail/a.mp4"] = TestTimelines.Video(10, 720, 1280),
        ["detail/b.jpg"] = TestTimelines.Still(800, 600),
        ["end/a.mp4"] = TestTimelines.Video(4, 1280, 720),
        ["end/b.mp4"] = TestTimelines.Video(7, 1280, 720),
        ["music/a.mp3"] = TestTimelines.Sound(30),
        ["music/b.mp3"] = TestTimelines.Sound(45),
        ["logo.png"] = TestTimelines.Still(200, 200),
        ["bg.jpg"] = TestTimelines.Still(1080, 1920),
        ["voice.wav"] = TestTimelines.Sound(3),
    };

    /// <summary>A positive SpeechRate speaks faster (IMS/SSML convention: rate 100 is 10 % faster here).</summary>
    public static double Spoken(SpeechLine line) =>
        (2 + 0.05 * line.Text.Length) * (line.Voice == "slow" ? 1.25 : 1) / (1 + line.SpeechRate / 1000);

    public static readonly BatchFacts Facts = new(Media, line => Spoken(line));

    public static readonly BatchParseOptions Options = new(KnownVoices: KnownVoices);

    public static JsonArray Groups(Func<int, JsonObject>? extra = null) =>
        new(GroupMedia.Select((media, g) =>
        {
            var group = new JsonObject { ["GroupName"] = $"node-{g + 1}", ["MediaArray"] = new JsonArray(media.Select(m => (JsonNode)m!).ToArray()) };
            if (extra?.Invoke(g) is { } more)
                foreach (var (key, value) in more) group[key] = value?.DeepClone();
            return (JsonNode)group;
        }).ToArray());

    /// <summary>Global Scripts: three scripts, titles, stickers, music, transitions; InputConfig sent as a JSON string like IMS does.</summary>
    public static JsonObject GlobalRequest(int count = 10, int seed = 7)
    {
        var input = new JsonObject
        {
            ["MediaGroupArray"] = Groups(),
            ["SpeechTextArray"] = new JsonArray(Scripts.Select(s => (JsonNode)s!).ToArray()),
            ["TitleArray"] = new JsonArray("Grand opening", "Fresh every day"),
            ["StickerArray"] = new JsonArray(new JsonObject { ["MediaURL"] = "logo.png", ["X"] = 0.8, ["Y"] = 0.05, ["Width"] = 0.15, ["Height"] = 0.08 }),
            ["BackgroundMusicArray"] = new JsonArray("music/a.mp3", "music/b.mp3"),
        };
        return new JsonObject
        {
            ["InputConfig"] = input.ToJsonString(),
            ["EditingConfig"] = new JsonObject
            {
                ["MediaConfig"] = new JsonObject { ["Volume"] = 0 },
                ["SpeechConfig"] = new JsonObject
                {
                    ["Voice"] = "en,slow",
                    ["Volume"] = 1,
                    ["AsrConfig"] = new JsonObject { ["FontSize"] = 52, ["FontColor"] = "#FFFF00", ["AaiMotionInEffect"] = "fade_in,wave_in" },
                },
                ["TitleConfig"] = new JsonObject { ["FontColor"] = "#FFFFFF", ["Alignment"] = "TopCenter" },
                ["BackgroundMusicConfig"] = new JsonObject { ["Volume"] = 0.3 },
                ["ProcessConfig"] = new JsonObject
                {
                    ["SingleShotDuration"] = 3,
                    ["AllowTransition"] = true,
                    ["TransitionList"] = new JsonArray("fade", "wipeleft", "directional"),
                    ["TransitionDuration"] = 0.4,
                },
            },
            ["OutputConfig"] = new JsonObject
            {
                ["MediaURL"] = "out/video_{index}.mp4",
                ["Count"] = count,
                ["Width"] = 720,
                ["Height"] = 1280,
            },
            ["Seed"] = seed,
        };
    }

    public static BatchRequest Parse(JsonObject request) => BatchRequestParser.Parse(request.ToJsonString(), Options);

    public static BatchPlan Plan(JsonObject request) => new ScriptToVideoPlanner().Plan(Parse(request), Facts);

    public static JsonObject Edit(JsonObject request, string config, Action<JsonObject> edit)
    {
        var copy = (JsonObject)request.DeepClone();
        var node = copy[config];
        var target = node is JsonValue value && value.TryGetValue<string>(out var text) ? JsonNode.Parse(text)!.AsObject() : (node as JsonObject ?? new JsonObject());
        edit(target);
        copy[config] = target;
        return copy;
    }

    public static RequestException ParseError(JsonObject request)
    {
        var act = () => Parse(request);
        var error = act.Should().Throw<RequestException>().Which;
        TestTimelines.ShouldBeOneLine(error);
        return error;
    }

    /// <summary>How long the project's scheduler makes the output (the length the renderer would produce).</summary>
    /// <summary>How long the project's scheduler makes the output (the length the renderer would produce); each AI_TTS clip lasts its spoken time.</summary>
    public static double ScheduledSeconds(PlannedOutput output, BatchRequest request)
    {
        var timeline = TestTimelines.Parse(output.TimelineJson).Timeline;
        var media = new Dictionary<string, MediaFacts>(Media);
        foreach (var clip in timeline.AudioTracks.SelectMany(t => t.Clips).Where(c => c.Speech is not null))
            media[clip.MediaUrl] = TestTimelines.Sound(Spoken(new SpeechLine(clip.Speech!.Content, clip.Speech.Voice, clip.Speech.SpeechRate)));
        return TimelineScheduler.Build(timeline, media, new OutputFormat(request.Output.Width, request.Output.Height, 25)).DurationSeconds;
    }

    public static JsonElement JsonOf(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
