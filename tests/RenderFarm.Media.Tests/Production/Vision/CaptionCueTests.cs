using FluentAssertions;
using RenderFarm.Core.Json;
using RenderFarm.Media.Ai;
using RenderFarm.Media.Captions;
using RenderFarm.Media.Production;
using RenderFarm.Media.Vision.Captions;
using RenderFarm.Media.Vision.TextRemoval;
using Xunit;

namespace RenderFarm.Media.Tests.Production.Vision;

/// <summary>The pure steps of CaptionExtraction and VideoDetext: cues from OCR samples, boxes held over time, the roi, JobParams.</summary>
public sealed class CaptionCueTests
{
    private const double Interval = 0.2;

    private static TextLine Line(string text, double confidence = 0.95, int x = 100, int y = 300, int w = 200, int h = 30) =>
        new(text, confidence, [new(x, y), new(x + w, y), new(x + w, y + h), new(x, y + h)]);

    private static CaptionSample Sample(int index, params TextLine[] lines) => new(index * Interval, lines);

    [Fact]
    public void Pieces_of_one_line_cut_at_a_wide_word_gap_are_one_row_and_lines_below_are_rows_of_their_own()
    {
        var rows = CaptionCueBuilder.Rows([Line("framecounts", x: 260, y: 302, h: 28), Line("列车今晚七点出发", y: 340), Line("Every", x: 120)]);
        rows.Should().Equal("Every framecounts", "列车今晚七点出发");
    }

    [Fact]
    public void Samples_reading_the_same_caption_merge_into_one_cue_with_the_majority_reading_and_half_interval_margins()
    {
        var samples = new List<CaptionSample>
        {
            Sample(0), Sample(1, Line("Hello world")), Sample(2, Line("He1lo world", 0.6)), Sample(3, Line("Hello world")), Sample(4, Line("Hello world")),
            Sample(5, Line("欢迎回到我们的频道")), Sample(6, Line("欢迎回到我们的频道")), Sample(7),
            Sample(8, Line("Train leaves at 7:45", 0.9), Line("列车今晚七点出发", 0.9, y: 330)), Sample(9, Line("Train leaves at 7:45"), Line("列车今晚七点出发", y: 330)),
        };
        var cues = CaptionCueBuilder.Build(samples, Interval, duration: 1.9);

        cues.Select(c => c.Text).Should().Equal("Hello world", "欢迎回到我们的频道", "Train leaves at 7:45\n列车今晚七点出发");
        cues[0].Start.Should().BeApproximately(0.1, 1e-9);
        cues[0].End.Should().BeApproximately(0.9, 1e-9);
        cues[0].Samples.Should().Be(4);
        cues[1].Start.Should().BeApproximately(0.9, 1e-9, "a different text with no blank between ends the cue before it");
        cues[1].End.Should().BeApproximately(1.3, 1e-9);
        cues[2].End.Should().Be(1.9, "a cue ends at the latest at the video's end");
        cues[2].Box.Should().Be(new PixelBox(100, 300, 200, 60));
    }

    [Fact]
    public void A_blank_sample_splits_a_caption_shown_twice_and_a_misreading_within_a_quarter_of_the_text_does_not()
    {
        var cues = CaptionCueBuilder.Build([Sample(0, Line("Night market")), Sample(1, Line("Night market")), Sample(2), Sample(3, Line("Night market"))], Interval, 10);
        cues.Should().HaveCount(2);
        CaptionCueBuilder.Similar("Nightmarketopens", "Nightrnarketopens").Should().BeTrue();
        CaptionCueBuilder.Similar("Nightmarketopens", "Museumreopens").Should().BeFalse();
        CaptionCueBuilder.Build([Sample(0, Line("A caption line")), Sample(5, Line("A caption line"))], Interval, 10)
            .Should().HaveCount(2, "samples missing between two readings (a dropped frame run) split them");
        CaptionCueBuilder.Build([Sample(0, Line("电", 0.57)), Sample(1), Sample(2, Line("Short", 0.9))], Interval, 10).Select(c => c.Text)
            .Should().Equal(["Short"], "a one-sample reading needs a confidence of 0.8 (a glyph read into the background for a frame is not a caption)");
    }

    [Fact]
    public void Sep_sorts_lines_by_language_and_the_formatter_starts_every_cue()
    {
        CaptionLanguage.Of("列车今晚七点出发").Should().Be("zh");
        CaptionLanguage.Of("Flight 2026 now boarding").Should().Be("en");
        SrtWriter.Write([new SrtCue(1.25, 2.5, ["Hello", " "]), new SrtCue(0, 1, [])], "{\\an8}")
            .Should().Be("1\n00:00:01,250 --> 00:00:02,500\n{\\an8}Hello\n\n");
    }

