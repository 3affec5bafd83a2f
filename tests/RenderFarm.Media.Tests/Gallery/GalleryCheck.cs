using FluentAssertions;
using RenderFarm.Media.Tests.Rendering;
using RenderFarm.TestSupport;
using RenderFarm.TestSupport.Gallery;

namespace RenderFarm.Media.Tests.Gallery;

/// <summary>
/// Renders a catalog's gallery samples through the real renderer and checks what the contact sheet
/// shows: every name changes the picture against the plain clip, and no two names of the catalog
/// look the same at their mid-effect moment.
/// </summary>
internal static class GalleryCheck
{
    /// <summary>The frame at each sample's moment, by name (the baseline under "(none)").</summary>
    public static async Task<IReadOnlyDictionary<string, (byte[] Rgb, int Width, int Height)>> RenderAsync(
        GalleryMedia media, IReadOnlyList<GallerySample> samples, GallerySample baseline)
    {
        var all = samples.Prepend(baseline).ToList();
        all.Select(s => s.Name).Should().OnlyHaveUniqueItems("a catalog lists each name once");
        var frames = new (byte[] Rgb, int Width, int Height)[all.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, all.Count), new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (i, _) =>
        {
            var sample = all[i];
            var output = await LocalRender.RenderAsync(sample.RequestJson, media.Directory, $"{sample.Catalog}-{i:D3}.mp4");
            // One decode at the sample's moment; the size is the gallery's (no probe).
            var rgb = Tool.Ffmpeg("-ss", sample.AtSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture), "-i", output,
                "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-");
            frames[i] = (rgb, media.Width, media.Height);
            File.Delete(output);
        });
        return all.Select((s, i) => (s.Name, Frame: frames[i])).ToDictionary(p => p.Name, p => p.Frame);
    }

    /// <summary>
    /// Asserts every sample differs from the baseline by more than <paramref name="minChange"/> and from
    /// every other sample by more than <paramref name="minDistinct"/> (mean absolute difference, 0-255 levels).
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, (byte[] Rgb, int Width, int Height)>> AssertDistinctAsync(
        GalleryMedia media, IReadOnlyList<GallerySample> samples, GallerySample baseline, double minChange = 2, double minDistinct = 1)
    {
        var frames = await RenderAsync(media, samples, baseline);
        var plain = frames[baseline.Name];
        var unchanged = samples.Where(s => Difference(frames[s.Name], plain) <= minChange)
            .Select(s => $"{s.Name} ({Difference(frames[s.Name], plain):0.00})").ToList();
        unchanged.Should().BeEmpty("every name changes the picture against the plain clip");
        var alike = new List<string>();
        for (var i = 0; i < samples.Count; i++)
        for (var j = i + 1; j < samples.Count; j++)
        {
            var d = Difference(frames[samples[i].Name], frames[samples[j].Name]);
            if (d <= minDistinct) alike.Add($"{samples[i].Name} = {samples[j].Name} ({d:0.00})");
        }
        alike.Should().BeEmpty("no two names of a catalog look the same");
        return frames;
    }

    /// <summary>Mean absolute difference of two frames over all channels (0-255).</summary>
    public static double Difference((byte[] Rgb, int Width, int Height) a, (byte[] Rgb, int Width, int Height) b)
    {
        a.Rgb.Length.Should().Be(b.Rgb.Length, "gallery frames share one output size");
        long sum = 0;
        for (var i = 0; i < a.Rgb.Length; i++) sum += Math.Abs(a.Rgb[i] - b.Rgb[i]);
        return (double)sum / a.Rgb.Length;
    }
}
