namespace RenderFarm.Matting;

/// <summary>A matte: one value a pixel, 0 (background) to 1 (person), rows top to bottom.</summary>
public sealed record MatteImage(float[] Values, int Width, int Height)
{
    /// <summary>The mean value of a rectangle, for checks and tests.</summary>
    public double Mean(int x, int y, int w, int h)
    {
        double sum = 0;
        for (var yy = y; yy < y + h; yy++)
            for (var xx = x; xx < x + w; xx++) sum += Values[yy * Width + xx];
        return sum / ((double)w * h);
    }
}
