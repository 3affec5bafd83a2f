using System.Text.Json.Nodes;
using FluentAssertions;
using RenderFarm.Core.Batch;
using Xunit;
using static RenderFarm.Core.Tests.Batch.BatchFixture;

namespace RenderFarm.Core.Tests.Batch;

/// <summary>Reading SubmitBatchMediaProducingJob requests: IMS names, defaults, and one-line errors naming the field.</summary>
public sealed class BatchRequestParserTests
{
    [Fact]
    public void The_configs_may_arrive_as_JSON_strings_the_way_IMS_sends_them()
    {
        var request = GlobalRequest();
        var asStrings = (JsonObject)request.DeepClone();
        asStrings["EditingConfig"] = request["EditingConfig"]!.ToJsonString();
        asStrings["OutputConfig"] = request["OutputConfig"]!.ToJsonString();

        var fromStrings = Parse(asStrings);
        var fromObjects = Parse(Edit(request, "InputConfig", _ => { }));

        fromStrings.Input.MediaGroups.Select(g => g.Name).Should().Equal("node-1", "node-2", "node-3", "node-4");
        fromStrings.Input.MediaGroups[1].Media.Select(m => m.Url).Should().Equal("body/a.mp4", "body/b.mp4", "body/c.mp4");
        fromStrings.Input.MediaGroups[1].Media[2].Path.Should().Be("InputConfig.MediaGroupArray[1].MediaArray[2]");
        fromStrings.Input.SpeechTexts.Select(t => t.Text).Should().Equal(Scripts);
        fromStrings.Editing.Speech.Voices.Should().Equal("en", "slow");
        fromStrings.Editing.Process.Transitions.Should().Equal("fade", "wipeleft", "directional");
        fromStrings.Output.Should().Be(fromObjects.Output);
        fromStrings.Output.Should().Be(new BatchOutput("out/video_{index}.mp4", 10, null, null, 720, 1280, false, null, null));
        fromStrings.Output.UrlFor(3).Should().Be("out/video_3.mp4");
        fromStrings.Seed.Should().Be(7);
    }

    [Fact]
    public void Defaults_follow_IMS_a_muted_source_1080x1920_one_output_and_3_s_shots()
    {
        var request = Parse(new JsonObject
        {
            ["InputConfig"] = new JsonObject { ["MediaGroupArray"] = Groups() },
            ["OutputConfig"] = new JsonObject { ["MediaURL"] = "out.mp4" },
        });
        request.Output.Count.Should().Be(1);
        (request.Output.Width, request.Output.Height).Should().Be((1080, 1920));
        request.Editing.MediaVolume.Should().Be(0);
        request.Editing.Speech.Volume.Should().Be(1);
        request.Editing.Process.SingleShotSeconds.Should().Be(3);
        request.Editing.Process.AllowTransition.Should().BeFalse();
        request.Input.MediaGroups.Should().OnlyContain(g => g.SplitMode == SplitMode.NoSplit && g.Duration == null);
        request.Warnings.Should().BeEmpty();
    }

    [Fact]
    public void FileName_may_name_the_outputs_and_GeneratePreviewOnly_is_kept()
    {
        var request = Parse(Edit(GlobalRequest(count: 2), "OutputConfig", o =>
        {
            o.Remove("MediaURL");
            o["FileName"] = "shop_{index}.mp4";
            o["GeneratePreviewOnly"] = "true";
        }));
        request.Output.Pattern.Should().Be("shop_{index}.mp4");
        request.Output.UrlFor(2).Should().Be("shop_2.mp4");
        request.Output.PreviewOnly.Should().BeTrue();
    }

    [Fact]
    public void Singular_fields_are_read_and_the_array_wins_when_both_are_given()
    {
        var request = Parse(new JsonObject
        {
            ["InputConfig"] = new JsonObject
            {
                ["MediaGroupArray"] = Groups(),
                ["SpeechText"] = "ignored script",
                ["SpeechTextArray"] = new JsonArray("kept script"),
                ["Title"] = "Only title",
                ["BackgroundMusic"] = "music/a.mp3",
            },
            ["OutputConfig"] = new JsonObject { ["MediaURL"] = "out.mp4" },
        });
        request.Input.SpeechTexts.Select(t => t.Text).Should().Equal("kept script");
        request.Input.Titles.Should().Equal(new TextItem("InputConfig.Title", "Only title"));
        request.Input.BackgroundMusic.Should().Equal(new MediaRef("InputConfig.BackgroundMusic", "music/a.mp3"));
        request.Warnings.Select(w => w.ToString()).Should().Contain("InputConfig.SpeechText: SpeechTextArray is given too and takes precedence; SpeechText was ignored");
    }

