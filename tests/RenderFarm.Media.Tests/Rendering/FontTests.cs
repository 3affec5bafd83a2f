using FluentAssertions;
using RenderFarm.Core.Timelines;
using RenderFarm.TestSupport;
using Xunit;

namespace RenderFarm.Media.Tests.Rendering;

public sealed class FontTests
{
    [Fact]
    public void The_default_text_font_is_installed_and_covers_chinese()
    {
        var (exit, stdout, _) = Tool.Run("fc-list", ":lang=zh", "family");
        exit.Should().Be(0);
        System.Text.Encoding.UTF8.GetString(stdout).Should().Contain(TextClipParser.DefaultFont,
            "captions name this font; without it libass would fall back to a font without Chinese glyphs");
    }
}
