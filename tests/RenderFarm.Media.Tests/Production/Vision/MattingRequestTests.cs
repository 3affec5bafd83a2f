using FluentAssertions;
using RenderFarm.Core.Json;
using RenderFarm.Core.Planning;
using RenderFarm.Core.Timelines;
using RenderFarm.Media.Ai;
using RenderFarm.Media.Production;
using RenderFarm.Media.Vision.Matting;
using Xunit;

namespace RenderFarm.Media.Tests.Production.Vision;

/// <summary>The matting functions' JobParams, what their inputs must be and what they write (no ffmpeg).</summary>
public sealed class MattingRequestTests
{
    private static readonly ProductionFunctions Functions = ProductionCatalog.Create(AiEngines.None, Path.Combine(Path.GetTempPath(), "renderfarm-test-probe"));
    private static readonly MediaFacts Video = new(2, 320, 180, HasVideo: true, HasAudio: true, IsStill: false, FrameRate: 25);
    private static readonly MediaFacts Image = new(0, 512, 512, HasVideo: true, HasAudio: false, IsStill: true);
    private static readonly MediaFacts Sound = new(2, 0, 0, HasVideo: false, HasAudio: true, IsStill: false);

    private static object Params(string function, string jobParams) => ProductionFunctions.ParseParams(Functions.Find(function), jobParams);

    [Theory]
    [InlineData("VideoGreenScreenMatting", "{bgimage:''}", "JobParams.bgimage", "is empty")]
    [InlineData("VideoGreenScreenMatting", "{bgimage:[1]}", "JobParams.bgimage", "must be a string")]
    [InlineData("VideoGreenScreenMatting", "{background:'a.jpg'}", "JobParams.background", "supported: bgimage, Color, Auto, Thres")]
    [InlineData("VideoGreenScreenMatting", "{color:'pink'}", "JobParams.Color", "green, blue or a colour like #RRGGBB")]
    [InlineData("VideoGreenScreenMatting", "{thres:101}", "JobParams.Thres", "between 0.0 and 100.0")]
    [InlineData("PortraitMatting", "{thres:255}", "JobParams.Thres", "between 0.0 and 254.0")]
    [InlineData("PortraitMatting", "{Color:'green'}", "JobParams.Color", "supported: bgimage, Thres")]
    public void Bad_JobParams_name_the_field_and_what_is_accepted(string function, string jobParams, string field, string reason)
    {
        var e = Assert.Throws<RequestException>(() => Params(function, jobParams));
        e.Path.Should().Be(field);
        e.Reason.Should().Contain(reason);
    }

    [Fact]
    public void The_green_screen_key_is_estimated_unless_Auto_is_false_and_follows_Color_and_Thres()
    {
        var defaults = (GreenScreenMattingParams)Params("VideoGreenScreenMatting", "");
        (defaults.Key.Auto, defaults.Key.Colour, defaults.Key.Similarity, defaults.Background).Should().Be((true, ChromaKey.Green, 0.1, (ParamMedia?)null));
        var given = (GreenScreenMattingParams)Params("VideoGreenScreenMatting", "{Color:'blue',Auto:false,Thres:25}");
        (given.Key.Auto, given.Key.Colour, given.Key.Similarity).Should().Be((false, ChromaKey.Blue, 0.25));
    }

    [Fact]
    public void bgimage_is_an_extra_medium_that_must_be_a_still_image()
    {
        var function = Functions.Find("VideoGreenScreenMatting");
        function.Media(Params("VideoGreenScreenMatting", "{bgimage:'media/beach.jpg'}"))
            .Should().Equal(new ParamMedia("JobParams.bgimage", "media/beach.jpg", ProductionInput.Image));
        var e = Assert.Throws<RequestException>(() => ProductionFunctions.RequireStream(Video, ProductionInput.Image, "JobParams.bgimage"));
        (e.Path, e.Reason).Should().Be(("JobParams.bgimage", "is not an image (a still picture is needed: PNG, JPEG, ...)"));
        ProductionFunctions.RequireStream(Image, ProductionInput.Image, "JobParams.bgimage");
    }

    [Fact]
    public void Portrait_matting_takes_a_video_or_an_image_but_not_a_sound()
    {
        var function = Functions.Find("PortraitMatting");
        function.Input.Should().Be(ProductionInput.VideoOrImage);
        ProductionFunctions.RequireStream(Video, function.Input, "Input.Media");
        ProductionFunctions.RequireStream(Image, function.Input, "Input.Media");
        Assert.Throws<RequestException>(() => ProductionFunctions.RequireStream(Sound, function.Input, "Input.Media"))
            .Reason.Should().Be("has no picture (a video or an image is needed, not a sound)");
        Assert.Throws<RequestException>(() => ProductionFunctions.RequireStream(Image, Functions.Find("VideoGreenScreenMatting").Input, "Input.Media"))
            .Reason.Should().StartWith("has no video stream");
    }

    [Fact]
    public void The_output_is_a_webm_with_alpha_an_mp4_over_bgimage_or_a_png_for_an_image()
    {
        var green = Functions.Find("VideoGreenScreenMatting");
        green.OutputExtensionsFor(Params(green.Name, ""), Video).Should().Equal(".webm");
        green.OutputExtensionsFor(Params(green.Name, "{bgimage:'a.jpg'}"), null).Should().Equal(".mp4");
        var portrait = Functions.Find("PortraitMatting");
        var transparent = Params(portrait.Name, "");
        var over = Params(portrait.Name, "{bgimage:'a.jpg'}");
        portrait.OutputExtensionsFor(transparent, Video).Should().Equal(".webm");
        portrait.OutputExtensionsFor(over, Video).Should().Equal(".mp4");
        portrait.OutputExtensionsFor(transparent, Image).Should().Equal(".png");
        portrait.OutputExtensionsFor(over, Image).Should().Equal(".png");
        portrait.OutputExtensionsFor(transparent, null).Should().Equal(".webm", ".png"); // a URL: probed when downloaded
    }

    [Theory]
    [InlineData(29.97, 30)]
    [InlineData(25, 25)]
    [InlineData(120, 60)]
    [InlineData(0, 25)]
    public void Portrait_videos_are_written_at_their_rate_in_whole_frames(double rate, int fps) =>
        PortraitMattingFunction.OutputFps(rate).Should().Be(fps);

    [Fact]
    public void An_odd_sized_video_is_cut_to_even_sizes_and_its_background_covers_that()
    {
        var facts = Video with { Width = 321, Height = 181 };
        var args = CutoutComposer.Arguments(new CutoutJob("/m/in.mp4", facts, new ColourCutout(ChromaKey.Green, 0.1), "/m/bg.png", CutoutFormat.Mp4, "/o/out.mp4"));

        var graph = args[args.ToList().IndexOf("-filter_complex") + 1];
        graph.Should().Contain("crop=w=320:h=180:x=0:y=0").And.Contain("scale=w=320:h=180:force_original_aspect_ratio=increase,crop=w=320:h=180");
        args.Should().ContainInOrder("-i", "file:/m/in.mp4", "-i", "file:/m/bg.png").And.EndWith("file:/o/out.mp4");
        CutoutComposer.Size(facts, CutoutFormat.Png).Should().Be((321, 181));
    }
}
