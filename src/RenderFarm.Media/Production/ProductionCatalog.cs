using RenderFarm.Media.Audio;
using RenderFarm.Media.AudioAnalysis;
using RenderFarm.Media.Ai;
using RenderFarm.Media.Ffmpeg;
using RenderFarm.Media.Matting;
using RenderFarm.Media.Slides;
using RenderFarm.Media.Vision.Captions;
using RenderFarm.Media.Vision.TextRemoval;
using RenderFarm.Media.Vision.Highlights;
using RenderFarm.Media.Vision.Logos;
using RenderFarm.Media.Vision.Matting;
using RenderFarm.Media.Vision.Reframing;

namespace RenderFarm.Media.Production;

/// <summary>
/// The functions this build runs, composed once (node start, `farm iproduction`) with the host's AI engines
/// (a member left null: that engine is not available here; SlideSplit then reads no titles, Cover and
/// VideoClip score without faces, VideoH2V follows salient regions only, PortraitMatting refuses to run).
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
        var captions = new CaptionSampler(pipe, prober);
        var sampler = new VideoSampler(prober, pipe, engines.Faces);
        return new ProductionFunctions(
        [
            new AudioMixingFunction(codec),
            new AudioBeatDetectionFunction(decoder, codec),
            new MusicSegmentDetectFunction(decoder),
            new SlideSplitFunction(ffmpeg, pipe, engines.TextReader),
            new CaptionExtractionFunction(captions, engines.TextReader),
            new VideoDetextFunction(ffmpeg, captions, engines.TextReader),
            new CoverFunction(ffmpeg, sampler),
            new VideoClipFunction(ffmpeg, sampler, decoder),
            new VideoDelogoFunction(ffmpeg, pipe, prober),
            new GreenScreenMattingFunction(ffmpeg, prober, new KeyColourEstimator(ffmpeg)),
            new PortraitMattingFunction(ffmpeg, prober, engines.Matte),
            new VideoH2VFunction(ffmpeg, pipe, prober, engines.Faces),
        ]);
    }
}
