using System.Globalization;
using System.Text.RegularExpressions;

namespace RenderFarm.Core.Timelines;

/// <summary>A flower text look: fill, outline and drop shadow; widths in ems of the font size.</summary>
public sealed record FlowerLook(Rgba Fill, Rgba Outline, double OutlineEm, Rgba ShadowColour, double ShadowEm);

/// <summary>A bubble text look: the text's colour, thinly outlined in <see cref="Rim"/>, over a plate padded by <see cref="PaddingEm"/> ems.</summary>
public sealed record BubbleLook(Rgba Text, Rgba Plate, Rgba Rim, double PaddingEm);

/// <summary>
/// IMS flower text (EffectColorStyle, "CSffff-nnnnnn") and bubble text (BubbleStyleId, "BSffff-nnnnnn") ids.
/// IMS draws them from artwork the farm does not have, so every id renders as its closest look in ASS:
/// flat fill, outline and shadow colours (a gradient fill becomes its middle colour, a glow a wide outline),
/// and a bubble becomes its text on a padded plate. <see cref="FlowerIds"/> and <see cref="BubbleIds"/> are the
/// ids seen in the IMS documentation and SDK samples; any other id of the same form is accepted and drawn with
/// the look its number picks, so no IMS id is refused.
/// </summary>
public static partial class TextStyleCatalog
{
    // Fill, outline, shadow: 16 looks that stay apart from each other and from plain white text.
    private static readonly (string Fill, string Outline, string Shadow)[] Palette =
    [
        ("FFFFFF", "E02020", "400000"), ("FFE14D", "202020", "000000"), ("FFFFFF", "1E5BFF", "001040"),
        ("FF4FA3", "FFFFFF", "600030"), ("00E5FF", "003844", "000000"), ("7CFF4F", "0B3D00", "000000"),
        ("FF8A00", "FFFFFF", "402000"), ("202020", "FFE14D", "806000"), ("B98CFF", "2A0060", "000000"),
        ("FFFFFF", "000000", "808080"), ("FF3B3B", "FFE14D", "400000"), ("1E5BFF", "FFFFFF", "000830"),
        ("FFD700", "8B0000", "000000"), ("00C853", "FFFFFF", "003000"), ("FFFFFF", "FF8A00", "603000"),
        ("000000", "FFFFFF", "FF4FA3"),
    ];

    private static readonly (string Text, string Plate, string Rim)[] Plates =
    [
        ("202020", "FFFFFF", "202020"), ("FFFFFF", "1E5BFF", "FFFFFF"), ("202020", "FFE14D", "202020"),
        ("FFFFFF", "FF4FA3", "FFFFFF"), ("FFFFFF", "202020", "FFE14D"), ("003844", "00E5FF", "FFFFFF"),
        ("FFFFFF", "E02020", "FFFFFF"), ("2A0060", "B98CFF", "FFFFFF"),
    ];

    public static readonly string[] FlowerIds =
    [
        .. Ids("CS0001", 16), .. Ids("CS0002", 8), .. Ids("CS0003", 11),
    ];

    public static readonly string[] BubbleIds = [.. Ids("BS0001", 8)];

    [GeneratedRegex(@"^CS(\d{4})-(\d{6})$")]
    private static partial Regex FlowerId();

    [GeneratedRegex(@"^BS(\d{4})-(\d{6})$")]
    private static partial Regex BubbleId();

    /// <summary>The look of a flower id; null when the text is not of the form CSffff-nnnnnn.</summary>
    public static FlowerLook? Flower(string id)
    {
        if (FlowerId().Match(id.Trim().ToUpperInvariant()) is not { Success: true } m) return null;
        var (family, number) = (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        var (fill, outline, shadow) = Palette[(Math.Max(number, 1) - 1 + (family - 1) * 5) % Palette.Length];
        // Families differ in treatment: CS0001 thick outline, CS0002 thin outline with a drop shadow,
        // CS0003 (gradient and glow styles) a wide glow-like outline in the fill's colour around a fill in the outline's.
        return (family % 3) switch
        {
            1 => new FlowerLook(Hex(fill), Hex(outline), 0.12, Hex(shadow), 0),
            2 => new FlowerLook(Hex(fill), Hex(outline), 0.05, Hex(shadow), 0.08),
            _ => new FlowerLook(Hex(outline), Hex(fill), 0.18, Hex(shadow), 0.05),
        };
    }

    /// <summary>The look of a bubble id; null when the text is not of the form BSffff-nnnnnn.</summary>
    public static BubbleLook? Bubble(string id)
    {
        if (BubbleId().Match(id.Trim().ToUpperInvariant()) is not { Success: true } m) return null;
        var number = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        var (text, plate, rim) = Plates[(Math.Max(number, 1) - 1) % Plates.Length];
        return new BubbleLook(Hex(text), Hex(plate), Hex(rim), 0.35);
    }

    /// <summary>The README's words for a look.</summary>
    public static string Describe(FlowerLook look) =>
        $"closest: fill #{look.Fill.Hex}, outline #{look.Outline.Hex} {Percent(look.OutlineEm)}"
        + (look.ShadowEm > 0 ? $", shadow #{look.ShadowColour.Hex} {Percent(look.ShadowEm)}" : "");

    public static string Describe(BubbleLook look) =>
        $"closest: #{look.Text.Hex} text outlined #{look.Rim.Hex} on a rectangular #{look.Plate.Hex} plate";

    private static string Percent(double em) => $"{Math.Round(em * 100)}% of the font size";

    private static IEnumerable<string> Ids(string family, int count) =>
        Enumerable.Range(1, count).Select(n => $"{family}-{n:D6}");

    private static Rgba Hex(string hex) => Rgba.TryParse(hex, out var colour) ? colour : throw new ArgumentException(hex);
}