    [Fact]
    public void Boxes_that_jitter_are_one_track_held_from_the_sample_before_to_the_sample_after_and_padded_inside_the_frame()
    {
        var samples = new List<(double, IReadOnlyList<PixelBox>)>();
        for (var i = 0; i < 10; i++)
        {
            var boxes = new List<PixelBox>();
            if (i is >= 1 and <= 4) boxes.Add(new PixelBox(100 + i % 2 * 3, 300 - i % 2, 200, 30)); // a line, detected a few pixels apart
            if (i is >= 3 and <= 5) boxes.Add(new PixelBox(2, 330, 50, 28)); // a second line at the left edge, overlapping in time
            if (i is 8) boxes.Add(new PixelBox(100, 300, 200, 30)); // the first place again after a gap: a new caption
            samples.Add((i * Interval, boxes));
        }
        var tracks = TextBoxTracker.Track(samples, Interval, duration: 1.9, pad: 4, width: 640, height: 360);

        tracks.Should().HaveCount(3);
        tracks[0].Box.Should().Be(new PixelBox(96, 295, 211, 39));
        tracks[0].Start.Should().BeApproximately(0, 1e-9);
        tracks[0].End.Should().BeApproximately(1.0, 1e-9);
        tracks[0].Samples.Should().Be(4);
        tracks[1].Box.Should().Be(new PixelBox(1, 326, 55, 33), "the padded box stays one pixel inside the frame (delogo needs a border)");
        tracks[1].Start.Should().BeApproximately(0.4, 1e-9);
        tracks[2].Start.Should().BeApproximately(1.4, 1e-9);
        tracks[2].End.Should().BeApproximately(1.8, 1e-9);
        VideoDetextFunction.Graph(tracks).Should().StartWith("delogo=x=96:y=295:w=211:h=39:enable=between(t\\,0\\,1)");
        VideoDetextFunction.Graph([]).Should().Be("null");
    }

    [Fact]
    public void The_roi_is_ims_top_bottom_left_right_fractions_and_defaults_to_the_bottom_quarter()
    {
        var functions = ProductionCatalog.Create(AiEngines.None, Path.Combine(Path.GetTempPath(), "renderfarm-test-probe"));
        var extraction = (CaptionExtractionParams)ProductionFunctions.ParseParams(functions.Find("CaptionExtraction"), "{fps:10,sep:false,roi:[[0.5, 1], [0, 1]]}");
        extraction.Should().Be(new CaptionExtractionParams(10, new CaptionRegion(0.5, 1, 0, 1), false, null));
        ((CaptionExtractionParams)ProductionFunctions.ParseParams(functions.Find("CaptionExtraction"), null)).Should().Be(new CaptionExtractionParams(5, CaptionRegion.BottomQuarter, false, null));
        CaptionRegion.BottomQuarter.In(640, 360).Should().Be(new PixelBox(0, 270, 640, 90));
        new CaptionRegion(0.333, 0.9, 0.1, 0.7).In(641, 361).Should().Be(new PixelBox(64, 120, 384, 204));
        ((VideoDetextParams)ProductionFunctions.ParseParams(functions.Find("VideoDetext"), "{fps:2}")).Should().Be(new VideoDetextParams(2, CaptionRegion.BottomQuarter));
    }

    [Theory]
    [InlineData("CaptionExtraction", "{fps:11}", "JobParams.fps: must be between 2 and 10 (got 11)")]
    [InlineData("CaptionExtraction", "{fps:4.5}", "JobParams.fps: must be a whole number*")]
    [InlineData("CaptionExtraction", "{roi:[[0.9, 0.5], [0, 1]]}", "JobParams.roi[0]: top and bottom must be fractions from 0 to 1*[[top, bottom], [left, right]]*")]
    [InlineData("CaptionExtraction", "{roi:[0.75, 1]}", "JobParams.roi[0]: must be [[top, bottom], [left, right]]*")]
    [InlineData("CaptionExtraction", "{roi:\"bottom\"}", "JobParams.roi: must be [[top, bottom], [left, right]]*")]
    [InlineData("CaptionExtraction", "{roi:[[0, 1], [0.2, 1.5]]}", "JobParams.roi[1]: left and right must be fractions*")]
    [InlineData("CaptionExtraction", "{formatter:\"upper\"}", "JobParams.formatter: must be SRT/ASS override blocks*{\\an8}*")]
    [InlineData("CaptionExtraction", "{sep:\"both\"}", "JobParams.sep: must be true or false*")]
    [InlineData("CaptionExtraction", "{track:\"main\"}", "JobParams.track: unknown parameter of CaptionExtraction; supported: fps, roi, sep, formatter")]
    [InlineData("VideoDetext", "{fps:1}", "JobParams.fps: must be between 2 and 10 (got 1)")]
    [InlineData("VideoDetext", "{roi:[[0.5, 0.52], [0, 1]]}", "JobParams.roi[0]: top and bottom must be fractions*at least 0.05*")]
    public void Bad_job_params_are_refused_naming_the_field_and_what_is_accepted(string function, string jobParams, string message)
    {
        var functions = ProductionCatalog.Create(AiEngines.None, Path.Combine(Path.GetTempPath(), "renderfarm-test-probe"));
        FluentActions.Invoking(() => ProductionFunctions.ParseParams(functions.Find(function), jobParams))
            .Should().Throw<RequestException>().WithMessage(message);
    }
}
