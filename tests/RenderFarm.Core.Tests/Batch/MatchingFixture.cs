using System.Text.Json.Nodes;
using RenderFarm.Core.Batch;
using RenderFarm.Core.Batch.Matching;
using RenderFarm.Core.Planning;
using RenderFarm.Core.Timelines;

namespace RenderFarm.Core.Tests.Batch;

/// <summary>
/// A media library of 22 media (24 shot texts) whose content is known from made-up analysis: titles, tags,
/// descriptions, OCR and transcripts, in English and Chinese; one video has no text at all. Two scripts of
/// eight sentences, each sentence describing one library shot. Spoken durations: 0.3 s + 0.22 s per Chinese
/// character + 0.055 s per other character.
/// </summary>
internal static class MatchingFixture
{
    public static readonly IReadOnlyDictionary<string, MediaFacts> Media = new Dictionary<string, MediaFacts>
    {
        ["lib/beach.mp4"] = TestTimelines.Video(3),
        ["lib/bakery.mp4"] = TestTimelines.Video(12),
        ["lib/coffee.mp4"] = TestTimelines.Video(6),
        ["lib/city.mp4"] = TestTimelines.Video(15),
        ["lib/mountain.mp4"] = TestTimelines.Video(8),
        ["lib/soccer.mp4"] = TestTimelines.Video(5),
        ["lib/market.mp4"] = TestTimelines.Video(9),
        ["lib/laptop.jpg"] = TestTimelines.Still(1280, 720),
        ["lib/dog.mp4"] = TestTimelines.Video(7),
        ["lib/rain.mp4"] = TestTimelines.Video(4),
        ["lib/factory.mp4"] = TestTimelines.Video(10),
        ["lib/greatwall.mp4"] = TestTimelines.Video(6),
        ["lib/hotpot.mp4"] = TestTimelines.Video(8),
        ["lib/panda.mp4"] = TestTimelines.Video(2),
        ["lib/train.mp4"] = TestTimelines.Video(5),
        ["lib/tea.mp4"] = TestTimelines.Video(6),
        ["lib/bund.mp4"] = TestTimelines.Video(12),
        ["lib/calligraphy.jpg"] = TestTimelines.Still(800, 800),
        ["lib/fireworks.mp4"] = TestTimelines.Video(6),
        ["lib/dumplings.mp4"] = TestTimelines.Video(9),
        ["lib/westlake.mp4"] = TestTimelines.Video(7),
        ["lib/untagged.mp4"] = TestTimelines.Video(6),
        ["music.mp3"] = TestTimelines.Sound(60),
        ["logo.png"] = TestTimelines.Still(200, 200),
    };

    public static readonly MediaText[] Texts =
    [
        new("lib/beach.mp4", Title: "Sunset over the beach", Tags: ["beach", "sunset", "ocean", "waves"], Description: "Golden sunset with waves rolling onto the sandy shore"),
        new("lib/bakery.mp4", Title: "Baker shaping bread", Tags: ["bakery", "bread", "dough", "oven"], Description: "A baker kneads dough and slides loaves into a stone oven", OcrText: "FRESH BREAD DAILY"),
        new("lib/coffee.mp4", Title: "Barista pouring latte art", Tags: ["coffee", "latte", "cafe", "barista"], Description: "Milk foam poured into an espresso cup draws a heart"),
        new("lib/city.mp4", 0, 5, Title: "City skyline at night", Tags: ["city", "skyline", "night", "lights"]),
        new("lib/city.mp4", 5, 10, Title: "Highway traffic", Tags: ["traffic", "cars", "highway", "rush hour"]),
        new("lib/city.mp4", 10, 15, Title: "Subway train arriving", Tags: ["subway", "train", "station", "commuters"]),
        new("lib/city.mp4", Description: "Urban footage of a big city", Tags: ["urban"]),
        new("lib/mountain.mp4", Title: "Snowy mountain peak", Tags: ["mountain", "snow", "hiking", "summit"], Description: "Hikers climb towards a snowy summit"),
        new("lib/soccer.mp4", Title: "Children playing soccer", Tags: ["football", "soccer", "kids", "park"], Transcript: "goal! well done"),
        new("lib/market.mp4", Title: "Farmers market stall", Tags: ["market", "vegetables", "farmers", "tomatoes"], OcrText: "ORGANIC TOMATOES $3"),
        new("lib/laptop.jpg", Title: "Programmer at a laptop", Tags: ["coding", "laptop", "software", "office"]),
        new("lib/dog.mp4", Title: "Dog running in the park", Tags: ["dog", "puppy", "park", "running"]),
        new("lib/rain.mp4", Title: "Rain on a window", Tags: ["rain", "window", "storm", "weather"]),
        new("lib/factory.mp4", Title: "Robotic arms assembling cars", Tags: ["factory", "robot", "assembly", "manufacturing"]),
        new("lib/greatwall.mp4", Title: "长城日出", Tags: ["长城", "日出", "古迹", "北京"], Description: "清晨的阳光照在蜿蜒的长城上"),
        new("lib/hotpot.mp4", Title: "四川火锅", Tags: ["火锅", "美食", "辣椒", "成都"], Description: "热气腾腾的红油火锅里煮着毛肚和肥牛"),
        new("lib/panda.mp4", Title: "大熊猫吃竹子", Tags: ["熊猫", "竹子", "动物", "四川"]),
        new("lib/train.mp4", Title: "高铁驶过田野", Tags: ["高铁", "列车", "交通", "速度"]),
        new("lib/tea.mp4", Title: "采茶的农民", Tags: ["茶叶", "茶园", "龙井", "杭州"]),
        new("lib/bund.mp4", 0, 6, Title: "上海外滩夜景", Tags: ["上海", "外滩", "夜景", "灯光"]),
        new("lib/bund.mp4", 6, 12, Title: "黄浦江游船", Tags: ["游船", "黄浦江", "江面"]),
        new("lib/calligraphy.jpg", Title: "毛笔书法", Tags: ["书法", "毛笔", "汉字", "传统文化"]),
        new("lib/fireworks.mp4", Title: "春节烟花", Tags: ["烟花", "春节", "庆祝", "新年"], OcrText: "新年快乐"),
        new("lib/dumplings.mp4", Title: "包饺子", Tags: ["饺子", "面粉", "家庭", "年夜饭"]),
        new("lib/westlake.mp4", Title: "西湖荷花", Tags: ["西湖", "荷花", "湖面", "杭州"]),
    ];

