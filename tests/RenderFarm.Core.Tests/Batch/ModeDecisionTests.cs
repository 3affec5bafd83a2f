using System.Text.Json.Nodes;
using FluentAssertions;
using RenderFarm.Core.Batch;
using Xunit;
using static RenderFarm.Core.Tests.Batch.BatchFixture;

namespace RenderFarm.Core.Tests.Batch;

/// <summary>The mode IMS would choose, decided from the fields present (IMS "parameter differences" and Script-to-Video rules).</summary>
public sealed class ModeDecisionTests
{
    private static ModeDecision ModeOf(JsonObject input) =>
        Parse(new JsonObject { ["InputConfig"] = input, ["OutputConfig"] = new JsonObject { ["MediaURL"] = "o_{index}.mp4" } }).Mode;

    [Fact]
    public void A_global_SpeechTextArray_with_media_groups_is_Script_to_Video_global()
    {
        var mode = ModeOf(new JsonObject { ["MediaGroupArray"] = Groups(), ["SpeechTextArray"] = new JsonArray("one", "two") });
        mode.Mode.Should().Be(BatchMode.ScriptToVideoGlobal);
        mode.Reason.Should().Be("MediaGroupArray is given and SpeechTextArray holds 2 scripts; each output speaks one of them");
        mode.ToString().Should().StartWith("Script-to-Video, Global Scripts: ");
    }

    [Fact]
    public void A_group_with_its_own_texts_makes_it_segmented_and_the_reason_names_that_group()
    {
        var mode = ModeOf(new JsonObject
        {
            ["MediaGroupArray"] = Groups(g => g == 1 ? new JsonObject { ["SpeechTextArray"] = new JsonArray("body text") } : new JsonObject()),
        });
        mode.Mode.Should().Be(BatchMode.ScriptToVideoSegmented);
        mode.Reason.Should().Be("SpeechTextArray is empty and InputConfig.MediaGroupArray[1] ('node-2') sets SpeechTextArray; voice-over in 1 of 4 groups");
    }

    [Fact]
    public void A_group_Duration_alone_also_makes_it_segmented()
    {
        var mode = ModeOf(new JsonObject { ["MediaGroupArray"] = Groups(g => g == 3 ? new JsonObject { ["Duration"] = 2 } : new JsonObject()) });
        mode.Mode.Should().Be(BatchMode.ScriptToVideoSegmented);
        mode.Reason.Should().Contain("InputConfig.MediaGroupArray[3] ('node-4') sets Duration");
    }

    [Fact]
    public void Groups_without_any_voice_over_or_duration_are_global_without_voice_over()
    {
        var mode = ModeOf(new JsonObject { ["MediaGroupArray"] = Groups() });
        mode.Mode.Should().Be(BatchMode.ScriptToVideoGlobal);
        mode.Reason.Should().Contain("no voice-over");
    }

    [Fact]
    public void MediaGroupArray_takes_precedence_over_MediaArray_and_says_so()
    {
        var mode = ModeOf(new JsonObject
        {
            ["MediaGroupArray"] = Groups(),
            ["MediaArray"] = new JsonArray("body/a.mp4"),
            ["SpeechTextArray"] = new JsonArray("one"),
        });
        mode.Mode.Should().Be(BatchMode.ScriptToVideoGlobal);
        mode.Reason.Should().EndWith("(MediaArray ignored: MediaGroupArray takes precedence)");
    }

    [Fact]
    public void MediaArray_with_scripts_is_Image_Text_Matching_global()
    {
        var mode = ModeOf(new JsonObject { ["MediaArray"] = new JsonArray("body/a.mp4", "body/b.mp4"), ["SpeechTextArray"] = new JsonArray("one") });
        mode.Mode.Should().Be(BatchMode.ImageTextMatchingGlobal);
        mode.IsScriptToVideo.Should().BeFalse();
        mode.Reason.Should().Be("MediaArray holds 2 media (no MediaGroupArray) and SpeechTextArray holds 1 script to match clips to");
    }

    [Fact]
    public void MediaArray_with_shot_scripts_in_SceneInfo_is_Image_Text_Matching_storyboard()
    {
        var scene = new JsonObject { ["Scene"] = "General", ["ShotInfo"] = new JsonObject { ["ShotScripts"] = new JsonArray(new JsonObject { ["ScriptText"] = "a shop" }) } };
        var mode = ModeOf(new JsonObject { ["MediaArray"] = new JsonArray("body/a.mp4"), ["SceneInfo"] = scene.ToJsonString() });
        mode.Mode.Should().Be(BatchMode.ImageTextMatchingStoryboard);
        mode.Reason.Should().EndWith("SceneInfo.ShotInfo describes the shots");
    }

    [Fact]
    public void MediaSearchInput_alone_is_Image_Text_Matching()
    {
        var mode = ModeOf(new JsonObject
        {
            ["MediaSearchInput"] = new JsonObject { ["LibSearchCondition"] = new JsonObject { ["SearchText"] = "bakery" } },
            ["SpeechTextArray"] = new JsonArray("one"),
        });
        mode.Mode.Should().Be(BatchMode.ImageTextMatchingGlobal);
        mode.Reason.Should().StartWith("MediaSearchInput searches the media library");
    }
}
