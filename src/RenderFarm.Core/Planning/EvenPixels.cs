namespace RenderFarm.Core.Planning;

/// <summary>
/// The one place that rounds pixel counts to even numbers. 4:2:0 video stores colour once per 2x2
/// pixels, so output sizes, layer boxes and regions drawn on the frame are even.
/// </summary>
public static class EvenPixels
{
    /// <summary>The even number at or below <paramref name="value"/>, never below 0 ("fits inside").</summary>
    public static int Down(double value) => Math.Max(0, (int)Math.Floor(value / 2) * 2);

    /// <summary>The nearest even number, halves away from zero ("as close as possible").</summary>
    public static int Nearest(double value) => (int)Math.Round(value / 2, MidpointRounding.AwayFromZero) * 2;
}