    [Fact]
    public void MediaSearchInput_and_sticker_MediaIds_are_read_for_the_node_to_resolve()
    {
        var request = Parse(new JsonObject
        {
            ["InputConfig"] = new JsonObject
            {
                ["MediaSearchInput"] = """{"LibSearchCondition":{"SearchLibs":["ims-default-search-lib"],"SearchText":"  bakery  "}}""",
                ["SpeechTextArray"] = new JsonArray("Fresh bread."),
                ["StickerArray"] = new JsonArray(
                    new JsonObject { ["MediaId"] = "0123456789abcdef0123456789abcdef", ["MediaURL"] = "logo.png" },
                    new JsonObject { ["MediaURL"] = "badge.png" }),
            },
            ["OutputConfig"] = new JsonObject { ["MediaURL"] = "out.mp4" },
        });
        request.Input.MediaSearch.Should().Be(new MediaSearch("InputConfig.MediaSearchInput", request.Input.MediaSearch!.SearchLibs, "bakery"));
        request.Input.MediaSearch.SearchLibs.Should().Equal("ims-default-search-lib");
        request.Input.Stickers.Select(s => s.Media).Should().Equal(
            new MediaRef("InputConfig.StickerArray[0].MediaId", "0123456789abcdef0123456789abcdef"),
            new MediaRef("InputConfig.StickerArray[1].MediaURL", "badge.png"));
        request.Warnings.Should().BeEmpty("MediaId wins over MediaURL without a warning (IMS)");

        var tooLong = () => Parse(Edit(GlobalRequest(), "InputConfig", i => i["MediaSearchInput"] = new JsonObject
        {
            ["LibSearchCondition"] = new JsonObject { ["SearchText"] = new string('x', 513) },
        }));
        tooLong.Should().Throw<RenderFarm.Core.Json.RequestException>().Which.Path.Should().Be("InputConfig.MediaSearchInput.LibSearchCondition.SearchText");
    }

    [Fact]
    public void Fields_read_but_not_honoured_and_unknown_fields_are_warnings()
    {
        var request = Parse(Edit(Edit(GlobalRequest(), "EditingConfig", e =>
        {
            e["ProcessConfig"]!["AllowVfxEffect"] = true;
            e["ProcessConfig"]!["AlignmentMode"] = "AutoSpeed";
            e["SpeechConfig"]!["CustomizedVoice"] = "my-clone";
        }), "InputConfig", i => i["Mystery"] = 1));
        request.Warnings.Select(w => w.Path).Should().BeEquivalentTo(
            "EditingConfig.ProcessConfig.AllowVfxEffect",
            "EditingConfig.ProcessConfig.AlignmentMode",
            "EditingConfig.SpeechConfig.CustomizedVoice",
            "InputConfig.Mystery");
        request.Editing.Process.Alignment.Should().Be(AlignmentMode.AutoSpeed);
    }

    [Fact]
    public void Caption_and_title_styles_keep_the_users_fields_over_the_defaults()
    {
        var request = Parse(GlobalRequest());
        var captions = request.Editing.Speech.Captions;
        captions.Fields.Single(f => f.Key == "FontSize").Value.GetDouble().Should().Be(52);
        captions.Fields.Single(f => f.Key == "FontColor").Value.GetString().Should().Be("#FFFF00");
        captions.Fields.Single(f => f.Key == "Alignment").Value.GetString().Should().Be("BottomCenter");
        captions.MotionIn.Should().Equal("fade_in", "wave_in");
        request.Editing.TitleStyle.Fields.Single(f => f.Key == "Alignment").Value.GetString().Should().Be("TopCenter");
    }

    [Fact]
    public void A_caption_loop_beyond_the_known_ones_is_warned_and_left_out()
    {
        var request = BatchRequestParser.Parse(Edit(GlobalRequest(), "EditingConfig",
            e => e["SpeechConfig"]!["AsrConfig"]!["AaiMotionLoopEffect"] = "heartbeat_display,spin_display").ToJsonString());

        request.Editing.Speech.Captions.MotionLoop.Should().Equal("heartbeat_display");
        request.Warnings.Select(w => w.ToString()).Should().Contain("EditingConfig.SpeechConfig.AsrConfig.AaiMotionLoopEffect: 'spin_display' is not one RenderFarm draws ("
            + string.Join(", ", Timelines.TextMotionCatalog.LoopNames) + "); it is left out");
    }

