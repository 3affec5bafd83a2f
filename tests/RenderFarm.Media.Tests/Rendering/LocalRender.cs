using RenderFarm.Media.Ai;
using RenderFarm.Core.Jobs;
using RenderFarm.Core.Timelines;
using RenderFarm.Media.Compilation;
using RenderFarm.Media.Ffmpeg;
using RenderFarm.Media.Rendering;
using RenderFarm.Media.Sources;

namespace RenderFarm.Media.Tests.Rendering;

/// <summary>Renders a timeline JSON the way `farm render` does, with media confined to one directory.</summary>
internal static class LocalRender
{
    public static async Task<PreparedTimeline> PrepareAsync(string json, string directory, AiEngines? engines = null)
    {
        var request = ProducingJobRequest.Parse(json);
        var policy = new MediaSourcePolicy { AllowedRoots = [directory], CacheDirectory = Path.Combine(directory, ".cache") };
        using var preparer = new TimelinePreparer(policy, TimelineLimits.Default, engines);
        return await preparer.PrepareAsync(request, directory, CancellationToken.None);
    }

    /// <summary>The encoder the render tests use: fast, and good enough that PSNR comparisons mean something.</summary>
    public static readonly EncoderSettings Encoder = EncoderSettings.Default with { Preset = "ultrafast", Crf = 18 };

    public static async Task<string> RenderAsync(string json, string directory, string name = "out.mp4", RenderOptions? options = null,
        IProgress<double>? progress = null)
    {
        var prepared = await PrepareAsync(json, directory);
        var output = Path.Combine(directory, name);
        var renderer = new TimelineRenderer(new FfmpegRunner(), Encoder);
        await renderer.RenderAsync(prepared, output, options ?? new RenderOptions(), progress, CancellationToken.None);
        return output;
    }
}
