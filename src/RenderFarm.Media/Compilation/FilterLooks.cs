using RenderFarm.Core.Timelines;
using static RenderFarm.Media.Compilation.FilterGraphText;

namespace RenderFarm.Media.Compilation;

/// <summary>
/// The Filter SubTypes (<see cref="FilterCatalog"/>) and a Filter's ExtParams grade as colour grades.
/// Every step is a filter that works on yuv420p itself (lutyuv, eq, hue, colorcorrect, monochrome,
/// colorize, vignette), each enabled over the effect's time range: an RGB filter (curves, lut3d) would
/// convert every frame of the timeline, so frames outside the range would differ between a single pass
/// and a segment without the effect. No step is random over time (no noise), for the same reason.
/// </summary>
internal static class FilterLooks
{
    private sealed record Step(string Name, params (string Key, object Value)[] Options);

    /// <summary>The filters that draw <paramref name="subType"/> and then <paramref name="grade"/>, each enabled by <paramref name="enable"/>.</summary>
    public static string[] Filters(string subType, ColorGrade? grade, string enable)
    {
        if (!Looks.TryGetValue(subType, out var look))
            throw new InvalidOperationException($"no look for Filter '{subType}'");
        return [.. look.Concat(grade is null ? [] : Grade(grade)).Select(s => Filter(s.Name, [.. s.Options, ("enable", enable)]))];
    }

