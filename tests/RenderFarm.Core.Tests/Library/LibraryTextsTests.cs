using FluentAssertions;
using RenderFarm.Core.Library;
using Xunit;
using static RenderFarm.Core.Tests.Library.LibraryFixture;

namespace RenderFarm.Core.Tests.Library;

/// <summary>What Image-Text Matching gets from a library entry: one whole-medium text and one text per shot.</summary>
public sealed class LibraryTextsTests
{
    [Fact]
    public void An_analysed_video_gives_its_whole_text_then_one_text_per_shot()
    {
        var entry = Entry("m1", "/lib/city.mp4", "City at night", "Traffic and neon", ["city", "night"],
            Video(9, "welcome to the city the lights never sleep",
                Shot(0, 4, "OPEN 24 HOURS", "welcome to the city"),
                Shot(4, 9, "", "the lights never sleep")));

        var texts = LibraryTexts.For(entry);

        texts.Should().HaveCount(3);
        var whole = texts[0];
        whole.IsShot.Should().BeFalse();
        whole.MediaUrl.Should().Be("/lib/city.mp4");
        (whole.Title, whole.Description, whole.DurationSeconds).Should().Be(("City at night", "Traffic and neon", 9.0));
        whole.Tags.Should().Equal("city", "night");
        whole.Transcript.Should().Be("welcome to the city the lights never sleep");
        (texts[1].In, texts[1].Out, texts[1].OcrText, texts[1].Transcript).Should().Be((0.0, 4.0, "OPEN 24 HOURS", "welcome to the city"));
        (texts[2].In, texts[2].Out, texts[2].OcrText, texts[2].Transcript).Should().Be((4.0, 9.0, null, "the lights never sleep"));
        texts.Skip(1).Should().OnlyContain(t => t.MediaUrl == "/lib/city.mp4" && t.Title == null, "the planner adds the whole text to each shot itself");
    }

    [Fact]
    public void An_image_is_one_whole_text_holding_its_OCR()
    {
        var entry = Entry("m2", "/lib/menu.png", "Menu", analysis: new MediaAnalysis(0, 800, 600, false, [Shot(0, 0, "奶茶 15元")], null, Grey));

        var texts = LibraryTexts.For(entry);

        texts.Should().ContainSingle();
        texts[0].IsShot.Should().BeFalse();
        texts[0].OcrText.Should().Be("奶茶 15元");
        texts[0].Title.Should().Be("Menu");
    }

    [Fact]
    public void An_entry_not_yet_analysed_gives_what_the_user_said_about_it()
    {
        var texts = LibraryTexts.For(Entry("m3", "/lib/x.mp4", "Harbour", tags: ["boats"]));

        texts.Should().ContainSingle();
        (texts[0].Title, texts[0].OcrText, texts[0].Transcript).Should().Be(("Harbour", null, null));
        texts[0].Tags.Should().Equal("boats");
    }
}
