using RenderFarm.Core.Jobs;
using RenderFarm.Core.Timelines;
using RenderFarm.Media.Ai;
using RenderFarm.Media.Compilation;
using RenderFarm.Media.Ffmpeg;
using RenderFarm.Media.Rendering;
using RenderFarm.Media.Sources;

namespace RenderFarm.AI.Tests.Rendering;

/// <summary>Prepares and renders timelines with the real AI engines, media confined to one directory (what `farm render` does).</summary>
internal static class AiRender
{
    public static AiEngines Engines(string directory) => new(
        Speech: new EspeakSpeechEngine(Path.Combine(directory, ".cache", "tts")),
        Recognizer: new RenderFarm.AI.Recognition.PocketsphinxRecognizer(Path.Combine(directory, ".cache", "asr")));

    public static async Task<PreparedTimeline> PrepareAsync(string json, string directory)
    {
        var policy = new MediaSourcePolicy { AllowedRoots = [directory], CacheDirectory = Path.Combine(directory, ".cache") };
        using var preparer = new TimelinePreparer(policy, TimelineLimits.Default, Engines(directory));
        return await preparer.PrepareAsync(ProducingJobRequest.Parse(json), directory, TestContext.Current.CancellationToken);
    }

    public static async Task<(PreparedTimeline Prepared, string Output)> RenderAsync(string json, string directory, string name = "out.mp4")
    {
        var prepared = await PrepareAsync(json, directory);
        var output = Path.Combine(directory, name);
        var renderer = new TimelineRenderer(new FfmpegRunner(), EncoderSettings.Default with { Preset = "ultrafast", Crf = 18 });
        await renderer.RenderAsync(prepared, output, new RenderOptions(), null, TestContext.Current.CancellationToken);
        return (prepared, output);
    }
}
