using RenderFarm.Media.Ai;
using RenderFarm.Media.Captions;

using FluentAssertions;
using Xunit;

namespace RenderFarm.Media.Tests.Captions;

/// <summary>Caption planning and keyword highlighting (pure).</summary>
public sealed class CaptionTests
{
    [Fact]
    public void Short_sentences_are_one_caption_each_with_the_sentence_times()
    {
        var captions = CaptionPlanner.Plan([new TimedSentence("你好，", 0, 0.8), new TimedSentence("世界。", 0.8, 1.5)], maxCharsPerLine: 12);
        captions.Should().Equal(new Caption("你好，", 0, 0.8, 0), new Caption("世界。", 0.8, 1.5, 1));
    }

    [Fact]
    public void A_long_chinese_sentence_is_split_into_balanced_lines_timed_by_weight()
    {
        var text = "渲染农场会把每一个时间线按顺序渲染成最终的视频文件并上传";  // 28 characters
        var captions = CaptionPlanner.Plan([new TimedSentence(text, 1.0, 8.0)], maxCharsPerLine: 12);

        captions.Select(c => c.Text.Length).Should().Equal(10, 9, 9);
        string.Concat(captions.Select(c => c.Text)).Should().Be(text);
        captions[0].Start.Should().Be(1.0);
        captions[^1].End.Should().Be(8.0);
        captions[1].Start.Should().BeApproximately(1.0 + 7.0 * 10 / 28, 1e-9);
        captions.Zip(captions.Skip(1)).Should().OnlyContain(p => p.First.End == p.Second.Start);
    }

    [Fact]
    public void English_wraps_at_spaces_and_prefers_punctuation()
    {
        CaptionPlanner.Wrap("The farm renders, assembles and uploads every job it is given today.", 30)
            .Should().Equal("The farm renders,", "assembles and uploads every", "job it is given today.");
        CaptionPlanner.Wrap("Supercalifragilisticexpialidocious words", 10).Should().OnlyContain(l => l.Length <= 10);
    }

    [Fact]
    public void Lines_never_start_with_closing_punctuation()
    {
        var lines = CaptionPlanner.Wrap("他说“今天天气很好”，我们一起去公园散步吧。", 9);
        lines.Should().OnlyContain(l => l.Length <= 9);
        lines.Skip(1).Should().OnlyContain(l => !"，。”".Contains(l[0]));
        lines.Should().OnlyContain(l => !l.EndsWith('“'));
    }

    [Fact]
    public void Several_lines_per_caption()
    {
        var text = "one two three four five six seven eight nine ten eleven twelve";
        var captions = CaptionPlanner.Plan([new TimedSentence(text, 0, 6)], maxCharsPerLine: 16, maxLinesPerCaption: 2);
        var lines = CaptionPlanner.Wrap(text, 16);
        captions.Should().HaveCount((lines.Count + 1) / 2);
        captions.SelectMany(c => c.Lines).Should().Equal(lines);
        captions[0].Lines.Should().HaveCount(2);
        lines.Should().OnlyContain(l => l.Length <= 16);
    }

    [Fact]
    public void The_highlighter_picks_numbers_quotes_and_a_repeated_rare_term()
    {
        string[] lines =
        [
            "In 2026 the team moved 45% of its workloads to “Cloud” regions.",
            "The Kubernetes clusters were rebuilt twice.",
            "Every Kubernetes upgrade was planned in advance.",
            "Costs fell and the engineers were happy.",
            "The budget stayed flat for the whole team.",
        ];
        var highlights = KeywordHighlighter.Highlight(lines);

        highlights[0].Select(h => h.Text).Should().Contain(["2026", "45%", "“Cloud”"]);
        highlights[0].Single(h => h.Text == "“Cloud”").Kind.Should().Be(HighlightKind.Quoted);
        highlights[0].Single(h => h.Text == "45%").Kind.Should().Be(HighlightKind.Number);
        highlights[1].Should().ContainSingle(h => h.Text == "Kubernetes" && h.Kind == HighlightKind.Term);
        highlights[2].Should().ContainSingle(h => h.Text == "Kubernetes");
        highlights[3].Should().BeEmpty("nothing there is a number, quoted, or repeated");
        foreach (var (line, ranges) in lines.Zip(highlights))
            foreach (var r in ranges) line.Substring(r.Start, r.Length).Should().Be(r.Text);
    }

    [Fact]
    public void Chinese_numbers_quotes_and_repeated_words()
    {
        string[] lines = ["今年营收增长百分之四十五，达到三百亿元。", "「云计算」是第一大业务，", "云计算团队扩大了一倍。", "大家都很高兴。", "明年继续努力。", "云计算还会增长。"];
        var highlights = KeywordHighlighter.Highlight(lines);

        highlights[0].Select(h => h.Text).Should().Contain(["百分之四十五", "三百亿"]);
        highlights[1].Select(h => h.Text).Should().Contain(["「云计算」", "第一"]);
        highlights[2].Select(h => h.Text).Should().Contain("云计算");
        highlights[3].Should().BeEmpty();
    }

    [Fact]
    public void Common_words_and_chinese_idioms_with_numerals_are_not_numbers()
    {
        KeywordHighlighter.Highlight(["万一下雨，千万别出门。"])[0].Should().BeEmpty();
        KeywordHighlighter.Highlight(["Version 2 of H2O ships in Q3."])[0].Select(h => h.Text).Should().Equal("2");
    }

    [Theory]
    [InlineData("clusters", "cluster")]
    [InlineData("upgraded", "upgrad")]
    [InlineData("upgrading", "upgrad")]
    [InlineData("upgrade", "upgrad")]
    [InlineData("policies", "policy")]
    [InlineData("classes", "class")]
    [InlineData("boxes", "box")]
    [InlineData("quickly", "quick")]
    [InlineData("status", "status")]
    public void The_stemmer_folds_common_suffixes(string word, string stem) => RenderFarm.Core.Text.EnglishStemmer.Stem(word).Should().Be(stem);
}
