using System.Globalization;
using RenderFarm.Core.Jobs;
using RenderFarm.Core.Timelines;
using RenderFarm.Media.Compilation;
using RenderFarm.Media.Ffmpeg;
using RenderFarm.Media.Rendering;
using RenderFarm.Media.Sources;
using RenderFarm.TestSupport;
using RenderFarm.TestSupport.Gallery;

namespace RenderFarm.Benchmarks;

/// <summary>
/// The `gallery` verb: renders every name of every catalog in <see cref="GalleryCatalogs.All"/> on the
/// gallery clip (192x128) with the real renderer and tiles one frame per name, at its mid-effect moment and
/// captioned with its name, into a contact sheet &lt;out&gt;/&lt;catalog&gt;.jpg.
/// </summary>
internal static class GallerySheets
{
    private const int Columns = 8;
    private const int CaptionHeight = 16;

    public static async Task<int> RunAsync(string[] args)
    {
        var only = RenderCostBenchmark.OptionText(args, "--catalog");
        var output = Path.GetFullPath(RenderCostBenchmark.OptionText(args, "--out") ?? Path.Combine("docs", "gallery"));
        var catalogs = GalleryCatalogs.All.Where(c => only is null || c.Catalog.Equals(only, StringComparison.OrdinalIgnoreCase)).ToList();
        if (catalogs.Count == 0)
        {
            Console.Error.WriteLine($"no catalog '{only}'; known: {string.Join(", ", GalleryCatalogs.All.Select(c => c.Catalog))}");
            return 2;
        }
        Directory.CreateDirectory(output);
        using var dir = new TempDir();
        var media = GalleryMedia.Create(dir.Path);
        var ffmpeg = new FfmpegRunner();
        foreach (var (catalog, samplesOf) in catalogs)
        {
            var samples = samplesOf(media);
            var frames = Path.Combine(dir.Path, catalog);
            Directory.CreateDirectory(frames);
            await Parallel.ForEachAsync(Enumerable.Range(0, samples.Count), new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (i, ct) =>
            {
                var video = await RenderAsync(samples[i].RequestJson, media, Path.Combine(frames, $"{i:D3}.mp4"), ct);
                await ffmpeg.RunAsync(["-ss", FilterGraphText.Number(samples[i].AtSeconds), "-i", video, "-frames:v", "1",
                    "-vf", Captioned(samples[i].Name), Path.Combine(frames, $"{i:D3}.png")], ct: ct);
                File.Delete(video);
            });
            var rows = (samples.Count + Columns - 1) / Columns;
            var sheet = Path.Combine(output, $"{catalog}.jpg");
            await ffmpeg.RunAsync(["-framerate", "1", "-i", Path.Combine(frames, "%03d.png"),
                "-vf", FilterGraphText.Filter("tile", ("layout", $"{Columns}x{rows}"), ("padding", 2), ("margin", 2)),
                "-frames:v", "1", "-q:v", "3", sheet]);
            Console.WriteLine($"{catalog}: {samples.Count} names -> {sheet}");
        }
        return 0;
    }

    private static async Task<string> RenderAsync(string json, GalleryMedia media, string path, CancellationToken ct)
    {
        var policy = new MediaSourcePolicy { AllowedRoots = [media.Directory], CacheDirectory = Path.Combine(media.Directory, ".cache") };
        using var preparer = new TimelinePreparer(policy, TimelineLimits.Default);
        var prepared = await preparer.PrepareAsync(ProducingJobRequest.Parse(json), media.Directory, ct);
        await new TimelineRenderer(new FfmpegRunner(), EncoderSettings.Default with { Preset = "ultrafast", Crf = 18 })
            .RenderAsync(prepared, path, new RenderOptions(), null, ct);
        return path;
    }

    /// <summary>The frame with a caption strip below it holding the name (drawn as plain text, no % expansion).</summary>
    private static string Captioned(string name) => string.Join(',',
        FilterGraphText.Filter("pad", ("width", "iw"), ("height", $"ih+{CaptionHeight}"), ("x", 0), ("y", 0), ("color", "black")),
        FilterGraphText.Filter("drawtext", ("text", name), ("expansion", "none"), ("fontsize", 11), ("fontcolor", "white"),
            ("x", "(w-text_w)/2"), ("y", $"h-{CaptionHeight - 3}")));
}
