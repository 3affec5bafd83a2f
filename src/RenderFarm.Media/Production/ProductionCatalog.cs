using RenderFarm.Media.Audio;
using RenderFarm.Media.Ffmpeg;
using RenderFarm.Media.Slides;

namespace RenderFarm.Media.Production;

/// <summary>The functions this build runs, composed once (node start, `farm iproduction`) with the node's OCR.</summary>
public static class ProductionCatalog
{
    public static ProductionFunctions Create(ISlideTextReader slideText)
    {
        var ffmpeg = new FfmpegRunner();
        var pipe = new FfmpegFramePipe();
        return new ProductionFunctions(
        [
            new AudioMixingFunction(new PcmCodec(ffmpeg, pipe)),
            new SlideSplitFunction(ffmpeg, pipe, slideText),
        ]);
    }
}
