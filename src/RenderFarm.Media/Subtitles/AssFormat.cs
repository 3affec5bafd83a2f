using System.Globalization;
using RenderFarm.Core.Timelines;

namespace RenderFarm.Media.Subtitles;

/// <summary>How ASS spells colours and numbers.</summary>
internal static class AssFormat
{
    /// <summary>ASS colours are &amp;HAABBGGRR with the alpha inverted: 00 is opaque, FF transparent.</summary>
    public static string Colour(Rgba colour) => $"&H{Alpha(colour):X2}{colour.B:X2}{colour.G:X2}{colour.R:X2}";

    /// <summary>The inverted alpha byte of a colour, as the \1a..\4a tags take it.</summary>
    public static byte Alpha(Rgba colour) =>
        (byte)Math.Round((1 - Math.Clamp(colour.Alpha, 0, 1)) * 255, MidpointRounding.AwayFromZero);

    public static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
