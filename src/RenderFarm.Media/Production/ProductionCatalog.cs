using RenderFarm.Media.Audio;
using RenderFarm.Media.AudioAnalysis;
using RenderFarm.Media.Ai;
using RenderFarm.Media.Ffmpeg;
using RenderFarm.Media.Slides;
using RenderFarm.Media.Vision.Reframing;

namespace RenderFarm.Media.Production;

/// <summary>
/// The functions this build runs, composed once (node start, `farm iproduction`) with the host's AI engines
/// (a member left null: that engine is not available here; SlideSplit then reads no titles, VideoH2V follows salient regions only).
/// </summary>
public static class ProductionCatalog
{
    /// <param name="probeCache">Where the audio analysers' decoder keeps probe results.</param>
    public static ProductionFunctions Create(AiEngines engines, string probeCache)
    {
        var ffmpeg = new FfmpegRunner();
        var pipe = new FfmpegFramePipe();
        var codec = new PcmCodec(ffmpeg, pipe);
        var prober = new MediaProber(probeCache);
        var decoder = new AudioDecoder(prober);
        return new ProductionFunctions(
        [
            new AudioMixingFunction(codec),
            new AudioBeatDetectionFunction(decoder, codec),
            new MusicSegmentDetectFunction(decoder),
            new SlideSplitFunction(ffmpeg, pipe, engines.TextReader),
            new VideoH2VFunction(ffmpeg, pipe, prober, engines.Faces),
        ]);
    }
}