    private static readonly Dictionary<string, Step[]> Looks = new(StringComparer.Ordinal)
    {
        // 90s modern film
        ["m1"] = [Lut(black: 34, white: 226, chroma: 0.75, du: -10, dv: 8)],
        ["m2"] = [Mono(), Lut(black: 34, white: 210)],
        ["m3"] = [Lut(chroma: 0.9, du: 8, dv: -16), Eq(contrast: 1.05)],
        ["m4"] = [Lut(gamma: 1.1, du: 20, dv: -6)],
        ["m5"] = [Lut(white: 200, gamma: 1.3, du: -4, dv: 18)],
        ["m6"] = [Lut(black: 40, white: 200, chroma: 0.5)],
        ["m7"] = [Split(rh: 0.25, bh: -0.25, saturation: 0.6)],
        ["m8"] = [Eq(contrast: 1.15, brightness: 0.05, saturation: 1.15)],
        // film
        ["pf1"] = [Lut(black: 64, gamma: 0.7, chroma: 0.85)],
        ["pf2"] = [Split(rl: -0.15, bl: 0.05, rh: 0.05, bh: -0.05, saturation: 1.2), Eq(contrast: 1.08)],
        ["pf3"] = [Lut(du: -18, dv: 16)],
        ["pf4"] = [Eq(contrast: 1.2, saturation: 1.3), Lut(du: -10, dv: 8)],
        ["pf5"] = [Colorize(hue: 35, saturation: 0.5, lightness: 0.5, mix: 0.5), Lut(black: 30, white: 220)],
        ["pf6"] = [Eq(contrast: 1.4, saturation: 1.6)],
        ["pf7"] = [Hue(180), Eq(saturation: 1.2)],
        ["pf8"] = [Split(rl: -0.2, bl: 0.15, rh: 0.15, bh: -0.15), Lut(black: 36, white: 220, chroma: 0.8)],
        ["pf9"] = [Eq(contrast: 1.3, saturation: 0.85), Lut(du: 8, dv: -4)],
        ["pf10"] = [Lut(chroma: 0.3, du: 10, dv: -4), Eq(contrast: 1.15)],
        ["pf11"] = [Mono(), Eq(contrast: 1.35)],
        ["pf12"] = [Mono(), Lut(black: 70, gamma: 0.8)],
        // infrared
        ["pi1"] = [Hue(150, saturation: 0.6), Lut(black: 40)],
        ["pi2"] = [Hue(200), Lut(du: -10, dv: 20)],
        ["pi3"] = [Hue(-90, saturation: 1.3), Lut(du: -14, dv: 10)],
        ["pi4"] = [Hue(180, saturation: 0.8), Lut(white: 170, gamma: 1.3)],
        // fresh
        ["pl1"] = [Lut(white: 210, gamma: 1.25, du: 8, dv: -4)],
        ["pl2"] = [Lut(black: 44, chroma: 0.7), Eq(brightness: 0.04)],
        ["pl3"] = [Lut(gamma: 0.9, du: -10, dv: -12)],
        ["pl4"] = [Lut(black: 24, gamma: 0.75)],
        // Japanese
        ["pj1"] = [Lut(black: 30, chroma: 0.8, du: -6, dv: -8), Eq(brightness: 0.03)],
        ["pj2"] = [Lut(black: 38, white: 225, chroma: 0.65, du: -12, dv: 6)],
        ["pj3"] = [Lut(gamma: 0.9, du: -20, dv: 10)],
        ["pj4"] = [Lut(black: 50, chroma: 0.8, du: 6, dv: 12)],
        // Unsplash
        ["delta"] = [Eq(contrast: 1.15), Lut(chroma: 1.1, du: 6, dv: -4)],
        ["electric"] = [Eq(contrast: 1.1, saturation: 1.5)],
        ["faded"] = [Eq(contrast: 0.9, brightness: 0.04, saturation: 0.7)],
        ["slowlived"] = [Lut(black: 26, white: 209, chroma: 0.6, du: -8, dv: 6)],
        ["tokoyo"] = [Split(rl: 0.2, bl: 0.2, rh: -0.2, bh: 0.1), Eq(contrast: 1.1, saturation: 1.2)],
        ["urbex"] = [Eq(contrast: 1.2, saturation: 0.6)],
        ["warm"] = [Lut(du: -8, dv: 10)],
        // 80s negative
        ["f1"] = [Lut(black: 28, chroma: 0.9, du: 4, dv: -14)],
        ["f2"] = [Lut(black: 30, gamma: 0.8, chroma: 0.7, du: 12, dv: -8)],
        ["f3"] = [Lut(black: 36, white: 225, chroma: 0.75, du: 10, dv: 10)],
        ["f4"] = [Lut(black: 30, chroma: 0.6, du: 22, dv: -12)],
        ["f5"] = [Lut(chroma: 0.7, du: -12, dv: -6), Eq(contrast: 0.95)],
        ["f6"] = [Colorize(hue: 30, saturation: 0.35, lightness: 0.4, mix: 0.6), Lut(white: 200, gamma: 1.15)],
        ["f7"] = [Colorize(hue: 25, saturation: 0.6, lightness: 0.45, mix: 0.4), Eq(contrast: 1.1)],
        // travel
        ["pv1"] = [Eq(contrast: 1.35, saturation: 0.7)],
        ["pv2"] = [Split(bl: 0.1, rh: -0.05, bh: 0.25), Eq(saturation: 1.15)],
        ["pv3"] = [Lut(gamma: 0.85, chroma: 1.05, du: 4, dv: -10)],
        ["pv4"] = [Lut(black: 60, white: 200, chroma: 0.6)],
        ["pv5"] = [Lut(black: 50, gamma: 0.55)],
        ["pv6"] = [Mono(cb: -0.4, cr: 0.4), Eq(contrast: 1.15)],
        // 90s art film
        ["a1"] = [Lut(black: 24, white: 230, gamma: 0.9, chroma: 0.85)],
        ["a2"] = [Lut(white: 190, gamma: 1.35), Vignette(Math.PI / 4)],
        ["a3"] = [Lut(gamma: 0.9, du: 14, dv: -14)],
        ["a4"] = [Lut(white: 215, du: 28, dv: -4)],
        ["a5"] = [Eq(contrast: 1.05, saturation: 1.9)],
        ["a6"] = [Lut(black: 48, white: 215, chroma: 0.9)],
        // the grade alone, and RenderFarm's own name
        [FilterCatalog.Color] = [],
        ["cool"] = [Lut(du: 14, dv: -10)],
    };

    /// <summary>
    /// The ExtParams grade: eq for brightness (0-255 levels), contrast and saturation (percent), a
    /// chroma shift towards the colour of <see cref="ColorGrade.KelvinTemperature"/>, a vignette.
    /// </summary>
    private static IEnumerable<Step> Grade(ColorGrade grade)
    {
        if (grade.Brightness != 0 || grade.Contrast != 0 || grade.Saturation != 0)
            yield return Eq(contrast: 1 + grade.Contrast / 100, brightness: grade.Brightness / 255, saturation: 1 + grade.Saturation / 100);
        if (grade.KelvinTemperature is { } kelvin && grade.TemperatureRatio > 0)
        {
            var (du, dv) = ChromaShift(kelvin, grade.TemperatureRatio / 100);
            if (du != 0 || dv != 0) yield return Lut(du: du, dv: dv);
        }
        if (grade.DarkCornerRatio > 0)
            yield return Vignette(grade.DarkCornerRatio / 100 * Math.PI / 2);
    }

