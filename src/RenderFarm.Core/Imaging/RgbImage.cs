namespace RenderFarm.Core.Imaging;

/// <summary>A packed RGB24 picture (3 bytes a pixel, rows top to bottom).</summary>
public sealed record RgbImage(byte[] Pixels, int Width, int Height)
{
    public RgbImage Checked()
    {
        if (Width <= 0 || Height <= 0 || Pixels.Length != Width * Height * 3)
            throw new ArgumentException($"an RGB image of {Width}x{Height} needs {Width * Height * 3} bytes, not {Pixels.Length}");
        return this;
    }
}
