using RenderFarm.Core.Imaging;
using RenderFarm.TestSupport;

[assembly: AssemblyFixture(typeof(RenderFarm.Matting.Tests.MattingModel))]

namespace RenderFarm.Matting.Tests;

/// <summary>
/// The real ISNet model on the real ONNX Runtime, loaded once for the test assembly, and
/// astronaut.png (a photo of a person, 512x512). scripts/setup-models.sh --test installs both.
/// </summary>
public sealed class MattingModel : IDisposable
{
    public MattingModel()
    {
        Astronaut = InstallLocations.FindAbove(Path.Combine(".models", "astronaut.png"))
            ?? throw new FileNotFoundException("astronaut.png is missing: run scripts/setup-models.sh --test");
        Matter = new IsNetPersonMatter();
    }

    public IsNetPersonMatter Matter { get; }
    public string Astronaut { get; }

    /// <summary>A box well inside the person in astronaut.png: the orange suit below the collar ring.</summary>
    public static readonly (int X, int Y, int W, int H) Person = (120, 310, 110, 110);

    /// <summary>
    /// Background boxes of astronaut.png: its top corners (flag, wall) and the left and right edges at
    /// mid-height (flag, dark table). Its bottom corners are not background: the suit and the helmet
    /// the astronaut holds fill them.
    /// </summary>
    public static readonly (int X, int Y, int W, int H)[] Background = [(0, 0, 24, 24), (488, 0, 24, 24), (0, 240, 24, 24), (488, 240, 24, 24)];

    public RgbImage AstronautPixels()
    {
        var (rgb, width, height) = Inspect.Frame(Astronaut, 0);
        return new RgbImage(rgb, width, height);
    }

    public void Dispose() => Matter.Dispose();
}
