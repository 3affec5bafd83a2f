using FluentAssertions;
using RenderFarm.Media.Tests.Rendering;
using RenderFarm.TestSupport;
using RenderFarm.TestSupport.Gallery;
using Xunit;

namespace RenderFarm.Media.Tests.Gallery;

/// <summary>The Filter catalog and a Filter's ExtParams grade, as a viewer sees them.</summary>
public sealed class FilterGalleryTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Every_filter_name_changes_the_picture_and_no_two_look_alike()
    {
        var media = GalleryMedia.Create(_dir.Path);
        await GalleryCheck.AssertDistinctAsync(media, FilterGallery.Samples(media), media.Baseline(FilterGallery.Catalog));
    }

    [Fact]
    public async Task ExtParams_grading_does_what_each_key_says()
    {
        // Five 0.4 s items in one render, each with one key; the frame in the middle of each is compared
        // with the same frame of the plain clip.
        var media = GalleryMedia.Create(_dir.Path);
        string[] grades = ["brightness=80", "contrast=80", "saturation=-100", "kelvin_temperature=2500", "dark_corner_ratio=100"];
        var items = string.Join(",", grades.Select((g, i) =>
            $$"""{"Type":"Filter","SubType":"color","ExtParams":"{{g}}","TimelineIn":{{Seconds(i * 0.4)}},"TimelineOut":{{Seconds((i + 1) * 0.4)}}}"""));
        var json = $$"""
            {"Timeline":{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"{{GalleryMedia.Json(media.Clip)}}"}]}],
             "EffectTracks":[{"EffectTrackItems":[{{items}}]}]},{{media.Output}}}
            """;
        var graded = Inspect.AllFrames(await LocalRender.RenderAsync(json, _dir.Path, "graded.mp4"));
        var plain = Inspect.AllFrames(await LocalRender.RenderAsync(media.Baseline(FilterGallery.Catalog).RequestJson, _dir.Path, "plain.mp4"));
        graded.Should().HaveCount(plain.Count);
        int Middle(int item) => (int)Math.Round((item * 0.4 + 0.2) * media.Fps);
        (byte[] Rgb, int Width, int Height) Graded(int item) => graded[Middle(item)];
        (byte[] Rgb, int Width, int Height) Plain(int item) => plain[Middle(item)];
        var (w, h) = (media.Width, media.Height);

        Luma(Graded(0)).Should().BeGreaterThan(Luma(Plain(0)) + 40, "brightness=80 adds about 80 of 255 levels");
        LumaSpread(Graded(1)).Should().BeGreaterThan(LumaSpread(Plain(1)) * 1.1, "contrast=80 stretches the levels");
        Chroma(Graded(2)).Should().BeLessThan(6, "saturation=-100 leaves grey (but for the encoder's chroma noise)");
        Chroma(Plain(2)).Should().BeGreaterThan(30, "the plain clip is colourful");
        RedOverBlue(Graded(3)).Should().BeGreaterThan(RedOverBlue(Plain(3)) + 15, "2500 K is a warm, red-orange light");
        var (corner, centre) = (Luma(Graded(4), 0, 0, w / 8, h / 8), Luma(Graded(4), w * 3 / 8, h * 3 / 8, w / 4, h / 4));
        var (plainCorner, plainCentre) = (Luma(Plain(4), 0, 0, w / 8, h / 8), Luma(Plain(4), w * 3 / 8, h * 3 / 8, w / 4, h / 4));
        corner.Should().BeLessThan(plainCorner * 0.6, "dark_corner_ratio=100 darkens the corners");
        centre.Should().BeGreaterThan(plainCentre * 0.8, "and leaves the centre most of its light");
    }

    private static string Seconds(double s) => s.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);

    private static double Luma((byte[] Rgb, int Width, int Height) f) => Luma(f, 0, 0, f.Width, f.Height);

    private static double Luma((byte[] Rgb, int Width, int Height) f, int x, int y, int w, int h)
    {
        var m = Inspect.Mean(f, x, y, w, h);
        return 0.299 * m.R + 0.587 * m.G + 0.114 * m.B;
    }

    /// <summary>Standard deviation of the pixels' luma.</summary>
    private static double LumaSpread((byte[] Rgb, int Width, int Height) f)
    {
        var lumas = Enumerable.Range(0, f.Width * f.Height).Select(i => 0.299 * f.Rgb[i * 3] + 0.587 * f.Rgb[i * 3 + 1] + 0.114 * f.Rgb[i * 3 + 2]).ToList();
        var mean = lumas.Average();
        return Math.Sqrt(lumas.Average(l => (l - mean) * (l - mean)));
    }

    /// <summary>Mean spread between a pixel's largest and smallest channel (0 for grey).</summary>
    private static double Chroma((byte[] Rgb, int Width, int Height) f) =>
        Enumerable.Range(0, f.Width * f.Height).Average(i => (double)Math.Max(f.Rgb[i * 3], Math.Max(f.Rgb[i * 3 + 1], f.Rgb[i * 3 + 2])) - Math.Min(f.Rgb[i * 3], Math.Min(f.Rgb[i * 3 + 1], f.Rgb[i * 3 + 2])));

    private static double RedOverBlue((byte[] Rgb, int Width, int Height) f)
    {
        var m = Inspect.Mean(f, 0, 0, f.Width, f.Height);
        return m.R - m.B;
    }
}
