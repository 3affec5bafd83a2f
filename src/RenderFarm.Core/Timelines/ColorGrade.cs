using System.Globalization;
using RenderFarm.Core.Json;

namespace RenderFarm.Core.Timelines;

/// <summary>
/// A Filter's colour grading from its ExtParams, IMS's string of <c>key=value</c> pairs separated by
/// commas, e.g. <c>"brightness=40,contrast=20,saturation=-100,kelvin_temperature=3500,temperature_ratio=80,dark_corner_ratio=50"</c>.
/// Brightness is an offset of the 0-255 levels; contrast and saturation are percent changes (-100 = none
/// left, 100 = double); kelvin_temperature is the colour temperature to shift towards (6500 is neutral)
/// by temperature_ratio percent; dark_corner_ratio is the strength of a vignette in percent.
/// </summary>
public sealed record ColorGrade(double Brightness, double Contrast, double Saturation, double? KelvinTemperature, double TemperatureRatio, double DarkCornerRatio)
{
    public const string Field = "ExtParams";

    private static readonly (string Key, double Min, double Max)[] Keys =
    [
        ("brightness", -255, 255),
        ("contrast", -100, 100),
        ("saturation", -100, 100),
        ("kelvin_temperature", 1000, 40000),
        ("temperature_ratio", 0, 100),
        ("dark_corner_ratio", 0, 100),
    ];

    /// <summary>
    /// Reads the ExtParams of a Filter item (null when it has none). SubType <c>color</c> is nothing
    /// but its grade, so there they are required. An unknown key is warned about, not refused, as IMS
    /// adds keys over time; a known key with a bad value is an error naming ExtParams and the key.
    /// </summary>
    public static ColorGrade? Read(JsonObjectReader item, string subType)
    {
        var text = item.String(Field);
        if (string.IsNullOrWhiteSpace(text))
            return subType == FilterCatalog.Color
                ? throw item.Error(Field, $"is required for SubType {FilterCatalog.Color} (e.g. \"brightness=30,saturation=-50\")")
                : null;
        var values = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            if (eq <= 0) throw item.Error(Field, $"'{JsonObjectReader.Excerpt(pair)}' is not key=value");
            var key = pair[..eq].Trim();
            var spec = Keys.FirstOrDefault(k => string.Equals(k.Key, key, StringComparison.OrdinalIgnoreCase));
            if (spec.Key is null)
            {
                item.Warn(Field, $"'{JsonObjectReader.Excerpt(key)}' is not a grading key and was ignored; supported: {string.Join(", ", Keys.Select(k => k.Key))}");
                continue;
            }
            var raw = pair[(eq + 1)..].Trim();
            if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value < spec.Min || value > spec.Max)
                throw item.Error(Field, $"{spec.Key} must be a number in {spec.Min.ToString(CultureInfo.InvariantCulture)}..{spec.Max.ToString(CultureInfo.InvariantCulture)}, not '{JsonObjectReader.Excerpt(raw)}'");
            if (!values.TryAdd(spec.Key, value)) throw item.Error(Field, $"{spec.Key} is given twice");
        }
        if (values.Count == 0)
            throw item.Error(Field, $"holds no grading key; supported: {string.Join(", ", Keys.Select(k => k.Key))}");
        if (values.ContainsKey("temperature_ratio") && !values.ContainsKey("kelvin_temperature"))
            item.Warn(Field, "temperature_ratio without kelvin_temperature changes nothing and was ignored");
        double Get(string key, double fallback) => values.TryGetValue(key, out var v) ? v : fallback;
        return new ColorGrade(Get("brightness", 0), Get("contrast", 0), Get("saturation", 0),
            values.TryGetValue("kelvin_temperature", out var k) ? k : null, Get("temperature_ratio", 100), Get("dark_corner_ratio", 0));
    }
}