    [Fact]
    public void Voices_are_checked_only_when_the_caller_knows_them()
    {
        var request = Edit(GlobalRequest(), "EditingConfig", e => e["SpeechConfig"]!["Voice"] = "robot");
        BatchRequestParser.Parse(request.ToJsonString()).Editing.Speech.Voices.Should().Equal("robot");
        var error = ParseError(request);
        error.Path.Should().Be("EditingConfig.SpeechConfig.Voice");
        error.Reason.Should().Be("unknown voice 'robot'; available: en, slow, zh");
    }

    /// <summary>Every invalid request: how it is made, the field named, the one-line reason.</summary>
    private static readonly Dictionary<string, (Func<JsonObject> Make, string Path, string Reason)> Invalid = new()
    {
        ["Count 0"] = (() => Edit(GlobalRequest(), "OutputConfig", o => o["Count"] = 0),
            "OutputConfig.Count", "must be between 1 and 100 (got 0)"),
        ["Count 101"] = (() => Edit(GlobalRequest(), "OutputConfig", o => o["Count"] = 101),
            "OutputConfig.Count", "must be between 1 and 100 (got 101)"),
        ["no media at all"] = (() => Edit(GlobalRequest(), "InputConfig", i => i.Remove("MediaGroupArray")),
            "InputConfig", "no media: give MediaGroupArray (Script-to-Video) or MediaArray / MediaSearchInput (Image-Text Matching)"),
        ["a group without media"] = (() => Edit(GlobalRequest(), "InputConfig", i => i["MediaGroupArray"]![2]!["MediaArray"] = new JsonArray()),
            "InputConfig.MediaGroupArray[2].MediaArray", "must not be empty"),
        ["FixedDuration with voice-over"] = (() => Edit(GlobalRequest(), "OutputConfig", o => o["FixedDuration"] = 15),
            "OutputConfig.FixedDuration", "cannot be combined with voice-over text (InputConfig.SpeechTextArray): the voice-over decides the length"),
        ["FixedDuration in segmented mode"] = (() => Edit(Edit(GlobalRequest(), "OutputConfig", o => o["FixedDuration"] = 15), "InputConfig", i =>
            {
                i.Remove("SpeechTextArray");
                i["MediaGroupArray"]![0]!["Duration"] = 2;
            }),
            "OutputConfig.FixedDuration", "is not supported in Segmented Scripts mode: each group's voice-over or Duration decides its length"),
        ["global and group voice-over together"] = (() => Edit(GlobalRequest(), "InputConfig", i => i["MediaGroupArray"]![0]!["SpeechTextArray"] = new JsonArray("hello")),
            "InputConfig.SpeechTextArray", "cannot be combined with InputConfig.MediaGroupArray[0].SpeechTextArray: global and per-group voice-over are exclusive (IMS)"),
        ["Width below 128"] = (() => Edit(GlobalRequest(), "OutputConfig", o => o["Width"] = 100),
            "OutputConfig.Width", "must be between 128 and 4096 (got 100)"),
        ["Height above 4096"] = (() => Edit(GlobalRequest(), "OutputConfig", o => o["Height"] = 5000),
            "OutputConfig.Height", "must be between 128 and 4096 (got 5000)"),
        ["shorter side above 2160"] = (() => Edit(GlobalRequest(), "OutputConfig", o => { o["Width"] = 3840; o["Height"] = 2400; }),
            "OutputConfig.Width", "the shorter side of 3840x2400 exceeds 2160 px"),
        ["unknown SplitMode"] = (() => Edit(GlobalRequest(), "InputConfig", i => i["MediaGroupArray"]![0]!["SplitMode"] = "Random"),
            "InputConfig.MediaGroupArray[0].SplitMode", "unknown value 'Random'; supported: NoSplit, AverageSplit"),
        ["unknown AlignmentMode"] = (() => Edit(GlobalRequest(), "EditingConfig", e => e["ProcessConfig"]!["AlignmentMode"] = "Stretch"),
            "EditingConfig.ProcessConfig.AlignmentMode", "unknown value 'Stretch'; supported: Cut, AutoSpeed"),
        ["unknown caption motion"] = (() => Edit(GlobalRequest(), "EditingConfig", e => e["SpeechConfig"]!["AsrConfig"]!["AaiMotionInEffect"] = "fade_in,spin_in"),
            "EditingConfig.SpeechConfig.AsrConfig.AaiMotionInEffect", "unknown value 'spin_in'; supported: " + string.Join(", ", Timelines.TextMotionCatalog.InNames)),
        ["unknown transition"] = (() => Edit(GlobalRequest(), "EditingConfig", e => e["ProcessConfig"]!["TransitionList"] = new JsonArray("fade", "nope")),
            "EditingConfig.ProcessConfig.TransitionList", "unknown transition 'nope'; supported: " + string.Join(", ", Timelines.TransitionCatalog.ImsNames)),
        ["Count above 1 without {index}"] = (() => Edit(GlobalRequest(), "OutputConfig", o => { o["Count"] = 3; o["MediaURL"] = "out/video.mp4"; }),
            "OutputConfig.MediaURL", "must contain {index} when Count is 3, or the outputs would overwrite each other"),
        ["no output address"] = (() => Edit(GlobalRequest(), "OutputConfig", o => o.Remove("MediaURL")),
            "OutputConfig.MediaURL", "is required: where the outputs go, with {index} for the output's number (e.g. out/video_{index}.mp4)"),
        ["no OutputConfig"] = (() => { var r = GlobalRequest(); r.Remove("OutputConfig"); return r; },
            "OutputConfig", "is required"),
        ["malformed InputConfig text"] = (() => { var r = GlobalRequest(); r["InputConfig"] = "{\"MediaGroupArray\": ["; return r; },
            "InputConfig", "malformed JSON at line 1, column 22"),
        ["title too long"] = (() => Edit(GlobalRequest(), "InputConfig", i => i["TitleArray"] = new JsonArray("Open", "The longest title of them all")),
            "InputConfig.TitleArray[1]", "at most 20 characters are allowed (got 29)"),
        ["empty script"] = (() => Edit(GlobalRequest(), "InputConfig", i => i["SpeechTextArray"] = new JsonArray("fine", "  ")),
            "InputConfig.SpeechTextArray[1]", "must not be empty"),
        ["41 groups"] = (() => Edit(GlobalRequest(), "InputConfig", i => i["MediaGroupArray"] = new JsonArray(Enumerable.Range(0, 41)
                .Select(n => (JsonNode)new JsonObject { ["GroupName"] = $"g{n}", ["MediaArray"] = new JsonArray("open/a.mp4") }).ToArray())),
            "InputConfig.MediaGroupArray", "at most 40 are allowed (got 41)"),
        ["duplicate group name"] = (() => Edit(GlobalRequest(), "InputConfig", i => i["MediaGroupArray"]![1]!["GroupName"] = "node-1"),
            "InputConfig.MediaGroupArray[1].GroupName", "'node-1' is already the name of InputConfig.MediaGroupArray[0]; group names must be unique"),
        ["group volume above 10"] = (() => Edit(GlobalRequest(), "InputConfig", i => i["MediaGroupArray"]![0]!["Volume"] = 11),
            "InputConfig.MediaGroupArray[0].Volume", "must be between 0.0 and 10.0 (got 11.0)"),
        ["SpeechRate above 500"] = (() => Edit(GlobalRequest(), "EditingConfig", e => e["SpeechConfig"]!["SpeechRate"] = 600),
            "EditingConfig.SpeechConfig.SpeechRate", "must be between -500.0 and 500.0 (got 600.0)"),
        ["caption FontSize 0"] = (() => Edit(GlobalRequest(), "EditingConfig", e => e["SpeechConfig"]!["AsrConfig"]!["FontSize"] = 0),
            "EditingConfig.SpeechConfig.AsrConfig.FontSize", "must be between 1.0 and 2000.0 (got 0.0)"),
        ["SingleShotDuration 0.1"] = (() => Edit(GlobalRequest(), "EditingConfig", e => e["ProcessConfig"]!["SingleShotDuration"] = 0.1),
            "EditingConfig.ProcessConfig.SingleShotDuration", "must be between 0.5 and 60.0 (got 0.1)"),
        ["Image-Text Matching without script or shots"] = (() => Edit(GlobalRequest(), "InputConfig", i =>
            {
                i.Remove("MediaGroupArray");
                i.Remove("SpeechTextArray");
                i["MediaArray"] = new JsonArray("body/a.mp4");
            }),
            "InputConfig.SpeechTextArray", "Image-Text Matching (MediaArray / MediaSearchInput) needs SpeechTextArray (Global Scripts) or SceneInfo.ShotInfo (Storyboard Script)"),
    };

    public static TheoryData<string> InvalidCases => [.. Invalid.Keys];

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void An_invalid_request_names_the_field_and_says_why(string name)
    {
        var (make, path, reason) = Invalid[name];
        var error = ParseError(make());
        error.Path.Should().Be(path);
        error.Reason.Should().Be(reason);
    }
}