    /// <summary>Each sentence with the medium it describes and the start of the described shot (null: any piece of an undivided video).</summary>
    public static readonly (string Sentence, string Media, double? In)[] English =
    [
        ("The sun sets slowly over the ocean while waves wash the sand.", "lib/beach.mp4", null),
        ("Our bakers knead the dough by hand and bake every loaf in a stone oven.", "lib/bakery.mp4", null),
        ("Then a barista pours a latte with a perfect heart on top.", "lib/coffee.mp4", null),
        ("At night the city skyline glows with a million lights.", "lib/city.mp4", 0),
        ("Commuters step off the subway train at the station.", "lib/city.mp4", 10),
        ("On the weekend, kids play football in the park until dark!", "lib/soccer.mp4", null),
        ("Fresh organic tomatoes and vegetables wait at the farmers market.", "lib/market.mp4", null),
        ("Meanwhile, robots assemble cars in the factory around the clock.", "lib/factory.mp4", null),
    ];

    public static readonly (string Sentence, string Media, double? In)[] Chinese =
    [
        ("清晨的长城沐浴在日出的阳光里。", "lib/greatwall.mp4", null),
        ("成都人最爱热辣的火锅。", "lib/hotpot.mp4", null),
        ("大熊猫在竹林里悠闲地吃着竹子。", "lib/panda.mp4", null),
        ("高铁飞驰，穿过金色的田野。", "lib/train.mp4", null),
        ("杭州的茶农在茶园里采摘龙井？", "lib/tea.mp4", null),
        ("夜幕降临，上海外滩灯火辉煌。", "lib/bund.mp4", 0),
        ("春节的夜空绽放着绚丽的烟花！", "lib/fireworks.mp4", null),
        ("一家人围坐在一起包饺子，准备年夜饭。", "lib/dumplings.mp4", null),
    ];

    public static string Script((string Sentence, string, double?)[] sentences, string joiner) => string.Join(joiner, sentences.Select(s => s.Sentence));

    public static double Spoken(SpeechLine line) =>
        0.3 + line.Text.Sum(c => TextTerms.IsIdeograph(c) ? 0.22 : 0.055);

    public static readonly MatchingFacts Facts = new(new BatchFacts(Media, line => Spoken(line)), Texts);

    public static JsonObject Request(JsonObject input, int count = 1, int seed = 11, bool transitions = false, bool media = true)
    {
        if (media) input["MediaArray"] ??= new JsonArray(Media.Keys.Where(k => k.StartsWith("lib/", StringComparison.Ordinal)).Select(k => (JsonNode)k!).ToArray());
        return new JsonObject
        {
            ["InputConfig"] = input.ToJsonString(),
            ["EditingConfig"] = new JsonObject
            {
                ["MediaConfig"] = new JsonObject { ["Volume"] = 0 },
                ["ProcessConfig"] = new JsonObject
                {
                    ["SingleShotDuration"] = 3,
                    ["AllowTransition"] = transitions,
                    ["TransitionList"] = new JsonArray("fade"),
                    ["TransitionDuration"] = 0.3,
                },
            },
            ["OutputConfig"] = new JsonObject { ["MediaURL"] = "out/itm_{index}.mp4", ["Count"] = count, ["Width"] = 720, ["Height"] = 1280 },
            ["Seed"] = seed,
        };
    }

    public static JsonObject GlobalRequest(string script, int count = 1, int seed = 11, bool transitions = false) =>
        Request(new JsonObject
        {
            ["SpeechTextArray"] = new JsonArray(script),
            ["TitleArray"] = new JsonArray("Our town"),
            ["BackgroundMusicArray"] = new JsonArray("music.mp3"),
            ["StickerArray"] = new JsonArray(new JsonObject { ["MediaURL"] = "logo.png", ["X"] = 0.8, ["Y"] = 0.05, ["Width"] = 0.15, ["Height"] = 0.08 }),
        }, count, seed, transitions);

    /// <summary>How long the project's scheduler makes the output; each AI_TTS clip lasts its spoken time.</summary>
    public static double ScheduledSeconds(PlannedOutput output, BatchRequest request)
    {
        var timeline = TestTimelines.Parse(output.TimelineJson).Timeline;
        var media = new Dictionary<string, MediaFacts>(Media);
        foreach (var clip in timeline.AudioTracks.SelectMany(t => t.Clips).Where(c => c.Speech is not null))
            media[clip.MediaUrl] = TestTimelines.Sound(Spoken(new SpeechLine(clip.Speech!.Content, clip.Speech.Voice, clip.Speech.SpeechRate)));
        return TimelineScheduler.Build(timeline, media, new OutputFormat(request.Output.Width, request.Output.Height, 25)).DurationSeconds;
    }
}