    /// <summary>
    /// The Cb/Cr offset (8-bit levels) that moves a mid grey to the tint of a black body at
    /// <paramref name="kelvin"/> against 6500 K, at <paramref name="strength"/> (0-1). The RGB of a
    /// black body follows Tanner Helland's fit; the gain keeps luma, so only the tint changes.
    /// </summary>
    internal static (int Du, int Dv) ChromaShift(double kelvin, double strength)
    {
        var (r, g, b) = BlackBody(kelvin);
        var (r0, g0, b0) = BlackBody(6500);
        double mr = r / r0, mg = g / g0, mb = b / b0;
        var luma = 0.299 * mr + 0.587 * mg + 0.114 * mb;
        mr /= luma; mg /= luma; mb /= luma;
        // BT.601 chroma of a 0.5 grey scaled by the gains, in 224 levels.
        var cb = 0.5 * (-0.168736 * mr - 0.331264 * mg + 0.5 * mb) * 224 * strength;
        var cr = 0.5 * (0.5 * mr - 0.418688 * mg - 0.081312 * mb) * 224 * strength;
        return ((int)Math.Round(cb), (int)Math.Round(cr));
    }

    private static (double R, double G, double B) BlackBody(double kelvin)
    {
        var t = kelvin / 100;
        var r = t <= 66 ? 255 : 329.698727446 * Math.Pow(t - 60, -0.1332047592);
        var g = t <= 66 ? 99.4708025861 * Math.Log(t) - 161.1195681661 : 288.1221695283 * Math.Pow(t - 60, -0.0755148492);
        var b = t >= 66 ? 255 : t <= 19 ? 0 : 138.5177312231 * Math.Log(t - 10) - 305.0447927307;
        static double Clamp(double v) => Math.Clamp(v, 1, 255);
        return (Clamp(r), Clamp(g), Clamp(b));
    }

    /// <summary>
    /// A LUT on the YUV planes: luma from <paramref name="black"/> to <paramref name="white"/> (16 and
    /// 235 keep it) along a <paramref name="gamma"/> curve; chroma scaled by <paramref name="chroma"/>
    /// (saturation) and offset by <paramref name="du"/> (towards blue) and <paramref name="dv"/> (towards red).
    /// </summary>
    private static Step Lut(int black = 16, int white = 235, double gamma = 1, double chroma = 1, int du = 0, int dv = 0)
    {
        var options = new List<(string, object)>();
        if (black != 16 || white != 235 || gamma != 1)
            options.Add(("y", $"clip({black}+{white - black}*pow(clip((val-16)/219,0,1),{Number(gamma)}),16,235)"));
        if (chroma != 1 || du != 0)
            options.Add(("u", $"clip((val-128)*{Number(chroma)}+{128 + du},16,240)"));
        if (chroma != 1 || dv != 0)
            options.Add(("v", $"clip((val-128)*{Number(chroma)}+{128 + dv},16,240)"));
        return new Step("lutyuv", [.. options]);
    }

    private static Step Eq(double contrast = 1, double brightness = 0, double saturation = 1) =>
        new("eq", ("contrast", contrast), ("brightness", brightness), ("saturation", saturation));

    private static Step Hue(double degrees, double saturation = 1) => new("hue", ("h", degrees), ("s", saturation));

    /// <summary>Split toning: red/blue shifts of the shadows (rl, bl) and of the highlights (rh, bh).</summary>
    private static Step Split(double rl = 0, double bl = 0, double rh = 0, double bh = 0, double saturation = 1) =>
        new("colorcorrect", ("rl", rl), ("bl", bl), ("rh", rh), ("bh", bh), ("saturation", saturation));

    /// <summary>Black and white through a colour filter (cb, cr: the blue and red weights).</summary>
    private static Step Mono(double cb = 0, double cr = 0) => new("monochrome", ("cb", cb), ("cr", cr));

    private static Step Colorize(double hue, double saturation, double lightness, double mix) =>
        new("colorize", ("hue", hue), ("saturation", saturation), ("lightness", lightness), ("mix", mix));

    private static Step Vignette(double angle) => new("vignette", ("angle", angle));
}
