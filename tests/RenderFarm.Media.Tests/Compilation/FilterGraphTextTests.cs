using System.Text;
using FluentAssertions;
using RenderFarm.Media.Compilation;
using RenderFarm.Media.Tests.Rendering;
using RenderFarm.TestSupport;
using Xunit;

namespace RenderFarm.Media.Tests.Compilation;

/// <summary>
/// FilterGraphText.EscapeValue is the one function through which text (file names, captions, colours)
/// enters a filter graph. A value is parsed twice by ffmpeg (graph, then the filter's options), so it is
/// escaped twice; these tests pin the exact escaping and check with ffmpeg itself that any string
/// arrives unchanged.
/// </summary>
public sealed class FilterGraphTextTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Characters special to the option parser, the graph parser, or trimmed by either.</summary>
    public static TheoryData<string, string> Escapes => new()
    {
        { "plain", "plain" },
        { @"back\slash", @"back\\\\slash" },          // option: \\   graph: each \ again
        { "it's", @"it\\\'s" },                        // option: \'   graph: \\ and \'
        { "a:b", @"a\\:b" },                           // option: \:   graph: \\ (':' is plain there)
        { "a,b", @"a\,b" },                            // graph only: ',' separates filters
        { "[label]", @"\[label\]" },                   // graph only: '[' ']' are link labels
        { "a;b", @"a\;b" },                            // graph only: ';' separates chains
        { "a\tb", "a\\\\\\\tb" },                      // whitespace: escaped at both levels
        { " lead", "\\\\\\ lead" },                    // a leading blank survives both trims
        { "trail ", "trail\\\\\\ " },                  // a trailing blank too
        { "line\nbreak", "line\\\\\\\nbreak" },
        { "中文 ünïcode", "中文\\\\\\ ünïcode" },        // non-ASCII passes through as is
        { "", "" },
    };

    [Theory]
    [MemberData(nameof(Escapes))]
    public void Escapes_each_special_character_for_both_parsers(string value, string escaped)
    {
        FilterGraphText.EscapeValue(value).Should().Be(escaped);
    }

    [Fact]
    public void A_NUL_character_is_refused()
    {
        var act = () => FilterGraphText.EscapeValue("a\0b");

        act.Should().Throw<ArgumentException>().WithMessage("a filter value cannot contain NUL*");
    }

    [Fact]
    public void Filter_escapes_every_value_and_formats_numbers_invariantly()
    {
        FilterGraphText.Filter("drawtext", ("text", "a:b"), ("x", 1.5), ("y", 2), ("box", true))
            .Should().Be(@"drawtext=text=a\\:b:x=1.5:y=2:box=1");
    }

    /// <summary>Strings with every kind of special character, alone and together.</summary>
    public static TheoryData<string> Hostile => new()
    {
        @"\", "'", ":", ",", "[", "]", ";", "\t", " ", "\n",
        @"it's a [test]; with, commas: and \back\slashes\",
        "  leading and trailing  ",
        "\ttabbed\t",
        "多行\n文本",
        "'quoted'",
        @"\'",
        "%{pts}",
    };

    /// <summary>
    /// ffmpeg's metadata filter stores a value and prints it back: the value that reaches the filter is
    /// exactly the one written, for any string. The print file's own name is hostile too.
    /// </summary>
    [Theory]
    [MemberData(nameof(Hostile))]
    public void Any_value_reaches_the_filter_unchanged(string value)
    {
        var directory = Directory.CreateDirectory(_dir.File(@"odd ' : , [ ] ; \ dir")).FullName;
        var printed = Path.Combine(directory, "printed 'metadata' [1].txt");
        var graph = string.Join(",",
            "color=c=black:s=16x16:d=0.04",
            FilterGraphText.Filter("metadata", ("mode", "add"), ("key", "k"), ("value", value)),
            FilterGraphText.Filter("metadata", ("mode", "print"), ("key", "k"), ("file", printed)));
        var script = _dir.File("graph.txt");
        File.WriteAllText(script, graph);

        Tool.Ffmpeg("-filter_complex_script", script, "-f", "null", "-");

        var text = File.ReadAllText(printed, Encoding.UTF8);
        text.Should().EndWith($"\nk={value}\n", "the printed block is 'frame:0 pts:0 pts_time:0' then key=value");
    }

    [Fact]
    public void Drawtext_accepts_a_text_with_every_special_character()
    {
        var output = _dir.File("drawtext.png");
        var graph = "color=c=black:s=320x80:d=0.04," + FilterGraphText.Filter("drawtext",
            ("text", @"it's a [test]; with, commas: and \back\slashes\"), ("fontsize", 16), ("fontcolor", "white"), ("x", 4), ("y", 30));
        var script = _dir.File("drawtext.txt");
        File.WriteAllText(script, graph);

        var (exit, _, stderr) = Tool.Run("ffmpeg", "-hide_banner", "-nostdin", "-y", "-loglevel", "error",
            "-filter_complex_script", script, "-frames:v", "1", output);

        exit.Should().Be(0, stderr);
        var frame = Inspect.Frame(output, 0);
        var lit = Enumerable.Range(0, frame.Width).Count(x => Inspect.Pixel(frame, x, 40).R > 128);
        lit.Should().BeGreaterThan(5, "the text is drawn");
    }

    [Fact]
    public async Task Subtitles_render_from_an_ass_file_whose_path_has_every_special_character()
    {
        var media = new TestMedia(_dir.Path);
        var black = media.ColourVideo("black.mp4", "black", 1);
        var json = $$"""
            {"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"{{black}}"}]}],
             "SubtitleTracks":[{"SubtitleTrackClips":[{"Type":"Text","Content":"HELLO","Alignment":"CenterCenter","FontSize":60,"FontColor":"#FFFFFF"}]}]}
            """;

        // The captions file is written into a work directory beside the output, so its path holds these characters.
        var output = await LocalRender.RenderAsync(json, _dir.Path, @"it's [odd]; a, b: c \ d/out.mp4");

        output.Should().Contain(@"it's [odd]; a, b: c \ d");
        var mean = Inspect.Mean(Inspect.FrameAt(output, 12), 0, 80, 320, 80);
        (mean.R + mean.G + mean.B).Should().BeGreaterThan(30, "the white caption is drawn from the ASS file");
    }
}
