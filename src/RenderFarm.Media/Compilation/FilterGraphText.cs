using System.Globalization;
using System.Text;

namespace RenderFarm.Media.Compilation;

/// <summary>
/// The one place where text enters an ffmpeg filter graph. A graph is parsed twice: once as the
/// graph (where <c>[ ] , ; '</c> and <c>\</c> are special) and once per filter as its option list
/// (where <c>: '</c> and <c>\</c> are special). Both parsers trim unescaped whitespace around what
/// they read, the graph parser around a filter's whole option list, so whitespace is escaped at both
/// levels. Every value is escaped for both levels, innermost first, so any string arrives at the
/// filter unchanged (FilterGraphTextTests checks this with ffmpeg itself).
/// </summary>
public static class FilterGraphText
{
    private const string OptionSpecials = "\\':";
    private const string GraphSpecials = "\\'[],;";

    /// <summary>Escapes a filter option value (a file name, a text, a colour) for use inside a filter graph.</summary>
    public static string EscapeValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Contains('\0')) throw new ArgumentException("a filter value cannot contain NUL", nameof(value));
        return Escape(Escape(value, OptionSpecials), GraphSpecials);
    }

    private static string Escape(string value, string specials)
    {
        var sb = new StringBuilder(value.Length + 8);
        foreach (var ch in value)
        {
            // Whitespace is escaped so leading/trailing blanks survive the parsers' trimming.
            if (specials.Contains(ch) || char.IsWhiteSpace(ch)) sb.Append('\\');
            sb.Append(ch);
        }
        return sb.ToString();
    }

    /// <summary>A number as ffmpeg reads it: invariant culture, no exponent, at most 6 decimals.</summary>
    public static string Number(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);

    /// <summary>One filter: <c>name=key=value:key=value</c>, every value escaped.</summary>
    public static string Filter(string name, params (string Key, object Value)[] options)
    {
        if (options.Length == 0) return name;
        var parts = options.Select(o => $"{o.Key}={EscapeValue(Format(o.Value))}");
        return $"{name}={string.Join(':', parts)}";
    }

    private static string Format(object value) => value switch
    {
        double d => Number(d),
        float f => Number(f),
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "1" : "0",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
