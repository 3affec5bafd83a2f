using FluentAssertions;
using RenderFarm.Media.Analysis;
using Xunit;

namespace RenderFarm.Media.Tests.Analysis;

public sealed class TesseractTsvTests
{
    private const string Header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n";

    private static string Word(int line, int word, double conf, string text) => $"5\t1\t1\t1\t{line}\t{word}\t0\t0\t10\t10\t{conf}\t{text}\n";

    [Fact]
    public void Words_are_joined_per_line_without_spaces_between_chinese_characters_and_unsure_words_are_dropped()
    {
        var tsv = Header + "4\t1\t1\t1\t1\t0\t0\t0\t100\t10\t-1\t\n"
            + Word(1, 1, 96.6, "你") + Word(1, 2, 96.6, "好") + Word(1, 3, 86.9, "世界") + Word(1, 4, 91, "Hello")
            + Word(2, 1, 95, "GARDEN") + Word(2, 2, 12.5, "~|") + Word(2, 3, 90, "PARTY")
            + Word(3, 1, 30, "noise");

        TesseractTsv.ToText(tsv, minConfidence: 60).Should().Be("你好世界 Hello\nGARDEN PARTY");
    }

    [Fact]
    public void No_words_give_empty_text()
    {
        TesseractTsv.ToText(Header + "1\t1\t0\t0\t0\t0\t0\t0\t640\t360\t-1\t\n", 60).Should().BeEmpty();
    }
}
